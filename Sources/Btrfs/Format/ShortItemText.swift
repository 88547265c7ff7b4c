/// python-btrfs's short item text (`btrfs.utils.str_print`): each item's `str()`, and indented
/// below it the `str()` of what it holds (stripes, inline refs, names, the root's inode).
///
/// One renderer: `write(_ item:)` is the one place each item type's lines are chosen, and each
/// line shape is one function (ShortItemTextLines.swift). `write(key:reader:)` writes the same
/// lines from an item's bytes: the types whose parsed form holds arrays (names, inline backrefs)
/// are read there as views into the bytes, so a tree dump allocates nothing per item; every other
/// type is parsed into `Item` and goes through the one switch.
public enum ShortItemText {
    /// Writes the short form of one item (one or more lines, each ending in a newline).
    /// `unparsedAsPython`: print what python-btrfs does not parse as it does (`not implemented item data (N bytes)`).
    public static func write(key: Key, reader: ItemReader, csumSize: Int = 4, unparsedAsPython: Bool = false,
                             to out: TextBuffer) throws {
        switch key.itemType {
        case .inodeRef:
            inodeRefList(objectid: key.objectID, parent: key.offset, size: try count(InodeRefIterator(reader: reader)), to: out)
            var it = InodeRefIterator(reader: reader)
            while let e = try it.next() { inodeRef(index: e.index, name: e.name, to: out) }
        case .inodeExtref:
            inodeExtrefList(objectid: key.objectID, hash: key.offset, size: try count(InodeExtrefIterator(reader: reader)), to: out)
            var it = InodeExtrefIterator(reader: reader)
            while let e = try it.next() { inodeExtref(parent: e.parentObjectid, index: e.index, name: e.name, to: out) }
        case .dirItem, .xattrItem:
            var r = reader
            var count = 0
            while r.remaining > 0 { _ = try DirItemView(reader: &r); count += 1 }
            dirItemList(objectid: key.objectID, nameHash: key.offset, size: count, to: out)
            r = reader
            while r.remaining > 0 { dirItem(try DirItemView(reader: &r), xattr: key.itemType == .xattrItem, to: out) }
        case .dirIndex:
            var r = reader
            r.context = "DIR_INDEX"
            dirIndex(objectid: key.objectID, index: key.offset, try DirItemView(reader: &r, readData: false), to: out)
        case .rootRef:
            rootRef(parentTree: key.objectID, tree: key.offset, try RootRefView(reader: reader), to: out)
        case .extentItem:
            var r = reader
            r.context = "EXTENT_ITEM"
            let head = try ExtentHead(reader: &r)
            extent(vaddr: key.objectID, length: key.offset, head, to: out)
            if head.flags == ExtentItem.flagData {
                try inlineRefs(InlineRefIterator(reader: r, data: true), to: out)
            } else if head.flags & ExtentItem.flagTreeBlock != 0 {
                treeBlockInfo(try TreeBlockInfo(reader: &r), to: out)
                try inlineRefs(InlineRefIterator(reader: r, data: false), to: out)
            }
        case .metadataItem:
            var r = reader
            r.context = "METADATA_ITEM"
            metadata(vaddr: key.objectID, skinnyLevel: key.offset, try ExtentHead(reader: &r), to: out)
            try inlineRefs(InlineRefIterator(reader: r, data: false), to: out)
        default:
            if unparsedAsPython, let cls = UnparsedItemText.pythonUnparsedClass(key) {
                UnparsedItemText.writePythonUnparsed(key, cls, dataCount: reader.count, long: false, level: 0, to: out)
                return
            }
            try write(Item(key: key, reader: reader, csumSize: csumSize), to: out)
        }
    }

    /// Writes the short form of a parsed item: the one place each item type's lines are chosen.
    public static func write(_ item: Item, to out: TextBuffer) throws {
        switch item {
        case .inode(let i): inode(i, objectid: i.key?.objectID, to: out)
        case .inodeRef(let l):
            inodeRefList(objectid: l.objectid, parent: l.parentObjectid, size: l.refs.count, to: out)
            for r in l.refs { r.name.withUnsafeBytes { inodeRef(index: r.index, name: $0, to: out) } }
        case .inodeExtref(let l):
            inodeExtrefList(objectid: l.objectid, hash: l.extrefHash, size: l.refs.count, to: out)
            for r in l.refs { r.name.withUnsafeBytes { inodeExtref(parent: r.parentObjectid, index: r.index, name: $0, to: out) } }
        case .dirItem(let l):
            dirItemList(objectid: l.objectid, nameHash: l.nameHash, size: l.items.count, to: out)
            for d in l.items { d.withView { dirItem($0, xattr: l.isXAttr, to: out) } }
        case .dirIndex(let d): d.withView { dirIndex(objectid: d.objectid, index: d.index, $0, to: out) }
        case .fileExtent(let f): fileExtent(f, to: out)
        case .root(let r): root(r, to: out)
        case .rootRef(let r):
            r.withView { r.isBackref ? rootBackref(tree: r.tree, parentTree: r.parentTree, $0, to: out)
                                     : rootRef(parentTree: r.parentTree, tree: r.tree, $0, to: out) }
        case .orphan(let o): orphan(o, to: out)
        case .extent(let e):
            extent(vaddr: e.vaddr, length: e.length, ExtentHead(e.refs, e.generation, e.flags), to: out)
            if let t = e.treeBlockInfo { treeBlockInfo(t, to: out) }
            for ref in e.inlineRefs { self.ref(ref, to: out) }
        case .metadata(let m):
            metadata(vaddr: m.vaddr, skinnyLevel: m.skinnyLevel, ExtentHead(m.refs, m.generation, m.flags), to: out)
            for ref in m.inlineRefs { self.ref(ref, to: out) }
        case .treeBlockRef(let t): ref(.treeBlock(t), to: out)
        case .sharedBlockRef(let s): ref(.sharedBlock(s), to: out)
        case .extentDataRef(let d): ref(.extentData(d), to: out)
        case .sharedDataRef(let s): ref(.sharedData(s), to: out)
        case .blockGroup(let b): writeBlockGroup(b, to: out)
        case .freeSpaceInfo(let f): writeFreeSpaceInfo(f, to: out)
        case .freeSpaceExtent(let k): writeFreeSpaceExtent(FreeSpaceExtent(key: k), to: out)
        case .freeSpaceBitmap(let b): freeSpaceBitmap(b, to: out)   // the bitmap itself is not printed
        case .devExtent(let d): writeDevExtent(d, to: out)
        case .devItem(let d): writeDevItem(d, to: out)
        case .chunk(let c): writeChunk(c, to: out)
        // What python-btrfs does not parse, in its style.
        case .extentCsum(let c): extentCsum(c, to: out)
        case .uuid(let u): uuid(u, to: out)
        case .qgroupStatus(let q): qgroupStatus(q, to: out)
        case .qgroupInfo(let q): qgroupInfo(q, to: out)
        case .qgroupLimit(let q): qgroupLimit(q, to: out)
        case .qgroupRelation(let q): qgroupRelation(q, to: out)
        case .devStats(let d): devStats(d, to: out)
        case .balance(let b): balance(b, to: out)
        case .devReplace(let d): devReplace(d, to: out)
        case .raidStripe(let s): raidStripe(s, to: out)
        case .verity(let v): verity(v, to: out)
        case .dirLog(let d): dirLog(d, to: out)
        case .string(let s): string(s, to: out)
        case .raw(let r): out.write("unknown item data ("); out.write(r.bytes.count); out.write(" bytes)\n")
        }
    }
}

extension Item: CustomStringConvertible {
    /// python-btrfs's `str()` of the item: the first line of its short form.
    public var description: String { String(shortText.prefix { $0 != "\n" }) }

    /// python-btrfs's `str_print` lines of the item (its str() and those of what it holds).
    public var shortText: String {
        let b = TextBuffer(capacity: 256)
        do { try ShortItemText.write(self, to: b) } catch { return "\(key)\n" }
        return b.text
    }
}
