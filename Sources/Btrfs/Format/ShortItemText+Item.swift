/// python-btrfs's short text of an already parsed `Item` (the same lines `ShortItemText.write(key:reader:)`
/// writes from the item's bytes; tests hold the two together).
extension ShortItemText {
    public static func write(_ item: Item, to out: TextBuffer) throws {
        switch item {
        case .inode(let i): writeInode(i, objectid: i.key?.objectID, to: out)
        case .inodeRef(let l):
            out.write("inode ref list objectid "); out.write(l.objectid)
            out.write(" parent_objectid "); out.write(l.parentObjectid)
            out.write(" size "); out.write(l.refs.count); out.newline()
            for r in l.refs {
                out.write("  inode ref index "); out.write(r.index)
                out.write(" name "); text(r.name, out); out.newline()
            }
        case .inodeExtref(let l):
            out.write("inode extref list objectid "); out.write(l.objectid)
            out.write(" hash "); out.write(l.extrefHash)
            out.write(" size "); out.write(l.refs.count); out.newline()
            for r in l.refs {
                out.write("  inode extref parent_objectid "); out.write(r.parentObjectid)
                out.write(" index "); out.write(r.index)
                out.write(" name "); text(r.name, out); out.newline()
            }
        case .dirItem(let l):
            out.write("dir item list objectid "); out.write(l.objectid)
            out.write(" name_hash "); out.write(l.nameHash)
            out.write(" size "); out.write(l.items.count); out.newline()
            for d in l.items {
                if l.isXAttr {
                    out.write("  xattr item name "); text(d.name, out)
                    out.write(" data "); text(d.data, out)
                } else {
                    out.write("  dir item location "); d.location.write(to: out)
                    out.write(" type "); try writeDirType(d.type, to: out)
                    out.write(" name "); text(d.name, out)
                }
                out.newline()
            }
        case .dirIndex(let d):
            out.write("dir index objectid "); out.write(d.objectid)
            out.write(" index "); out.write(d.index)
            out.write(" location "); d.location.write(to: out)
            out.write(" type "); try writeDirType(d.type, to: out)
            out.write(" name "); text(d.name, out); out.newline()
        case .fileExtent(let f): writeFileExtent(f, to: out)
        case .root(let r): writeRoot(r, to: out)
        case .rootRef(let r) where !r.isBackref:
            out.write("root ref parent_tree "); out.write(r.parentTree)
            out.write(" tree "); out.write(r.tree)
            out.write(" dirid "); out.write(r.dirid)
            out.write(" sequence "); out.write(r.sequence)
            out.write(" name "); text(r.name, out); out.newline()
        case .orphan(let o): out.write("orphan objectid "); out.write(o.objectid); out.newline()
        case .extent(let e):
            out.write("extent vaddr "); out.write(e.vaddr)
            out.write(" length "); out.write(e.length)
            out.write(" refs "); out.write(e.refs)
            out.write(" gen "); out.write(e.generation)
            out.write(" flags "); PythonFormat.writeFlags(e.flags, PythonFormat.extentFlagNames, to: out); out.newline()
            for d in e.extentDataRefs { writeRef(.extentData(d), to: out) }
            for s in e.sharedDataRefs { writeRef(.sharedData(s), to: out) }
            if let t = e.treeBlockInfo {
                out.write("  tree block key "); t.key.write(to: out)
                out.write(" level "); out.write(t.level); out.newline()
            }
            for t in e.treeBlockRefs { writeRef(.treeBlock(t), to: out) }
            for s in e.sharedBlockRefs { writeRef(.sharedBlock(s), to: out) }
            for r in e.ownerRefs { writeRef(.extentOwner(root: r), to: out) }
        case .metadata(let m):
            out.write("metadata vaddr "); out.write(m.vaddr)
            out.write(" refs "); out.write(m.refs)
            out.write(" gen "); out.write(m.generation)
            out.write(" flags "); PythonFormat.writeFlags(m.flags, PythonFormat.extentFlagNames, to: out)
            out.write(" skinny level "); out.write(m.skinnyLevel); out.newline()
            for t in m.treeBlockRefs { writeRef(.treeBlock(t), to: out) }
            for s in m.sharedBlockRefs { writeRef(.sharedBlock(s), to: out) }
            for r in m.ownerRefs { writeRef(.extentOwner(root: r), to: out) }
        case .treeBlockRef(let t): writeRef(.treeBlock(t), to: out)
        case .sharedBlockRef(let s): writeRef(.sharedBlock(s), to: out)
        case .extentDataRef(let d): writeRef(.extentData(d), to: out)
        case .sharedDataRef(let s): writeRef(.sharedData(s), to: out)
        case .blockGroup(let b): writeBlockGroup(b, to: out)
        case .freeSpaceInfo(let f): writeFreeSpaceInfo(f, to: out)
        case .freeSpaceExtent(let k): writeFreeSpaceExtent(FreeSpaceExtent(key: k), to: out)
        case .freeSpaceBitmap(let b): writeFreeSpaceBitmap(vaddr: b.vaddr, length: b.length, to: out)
        case .devExtent(let d): writeDevExtent(d, to: out)
        case .devItem(let d): writeDevItem(d, to: out)
        case .chunk(let c): writeChunk(c, to: out)
        case .raw(let r):
            try UnparsedItemText.writeShort(item, dataCount: r.bytes.count, to: out)
        default:
            try UnparsedItemText.writeShort(item, dataCount: 0, to: out)
        }
    }

    static func text(_ bytes: [UInt8], _ out: TextBuffer) {
        bytes.withUnsafeBytes { PythonText.writeEmbeddedText($0, to: out) }
    }

    /// A backref line: inline refs indented under their extent, keyed ones on their own.
    static func writeRef(_ ref: InlineRef, to out: TextBuffer) {
        switch ref {
        case .extentData(let d):
            out.write(d.key == nil ? "  inline extent data backref root " : "extent data backref root "); out.write(d.root)
            out.write(" objectid "); out.write(d.objectid)
            out.write(" offset "); out.write(d.offset)
            out.write(" count "); out.write(d.count)
        case .sharedData(let s):
            out.write(s.key == nil ? "  inline shared data backref parent " : "shared data backref parent "); out.write(s.parent)
            out.write(" count "); out.write(s.count)
        case .treeBlock(let t):
            out.write(t.key == nil ? "  inline tree block backref root " : "tree block backref root ")
            Key.writeObjectID(t.root, type: nil, to: out)
        case .sharedBlock(let s):
            out.write(s.key == nil ? "  inline shared block backref parent " : "shared block backref parent "); out.write(s.parent)
        case .extentOwner(let root):
            out.write("  inline extent owner ref root "); Key.writeObjectID(root, type: nil, to: out)
        }
        out.newline()
    }

    static func writeFileExtent(_ f: FileExtentItem, to out: TextBuffer) {
        out.write("extent data at "); out.write(f.logicalOffset)
        out.write(" generation "); out.write(f.generation)
        out.write(" ram_bytes "); out.write(f.ramBytes)
        out.write(" compression "); out.write(PythonFormat.compressType(f.compression))
        out.write(" type "); out.write(PythonFormat.fileExtentType(f.type))
        if f.isInline {
            out.write(" inline_encoded_nbytes "); out.write(f.inlineEncodedNbytes)
        } else {
            out.write(" disk_bytenr "); out.write(f.diskBytenr)
            out.write(" disk_num_bytes "); out.write(f.diskNumBytes)
            out.write(" offset "); out.write(f.offset)
            out.write(" num_bytes "); out.write(f.numBytes)
        }
        out.newline()
    }

    static func writeRoot(_ root: RootItem, to out: TextBuffer) {
        out.write("root "); out.write(root.objectid)
        out.write(" uuid "); root.uuid.write(to: out)
        out.write(" generation "); out.write(root.generation)
        out.write(" last_snapshot "); out.write(root.lastSnapshot)
        out.write(" flags 0x"); out.writeHex(root.flags)
        out.write(byte: UInt8(ascii: "(")); PythonFormat.writeFlags(root.flags, PythonFormat.rootFlagNames, to: out)
        out.write(")\n")
        out.indent(1)
        writeInode(root.inode, objectid: nil, to: out)
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
