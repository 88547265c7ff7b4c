/// The line shapes of python-btrfs's pretty printer.
struct LongItemTextLines {
    let out: TextBuffer

    func header(_ level: Int, _ cls: StaticString, _ key: Key?) {
        out.indent(level)
        out.write("<btrfs.ctree.")
        out.write(cls)
        if let key { out.write(byte: 32); key.write(to: out) }
        out.write(">\n")
    }

    func dash(_ level: Int) { out.indent(level); out.write("-\n") }
    func label(_ level: Int, _ name: StaticString) { out.writeLabel(indent: level, name, 58, 10) }   // "name:\n"

    func start(_ level: Int, _ name: StaticString) { out.writeLabel(indent: level, name, 58, 32) }   // "name: "

    func field<T: BinaryInteger>(_ level: Int, _ name: StaticString, _ v: T) {
        start(level, name); out.write(v); out.newline()
    }

    func keyField(_ level: Int, _ name: StaticString, _ v: UInt64, _ part: StaticString) {
        start(level, name); out.write(v); out.write(" (key "); out.write(part); out.write(")\n")
    }

    /// A qgroup id taken from the key: `level/subvolid (key offset)`.
    func keyQgroup(_ level: Int, _ name: StaticString, _ id: UInt64, _ part: StaticString) {
        start(level, name); Key.writeQgroup(id, to: out); out.write(" (key "); out.write(part); out.write(")\n")
    }

    /// python's `hex()` of a field: `0x..`.
    func hex(_ level: Int, _ name: StaticString, _ v: UInt64) {
        start(level, name); out.write("0x"); out.writeHex(v); out.newline()
    }

    func keySize(_ level: Int, _ name: StaticString, _ v: UInt64, _ part: StaticString) {
        start(level, name); PythonFormat.writePrettySize(v, to: out); out.write(" (key "); out.write(part); out.write(")\n")
    }

    func size(_ level: Int, _ name: StaticString, _ v: UInt64) {
        start(level, name); PythonFormat.writePrettySize(v, to: out); out.newline()
    }

    func name(_ level: Int, _ name: StaticString, _ v: StaticString) {
        start(level, name); out.write(v); out.newline()
    }

    func flags(_ level: Int, _ name: StaticString, _ v: UInt64, _ table: [(UInt64, StaticString)]) {
        start(level, name); PythonFormat.writeFlags(v, table, to: out); out.newline()
    }

    func keyValue(_ level: Int, _ name: StaticString, _ k: Key) {
        start(level, name); k.write(to: out); out.newline()
    }

    func uuid(_ level: Int, _ name: StaticString, _ u: BtrfsUUID) {
        start(level, name); u.write(to: out); out.newline()
    }

    func time(_ level: Int, _ name: StaticString, _ t: TimeSpec) {
        start(level, name); PythonText.writeTimeSpec(sec: t.sec, nsec: t.nsec, to: out); out.newline()
    }

    func text(_ level: Int, _ name: StaticString, _ bytes: UnsafeRawBufferPointer) {
        start(level, name); PythonText.writeEmbeddedText(bytes, to: out); out.newline()
    }

    func dirType(_ level: Int, _ t: UInt8) {
        start(level, "type"); ShortItemText.writeDirType(t, to: out); out.newline()
    }

    func inodeFields(_ i: InodeItem, _ L: Int) {
        field(L, "generation", i.generation)
        field(L, "transid", i.transid)
        field(L, "size", i.size)
        field(L, "nbytes", i.nbytes)
        field(L, "block_group", i.blockGroup)
        field(L, "nlink", i.nlink)
        field(L, "uid", i.uid)
        field(L, "gid", i.gid)
        start(L, "mode"); PythonFormat.writeInodeMode(i.mode, to: out); out.newline()
        field(L, "rdev", i.rdev)
        flags(L, "flags", i.flags, PythonFormat.inodeFlagNames)
        field(L, "sequence", i.sequence)
        time(L, "atime", i.atime)
        time(L, "ctime", i.ctime)
        time(L, "mtime", i.mtime)
        time(L, "otime", i.otime)
    }

    // The fs tree's items.

    func inodeRefList(_ key: Key, _ L: Int) {
        header(L, "InodeRefList", key)
        keyField(L, "objectid", key.objectID, "objectid")
        keyField(L, "parent_objectid", key.offset, "offset")
    }

    func inodeRef(index: UInt64, nameLen: UInt16, name: UnsafeRawBufferPointer, _ L: Int) {
        dash(L)
        header(L + 1, "InodeRef", nil)
        field(L + 1, "index", index)
        field(L + 1, "name_len", nameLen)
        text(L + 1, "name", name)
    }

    func inodeExtrefList(_ key: Key, _ L: Int) {
        header(L, "InodeExtrefList", key)
        keyField(L, "objectid", key.objectID, "objectid")
        keyField(L, "extref_hash", key.offset, "offset")
    }

    func inodeExtref(parent: UInt64, index: UInt64, nameLen: UInt16, name: UnsafeRawBufferPointer, _ L: Int) {
        dash(L)
        header(L + 1, "InodeExtref", nil)
        field(L + 1, "parent_objectid", parent)
        field(L + 1, "index", index)
        field(L + 1, "name_len", nameLen)
        text(L + 1, "name", name)
    }

    func dirItemList(_ key: Key, _ L: Int) {
        header(L, "DirItemList", key)
        keyField(L, "objectid", key.objectID, "objectid")
        keyField(L, "name_hash", key.offset, "offset")
    }

    func dirItem(_ d: DirItemView, xattr: Bool, _ L: Int) {
        dash(L)
        header(L + 1, xattr ? "XAttrItem" : "DirItem", nil)
        keyValue(L + 1, "location", d.location)
        field(L + 1, "transid", d.transid)
        field(L + 1, "data_len", d.dataLen)
        field(L + 1, "name_len", d.nameLen)
        dirType(L + 1, d.type)
        text(L + 1, "name", d.name)
        text(L + 1, "data", d.data)
    }

    func dirIndex(_ key: Key, _ d: DirItemView, _ L: Int) {
        header(L, "DirIndex", key)
        keyField(L, "objectid", key.objectID, "objectid")
        keyField(L, "index", key.offset, "offset")
        keyValue(L, "location", d.location)
        field(L, "transid", d.transid)
        field(L, "data_len", d.dataLen)
        field(L, "name_len", d.nameLen)
        dirType(L, d.type)
        text(L, "name", d.name)
    }

    func fileExtent(_ key: Key, _ f: FileExtentItem, _ L: Int) {
        header(L, "FileExtentItem", key)
        keyField(L, "objectid", key.objectID, "objectid")
        keyField(L, "logical_offset", key.offset, "offset")
        field(L, "generation", f.generation)
        field(L, "ram_bytes", f.ramBytes)
        name(L, "compression", PythonFormat.compressType(f.compression))
        field(L, "encryption", f.encryption)
        name(L, "type", PythonFormat.fileExtentType(f.type))
        if !f.isInline {
            field(L, "disk_bytenr", f.diskBytenr)
            field(L, "disk_num_bytes", f.diskNumBytes)
            field(L, "offset", f.offset)
            field(L, "num_bytes", f.numBytes)
        }
    }

    func root(_ key: Key, _ root: RootItem, _ L: Int) {
        header(L, "RootItem", key)
        keyField(L, "objectid", key.objectID, "objectid")
        label(L, "inode")
        header(L + 1, "InodeItem", nil)
        inodeFields(root.inode, L + 1)
        field(L, "generation", root.generation)
        field(L, "root_dirid", root.rootDirid)
        field(L, "bytenr", root.bytenr)
        field(L, "byte_limit", root.byteLimit)
        field(L, "bytes_used", root.bytesUsed)
        field(L, "last_snapshot", root.lastSnapshot)
        flags(L, "flags", root.flags, PythonFormat.rootFlagNames)
        field(L, "refs", root.refs)
        keyValue(L, "drop_progress", root.dropProgress)
        field(L, "drop_level", root.dropLevel)
        field(L, "level", root.level)
        field(L, "generation_v2", root.generationV2)
        field(L, "ctransid", root.ctransid)
        field(L, "otransid", root.otransid)
        field(L, "stransid", root.stransid)
        field(L, "rtransid", root.rtransid)
        uuid(L, "uuid", root.uuid)
        uuid(L, "parent_uuid", root.parentUUID)
        uuid(L, "received_uuid", root.receivedUUID)
        time(L, "ctime", root.ctime)
        time(L, "otime", root.otime)
        time(L, "stime", root.stime)
        time(L, "rtime", root.rtime)
    }

    func rootRef(_ key: Key, _ v: RootRefView, _ L: Int) {
        header(L, "RootRef", key)
        keyField(L, "parent_tree", key.objectID, "objectid")
        keyField(L, "tree", key.offset, "offset")
        rootRefFields(v, L)
    }

    /// python-btrfs does not parse ROOT_BACKREF; the same fields, named from the other side.
    func rootBackref(_ key: Key, _ v: RootRefView, _ L: Int) {
        header(L, "RootBackref", key)
        keyField(L, "tree", key.objectID, "objectid")
        keyField(L, "parent_tree", key.offset, "offset")
        rootRefFields(v, L)
    }

    func rootRefFields(_ v: RootRefView, _ L: Int) {
        field(L, "dirid", v.dirid)
        field(L, "sequence", v.sequence)
        field(L, "name_len", v.nameLen)
        text(L, "name", v.name)
    }

    // The extent tree's items.

    func extent(_ key: Key, _ h: ShortItemText.ExtentHead, _ L: Int) {
        header(L, "ExtentItem", key)
        keyField(L, "vaddr", key.objectID, "objectid")
        keyField(L, "length", key.offset, "offset")
        field(L, "refs", h.refs)
        field(L, "generation", h.generation)
        flags(L, "flags", h.flags, PythonFormat.extentFlagNames)
    }

    func treeBlockInfo(_ info: TreeBlockInfo, _ L: Int) {
        label(L, "tree_block_info")
        header(L + 1, "TreeBlockInfo", nil)
        keyValue(L + 1, "key", info.key)
        field(L + 1, "level", info.level)
    }

    func metadata(_ key: Key, _ h: ShortItemText.ExtentHead, _ L: Int) {
        header(L, "MetaDataItem", key)
        keyField(L, "vaddr", key.objectID, "objectid")
        keyField(L, "skinny_level", key.offset, "offset")
        field(L, "refs", h.refs)
        field(L, "generation", h.generation)
        flags(L, "flags", h.flags, PythonFormat.extentFlagNames)
    }

    /// The backref lists of an extent item, each under its attribute name, empty ones left out:
    /// from the item's bytes (three passes over them, no allocation) ...
    func inlineRefs(_ iterator: InlineRefIterator, _ L: Int) throws {
        for pass in 0..<3 {
            var it = iterator
            var first = true
            while let ref = try it.next() {
                guard ref.pythonGroup == pass else { continue }
                if first { refList(pass, data: iterator.data, L); first = false }
                inlineRef(ref, L)
            }
        }
    }

    /// ... or from a parsed item's lists.
    func inlineRefs(_ refs: [InlineRef], data: Bool, _ L: Int) {
        for pass in 0..<3 {
            var first = true
            for ref in refs where ref.pythonGroup == pass {
                if first { refList(pass, data: data, L); first = false }
                inlineRef(ref, L)
            }
        }
    }

    func refList(_ group: Int, data: Bool, _ L: Int) {
        let names: [StaticString] = data ? ["extent_data_refs", "shared_data_refs", "owner_refs"]
                                         : ["tree_block_refs", "shared_block_refs", "owner_refs"]
        label(L, names[group])
    }

    func inlineRef(_ ref: InlineRef, _ L: Int) {
        dash(L)
        switch ref {
        case .extentData(let d):
            header(L + 1, "InlineExtentDataRef", nil)
            field(L + 1, "root", d.root); field(L + 1, "objectid", d.objectid)
            field(L + 1, "offset", d.offset); field(L + 1, "count", d.count)
        case .sharedData(let s):
            header(L + 1, "InlineSharedDataRef", nil)
            field(L + 1, "parent", s.parent); field(L + 1, "count", s.count)
        case .treeBlock(let t):
            header(L + 1, "InlineTreeBlockRef", nil)
            field(L + 1, "root", t.root)
        case .sharedBlock(let s):
            header(L + 1, "InlineSharedBlockRef", nil)
            field(L + 1, "parent", s.parent)
        case .extentOwner(let root):
            header(L + 1, "InlineExtentOwnerRef", nil)
            field(L + 1, "root", root)
        }
    }
}
