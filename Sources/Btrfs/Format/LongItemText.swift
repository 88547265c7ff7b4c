/// python-btrfs's long item text (`btrfs.utils.pretty_print`): a `<btrfs.ctree.Class (key)>`
/// header, the key-derived fields marked `(key objectid)` / `(key offset)`, then every field in
/// the order python-btrfs's parser sets it, lists as `-` entries one level deeper.
///
/// One renderer, shaped as `ShortItemText`: `write(_ item:level:)` is the one place each item
/// type's fields are chosen (line shapes in LongItemTextLines.swift); `write(key:reader:)`
/// writes the types whose parsed form holds arrays from views of their bytes and parses every
/// other type into `Item`.
public enum LongItemText {
    /// Writes one item at `level` (python-btrfs prints a stream of items as `-` at level 0 and
    /// each item at level 1).
    /// `unparsedAsPython`: print what python-btrfs does not parse as it does (a bare header).
    public static func write(key: Key, reader: ItemReader, level L: Int = 1, csumSize: Int = 4,
                             unparsedAsPython: Bool = false, to out: TextBuffer) throws {
        let w = LongItemTextLines(out: out)
        switch key.itemType {
        case .inodeRef:
            w.inodeRefList(key, L)
            for e in InodeRefIterator(reader: reader) {
                let e = try e.get()
                w.inodeRef(index: e.index, nameLen: e.nameLen, name: e.name, L)
            }
        case .inodeExtref:
            w.inodeExtrefList(key, L)
            for e in InodeExtrefIterator(reader: reader) {
                let e = try e.get()
                w.inodeExtref(parent: e.parentObjectid, index: e.index, nameLen: e.nameLen, name: e.name, L)
            }
        case .dirItem, .xattrItem:
            var r = reader
            r.context = key.itemType == .xattrItem ? "XATTR_ITEM" : "DIR_ITEM"
            w.dirItemList(key, L)
            while r.remaining > 0 { w.dirItem(try DirItemView(reader: &r), xattr: key.itemType == .xattrItem, L) }
        case .dirIndex:
            var r = reader
            r.context = "DIR_INDEX"
            w.dirIndex(key, try DirItemView(reader: &r, readData: false), L)
        case .rootRef:
            w.rootRef(key, try RootRefView(reader: reader), L)
        case .extentItem:
            var r = reader
            r.context = "EXTENT_ITEM"
            let head = try ShortItemText.ExtentHead(reader: &r)
            w.extent(key, head, L)
            if head.flags == ExtentItem.flagData {
                try w.inlineRefs(InlineRefIterator(reader: r, data: true), L)
            } else if head.flags & ExtentItem.flagTreeBlock != 0 {
                w.treeBlockInfo(try TreeBlockInfo(reader: &r), L)
                try w.inlineRefs(InlineRefIterator(reader: r, data: false), L)
            }
        case .metadataItem:
            var r = reader
            r.context = "METADATA_ITEM"
            w.metadata(key, try ShortItemText.ExtentHead(reader: &r), L)
            try w.inlineRefs(InlineRefIterator(reader: r, data: false), L)
        default:
            if unparsedAsPython, let cls = UnparsedItemText.pythonUnparsedClass(key) {
                UnparsedItemText.writePythonUnparsed(key, cls, dataCount: reader.count, long: true, level: L, to: out)
                return
            }
            write(try Item(key: key, reader: reader, csumSize: csumSize), level: L, to: out)
        }
    }

    /// Writes the long form of a parsed item at `level`: the one place each item type's fields are chosen.
    public static func write(_ item: Item, level L: Int = 1, to out: TextBuffer) {
        let w = LongItemTextLines(out: out)
        let key = item.key
        switch item {
        case .inode(let i):
            w.header(L, "InodeItem", i.key)
            if let k = i.key { w.keyField(L, "objectid", k.objectID, "objectid") }
            w.inodeFields(i, L)
        case .inodeRef(let l):
            w.inodeRefList(key, L)
            for r in l.refs { r.name.withUnsafeBytes { w.inodeRef(index: r.index, nameLen: r.nameLen, name: $0, L) } }
        case .inodeExtref(let l):
            w.inodeExtrefList(key, L)
            for r in l.refs {
                r.name.withUnsafeBytes { w.inodeExtref(parent: r.parentObjectid, index: r.index, nameLen: r.nameLen, name: $0, L) }
            }
        case .dirItem(let l):
            w.dirItemList(key, L)
            for d in l.items { d.withView { w.dirItem($0, xattr: l.isXAttr, L) } }
        case .dirIndex(let d): d.withView { w.dirIndex(key, $0, L) }
        case .fileExtent(let f): w.fileExtent(key, f, L)
        case .root(let r): w.root(key, r, L)
        case .rootRef(let r): r.withView { r.isBackref ? w.rootBackref(key, $0, L) : w.rootRef(key, $0, L) }
        case .orphan:
            w.header(L, "OrphanItem", key)
            w.keyField(L, "objectid", key.offset, "offset")
        case .extent(let e):
            w.extent(key, ShortItemText.ExtentHead(e.refs, e.generation, e.flags), L)
            if let t = e.treeBlockInfo { w.treeBlockInfo(t, L) }
            w.inlineRefs(e.inlineRefs, data: e.flags == ExtentItem.flagData, L)
        case .metadata(let m):
            w.metadata(key, ShortItemText.ExtentHead(m.refs, m.generation, m.flags), L)
            w.inlineRefs(m.inlineRefs, data: false, L)
        case .treeBlockRef:
            w.header(L, "TreeBlockRef", key)
            w.keyField(L, "root", key.offset, "offset")
        case .sharedBlockRef:
            w.header(L, "SharedBlockRef", key)
            w.keyField(L, "parent", key.offset, "offset")
        case .extentDataRef(let d):
            w.header(L, "ExtentDataRef", key)
            w.field(L, "root", d.root)
            w.field(L, "objectid", d.objectid)
            w.field(L, "offset", d.offset)
            w.field(L, "count", d.count)
        case .sharedDataRef(let d):
            w.header(L, "SharedDataRef", key)
            w.keyField(L, "parent", key.offset, "offset")
            w.field(L, "count", d.count)
        case .blockGroup(let b): w.blockGroup(b, L)
        case .freeSpaceInfo(let f):
            w.header(L, "FreeSpaceInfo", key)
            w.keyField(L, "vaddr", key.objectID, "objectid")
            w.keySize(L, "length", key.offset, "offset")
            w.field(L, "extent_count", f.extentCount)
            w.flags(L, "flags", UInt64(f.flags), PythonFormat.freeSpaceInfoFlagNames)
        case .freeSpaceExtent:
            w.header(L, "FreeSpaceExtent", key)
            w.keyField(L, "vaddr", key.objectID, "objectid")
            w.keySize(L, "length", key.offset, "offset")
        case .freeSpaceBitmap(let b):
            w.header(L, "FreeSpaceBitmap", key)
            w.keyField(L, "vaddr", key.objectID, "objectid")
            w.keyField(L, "length", key.offset, "offset")
            out.indent(L); out.write("bitmap: "); out.write(b.bitmap.count); out.write(" bytes of data\n")
        case .devExtent(let d): w.devExtent(d, L)
        case .devItem(let d): w.devItem(d, L)
        case .chunk(let c): w.chunk(c, L)
        // What python-btrfs does not parse, in its style.
        case .extentCsum(let c): w.extentCsum(c, L)
        case .uuid(let u): w.uuid(u, L)
        case .qgroupStatus(let q): w.qgroupStatus(q, L)
        case .qgroupInfo(let q): w.qgroupInfo(q, L)
        case .qgroupLimit(let q): w.qgroupLimit(q, L)
        case .qgroupRelation(let q):
            w.header(L, "QgroupRelation", key)
            w.keyQgroup(L, "src", q.src, "objectid")
            w.keyQgroup(L, "dst", q.dst, "offset")
        case .devStats(let d): w.devStats(d, L)
        case .balance(let b): w.balance(b, L)
        case .devReplace(let d): w.devReplace(d, L)
        case .raidStripe(let s): w.raidStripe(s, L)
        case .verity(let v): w.verity(v, L)
        case .dirLog(let d):
            w.header(L, "DirLogItem", key)
            w.keyField(L, "objectid", key.objectID, "objectid")
            w.keyField(L, "start", key.offset, "offset")
            w.field(L, "end", d.end)
        case .string(let s):
            w.header(L, "StringItem", key)
            s.bytes.withUnsafeBytes { w.text(L, "data", $0) }
        case .raw:
            w.header(L, "UnknownItem", key)
        }
    }

    /// The long form of a block group item found by look-up rather than search.
    public static func writeBlockGroup(_ bg: BlockGroupItem, level: Int, to out: TextBuffer) {
        LongItemTextLines(out: out).blockGroup(bg, level)
    }
}

extension Item {
    /// python-btrfs's `pretty_print` of the item: its class and key, then every field.
    public var longText: String {
        let b = TextBuffer(capacity: 1024)
        LongItemText.write(self, level: 0, to: b)
        return b.text
    }
}
