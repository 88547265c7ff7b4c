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
    func label(_ level: Int, _ name: StaticString) { out.indent(level); out.write(name); out.write(":\n") }

    func start(_ level: Int, _ name: StaticString) {
        out.indent(level); out.write(name); out.write(": ")
    }

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

    func dirType(_ level: Int, _ t: UInt8) throws {
        start(level, "type"); try ShortItemText.writeDirType(t, to: out); out.newline()
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

    /// The backref lists of an extent item, each under its attribute name, empty ones left out.
    func inlineRefs(_ iterator: InlineRefIterator, _ L: Int) throws {
        let names: [StaticString] = iterator.data ? ["extent_data_refs", "shared_data_refs", "owner_refs"]
                                                  : ["tree_block_refs", "shared_block_refs", "owner_refs"]
        for pass in 0..<3 {
            var it = iterator
            var first = true
            while let ref = try it.next() {
                guard ref.pythonGroup == pass else { continue }
                if first { label(L, names[pass]); first = false }
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
    }

    func blockGroup(_ bg: BlockGroupItem, _ L: Int) {
        header(L, "BlockGroupItem", bg.key)
        keyField(L, "vaddr", bg.vaddr, "objectid")
        keySize(L, "length", bg.length, "offset")
        size(L, "used", bg.used)
        field(L, "chunk_objectid", bg.chunkObjectid)
        flags(L, "flags", bg.flags, PythonFormat.blockGroupFlagNames)
    }

    func devExtent(_ d: DevExtent, _ L: Int) {
        header(L, "DevExtent", d.key)
        keyField(L, "devid", d.devid, "objectid")
        keyField(L, "paddr", d.paddr, "offset")
        field(L, "chunk_tree", d.chunkTree)
        field(L, "chunk_objectid", d.chunkObjectid)
        field(L, "chunk_offset", d.chunkOffset)
        size(L, "length", d.length)
        uuid(L, "chunk_tree_uuid", d.chunkTreeUUID)
    }

    func devItem(_ d: DevItem, _ L: Int) {
        header(L, "DevItem", d.key)
        field(L, "devid", d.devid)
        field(L, "total_bytes", d.totalBytes)
        field(L, "bytes_used", d.bytesUsed)
        field(L, "io_align", d.ioAlign)
        field(L, "io_width", d.ioWidth)
        field(L, "sector_size", d.sectorSize)
        field(L, "type", d.type)
        field(L, "generation", d.generation)
        field(L, "start_offset", d.startOffset)
        field(L, "dev_group", d.devGroup)
        field(L, "seek_speed", d.seekSpeed)
        field(L, "bandwidth", d.bandwidth)
        uuid(L, "uuid", d.uuid)
        uuid(L, "fsid", d.fsid)
    }

    func chunk(_ c: Chunk, _ L: Int) {
        header(L, "Chunk", c.key)
        keyField(L, "vaddr", c.vaddr, "offset")
        size(L, "length", c.length)
        field(L, "owner", c.owner)
        size(L, "stripe_len", c.stripeLen)
        flags(L, "type", c.type, PythonFormat.blockGroupFlagNames)
        size(L, "io_align", UInt64(c.ioAlign))
        size(L, "io_width", UInt64(c.ioWidth))
        size(L, "sector_size", UInt64(c.sectorSize))
        field(L, "num_stripes", c.numStripes)
        field(L, "sub_stripes", c.subStripes)
        if !c.stripes.isEmpty {
            label(L, "stripes")
            for s in c.stripes {
                dash(L)
                header(L + 1, "Stripe", nil)
                field(L + 1, "devid", s.devid)
                field(L + 1, "offset", s.offset)
                uuid(L + 1, "uuid", s.devUUID)
            }
        }
    }
}
