/// python-btrfs's short item text (`btrfs.utils.str_print`): each item's `str()`, and indented
/// below it the `str()` of what it holds (stripes, inline refs, names, the root's inode).
/// Written straight from the item bytes into a TextBuffer: nothing is allocated per item on
/// the hot paths (extent, metadata, inode, dir and file extent items).
public enum ShortItemText {
    /// Writes the short form of one item (one or more lines, each ending in a newline).
    /// `unparsedAsPython`: print what python-btrfs does not parse as it does (`not implemented item data (N bytes)`).
    public static func write(key: Key, reader: ItemReader, csumSize: Int = 4, unparsedAsPython: Bool = false,
                             to out: TextBuffer) throws {
        switch key.itemType {
        case .inodeItem:
            let i = try InodeItem(key: key, reader: reader)
            writeInode(i, objectid: key.objectID, to: out)
        case .inodeRef:
            var count = 0
            var it = InodeRefIterator(reader: reader)
            while try it.next() != nil { count += 1 }
            out.write("inode ref list objectid "); out.write(key.objectID)
            out.write(" parent_objectid "); out.write(key.offset)
            out.write(" size "); out.write(count); out.newline()
            it = InodeRefIterator(reader: reader)
            while let e = try it.next() {
                out.write("  inode ref index "); out.write(e.index)
                out.write(" name "); PythonText.writeEmbeddedText(e.name, to: out); out.newline()
            }
        case .inodeExtref:
            var count = 0
            var it = InodeExtrefIterator(reader: reader)
            while try it.next() != nil { count += 1 }
            out.write("inode extref list objectid "); out.write(key.objectID)
            out.write(" hash "); out.write(key.offset)
            out.write(" size "); out.write(count); out.newline()
            it = InodeExtrefIterator(reader: reader)
            while let e = try it.next() {
                out.write("  inode extref parent_objectid "); out.write(e.parentObjectid)
                out.write(" index "); out.write(e.index)
                out.write(" name "); PythonText.writeEmbeddedText(e.name, to: out); out.newline()
            }
        case .dirItem, .xattrItem:
            let xattr = key.itemType == .xattrItem
            var r = reader
            var count = 0
            while r.remaining > 0 { _ = try DirItemView(reader: &r); count += 1 }
            out.write("dir item list objectid "); out.write(key.objectID)
            out.write(" name_hash "); out.write(key.offset)
            out.write(" size "); out.write(count); out.newline()
            r = reader
            while r.remaining > 0 {
                let d = try DirItemView(reader: &r)
                if xattr {
                    out.write("  xattr item name "); PythonText.writeEmbeddedText(d.name, to: out)
                    out.write(" data "); PythonText.writeEmbeddedText(d.data, to: out)
                } else {
                    out.write("  dir item location "); d.location.write(to: out)
                    out.write(" type "); try writeDirType(d.type, to: out)
                    out.write(" name "); PythonText.writeEmbeddedText(d.name, to: out)
                }
                out.newline()
            }
        case .orphanItem:
            out.write("orphan objectid "); out.write(key.offset); out.newline()
        case .dirIndex:
            var r = reader
            r.context = "DIR_INDEX"
            let d = try DirItemView(reader: &r, readData: false)
            out.write("dir index objectid "); out.write(key.objectID)
            out.write(" index "); out.write(key.offset)
            out.write(" location "); d.location.write(to: out)
            out.write(" type "); try writeDirType(d.type, to: out)
            out.write(" name "); PythonText.writeEmbeddedText(d.name, to: out); out.newline()
        case .extentData:
            writeFileExtent(try FileExtentItem(key: key, reader: reader), to: out)
        case .rootItem:
            writeRoot(try RootItem(key: key, reader: reader), to: out)
        case .rootRef:
            let v = try RootRefView(reader: reader)
            out.write("root ref parent_tree "); out.write(key.objectID)
            out.write(" tree "); out.write(key.offset)
            out.write(" dirid "); out.write(v.dirid)
            out.write(" sequence "); out.write(v.sequence)
            out.write(" name "); PythonText.writeEmbeddedText(v.name, to: out); out.newline()
        case .extentItem:
            var r = reader
            r.context = "EXTENT_ITEM"
            let refs = try r.readU64(), generation = try r.readU64(), flags = try r.readU64()
            out.write("extent vaddr "); out.write(key.objectID)
            out.write(" length "); out.write(key.offset)
            out.write(" refs "); out.write(refs)
            out.write(" gen "); out.write(generation)
            out.write(" flags "); PythonFormat.writeFlags(flags, PythonFormat.extentFlagNames, to: out); out.newline()
            if flags == ExtentItem.flagData {
                try writeInlineRefs(InlineRefIterator(reader: r, data: true), to: out)
            } else if flags & ExtentItem.flagTreeBlock != 0 {
                let info = try TreeBlockInfo(reader: &r)
                out.write("  tree block key "); info.key.write(to: out)
                out.write(" level "); out.write(info.level); out.newline()
                try writeInlineRefs(InlineRefIterator(reader: r, data: false), to: out)
            }
        case .metadataItem:
            var r = reader
            r.context = "METADATA_ITEM"
            let refs = try r.readU64(), generation = try r.readU64(), flags = try r.readU64()
            out.write("metadata vaddr "); out.write(key.objectID)
            out.write(" refs "); out.write(refs)
            out.write(" gen "); out.write(generation)
            out.write(" flags "); PythonFormat.writeFlags(flags, PythonFormat.extentFlagNames, to: out)
            out.write(" skinny level "); out.write(key.offset); out.newline()
            try writeInlineRefs(InlineRefIterator(reader: r, data: false), to: out)
        case .treeBlockRef:
            writeRef(.treeBlock(TreeBlockRef(key: key)), to: out)
        case .sharedBlockRef:
            writeRef(.sharedBlock(SharedBlockRef(key: key)), to: out)
        case .extentDataRef:
            writeRef(.extentData(try ExtentDataRef(key: key, reader: reader)), to: out)
        case .sharedDataRef:
            writeRef(.sharedData(try SharedDataRef(key: key, reader: reader)), to: out)
        case .blockGroupItem:
            let bg = try BlockGroupItem(key: key, reader: reader)
            writeBlockGroup(bg, to: out)
        case .freeSpaceInfo:
            writeFreeSpaceInfo(try FreeSpaceInfo(key: key, reader: reader), to: out)
        case .freeSpaceExtent:
            writeFreeSpaceExtent(FreeSpaceExtent(key: key), to: out)
        case .freeSpaceBitmap:
            writeFreeSpaceBitmap(vaddr: key.objectID, length: key.offset, to: out)  // the bitmap itself is not printed
        case .devExtent:
            writeDevExtent(try DevExtent(key: key, reader: reader), to: out)
        case .devItem:
            writeDevItem(try DevItem(key: key, reader: reader), to: out)
        case .chunkItem:
            writeChunk(try Chunk(key: key, reader: reader), to: out)
        default:
            if unparsedAsPython, let cls = UnparsedItemText.pythonUnparsedClass(key) {
                UnparsedItemText.writePythonUnparsed(key, cls, dataCount: reader.count, long: false, level: 0, to: out)
                return
            }
            try UnparsedItemText.writeShort(try Item(key: key, reader: reader, csumSize: csumSize), dataCount: reader.count, to: out)
        }
    }

    static func writeDirType(_ t: UInt8, to out: TextBuffer) throws {
        guard let name = PythonFormat.dirItemType(t) else {
            // python-btrfs dies with KeyError here; a number is more useful.
            out.write(t); return
        }
        out.write(name)
    }

    /// Extent data refs before shared data refs, tree block info, tree block refs before shared
    /// block refs: the attribute order of python-btrfs's ExtentItem.
    static func writeInlineRefs(_ iterator: InlineRefIterator, to out: TextBuffer) throws {
        for pass in 0..<3 {
            var it = iterator
            while let ref = try it.next() {
                if ref.pythonGroup == pass { writeRef(ref, to: out) }
            }
        }
    }

    /// `str(InodeItem)`; objectid only when the inode has a key (not inside a root item).
    static func writeInode(_ i: InodeItem, objectid: UInt64?, to out: TextBuffer) {
        out.write("inode")
        if let objectid { out.write(" objectid "); out.write(objectid) }
        out.write(" generation "); out.write(i.generation)
        out.write(" transid "); out.write(i.transid)
        out.write(" size "); out.write(i.size)
        out.write(" nbytes "); out.write(i.nbytes)
        out.write(" block_group "); out.write(i.blockGroup)
        out.write(" mode "); PythonFormat.writeInodeMode(i.mode, to: out)
        out.write(" nlink "); out.write(i.nlink)
        out.write(" uid "); out.write(i.uid)
        out.write(" gid "); out.write(i.gid)
        out.write(" rdev "); out.write(i.rdev)
        out.write(" flags 0x"); out.writeHex(i.flags)
        out.write(byte: UInt8(ascii: "(")); PythonFormat.writeFlags(i.flags, PythonFormat.inodeFlagNames, to: out)
        out.write(")\n")
    }

    public static func writeBlockGroup(_ bg: BlockGroupItem, to out: TextBuffer) {
        out.write("block group vaddr "); out.write(bg.vaddr)
        out.write(" length "); out.write(bg.length)
        out.write(" flags "); PythonFormat.writeBlockGroupFlags(bg.flags, to: out)
        out.write(" used "); out.write(bg.used)
        out.write(" used_pct "); out.write(bg.usedPercent); out.newline()
    }

    public static func writeFreeSpaceInfo(_ f: FreeSpaceInfo, to out: TextBuffer) {
        out.write("free space info vaddr "); out.write(f.vaddr)
        out.write(" length "); PythonFormat.writePrettySize(f.length, to: out)
        out.write(" extent_count "); out.write(f.extentCount)
        out.write(" flags "); PythonFormat.writeFlags(UInt64(f.flags), PythonFormat.freeSpaceInfoFlagNames, to: out)
        out.newline()
    }

    static func writeFreeSpaceBitmap(vaddr: UInt64, length: UInt64, to out: TextBuffer) {
        out.write("free space bitmap for vaddr "); out.write(vaddr)
        out.write(" length "); out.write(length); out.newline()
    }

    public static func writeFreeSpaceExtent(_ e: FreeSpaceExtent, to out: TextBuffer) {
        out.write("free space extent vaddr "); out.write(e.vaddr)
        out.write(" length "); out.write(e.length); out.newline()
    }

    public static func writeDevExtent(_ d: DevExtent, to out: TextBuffer) {
        out.write("dev extent devid "); out.write(d.devid)
        out.write(" paddr "); out.write(d.paddr)
        out.write(" length "); PythonFormat.writePrettySize(d.length, to: out)
        out.write(" chunk "); out.write(d.chunkOffset); out.newline()
    }

    public static func writeDevItem(_ d: DevItem, to out: TextBuffer) {
        out.write("dev item devid "); out.write(d.devid)
        out.write(" uuid "); d.uuid.write(to: out)
        out.write(" bytes_used "); out.write(d.bytesUsed)
        out.write(" total_bytes "); out.write(d.totalBytes); out.newline()
    }

    public static func writeChunk(_ c: Chunk, to out: TextBuffer) {
        out.write("chunk vaddr "); out.write(c.vaddr)
        out.write(" type "); PythonFormat.writeBlockGroupFlags(c.type, to: out)
        out.write(" length "); PythonFormat.writePrettySize(c.length, to: out)
        out.write(" num_stripes "); out.write(c.numStripes); out.newline()
        for s in c.stripes {
            out.write("  stripe devid "); out.write(s.devid)
            out.write(" offset "); out.write(s.offset); out.newline()
        }
    }
}
