/// Long text of the chunk, device, block group, checksum, quota, uuid and other trees' items;
/// those python-btrfs does not parse (it prints a bare header) in its style.
extension LongItemTextLines {
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

    func extentCsum(_ c: ExtentCsumItem, _ L: Int) {
        header(L, "ExtentCsum", c.key)
        keyField(L, "bytenr", c.bytenr, "offset")
        field(L, "csum_size", c.csumSize)
        field(L, "count", c.count)
        guard c.count > 0 else { return }
        label(L, "csums")
        for i in 0..<c.count {
            dash(L)
            out.indent(L + 1); out.write("0x")
            for b in c.csum(i) { out.writeHex(UInt64(b), width: 2) }
            out.newline()
        }
    }

    func uuid(_ u: UUIDTreeItem, _ L: Int) {
        header(L, u.isReceived ? "UUIDReceivedSubvolItem" : "UUIDSubvolItem", u.key)
        uuid(L, "uuid", u.uuid)
        guard !u.subvolIDs.isEmpty else { return }
        label(L, "subvol_ids")
        for v in u.subvolIDs {
            dash(L)
            out.indent(L + 1); out.write(v); out.newline()
        }
    }

    func qgroupStatus(_ q: QgroupStatusItem, _ L: Int) {
        header(L, "QgroupStatus", q.key)
        field(L, "version", q.version)
        field(L, "generation", q.generation)
        hex(L, "flags", q.flags)
        field(L, "rescan", q.rescan)
        if let e = q.enableGen { field(L, "enable_gen", e) }
    }

    func qgroupInfo(_ q: QgroupInfoItem, _ L: Int) {
        header(L, "QgroupInfo", q.key)
        keyQgroup(L, "qgroupid", q.qgroupid, "offset")
        field(L, "generation", q.generation)
        size(L, "rfer", q.rfer)
        size(L, "rfer_cmpr", q.rferCmpr)
        size(L, "excl", q.excl)
        size(L, "excl_cmpr", q.exclCmpr)
    }

    func qgroupLimit(_ q: QgroupLimitItem, _ L: Int) {
        header(L, "QgroupLimit", q.key)
        keyQgroup(L, "qgroupid", q.qgroupid, "offset")
        hex(L, "flags", q.flags)
        field(L, "max_rfer", q.maxRfer)
        field(L, "max_excl", q.maxExcl)
        field(L, "rsv_rfer", q.rsvRfer)
        field(L, "rsv_excl", q.rsvExcl)
    }

    func devStats(_ d: DevStatsItem, _ L: Int) {
        header(L, "DevStats", d.key)
        keyField(L, "devid", d.devid, "offset")
        for (i, v) in d.values.enumerated() {
            out.indent(L)
            UnparsedItemText.writeDevStatName(i, to: out)
            out.write(": "); out.write(v); out.newline()
        }
    }

    func balance(_ b: BalanceItem, _ L: Int) {
        header(L, "BalanceItem", b.key)
        hex(L, "flags", b.flags)
        for (name, args) in [("data", b.data), ("meta", b.meta), ("sys", b.sys)] {
            out.indent(L); out.write(text: name); out.write(":\n")
            header(L + 1, "BalanceArgs", nil)
            hex(L + 1, "profiles", args.profiles)
            field(L + 1, "usage", args.usage)
            field(L + 1, "devid", args.devid)
            field(L + 1, "pstart", args.pstart)
            field(L + 1, "pend", args.pend)
            field(L + 1, "vstart", args.vstart)
            field(L + 1, "vend", args.vend)
            hex(L + 1, "target", args.target)
            hex(L + 1, "flags", args.flags)
            field(L + 1, "limit", args.limit)
            field(L + 1, "stripes_min", args.stripesMin)
            field(L + 1, "stripes_max", args.stripesMax)
        }
    }

    func devReplace(_ d: DevReplaceItem, _ L: Int) {
        header(L, "DevReplaceItem", d.key)
        field(L, "src_devid", d.srcDevid)
        field(L, "cursor_left", d.cursorLeft)
        field(L, "cursor_right", d.cursorRight)
        field(L, "cont_reading_from_srcdev_mode", d.contReadingFromSrcdevMode)
        field(L, "replace_state", d.replaceState)
        field(L, "time_started", d.timeStarted)
        field(L, "time_stopped", d.timeStopped)
        field(L, "num_write_errors", d.numWriteErrors)
        field(L, "num_uncorrectable_read_errors", d.numUncorrectableReadErrors)
    }

    func raidStripe(_ s: RaidStripeItem, _ L: Int) {
        header(L, "RaidStripe", s.key)
        keyField(L, "vaddr", s.vaddr, "objectid")
        keyField(L, "length", s.length, "offset")
        guard !s.strides.isEmpty else { return }
        label(L, "strides")
        for st in s.strides {
            dash(L)
            header(L + 1, "RaidStride", nil)
            field(L + 1, "devid", st.devid)
            field(L + 1, "physical", st.physical)
        }
    }

    func verity(_ v: VerityItem, _ L: Int) {
        header(L, v.isMerkle ? "VerityMerkleItem" : "VerityDescItem", v.key)
        keyField(L, "objectid", v.key.objectID, "objectid")
        keyField(L, "offset", v.key.offset, "offset")
        if let size = v.descriptorSize {
            field(L, "size", size)
            field(L, "encryption", v.encryption ?? 0)
        } else {
            out.indent(L); out.write("data: "); out.write(v.bytes.count); out.write(" bytes of data\n")
        }
    }
}
