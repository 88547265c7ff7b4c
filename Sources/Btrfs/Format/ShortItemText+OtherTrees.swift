/// Short text of the chunk, device, block group, free space, checksum, quota, uuid and log tree
/// items. The ones python-btrfs does not parse (it prints `not implemented item data`) are
/// written in its style, so a dump reads the same all through.
extension ShortItemText {
    /// `str(BlockGroupItem)`: also the line block-group listings and the heatmap print.
    public static func writeBlockGroup(_ bg: BlockGroupItem, to out: TextBuffer) {
        out.write("block group vaddr "); out.write(bg.vaddr)
        out.write(" length "); out.write(bg.length)
        out.write(" flags "); PythonFormat.writeBlockGroupFlags(bg.flags, to: out)
        out.write(" used "); out.write(bg.used)
        out.write(" used_pct "); out.write(bg.usedPercent); out.newline()
    }

    /// `str(FreeSpaceInfo)` of the free space tree.
    public static func writeFreeSpaceInfo(_ f: FreeSpaceInfo, to out: TextBuffer) {
        out.write("free space info vaddr "); out.write(f.vaddr)
        out.write(" length "); PythonFormat.writePrettySize(f.length, to: out)
        out.write(" extent_count "); out.write(f.extentCount)
        out.write(" flags "); PythonFormat.writeFlags(UInt64(f.flags), PythonFormat.freeSpaceInfoFlagNames, to: out)
        out.newline()
    }

    static func freeSpaceBitmap(_ b: FreeSpaceBitmap, to out: TextBuffer) {
        out.write("free space bitmap for vaddr "); out.write(b.vaddr)
        out.write(" length "); out.write(b.length); out.newline()
    }

    /// `str(FreeSpaceExtent)`: a free space tree extent, or a run of set bits from a bitmap.
    public static func writeFreeSpaceExtent(_ e: FreeSpaceExtent, to out: TextBuffer) {
        out.write("free space extent vaddr "); out.write(e.vaddr)
        out.write(" length "); out.write(e.length); out.newline()
    }

    /// `str(DevExtent)` of the device tree.
    public static func writeDevExtent(_ d: DevExtent, to out: TextBuffer) {
        out.write("dev extent devid "); out.write(d.devid)
        out.write(" paddr "); out.write(d.paddr)
        out.write(" length "); PythonFormat.writePrettySize(d.length, to: out)
        out.write(" chunk "); out.write(d.chunkOffset); out.newline()
    }

    /// `str(DevItem)` of the chunk tree.
    public static func writeDevItem(_ d: DevItem, to out: TextBuffer) {
        out.write("dev item devid "); out.write(d.devid)
        out.write(" uuid "); d.uuid.write(to: out)
        out.write(" bytes_used "); out.write(d.bytesUsed)
        out.write(" total_bytes "); out.write(d.totalBytes); out.newline()
    }

    /// `str(Chunk)` and one indented line per stripe.
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

    static func extentCsum(_ c: ExtentCsumItem, to out: TextBuffer) {
        out.write("extent csum bytenr "); out.write(c.bytenr)
        out.write(" csum_size "); out.write(c.csumSize)
        out.write(" count "); out.write(c.count); out.newline()
    }

    static func uuid(_ u: UUIDTreeItem, to out: TextBuffer) {
        out.write(u.isReceived ? "uuid received subvol uuid " : "uuid subvol uuid "); u.uuid.write(to: out)
        out.write(" subvol_ids")
        for id in u.subvolIDs { out.write(byte: 32); out.write(id) }
        out.newline()
    }

    static func qgroupStatus(_ q: QgroupStatusItem, to out: TextBuffer) {
        out.write("qgroup status version "); out.write(q.version)
        out.write(" generation "); out.write(q.generation)
        out.write(" flags 0x"); out.writeHex(q.flags)
        out.write(" rescan "); out.write(q.rescan)
        if let e = q.enableGen { out.write(" enable_gen "); out.write(e) }
        out.newline()
    }

    static func qgroupInfo(_ q: QgroupInfoItem, to out: TextBuffer) {
        out.write("qgroup info qgroupid "); Key.writeQgroup(q.qgroupid, to: out)
        out.write(" generation "); out.write(q.generation)
        out.write(" rfer "); out.write(q.rfer)
        out.write(" rfer_cmpr "); out.write(q.rferCmpr)
        out.write(" excl "); out.write(q.excl)
        out.write(" excl_cmpr "); out.write(q.exclCmpr); out.newline()
    }

    static func qgroupLimit(_ q: QgroupLimitItem, to out: TextBuffer) {
        out.write("qgroup limit qgroupid "); Key.writeQgroup(q.qgroupid, to: out)
        out.write(" flags 0x"); out.writeHex(q.flags)
        out.write(" max_rfer "); out.write(q.maxRfer)
        out.write(" max_excl "); out.write(q.maxExcl)
        out.write(" rsv_rfer "); out.write(q.rsvRfer)
        out.write(" rsv_excl "); out.write(q.rsvExcl); out.newline()
    }

    static func qgroupRelation(_ q: QgroupRelationItem, to out: TextBuffer) {
        out.write("qgroup relation src "); Key.writeQgroup(q.src, to: out)
        out.write(" dst "); Key.writeQgroup(q.dst, to: out); out.newline()
    }

    static func devStats(_ d: DevStatsItem, to out: TextBuffer) {
        out.write("dev stats devid "); out.write(d.devid)
        for (i, v) in d.values.enumerated() {
            out.write(byte: 32)
            UnparsedItemText.writeDevStatName(i, to: out)
            out.write(byte: 32); out.write(v)
        }
        out.newline()
    }

    static func balance(_ b: BalanceItem, to out: TextBuffer) {
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
    }

    static func devReplace(_ d: DevReplaceItem, to out: TextBuffer) {
        out.write("dev replace src_devid "); out.write(d.srcDevid)
        out.write(" cursor_left "); out.write(d.cursorLeft)
        out.write(" cursor_right "); out.write(d.cursorRight)
        out.write(" replace_state "); out.write(d.replaceState)
        out.write(" time_started "); out.write(d.timeStarted)
        out.write(" time_stopped "); out.write(d.timeStopped)
        out.write(" num_write_errors "); out.write(d.numWriteErrors)
        out.write(" num_uncorrectable_read_errors "); out.write(d.numUncorrectableReadErrors); out.newline()
    }

    static func raidStripe(_ s: RaidStripeItem, to out: TextBuffer) {
        out.write("raid stripe vaddr "); out.write(s.vaddr)
        out.write(" length "); out.write(s.length)
        out.write(" num_strides "); out.write(s.strides.count); out.newline()
        for st in s.strides {
            out.write("  stride devid "); out.write(st.devid)
            out.write(" physical "); out.write(st.physical); out.newline()
        }
    }

    static func verity(_ v: VerityItem, to out: TextBuffer) {
        if let size = v.descriptorSize {
            out.write("verity descriptor size "); out.write(size)
            out.write(" encryption "); out.write(v.encryption ?? 0); out.newline()
        } else {
            out.write(v.isMerkle ? "verity merkle item offset " : "verity descriptor item offset ")
            out.write(v.key.offset); out.write(" data "); out.write(v.bytes.count); out.write(" bytes\n")
        }
    }

    static func dirLog(_ d: DirLogItem, to out: TextBuffer) {
        out.write(d.key.itemType == .dirLogIndex ? "dir log index end " : "dir log item end ")
        out.write(d.end); out.newline()
    }

    static func string(_ s: RawItem, to out: TextBuffer) {
        out.write("string item "); s.bytes.withUnsafeBytes { PythonText.writeEmbeddedText($0, to: out) }; out.newline()
    }
}
