/// The line shapes of python-btrfs's short item text, one function each, used by both entries
/// of `ShortItemText` (from bytes and from parsed items).
extension ShortItemText {
    /// The fixed start of EXTENT_ITEM and METADATA_ITEM.
    struct ExtentHead {
        var refs, generation, flags: UInt64
        init(_ refs: UInt64, _ generation: UInt64, _ flags: UInt64) {
            self.refs = refs; self.generation = generation; self.flags = flags
        }
        init(reader r: inout ItemReader) throws {
            self.init(try r.readU64(), try r.readU64(), try r.readU64())
        }
    }

    static func count<C: ThrowingCursor>(_ cursor: C) throws -> Int {
        var c = cursor
        var n = 0
        while try c.next() != nil { n += 1 }
        return n
    }

    static func inodeRefList(objectid: UInt64, parent: UInt64, size: Int, to out: TextBuffer) {
        out.write("inode ref list objectid "); out.write(objectid)
        out.write(" parent_objectid "); out.write(parent)
        out.write(" size "); out.write(size); out.newline()
    }

    static func inodeRef(index: UInt64, name: UnsafeRawBufferPointer, to out: TextBuffer) {
        out.write("  inode ref index "); out.write(index)
        out.write(" name "); PythonText.writeEmbeddedText(name, to: out); out.newline()
    }

    static func inodeExtrefList(objectid: UInt64, hash: UInt64, size: Int, to out: TextBuffer) {
        out.write("inode extref list objectid "); out.write(objectid)
        out.write(" hash "); out.write(hash)
        out.write(" size "); out.write(size); out.newline()
    }

    static func inodeExtref(parent: UInt64, index: UInt64, name: UnsafeRawBufferPointer, to out: TextBuffer) {
        out.write("  inode extref parent_objectid "); out.write(parent)
        out.write(" index "); out.write(index)
        out.write(" name "); PythonText.writeEmbeddedText(name, to: out); out.newline()
    }

    static func dirItemList(objectid: UInt64, nameHash: UInt64, size: Int, to out: TextBuffer) {
        out.write("dir item list objectid "); out.write(objectid)
        out.write(" name_hash "); out.write(nameHash)
        out.write(" size "); out.write(size); out.newline()
    }

    static func dirItem(_ d: DirItemView, xattr: Bool, to out: TextBuffer) {
        if xattr {
            out.write("  xattr item name "); PythonText.writeEmbeddedText(d.name, to: out)
            out.write(" data "); PythonText.writeEmbeddedText(d.data, to: out)
        } else {
            out.write("  dir item location "); d.location.write(to: out)
            out.write(" type "); writeDirType(d.type, to: out)
            out.write(" name "); PythonText.writeEmbeddedText(d.name, to: out)
        }
        out.newline()
    }

    static func dirIndex(objectid: UInt64, index: UInt64, _ d: DirItemView, to out: TextBuffer) {
        out.write("dir index objectid "); out.write(objectid)
        out.write(" index "); out.write(index)
        out.write(" location "); d.location.write(to: out)
        out.write(" type "); writeDirType(d.type, to: out)
        out.write(" name "); PythonText.writeEmbeddedText(d.name, to: out); out.newline()
    }

    /// python-btrfs dies with KeyError for a type past FT_XATTR; a number is more useful.
    static func writeDirType(_ t: UInt8, to out: TextBuffer) {
        if let name = PythonFormat.dirItemType(t) { out.write(name) } else { out.write(t) }
    }

    static func rootRef(parentTree: UInt64, tree: UInt64, _ v: RootRefView, to out: TextBuffer) {
        out.write("root ref parent_tree "); out.write(parentTree)
        out.write(" tree "); out.write(tree)
        out.write(" dirid "); out.write(v.dirid)
        out.write(" sequence "); out.write(v.sequence)
        out.write(" name "); PythonText.writeEmbeddedText(v.name, to: out); out.newline()
    }

    static func rootBackref(tree: UInt64, parentTree: UInt64, _ v: RootRefView, to out: TextBuffer) {
        out.write("root backref tree "); out.write(tree)
        out.write(" parent_tree "); out.write(parentTree)
        out.write(" dirid "); out.write(v.dirid)
        out.write(" sequence "); out.write(v.sequence)
        out.write(" name "); PythonText.writeEmbeddedText(v.name, to: out); out.newline()
    }

    static func orphan(_ o: OrphanItem, to out: TextBuffer) {
        out.write("orphan objectid "); out.write(o.objectid); out.newline()
    }

    static func extent(vaddr: UInt64, length: UInt64, _ h: ExtentHead, to out: TextBuffer) {
        out.write("extent vaddr "); out.write(vaddr)
        out.write(" length "); out.write(length)
        out.write(" refs "); out.write(h.refs)
        out.write(" gen "); out.write(h.generation)
        out.write(" flags "); PythonFormat.writeFlags(h.flags, PythonFormat.extentFlagNames, to: out); out.newline()
    }

    static func metadata(vaddr: UInt64, skinnyLevel: UInt64, _ h: ExtentHead, to out: TextBuffer) {
        out.write("metadata vaddr "); out.write(vaddr)
        out.write(" refs "); out.write(h.refs)
        out.write(" gen "); out.write(h.generation)
        out.write(" flags "); PythonFormat.writeFlags(h.flags, PythonFormat.extentFlagNames, to: out)
        out.write(" skinny level "); out.write(skinnyLevel); out.newline()
    }

    static func treeBlockInfo(_ info: TreeBlockInfo, to out: TextBuffer) {
        out.write("  tree block key "); info.key.write(to: out)
        out.write(" level "); out.write(info.level); out.newline()
    }

    /// The inline refs of an extent read from its bytes, in `ExtentItem.inlineRefs` order.
    static func inlineRefs(_ iterator: InlineRefIterator, to out: TextBuffer) throws {
        for pass in 0..<3 {
            var it = iterator
            while let r = try it.next() {
                if r.pythonGroup == pass { ref(r, to: out) }
            }
        }
    }

    /// A backref line: inline refs indented under their extent, keyed ones on their own.
    static func ref(_ ref: InlineRef, to out: TextBuffer) {
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

    /// `str(InodeItem)`; objectid only when the inode has a key (not inside a root item).
    static func inode(_ i: InodeItem, objectid: UInt64?, to out: TextBuffer) {
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

    static func fileExtent(_ f: FileExtentItem, to out: TextBuffer) {
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

    static func root(_ root: RootItem, to out: TextBuffer) {
        out.write("root "); out.write(root.objectid)
        out.write(" uuid "); root.uuid.write(to: out)
        out.write(" generation "); out.write(root.generation)
        out.write(" last_snapshot "); out.write(root.lastSnapshot)
        out.write(" flags 0x"); out.writeHex(root.flags)
        out.write(byte: UInt8(ascii: "(")); PythonFormat.writeFlags(root.flags, PythonFormat.rootFlagNames, to: out)
        out.write(")\n")
        out.indent(1)
        inode(root.inode, objectid: nil, to: out)
    }
}
