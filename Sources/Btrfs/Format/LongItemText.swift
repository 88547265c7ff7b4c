/// python-btrfs's long item text (`btrfs.utils.pretty_print`): a `<btrfs.ctree.Class (key)>`
/// header, the key-derived fields marked `(key objectid)` / `(key offset)`, then every field in
/// the order python-btrfs's parser sets it, lists as `-` entries one level deeper.
public enum LongItemText {
    /// Writes one item at `level` (python-btrfs prints a stream of items as `-` at level 0 and
    /// each item at level 1).
    /// `unparsedAsPython`: print what python-btrfs does not parse as it does (a bare header).
    public static func write(key: Key, reader: ItemReader, level L: Int = 1, csumSize: Int = 4,
                             unparsedAsPython: Bool = false, to out: TextBuffer) throws {
        let w = LongItemTextLines(out: out)
        switch key.itemType {
        case .inodeItem:
            let i = try InodeItem(key: key, reader: reader)
            w.header(L, "InodeItem", key)
            w.keyField(L, "objectid", key.objectID, "objectid")
            w.inodeFields(i, L)
        case .inodeRef:
            var it = InodeRefIterator(reader: reader)
            w.header(L, "InodeRefList", key)
            w.keyField(L, "objectid", key.objectID, "objectid")
            w.keyField(L, "parent_objectid", key.offset, "offset")
            while let e = try it.next() {
                w.dash(L)
                w.header(L + 1, "InodeRef", nil)
                w.field(L + 1, "index", e.index)
                w.field(L + 1, "name_len", e.nameLen)
                w.text(L + 1, "name", e.name)
            }
        case .inodeExtref:
            var it = InodeExtrefIterator(reader: reader)
            w.header(L, "InodeExtrefList", key)
            w.keyField(L, "objectid", key.objectID, "objectid")
            w.keyField(L, "extref_hash", key.offset, "offset")
            while let e = try it.next() {
                w.dash(L)
                w.header(L + 1, "InodeExtref", nil)
                w.field(L + 1, "parent_objectid", e.parentObjectid)
                w.field(L + 1, "index", e.index)
                w.field(L + 1, "name_len", e.nameLen)
                w.text(L + 1, "name", e.name)
            }
        case .dirItem, .xattrItem:
            var r = reader
            r.context = key.itemType == .xattrItem ? "XATTR_ITEM" : "DIR_ITEM"
            w.header(L, "DirItemList", key)
            w.keyField(L, "objectid", key.objectID, "objectid")
            w.keyField(L, "name_hash", key.offset, "offset")
            while r.remaining > 0 {
                let d = try DirItemView(reader: &r)
                w.dash(L)
                w.header(L + 1, key.itemType == .xattrItem ? "XAttrItem" : "DirItem", nil)
                w.keyValue(L + 1, "location", d.location)
                w.field(L + 1, "transid", d.transid)
                w.field(L + 1, "data_len", d.dataLen)
                w.field(L + 1, "name_len", d.nameLen)
                try w.dirType(L + 1, d.type)
                w.text(L + 1, "name", d.name)
                w.text(L + 1, "data", d.data)
            }
        case .orphanItem:
            w.header(L, "OrphanItem", key)
            w.keyField(L, "objectid", key.offset, "offset")
        case .dirIndex:
            var r = reader
            r.context = "DIR_INDEX"
            let d = try DirItemView(reader: &r, readData: false)
            w.header(L, "DirIndex", key)
            w.keyField(L, "objectid", key.objectID, "objectid")
            w.keyField(L, "index", key.offset, "offset")
            w.keyValue(L, "location", d.location)
            w.field(L, "transid", d.transid)
            w.field(L, "data_len", d.dataLen)
            w.field(L, "name_len", d.nameLen)
            try w.dirType(L, d.type)
            w.text(L, "name", d.name)
        case .extentData:
            let f = try FileExtentItem(key: key, reader: reader)
            w.header(L, "FileExtentItem", key)
            w.keyField(L, "objectid", key.objectID, "objectid")
            w.keyField(L, "logical_offset", key.offset, "offset")
            w.field(L, "generation", f.generation)
            w.field(L, "ram_bytes", f.ramBytes)
            w.name(L, "compression", PythonFormat.compressType(f.compression))
            w.field(L, "encryption", f.encryption)
            w.name(L, "type", PythonFormat.fileExtentType(f.type))
            if !f.isInline {
                w.field(L, "disk_bytenr", f.diskBytenr)
                w.field(L, "disk_num_bytes", f.diskNumBytes)
                w.field(L, "offset", f.offset)
                w.field(L, "num_bytes", f.numBytes)
            }
        case .rootItem:
            let root = try RootItem(key: key, reader: reader)
            w.header(L, "RootItem", key)
            w.keyField(L, "objectid", key.objectID, "objectid")
            w.label(L, "inode")
            w.header(L + 1, "InodeItem", nil)
            w.inodeFields(root.inode, L + 1)
            w.field(L, "generation", root.generation)
            w.field(L, "root_dirid", root.rootDirid)
            w.field(L, "bytenr", root.bytenr)
            w.field(L, "byte_limit", root.byteLimit)
            w.field(L, "bytes_used", root.bytesUsed)
            w.field(L, "last_snapshot", root.lastSnapshot)
            w.flags(L, "flags", root.flags, PythonFormat.rootFlagNames)
            w.field(L, "refs", root.refs)
            w.keyValue(L, "drop_progress", root.dropProgress)
            w.field(L, "drop_level", root.dropLevel)
            w.field(L, "level", root.level)
            w.field(L, "generation_v2", root.generationV2)
            w.field(L, "ctransid", root.ctransid)
            w.field(L, "otransid", root.otransid)
            w.field(L, "stransid", root.stransid)
            w.field(L, "rtransid", root.rtransid)
            w.uuid(L, "uuid", root.uuid)
            w.uuid(L, "parent_uuid", root.parentUUID)
            w.uuid(L, "received_uuid", root.receivedUUID)
            w.time(L, "ctime", root.ctime)
            w.time(L, "otime", root.otime)
            w.time(L, "stime", root.stime)
            w.time(L, "rtime", root.rtime)
        case .rootRef:
            let v = try RootRefView(reader: reader)
            w.header(L, "RootRef", key)
            w.keyField(L, "parent_tree", key.objectID, "objectid")
            w.keyField(L, "tree", key.offset, "offset")
            w.field(L, "dirid", v.dirid)
            w.field(L, "sequence", v.sequence)
            w.field(L, "name_len", v.nameLen)
            w.text(L, "name", v.name)
        case .extentItem:
            var r = reader
            r.context = "EXTENT_ITEM"
            let refs = try r.readU64(), generation = try r.readU64(), flags = try r.readU64()
            w.header(L, "ExtentItem", key)
            w.keyField(L, "vaddr", key.objectID, "objectid")
            w.keyField(L, "length", key.offset, "offset")
            w.field(L, "refs", refs)
            w.field(L, "generation", generation)
            w.flags(L, "flags", flags, PythonFormat.extentFlagNames)
            if flags == ExtentItem.flagData {
                try w.inlineRefs(InlineRefIterator(reader: r, data: true), L)
            } else if flags & ExtentItem.flagTreeBlock != 0 {
                let info = try TreeBlockInfo(reader: &r)
                w.label(L, "tree_block_info")
                w.header(L + 1, "TreeBlockInfo", nil)
                w.keyValue(L + 1, "key", info.key)
                w.field(L + 1, "level", info.level)
                try w.inlineRefs(InlineRefIterator(reader: r, data: false), L)
            }
        case .metadataItem:
            var r = reader
            r.context = "METADATA_ITEM"
            let refs = try r.readU64(), generation = try r.readU64(), flags = try r.readU64()
            w.header(L, "MetaDataItem", key)
            w.keyField(L, "vaddr", key.objectID, "objectid")
            w.keyField(L, "skinny_level", key.offset, "offset")
            w.field(L, "refs", refs)
            w.field(L, "generation", generation)
            w.flags(L, "flags", flags, PythonFormat.extentFlagNames)
            try w.inlineRefs(InlineRefIterator(reader: r, data: false), L)
        case .treeBlockRef:
            w.header(L, "TreeBlockRef", key)
            w.keyField(L, "root", key.offset, "offset")
        case .sharedBlockRef:
            w.header(L, "SharedBlockRef", key)
            w.keyField(L, "parent", key.offset, "offset")
        case .extentDataRef:
            let d = try ExtentDataRef(key: key, reader: reader)
            w.header(L, "ExtentDataRef", key)
            w.field(L, "root", d.root)
            w.field(L, "objectid", d.objectid)
            w.field(L, "offset", d.offset)
            w.field(L, "count", d.count)
        case .sharedDataRef:
            let d = try SharedDataRef(key: key, reader: reader)
            w.header(L, "SharedDataRef", key)
            w.keyField(L, "parent", key.offset, "offset")
            w.field(L, "count", d.count)
        case .blockGroupItem:
            w.blockGroup(try BlockGroupItem(key: key, reader: reader), L)
        case .freeSpaceInfo:
            let f = try FreeSpaceInfo(key: key, reader: reader)
            w.header(L, "FreeSpaceInfo", key)
            w.keyField(L, "vaddr", key.objectID, "objectid")
            w.keySize(L, "length", key.offset, "offset")
            w.field(L, "extent_count", f.extentCount)
            w.flags(L, "flags", UInt64(f.flags), PythonFormat.freeSpaceInfoFlagNames)
        case .freeSpaceExtent:
            w.header(L, "FreeSpaceExtent", key)
            w.keyField(L, "vaddr", key.objectID, "objectid")
            w.keySize(L, "length", key.offset, "offset")
        case .freeSpaceBitmap:
            w.header(L, "FreeSpaceBitmap", key)
            w.keyField(L, "vaddr", key.objectID, "objectid")
            w.keyField(L, "length", key.offset, "offset")
            out.indent(L); out.write("bitmap: "); out.write(reader.count); out.write(" bytes of data\n")
        case .devExtent:
            w.devExtent(try DevExtent(key: key, reader: reader), L)
        case .devItem:
            w.devItem(try DevItem(key: key, reader: reader), L)
        case .chunkItem:
            w.chunk(try Chunk(key: key, reader: reader), L)
        default:
            if unparsedAsPython, let cls = UnparsedItemText.pythonUnparsedClass(key) {
                UnparsedItemText.writePythonUnparsed(key, cls, dataCount: reader.count, long: true, level: L, to: out)
                return
            }
            try UnparsedItemText.writeLong(try Item(key: key, reader: reader, csumSize: csumSize), dataCount: reader.count, level: L, to: out)
        }
    }
}

extension LongItemText {
    /// The long form of a block group item found by look-up rather than search.
    public static func writeBlockGroup(_ bg: BlockGroupItem, level: Int, to out: TextBuffer) {
        LongItemTextLines(out: out).blockGroup(bg, level)
    }
}
