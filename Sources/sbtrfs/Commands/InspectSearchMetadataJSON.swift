import Btrfs

/// One JSON object per item: its key, python-btrfs's class name, and every parsed field under
/// kebab-case names; numbers as numbers, names as strings (or byte arrays when not UTF-8).
enum ItemJSON {
    /// The item as one compact element of the array `json` is in.
    static func write(_ item: Item, to o: inout JSONWriter) {
        o.beginGroup(nil, .map, compact: true)
        let key = item.key
        write(key, as: "key", to: &o)
        o.string("key-text", key.description)
        switch item {
        case .inode(let i): o.string("item", "InodeItem"); inode(&o, i)
        case .inodeRef(let l):
            o.string("item", "InodeRefList")
            o.objects("refs", l.refs) { r, o in o.number("index", r.index); o.number("name-len", r.nameLen); o.bytes("name", r.name) }
        case .inodeExtref(let l):
            o.string("item", "InodeExtrefList")
            o.objects("refs", l.refs) { r, o in
                o.number("parent-objectid", r.parentObjectid); o.number("index", r.index)
                o.number("name-len", r.nameLen); o.bytes("name", r.name)
            }
        case .dirItem(let l):
            o.string("item", l.isXAttr ? "XAttrItemList" : "DirItemList")
            o.objects("items", l.items) { d, o in dir(&o, d.location, d.transid, d.dataLen, d.nameLen, d.type, d.name); o.bytes("data", d.data) }
        case .dirIndex(let d): o.string("item", "DirIndex"); dir(&o, d.location, d.transid, d.dataLen, d.nameLen, d.type, d.name)
        case .fileExtent(let f):
            o.string("item", "FileExtentItem")
            o.number("generation", f.generation); o.number("ram-bytes", f.ramBytes); o.number("compression", f.compression)
            o.number("encryption", f.encryption); o.number("other-encoding", f.otherEncoding); o.number("type", f.type)
            if f.isInline { o.number("inline-encoded-nbytes", f.inlineEncodedNbytes) } else {
                o.number("disk-bytenr", f.diskBytenr); o.number("disk-num-bytes", f.diskNumBytes)
                o.number("offset", f.offset); o.number("num-bytes", f.numBytes)
            }
        case .root(let r):
            o.string("item", "RootItem")
            o.beginGroup("inode", .map); inode(&o, r.inode); o.endGroup()
            o.number("generation", r.generation); o.number("root-dirid", r.rootDirid); o.number("bytenr", r.bytenr)
            o.number("byte-limit", r.byteLimit); o.number("bytes-used", r.bytesUsed); o.number("last-snapshot", r.lastSnapshot)
            o.number("flags", r.flags); o.number("refs", r.refs)
            write(r.dropProgress, as: "drop-progress", to: &o)
            o.number("drop-level", r.dropLevel); o.number("level", r.level)
            o.number("generation-v2", r.generationV2); o.string("uuid", r.uuid.description)
            o.string("parent-uuid", r.parentUUID.description); o.string("received-uuid", r.receivedUUID.description)
            o.number("ctransid", r.ctransid); o.number("otransid", r.otransid); o.number("stransid", r.stransid); o.number("rtransid", r.rtransid)
            time(&o, "ctime", r.ctime); time(&o, "otime", r.otime); time(&o, "stime", r.stime); time(&o, "rtime", r.rtime)
        case .rootRef(let r):
            o.string("item", r.isBackref ? "RootBackref" : "RootRef")
            o.number("parent-tree", r.parentTree); o.number("tree", r.tree); o.number("dirid", r.dirid)
            o.number("sequence", r.sequence); o.number("name-len", r.nameLen); o.bytes("name", r.name)
        case .orphan(let r): o.string("item", "OrphanItem"); o.number("objectid", r.objectid)
        case .extent(let e):
            o.string("item", "ExtentItem")
            o.number("refs", e.refs); o.number("generation", e.generation); o.number("flags", e.flags)
            if let t = e.treeBlockInfo {
                o.beginGroup("tree-block-info", .map); write(t.key, as: "key", to: &o); o.number("level", t.level); o.endGroup()
            }
            refs(&o, e.extentDataRefs, e.sharedDataRefs, e.treeBlockRefs, e.sharedBlockRefs, e.ownerRefs)
        case .metadata(let m):
            o.string("item", "MetaDataItem")
            o.number("refs", m.refs); o.number("generation", m.generation); o.number("flags", m.flags)
            o.number("skinny-level", m.skinnyLevel)
            refs(&o, [], [], m.treeBlockRefs, m.sharedBlockRefs, m.ownerRefs)
        case .treeBlockRef(let r): o.string("item", "TreeBlockRef"); o.number("root", r.root)
        case .sharedBlockRef(let r): o.string("item", "SharedBlockRef"); o.number("parent", r.parent)
        case .extentDataRef(let d):
            o.string("item", "ExtentDataRef")
            o.number("root", d.root); o.number("objectid", d.objectid); o.number("offset", d.offset); o.number("count", d.count)
        case .sharedDataRef(let d): o.string("item", "SharedDataRef"); o.number("parent", d.parent); o.number("count", d.count)
        case .blockGroup(let b):
            o.string("item", "BlockGroupItem")
            o.number("vaddr", b.vaddr); o.number("length", b.length); o.number("used", b.used)
            o.number("chunk-objectid", b.chunkObjectid); o.number("flags", b.flags); o.number("used-pct", b.usedPercent)
        case .freeSpaceInfo(let f):
            o.string("item", "FreeSpaceInfo"); o.number("extent-count", f.extentCount); o.number("flags", f.flags)
        case .freeSpaceExtent(let k): o.string("item", "FreeSpaceExtent"); o.number("vaddr", k.objectID); o.number("length", k.offset)
        case .freeSpaceBitmap(let b): o.string("item", "FreeSpaceBitmap"); o.number("bitmap-bytes", b.bitmap.count)
        case .devExtent(let d):
            o.string("item", "DevExtent")
            o.number("devid", d.devid); o.number("paddr", d.paddr); o.number("chunk-tree", d.chunkTree)
            o.number("chunk-objectid", d.chunkObjectid); o.number("chunk-offset", d.chunkOffset); o.number("length", d.length)
            o.string("chunk-tree-uuid", d.chunkTreeUUID.description)
        case .devItem(let d):
            o.string("item", "DevItem")
            o.number("devid", d.devid); o.number("total-bytes", d.totalBytes); o.number("bytes-used", d.bytesUsed)
            o.number("io-align", d.ioAlign); o.number("io-width", d.ioWidth); o.number("sector-size", d.sectorSize)
            o.number("type", d.type); o.number("generation", d.generation); o.number("start-offset", d.startOffset)
            o.number("dev-group", d.devGroup); o.number("seek-speed", d.seekSpeed); o.number("bandwidth", d.bandwidth)
            o.string("uuid", d.uuid.description); o.string("fsid", d.fsid.description)
        case .chunk(let c):
            o.string("item", "Chunk")
            o.number("vaddr", c.vaddr); o.number("length", c.length); o.number("owner", c.owner); o.number("stripe-len", c.stripeLen)
            o.number("type", c.type); o.number("io-align", c.ioAlign); o.number("io-width", c.ioWidth)
            o.number("sector-size", c.sectorSize); o.number("num-stripes", c.numStripes); o.number("sub-stripes", c.subStripes)
            o.objects("stripes", c.stripes) { s, o in o.number("devid", s.devid); o.number("offset", s.offset); o.string("dev-uuid", s.devUUID.description) }
        case .extentCsum(let c):
            o.string("item", "ExtentCsum"); o.number("bytenr", c.bytenr); o.number("csum-size", c.csumSize)
            o.beginGroup("csums", .array)
            var hex: [UInt8] = []
            for i in 0..<c.count {
                hex.removeAll(keepingCapacity: true)
                for b in c.csum(i) { hex.append(hexDigit(b >> 4)); hex.append(hexDigit(b & 0xF)) }
                o.bytes(nil, hex)
            }
            o.endGroup()
        case .uuid(let u):
            o.string("item", u.isReceived ? "UUIDReceivedSubvolItem" : "UUIDSubvolItem")
            o.string("uuid", u.uuid.description)
            o.beginGroup("subvol-ids", .array); for v in u.subvolIDs { o.number(nil, v) }; o.endGroup()
        case .qgroupStatus(let q):
            o.string("item", "QgroupStatus"); o.number("version", q.version); o.number("generation", q.generation)
            o.number("flags", q.flags); o.number("rescan", q.rescan)
            if let e = q.enableGen { o.number("enable-gen", e) }
        case .qgroupInfo(let q):
            o.string("item", "QgroupInfo"); o.string("qgroupid", qgroupIDString(q.qgroupid)); o.number("generation", q.generation)
            o.number("rfer", q.rfer); o.number("rfer-cmpr", q.rferCmpr); o.number("excl", q.excl); o.number("excl-cmpr", q.exclCmpr)
        case .qgroupLimit(let q):
            o.string("item", "QgroupLimit"); o.string("qgroupid", qgroupIDString(q.qgroupid)); o.number("flags", q.flags)
            o.number("max-rfer", q.maxRfer); o.number("max-excl", q.maxExcl); o.number("rsv-rfer", q.rsvRfer); o.number("rsv-excl", q.rsvExcl)
        case .qgroupRelation(let q):
            o.string("item", "QgroupRelation"); o.string("src", qgroupIDString(q.src)); o.string("dst", qgroupIDString(q.dst))
        case .devStats(let d):
            o.string("item", "DevStats"); o.number("devid", d.devid)
            for (i, v) in d.values.enumerated() where i < DevStatsItem.names.count {
                o.number(DevStatsItem.names[i].replacingUnderscores, v)
            }
        case .balance(let b):
            o.string("item", "BalanceItem"); o.number("flags", b.flags)
            for (name, a) in [("data", b.data), ("meta", b.meta), ("sys", b.sys)] {
                o.beginGroup(name, .map)
                o.number("profiles", a.profiles); o.number("usage", a.usage); o.number("devid", a.devid)
                o.number("pstart", a.pstart); o.number("pend", a.pend); o.number("vstart", a.vstart); o.number("vend", a.vend)
                o.number("target", a.target); o.number("flags", a.flags); o.number("limit", a.limit)
                o.number("stripes-min", a.stripesMin); o.number("stripes-max", a.stripesMax)
                o.endGroup()
            }
        case .devReplace(let d):
            o.string("item", "DevReplaceItem"); o.number("src-devid", d.srcDevid); o.number("cursor-left", d.cursorLeft)
            o.number("cursor-right", d.cursorRight); o.number("cont-reading-from-srcdev-mode", d.contReadingFromSrcdevMode)
            o.number("replace-state", d.replaceState); o.number("time-started", d.timeStarted); o.number("time-stopped", d.timeStopped)
            o.number("num-write-errors", d.numWriteErrors); o.number("num-uncorrectable-read-errors", d.numUncorrectableReadErrors)
        case .raidStripe(let s):
            o.string("item", "RaidStripe")
            o.objects("strides", s.strides) { st, o in o.number("devid", st.devid); o.number("physical", st.physical) }
        case .verity(let v):
            o.string("item", v.isMerkle ? "VerityMerkleItem" : "VerityDescItem")
            if let size = v.descriptorSize { o.number("size", size); o.number("encryption", v.encryption ?? 0) } else { o.number("data-bytes", v.bytes.count) }
        case .dirLog(let d): o.string("item", "DirLogItem"); o.number("end", d.end)
        case .string(let s): o.string("item", "StringItem"); o.bytes("data", s.bytes)
        case .raw(let r): o.string("item", "UnknownItem"); o.number("data-bytes", r.bytes.count)
        }
        o.endGroup()
    }

    static func write(_ key: Key, as name: String, to o: inout JSONWriter) {
        o.beginGroup(name, .map)
        o.number("objectid", key.objectID); o.number("type", key.type); o.number("offset", key.offset)
        o.endGroup()
    }

    static func inode(_ o: inout JSONWriter, _ i: InodeItem) {
        o.number("generation", i.generation); o.number("transid", i.transid); o.number("size", i.size); o.number("nbytes", i.nbytes)
        o.number("block-group", i.blockGroup); o.number("nlink", i.nlink); o.number("uid", i.uid); o.number("gid", i.gid)
        o.number("mode", i.mode); o.number("rdev", i.rdev); o.number("flags", i.flags); o.number("sequence", i.sequence)
        time(&o, "atime", i.atime); time(&o, "ctime", i.ctime); time(&o, "mtime", i.mtime); time(&o, "otime", i.otime)
    }

    static func time(_ o: inout JSONWriter, _ name: String, _ t: TimeSpec) {
        o.beginGroup(name, .map); o.number("sec", t.sec); o.number("nsec", t.nsec); o.endGroup()
    }

    static func dir(_ o: inout JSONWriter, _ location: Key, _ transid: UInt64, _ dataLen: UInt16, _ nameLen: UInt16, _ type: UInt8, _ name: [UInt8]) {
        write(location, as: "location", to: &o)
        o.number("transid", transid); o.number("data-len", dataLen); o.number("name-len", nameLen); o.number("type", type)
        o.bytes("name", name)
    }

    static func refs(_ o: inout JSONWriter, _ edr: [ExtentDataRef], _ sdr: [SharedDataRef], _ tbr: [TreeBlockRef],
                     _ sbr: [SharedBlockRef], _ owners: [UInt64]) {
        if !edr.isEmpty { o.objects("extent-data-refs", edr) { d, o in
            o.bool("inline", d.key == nil); o.number("root", d.root); o.number("objectid", d.objectid); o.number("offset", d.offset); o.number("count", d.count) } }
        if !sdr.isEmpty { o.objects("shared-data-refs", sdr) { d, o in o.bool("inline", d.key == nil); o.number("parent", d.parent); o.number("count", d.count) } }
        if !tbr.isEmpty { o.objects("tree-block-refs", tbr) { d, o in o.bool("inline", d.key == nil); o.number("root", d.root) } }
        if !sbr.isEmpty { o.objects("shared-block-refs", sbr) { d, o in o.bool("inline", d.key == nil); o.number("parent", d.parent) } }
        if !owners.isEmpty { o.objects("owner-refs", owners) { r, o in o.number("root", r) } }
    }
}

private func hexDigit(_ nibble: UInt8) -> UInt8 { nibble < 10 ? nibble + 48 : nibble + 87 }

extension String {
    var replacingUnderscores: String { String(map { $0 == "_" ? "-" : $0 }) }
}
