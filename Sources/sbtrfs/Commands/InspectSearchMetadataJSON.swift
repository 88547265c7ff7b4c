import Btrfs

/// One JSON object per item: its key, python-btrfs's class name, and every parsed field under
/// kebab-case names; numbers as numbers, names as strings (or byte arrays when not UTF-8).
enum ItemJSON {
    static func write(_ item: Item, to out: TextBuffer) {
        var o = JSONObject(out: out)
        let key = item.key
        o.raw("key") { key.writeJSON(to: out) }
        o.string("key-text", key.description)
        switch item {
        case .inode(let i): o.string("item", "InodeItem"); inode(&o, i)
        case .inodeRef(let l):
            o.string("item", "InodeRefList")
            o.array("refs", l.refs) { r, o in o.num("index", r.index); o.num("name-len", r.nameLen); o.bytes("name", r.name) }
        case .inodeExtref(let l):
            o.string("item", "InodeExtrefList")
            o.array("refs", l.refs) { r, o in
                o.num("parent-objectid", r.parentObjectid); o.num("index", r.index)
                o.num("name-len", r.nameLen); o.bytes("name", r.name)
            }
        case .dirItem(let l):
            o.string("item", l.isXAttr ? "XAttrItemList" : "DirItemList")
            o.array("items", l.items) { d, o in dir(&o, d.location, d.transid, d.dataLen, d.nameLen, d.type, d.name); o.bytes("data", d.data) }
        case .dirIndex(let d): o.string("item", "DirIndex"); dir(&o, d.location, d.transid, d.dataLen, d.nameLen, d.type, d.name)
        case .fileExtent(let f):
            o.string("item", "FileExtentItem")
            o.num("generation", f.generation); o.num("ram-bytes", f.ramBytes); o.num("compression", f.compression)
            o.num("encryption", f.encryption); o.num("other-encoding", f.otherEncoding); o.num("type", f.type)
            if f.isInline { o.num("inline-encoded-nbytes", f.inlineEncodedNbytes) } else {
                o.num("disk-bytenr", f.diskBytenr); o.num("disk-num-bytes", f.diskNumBytes)
                o.num("offset", f.offset); o.num("num-bytes", f.numBytes)
            }
        case .root(let r):
            o.string("item", "RootItem")
            o.raw("inode") { var i = JSONObject(out: out); inode(&i, r.inode); i.close() }
            o.num("generation", r.generation); o.num("root-dirid", r.rootDirid); o.num("bytenr", r.bytenr)
            o.num("byte-limit", r.byteLimit); o.num("bytes-used", r.bytesUsed); o.num("last-snapshot", r.lastSnapshot)
            o.num("flags", r.flags); o.num("refs", r.refs)
            o.raw("drop-progress") { r.dropProgress.writeJSON(to: out) }
            o.num("drop-level", r.dropLevel); o.num("level", r.level)
            o.num("generation-v2", r.generationV2); o.string("uuid", r.uuid.description)
            o.string("parent-uuid", r.parentUUID.description); o.string("received-uuid", r.receivedUUID.description)
            o.num("ctransid", r.ctransid); o.num("otransid", r.otransid); o.num("stransid", r.stransid); o.num("rtransid", r.rtransid)
            time(&o, "ctime", r.ctime); time(&o, "otime", r.otime); time(&o, "stime", r.stime); time(&o, "rtime", r.rtime)
        case .rootRef(let r):
            o.string("item", r.isBackref ? "RootBackref" : "RootRef")
            o.num("parent-tree", r.parentTree); o.num("tree", r.tree); o.num("dirid", r.dirid)
            o.num("sequence", r.sequence); o.num("name-len", r.nameLen); o.bytes("name", r.name)
        case .orphan(let r): o.string("item", "OrphanItem"); o.num("objectid", r.objectid)
        case .extent(let e):
            o.string("item", "ExtentItem")
            o.num("refs", e.refs); o.num("generation", e.generation); o.num("flags", e.flags)
            if let t = e.treeBlockInfo {
                o.raw("tree-block-info") {
                    var i = JSONObject(out: out); i.raw("key") { t.key.writeJSON(to: out) }; i.num("level", t.level); i.close()
                }
            }
            refs(&o, e.extentDataRefs, e.sharedDataRefs, e.treeBlockRefs, e.sharedBlockRefs, e.ownerRefs)
        case .metadata(let m):
            o.string("item", "MetaDataItem")
            o.num("refs", m.refs); o.num("generation", m.generation); o.num("flags", m.flags)
            o.num("skinny-level", m.skinnyLevel)
            refs(&o, [], [], m.treeBlockRefs, m.sharedBlockRefs, m.ownerRefs)
        case .treeBlockRef(let r): o.string("item", "TreeBlockRef"); o.num("root", r.root)
        case .sharedBlockRef(let r): o.string("item", "SharedBlockRef"); o.num("parent", r.parent)
        case .extentDataRef(let d):
            o.string("item", "ExtentDataRef")
            o.num("root", d.root); o.num("objectid", d.objectid); o.num("offset", d.offset); o.num("count", d.count)
        case .sharedDataRef(let d): o.string("item", "SharedDataRef"); o.num("parent", d.parent); o.num("count", d.count)
        case .blockGroup(let b):
            o.string("item", "BlockGroupItem")
            o.num("vaddr", b.vaddr); o.num("length", b.length); o.num("used", b.used)
            o.num("chunk-objectid", b.chunkObjectid); o.num("flags", b.flags); o.num("used-pct", b.usedPercent)
        case .freeSpaceInfo(let f):
            o.string("item", "FreeSpaceInfo"); o.num("extent-count", f.extentCount); o.num("flags", f.flags)
        case .freeSpaceExtent(let k): o.string("item", "FreeSpaceExtent"); o.num("vaddr", k.objectID); o.num("length", k.offset)
        case .freeSpaceBitmap(let b): o.string("item", "FreeSpaceBitmap"); o.num("bitmap-bytes", b.bitmap.count)
        case .devExtent(let d):
            o.string("item", "DevExtent")
            o.num("devid", d.devid); o.num("paddr", d.paddr); o.num("chunk-tree", d.chunkTree)
            o.num("chunk-objectid", d.chunkObjectid); o.num("chunk-offset", d.chunkOffset); o.num("length", d.length)
            o.string("chunk-tree-uuid", d.chunkTreeUUID.description)
        case .devItem(let d):
            o.string("item", "DevItem")
            o.num("devid", d.devid); o.num("total-bytes", d.totalBytes); o.num("bytes-used", d.bytesUsed)
            o.num("io-align", d.ioAlign); o.num("io-width", d.ioWidth); o.num("sector-size", d.sectorSize)
            o.num("type", d.type); o.num("generation", d.generation); o.num("start-offset", d.startOffset)
            o.num("dev-group", d.devGroup); o.num("seek-speed", d.seekSpeed); o.num("bandwidth", d.bandwidth)
            o.string("uuid", d.uuid.description); o.string("fsid", d.fsid.description)
        case .chunk(let c):
            o.string("item", "Chunk")
            o.num("vaddr", c.vaddr); o.num("length", c.length); o.num("owner", c.owner); o.num("stripe-len", c.stripeLen)
            o.num("type", c.type); o.num("io-align", c.ioAlign); o.num("io-width", c.ioWidth)
            o.num("sector-size", c.sectorSize); o.num("num-stripes", c.numStripes); o.num("sub-stripes", c.subStripes)
            o.array("stripes", c.stripes) { s, o in o.num("devid", s.devid); o.num("offset", s.offset); o.string("dev-uuid", s.devUUID.description) }
        case .extentCsum(let c):
            o.string("item", "ExtentCsum"); o.num("bytenr", c.bytenr); o.num("csum-size", c.csumSize)
            o.raw("csums") {
                out.write("[")
                var hex: [UInt8] = []
                for i in 0..<c.count {
                    if i > 0 { out.write(", ") }
                    hex.removeAll(keepingCapacity: true)
                    for b in c.csum(i) { hex.append(hexDigit(b >> 4)); hex.append(hexDigit(b & 0xF)) }
                    hex.withUnsafeBufferPointer { JSONString.write(bytes: $0, to: out) }
                }
                out.write("]")
            }
        case .uuid(let u):
            o.string("item", u.isReceived ? "UUIDReceivedSubvolItem" : "UUIDSubvolItem")
            o.string("uuid", u.uuid.description)
            o.raw("subvol-ids") { out.write("["); for (i, v) in u.subvolIDs.enumerated() { if i > 0 { out.write(", ") }; out.write(v) }; out.write("]") }
        case .qgroupStatus(let q):
            o.string("item", "QgroupStatus"); o.num("version", q.version); o.num("generation", q.generation)
            o.num("flags", q.flags); o.num("rescan", q.rescan)
            if let e = q.enableGen { o.num("enable-gen", e) }
        case .qgroupInfo(let q):
            o.string("item", "QgroupInfo"); o.string("qgroupid", qgroupIDString(q.qgroupid)); o.num("generation", q.generation)
            o.num("rfer", q.rfer); o.num("rfer-cmpr", q.rferCmpr); o.num("excl", q.excl); o.num("excl-cmpr", q.exclCmpr)
        case .qgroupLimit(let q):
            o.string("item", "QgroupLimit"); o.string("qgroupid", qgroupIDString(q.qgroupid)); o.num("flags", q.flags)
            o.num("max-rfer", q.maxRfer); o.num("max-excl", q.maxExcl); o.num("rsv-rfer", q.rsvRfer); o.num("rsv-excl", q.rsvExcl)
        case .qgroupRelation(let q):
            o.string("item", "QgroupRelation"); o.string("src", qgroupIDString(q.src)); o.string("dst", qgroupIDString(q.dst))
        case .devStats(let d):
            o.string("item", "DevStats"); o.num("devid", d.devid)
            for (i, v) in d.values.enumerated() where i < DevStatsItem.names.count {
                o.num(DevStatsItem.names[i].replacingUnderscores, v)
            }
        case .balance(let b):
            o.string("item", "BalanceItem"); o.num("flags", b.flags)
            for (name, a) in [("data", b.data), ("meta", b.meta), ("sys", b.sys)] {
                o.raw(name) {
                    var i = JSONObject(out: out)
                    i.num("profiles", a.profiles); i.num("usage", a.usage); i.num("devid", a.devid)
                    i.num("pstart", a.pstart); i.num("pend", a.pend); i.num("vstart", a.vstart); i.num("vend", a.vend)
                    i.num("target", a.target); i.num("flags", a.flags); i.num("limit", a.limit)
                    i.num("stripes-min", a.stripesMin); i.num("stripes-max", a.stripesMax)
                    i.close()
                }
            }
        case .devReplace(let d):
            o.string("item", "DevReplaceItem"); o.num("src-devid", d.srcDevid); o.num("cursor-left", d.cursorLeft)
            o.num("cursor-right", d.cursorRight); o.num("cont-reading-from-srcdev-mode", d.contReadingFromSrcdevMode)
            o.num("replace-state", d.replaceState); o.num("time-started", d.timeStarted); o.num("time-stopped", d.timeStopped)
            o.num("num-write-errors", d.numWriteErrors); o.num("num-uncorrectable-read-errors", d.numUncorrectableReadErrors)
        case .raidStripe(let s):
            o.string("item", "RaidStripe")
            o.array("strides", s.strides) { st, o in o.num("devid", st.devid); o.num("physical", st.physical) }
        case .verity(let v):
            o.string("item", v.isMerkle ? "VerityMerkleItem" : "VerityDescItem")
            if let size = v.descriptorSize { o.num("size", size); o.num("encryption", v.encryption ?? 0) } else { o.num("data-bytes", v.bytes.count) }
        case .dirLog(let d): o.string("item", "DirLogItem"); o.num("end", d.end)
        case .string(let s): o.string("item", "StringItem"); o.bytes("data", s.bytes)
        case .raw(let r): o.string("item", "UnknownItem"); o.num("data-bytes", r.bytes.count)
        }
        o.close()
    }

    static func inode(_ o: inout JSONObject, _ i: InodeItem) {
        o.num("generation", i.generation); o.num("transid", i.transid); o.num("size", i.size); o.num("nbytes", i.nbytes)
        o.num("block-group", i.blockGroup); o.num("nlink", i.nlink); o.num("uid", i.uid); o.num("gid", i.gid)
        o.num("mode", i.mode); o.num("rdev", i.rdev); o.num("flags", i.flags); o.num("sequence", i.sequence)
        time(&o, "atime", i.atime); time(&o, "ctime", i.ctime); time(&o, "mtime", i.mtime); time(&o, "otime", i.otime)
    }

    static func time(_ o: inout JSONObject, _ name: String, _ t: TimeSpec) {
        let out = o.out
        o.raw(name) { var i = JSONObject(out: out); i.num("sec", t.sec); i.num("nsec", t.nsec); i.close() }
    }

    static func dir(_ o: inout JSONObject, _ location: Key, _ transid: UInt64, _ dataLen: UInt16, _ nameLen: UInt16, _ type: UInt8, _ name: [UInt8]) {
        let out = o.out
        o.raw("location") { location.writeJSON(to: out) }
        o.num("transid", transid); o.num("data-len", dataLen); o.num("name-len", nameLen); o.num("type", type)
        o.bytes("name", name)
    }

    static func refs(_ o: inout JSONObject, _ edr: [ExtentDataRef], _ sdr: [SharedDataRef], _ tbr: [TreeBlockRef],
                     _ sbr: [SharedBlockRef], _ owners: [UInt64]) {
        if !edr.isEmpty { o.array("extent-data-refs", edr) { d, o in
            o.bool("inline", d.key == nil); o.num("root", d.root); o.num("objectid", d.objectid); o.num("offset", d.offset); o.num("count", d.count) } }
        if !sdr.isEmpty { o.array("shared-data-refs", sdr) { d, o in o.bool("inline", d.key == nil); o.num("parent", d.parent); o.num("count", d.count) } }
        if !tbr.isEmpty { o.array("tree-block-refs", tbr) { d, o in o.bool("inline", d.key == nil); o.num("root", d.root) } }
        if !sbr.isEmpty { o.array("shared-block-refs", sbr) { d, o in o.bool("inline", d.key == nil); o.num("parent", d.parent) } }
        if !owners.isEmpty { o.array("owner-refs", owners) { r, o in o.num("root", r) } }
    }
}

/// A JSON object written field by field into a TextBuffer.
struct JSONObject {
    let out: TextBuffer
    var first = true

    init(out: TextBuffer) {
        self.out = out
        out.write("{")
    }

    mutating func name(_ k: String) {
        if !first { out.write(", ") }
        first = false
        JSONString.write(k, to: out)
        out.write(": ")
    }

    mutating func num<T: BinaryInteger>(_ k: String, _ v: T) { name(k); out.write(v) }
    mutating func bool(_ k: String, _ v: Bool) { name(k); out.write(v ? "true" : "false") }
    mutating func string(_ k: String, _ v: String) { name(k); JSONString.write(v, to: out) }
    mutating func raw(_ k: String, _ body: () -> Void) { name(k); body() }

    /// UTF-8 bytes as a JSON string; anything else as an array of byte values, losing nothing.
    mutating func bytes(_ k: String, _ v: [UInt8]) {
        name(k)
        if v.withUnsafeBytes({ PythonText.isValidUTF8($0) }) {
            v.withUnsafeBufferPointer { JSONString.write(bytes: $0, to: out) }
        } else {
            out.write("[")
            for (i, b) in v.enumerated() { if i > 0 { out.write(", ") }; out.write(b) }
            out.write("]")
        }
    }

    mutating func array<T>(_ k: String, _ values: [T], _ body: (T, inout JSONObject) -> Void) {
        name(k)
        out.write("[")
        for (i, v) in values.enumerated() {
            if i > 0 { out.write(", ") }
            var o = JSONObject(out: out)
            body(v, &o)
            o.close()
        }
        out.write("]")
    }

    func close() { out.write("}") }
}

private func hexDigit(_ nibble: UInt8) -> UInt8 { nibble < 10 ? nibble + 48 : nibble + 87 }

extension Key {
    func writeJSON(to out: TextBuffer) {
        var o = JSONObject(out: out)
        o.num("objectid", objectID); o.num("type", type); o.num("offset", offset)
        o.close()
    }
}

extension String {
    var replacingUnderscores: String { String(map { $0 == "_" ? "-" : $0 }) }
}
