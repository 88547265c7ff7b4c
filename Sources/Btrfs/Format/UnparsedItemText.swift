/// Text for the items python-btrfs prints as "not implemented item data" (or does not know):
/// the parsed fields in python-btrfs's own style, so a dump reads the same all through.
/// A type nobody parses keeps python-btrfs's `unknown item data (N bytes)` exactly.
public enum UnparsedItemText {
    /// A dev stats counter's name as python-btrfs names it; `valueN` past the names it knows.
    static func writeDevStatName(_ i: Int, to out: TextBuffer) {
        if i < DevStatsItem.names.count { out.write(text: DevStatsItem.names[i]) } else { out.write("value"); out.write(i) }
    }

    /// The class python-btrfs's `classify` gives an item it does not parse (NotImplementedItem
    /// or UnknownItem); nil for the types it parses.
    public static func pythonUnparsedClass(_ k: Key) -> StaticString? {
        switch k.itemType {
        case .inodeItem, .inodeRef, .inodeExtref, .xattrItem, .orphanItem, .dirItem, .dirIndex, .extentData,
             .rootItem, .rootRef, .extentItem, .metadataItem, .treeBlockRef, .extentDataRef, .sharedBlockRef,
             .sharedDataRef, .blockGroupItem, .freeSpaceInfo, .freeSpaceExtent, .freeSpaceBitmap, .devExtent,
             .devItem, .chunkItem:
            return nil
        case .dirLogItem, .dirLogIndex, .extentCsum, .rootBackref, .qgroupStatus, .qgroupInfo, .qgroupLimit,
             .devReplace, .uuidKeySubvol, .uuidKeyReceivedSubvol, .stringItem:
            return "NotImplementedItem"
        case .persistentItem where k.objectID == ObjectID.devStats.rawValue: return "NotImplementedItem"
        case .temporaryItem where k.objectID == ObjectID.balance.rawValue: return "NotImplementedItem"
        default: return "UnknownItem"
        }
    }

    /// python-btrfs's own text for an item it does not parse.
    static func writePythonUnparsed(_ key: Key, _ cls: StaticString, dataCount: Int, long: Bool, level: Int, to out: TextBuffer) {
        if long {
            LongItemTextLines(out: out).header(level, cls, key)
        } else {
            out.write(cls.description == "UnknownItem" ? "unknown item data (" : "not implemented item data (")
            out.write(dataCount); out.write(" bytes)\n")
        }
    }

    static func writeShort(_ item: Item, dataCount: Int, to out: TextBuffer) throws {
        switch item {
        case .extentCsum(let c):
            out.write("extent csum bytenr "); out.write(c.bytenr)
            out.write(" csum_size "); out.write(c.csumSize)
            out.write(" count "); out.write(c.count); out.newline()
        case .uuid(let u):
            out.write(u.isReceived ? "uuid received subvol uuid " : "uuid subvol uuid "); u.uuid.write(to: out)
            out.write(" subvol_ids")
            for id in u.subvolIDs { out.write(byte: 32); out.write(id) }
            out.newline()
        case .qgroupStatus(let q):
            out.write("qgroup status version "); out.write(q.version)
            out.write(" generation "); out.write(q.generation)
            out.write(" flags 0x"); out.writeHex(q.flags)
            out.write(" rescan "); out.write(q.rescan)
            if let e = q.enableGen { out.write(" enable_gen "); out.write(e) }
            out.newline()
        case .qgroupInfo(let q):
            out.write("qgroup info qgroupid "); Key.writeQgroup(q.qgroupid, to: out)
            out.write(" generation "); out.write(q.generation)
            out.write(" rfer "); out.write(q.rfer)
            out.write(" rfer_cmpr "); out.write(q.rferCmpr)
            out.write(" excl "); out.write(q.excl)
            out.write(" excl_cmpr "); out.write(q.exclCmpr); out.newline()
        case .qgroupLimit(let q):
            out.write("qgroup limit qgroupid "); Key.writeQgroup(q.qgroupid, to: out)
            out.write(" flags 0x"); out.writeHex(q.flags)
            out.write(" max_rfer "); out.write(q.maxRfer)
            out.write(" max_excl "); out.write(q.maxExcl)
            out.write(" rsv_rfer "); out.write(q.rsvRfer)
            out.write(" rsv_excl "); out.write(q.rsvExcl); out.newline()
        case .qgroupRelation(let q):
            out.write("qgroup relation src "); Key.writeQgroup(q.src, to: out)
            out.write(" dst "); Key.writeQgroup(q.dst, to: out); out.newline()
        case .devStats(let d):
            out.write("dev stats devid "); out.write(d.devid)
            for (i, v) in d.values.enumerated() {
                out.write(byte: 32)
                writeDevStatName(i, to: out)
                out.write(byte: 32); out.write(v)
            }
            out.newline()
        case .balance(let b):
            out.write("balance item flags 0x"); out.writeHex(b.flags); out.newline()
            for (name, args) in [("data", b.data), ("metadata", b.meta), ("system", b.sys)] {
                out.write("  balance args "); out.write(text: name)
                out.write(" flags 0x"); out.writeHex(args.flags)
                out.write(" profiles 0x"); out.writeHex(args.profiles)
                out.write(" usage "); out.write(args.usage)
                out.write(" devid "); out.write(args.devid)
                out.write(" target 0x"); out.writeHex(args.target)
                out.write(" limit "); out.write(args.limit); out.newline()
            }
        case .devReplace(let d):
            out.write("dev replace src_devid "); out.write(d.srcDevid)
            out.write(" cursor_left "); out.write(d.cursorLeft)
            out.write(" cursor_right "); out.write(d.cursorRight)
            out.write(" replace_state "); out.write(d.replaceState)
            out.write(" time_started "); out.write(d.timeStarted)
            out.write(" time_stopped "); out.write(d.timeStopped)
            out.write(" num_write_errors "); out.write(d.numWriteErrors)
            out.write(" num_uncorrectable_read_errors "); out.write(d.numUncorrectableReadErrors); out.newline()
        case .raidStripe(let s):
            out.write("raid stripe vaddr "); out.write(s.vaddr)
            out.write(" length "); out.write(s.length)
            out.write(" num_strides "); out.write(s.strides.count); out.newline()
            for st in s.strides {
                out.write("  stride devid "); out.write(st.devid)
                out.write(" physical "); out.write(st.physical); out.newline()
            }
        case .verity(let v):
            if let size = v.descriptorSize {
                out.write("verity descriptor size "); out.write(size)
                out.write(" encryption "); out.write(v.encryption ?? 0); out.newline()
            } else {
                out.write(v.isMerkle ? "verity merkle item offset " : "verity descriptor item offset ")
                out.write(v.key.offset); out.write(" data "); out.write(v.bytes.count); out.write(" bytes\n")
            }
        case .dirLog(let d):
            out.write(d.key.itemType == .dirLogIndex ? "dir log index end " : "dir log item end ")
            out.write(d.end); out.newline()
        case .rootRef(let r):
            out.write("root backref tree "); out.write(r.tree)
            out.write(" parent_tree "); out.write(r.parentTree)
            out.write(" dirid "); out.write(r.dirid)
            out.write(" sequence "); out.write(r.sequence)
            out.write(" name "); r.name.withUnsafeBytes { PythonText.writeEmbeddedText($0, to: out) }; out.newline()
        case .string(let s):
            out.write("string item "); s.bytes.withUnsafeBytes { PythonText.writeEmbeddedText($0, to: out) }; out.newline()
        default:
            out.write("unknown item data ("); out.write(dataCount); out.write(" bytes)\n")
        }
    }

    static func writeLong(_ item: Item, dataCount: Int, level L: Int, to out: TextBuffer) throws {
        let w = LongItemTextLines(out: out)
        let key = item.key
        switch item {
        case .extentCsum(let c):
            w.header(L, "ExtentCsum", key)
            w.keyField(L, "bytenr", c.bytenr, "offset")
            w.field(L, "csum_size", c.csumSize)
            w.field(L, "count", c.count)
            if c.count > 0 {
                w.label(L, "csums")
                for i in 0..<c.count {
                    w.dash(L)
                    out.indent(L + 1); out.write("0x")
                    for b in c.csum(i) { out.writeHex(UInt64(b), width: 2) }
                    out.newline()
                }
            }
        case .uuid(let u):
            w.header(L, u.isReceived ? "UUIDReceivedSubvolItem" : "UUIDSubvolItem", key)
            w.uuid(L, "uuid", u.uuid)
            ints(w, L, "subvol_ids", u.subvolIDs)
        case .qgroupStatus(let q):
            w.header(L, "QgroupStatus", key)
            w.field(L, "version", q.version)
            w.field(L, "generation", q.generation)
            w.hex(L, "flags", q.flags)
            w.field(L, "rescan", q.rescan)
            if let e = q.enableGen { w.field(L, "enable_gen", e) }
        case .qgroupInfo(let q):
            w.header(L, "QgroupInfo", key)
            w.keyQgroup(L, "qgroupid", q.qgroupid, "offset")
            w.field(L, "generation", q.generation)
            w.size(L, "rfer", q.rfer)
            w.size(L, "rfer_cmpr", q.rferCmpr)
            w.size(L, "excl", q.excl)
            w.size(L, "excl_cmpr", q.exclCmpr)
        case .qgroupLimit(let q):
            w.header(L, "QgroupLimit", key)
            w.keyQgroup(L, "qgroupid", q.qgroupid, "offset")
            w.hex(L, "flags", q.flags)
            w.field(L, "max_rfer", q.maxRfer)
            w.field(L, "max_excl", q.maxExcl)
            w.field(L, "rsv_rfer", q.rsvRfer)
            w.field(L, "rsv_excl", q.rsvExcl)
        case .qgroupRelation(let q):
            w.header(L, "QgroupRelation", key)
            w.keyQgroup(L, "src", q.src, "objectid")
            w.keyQgroup(L, "dst", q.dst, "offset")
        case .devStats(let d):
            w.header(L, "DevStats", key)
            w.keyField(L, "devid", d.devid, "offset")
            for (i, v) in d.values.enumerated() {
                out.indent(L)
                writeDevStatName(i, to: out)
                out.write(": "); out.write(v); out.newline()
            }
        case .balance(let b):
            w.header(L, "BalanceItem", key)
            w.hex(L, "flags", b.flags)
            for (name, args) in [("data", b.data), ("meta", b.meta), ("sys", b.sys)] {
                out.indent(L); out.write(text: name); out.write(":\n")
                w.header(L + 1, "BalanceArgs", nil)
                w.hex(L + 1, "profiles", args.profiles)
                w.field(L + 1, "usage", args.usage)
                w.field(L + 1, "devid", args.devid)
                w.field(L + 1, "pstart", args.pstart)
                w.field(L + 1, "pend", args.pend)
                w.field(L + 1, "vstart", args.vstart)
                w.field(L + 1, "vend", args.vend)
                w.hex(L + 1, "target", args.target)
                w.hex(L + 1, "flags", args.flags)
                w.field(L + 1, "limit", args.limit)
                w.field(L + 1, "stripes_min", args.stripesMin)
                w.field(L + 1, "stripes_max", args.stripesMax)
            }
        case .devReplace(let d):
            w.header(L, "DevReplaceItem", key)
            w.field(L, "src_devid", d.srcDevid)
            w.field(L, "cursor_left", d.cursorLeft)
            w.field(L, "cursor_right", d.cursorRight)
            w.field(L, "cont_reading_from_srcdev_mode", d.contReadingFromSrcdevMode)
            w.field(L, "replace_state", d.replaceState)
            w.field(L, "time_started", d.timeStarted)
            w.field(L, "time_stopped", d.timeStopped)
            w.field(L, "num_write_errors", d.numWriteErrors)
            w.field(L, "num_uncorrectable_read_errors", d.numUncorrectableReadErrors)
        case .raidStripe(let s):
            w.header(L, "RaidStripe", key)
            w.keyField(L, "vaddr", s.vaddr, "objectid")
            w.keyField(L, "length", s.length, "offset")
            if !s.strides.isEmpty {
                w.label(L, "strides")
                for st in s.strides {
                    w.dash(L)
                    w.header(L + 1, "RaidStride", nil)
                    w.field(L + 1, "devid", st.devid)
                    w.field(L + 1, "physical", st.physical)
                }
            }
        case .verity(let v):
            w.header(L, v.isMerkle ? "VerityMerkleItem" : "VerityDescItem", key)
            w.keyField(L, "objectid", key.objectID, "objectid")
            w.keyField(L, "offset", key.offset, "offset")
            if let size = v.descriptorSize {
                w.field(L, "size", size)
                w.field(L, "encryption", v.encryption ?? 0)
            } else {
                out.indent(L); out.write("data: "); out.write(v.bytes.count); out.write(" bytes of data\n")
            }
        case .dirLog(let d):
            w.header(L, "DirLogItem", key)
            w.keyField(L, "objectid", key.objectID, "objectid")
            w.keyField(L, "start", key.offset, "offset")
            w.field(L, "end", d.end)
        case .rootRef(let r):
            w.header(L, "RootBackref", key)
            w.keyField(L, "tree", r.tree, "objectid")
            w.keyField(L, "parent_tree", r.parentTree, "offset")
            w.field(L, "dirid", r.dirid)
            w.field(L, "sequence", r.sequence)
            w.field(L, "name_len", r.nameLen)
            r.name.withUnsafeBytes { w.text(L, "name", $0) }
        case .string(let s):
            w.header(L, "StringItem", key)
            s.bytes.withUnsafeBytes { w.text(L, "data", $0) }
        default:
            w.header(L, "UnknownItem", key)
        }
    }

    static func ints(_ w: LongItemTextLines, _ L: Int, _ name: StaticString, _ values: [UInt64]) {
        guard !values.isEmpty else { return }
        w.label(L, name)
        for v in values {
            w.dash(L)
            w.out.indent(L + 1); w.out.write(v); w.out.newline()
        }
    }
}
