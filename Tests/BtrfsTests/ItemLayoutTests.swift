import Testing
import CBtrfs
@testable import Btrfs

/// Each parser against the kernel's own struct from btrfs_tree.h: fill the C struct with distinct
/// values, hand its bytes to the parser, expect every field back. Sizes pinned to MemoryLayout.
@Suite struct ItemLayoutTests {
    func parse<C, T>(_ value: C, _ body: (ItemReader) throws -> T) throws -> T {
        var v = value
        return try withUnsafeBytes(of: &v) { try body(ItemReader($0)) }
    }

    @Test func sizesAreTheKernelStructs() {
        #expect(MemoryLayout<btrfs_dev_item>.size == DevItem.size)
        #expect(MemoryLayout<btrfs_chunk>.size == Chunk.size + Stripe.size)
        #expect(MemoryLayout<btrfs_stripe>.size == Stripe.size)
        #expect(MemoryLayout<btrfs_dev_extent>.size == DevExtent.size)
        #expect(MemoryLayout<btrfs_block_group_item>.size == BlockGroupItem.size)
        #expect(MemoryLayout<btrfs_extent_item>.size == ExtentItem.size)
        #expect(MemoryLayout<btrfs_tree_block_info>.size == TreeBlockInfo.size)
        #expect(MemoryLayout<btrfs_extent_data_ref>.size == ExtentDataRef.size)
        #expect(MemoryLayout<btrfs_inode_item>.size == InodeItem.size)
        #expect(MemoryLayout<btrfs_timespec>.size == TimeSpec.size)
        #expect(MemoryLayout<btrfs_dir_item>.size == DirItem.headerSize)
        #expect(MemoryLayout<btrfs_root_item>.size == RootItem.size + 64)
        #expect(MemoryLayout<btrfs_file_extent_item>.size == FileExtentItem.size)
        #expect(MemoryLayout<btrfs_disk_balance_args>.size == BalanceArgs.size)
        #expect(MemoryLayout<btrfs_balance_item>.size == BalanceItem.size)
        #expect(MemoryLayout<btrfs_dev_replace_item>.size == DevReplaceItem.size)
        #expect(MemoryLayout<btrfs_qgroup_info_item>.size == 40)
        #expect(MemoryLayout<btrfs_qgroup_limit_item>.size == 40)
        #expect(MemoryLayout<btrfs_free_space_info>.size == 8)
        #expect(MemoryLayout<btrfs_verity_descriptor_item>.size == VerityItem.descriptorSize)
    }

    @Test func balanceItemFields() throws {
        var b = btrfs_balance_item()
        b.flags = 7
        b.data.profiles = 11; b.data.usage = 12; b.data.devid = 13; b.data.pstart = 14; b.data.pend = 15
        b.data.vstart = 16; b.data.vend = 17; b.data.target = 18; b.data.flags = 19; b.data.limit = 20
        b.data.stripes_min = 21; b.data.stripes_max = 22
        b.meta.profiles = 31; b.meta.target = 38; b.sys.profiles = 41; b.sys.stripes_max = 52
        let item = try parse(b) { try BalanceItem(key: Key(.balance, .temporaryItem, 0), reader: $0) }
        #expect(item.flags == 7)
        #expect([item.data.profiles, item.data.usage, item.data.devid, item.data.pstart, item.data.pend, item.data.vstart,
                 item.data.vend, item.data.target, item.data.flags, item.data.limit] == Array(11...20))
        #expect(item.data.stripesMin == 21 && item.data.stripesMax == 22)
        #expect(item.meta.profiles == 31 && item.meta.target == 38 && item.sys.profiles == 41 && item.sys.stripesMax == 52)
    }

    @Test func devReplaceQgroupAndVerityFields() throws {
        var d = btrfs_dev_replace_item()
        d.src_devid = 1; d.cursor_left = 2; d.cursor_right = 3; d.cont_reading_from_srcdev_mode = 4; d.replace_state = 5
        d.time_started = 6; d.time_stopped = 7; d.num_write_errors = 8; d.num_uncorrectable_read_errors = 9
        let r = try parse(d) { try DevReplaceItem(key: Key(0, .devReplace, 0), reader: $0) }
        #expect([r.srcDevid, r.cursorLeft, r.cursorRight, r.contReadingFromSrcdevMode, r.replaceState, r.timeStarted,
                 r.timeStopped, r.numWriteErrors, r.numUncorrectableReadErrors] == Array(1...9))

        var i = btrfs_qgroup_info_item()
        i.generation = 1; i.rfer = 2; i.rfer_cmpr = 3; i.excl = 4; i.excl_cmpr = 5
        let info = try parse(i) { try QgroupInfoItem(key: Key(0, .qgroupInfo, 5), reader: $0) }
        #expect([info.generation, info.rfer, info.rferCmpr, info.excl, info.exclCmpr] == Array(1...5))

        var l = btrfs_qgroup_limit_item()
        l.flags = 1; l.max_rfer = 2; l.max_excl = 3; l.rsv_rfer = 4; l.rsv_excl = 5
        let limit = try parse(l) { try QgroupLimitItem(key: Key(0, .qgroupLimit, 5), reader: $0) }
        #expect([limit.flags, limit.maxRfer, limit.maxExcl, limit.rsvRfer, limit.rsvExcl] == Array(1...5))

        var s = btrfs_qgroup_status_item()
        s.version = 1; s.generation = 2; s.flags = 3; s.rescan = 4
        let status = try parse(s) { try QgroupStatusItem(key: Key(0, .qgroupStatus, 0), reader: $0) }
        #expect([status.version, status.generation, status.flags, status.rescan] == Array(1...4) && status.enableGen == nil)

        var v = btrfs_verity_descriptor_item()
        v.size = 4242; v.encryption = 3
        let verity = try parse(v) { try VerityItem(key: Key(257, .verityDescItem, 0), reader: $0) }
        #expect(verity.descriptorSize == 4242 && verity.encryption == 3)
    }

    @Test func rootAndInodeFields() throws {
        var root = btrfs_root_item()
        root.inode.generation = 1; root.inode.size = 3; root.inode.mode = 0o40755; root.inode.flags = 1 << 31
        root.inode.otime.sec = 99; root.inode.otime.nsec = 98
        root.generation = 10; root.root_dirid = 256; root.bytenr = 12; root.byte_limit = 13; root.bytes_used = 14
        root.last_snapshot = 15; root.flags = 1; root.refs = 17
        root.drop_progress.objectid = 18; root.drop_progress.type = 19; root.drop_progress.offset = 20
        root.drop_level = 21; root.level = 22; root.generation_v2 = 23
        withUnsafeMutableBytes(of: &root.uuid) { $0[0] = 0xab; $0[15] = 0xcd }
        withUnsafeMutableBytes(of: &root.parent_uuid) { $0[1] = 0x12 }
        root.ctransid = 24; root.otransid = 25; root.stransid = 26; root.rtransid = 27
        root.ctime.sec = 28; root.otime.nsec = 29; root.stime.sec = 30; root.rtime.nsec = 31
        let r = try parse(root) { try RootItem(key: Key(256, .rootItem, 0), reader: $0) }
        #expect(r.inode.generation == 1 && r.inode.size == 3 && r.inode.mode == 0o40755 && r.inode.flags == 1 << 31)
        #expect(r.inode.otime == TimeSpec(sec: 99, nsec: 98))
        #expect([r.generation, r.rootDirid, r.bytenr, r.byteLimit, r.bytesUsed, r.lastSnapshot, r.flags] == [10, 256, 12, 13, 14, 15, 1])
        #expect(r.refs == 17 && r.dropProgress == Key(18, 19, 20) && r.dropLevel == 21 && r.level == 22 && r.generationV2 == 23)
        #expect(r.uuid.description == "ab000000-0000-0000-0000-0000000000cd" && r.parentUUID.bytes[1] == 0x12)
        #expect([r.ctransid, r.otransid, r.stransid, r.rtransid] == [24, 25, 26, 27])
        #expect(r.ctime.sec == 28 && r.otime.nsec == 29 && r.stime.sec == 30 && r.rtime.nsec == 31 && r.hasV2Fields)
        // The legacy item ends after drop_level: parsed, newer fields absent.
        let legacy = try withUnsafeBytes(of: &root) { raw in
            try RootItem(key: Key(256, .rootItem, 0), reader: ItemReader(UnsafeRawBufferPointer(rebasing: raw[0..<RootItem.legacySize])))
        }
        #expect(!legacy.hasV2Fields && legacy.dropLevel == 21 && legacy.level == 22 && legacy.uuid.isZero && legacy.generationV2 == 0)
    }

    @Test func chunkDevAndFileExtentFields() throws {
        var c = btrfs_chunk()
        c.length = 1; c.owner = 2; c.stripe_len = 3; c.type = 4; c.io_align = 5; c.io_width = 6; c.sector_size = 7
        c.num_stripes = 1; c.sub_stripes = 9; c.stripe.devid = 10; c.stripe.offset = 11
        withUnsafeMutableBytes(of: &c.stripe.dev_uuid) { $0[0] = 0x77 }
        let chunk = try parse(c) { try Chunk(key: Key(256, .chunkItem, 5), reader: $0) }
        #expect([chunk.length, chunk.owner, chunk.stripeLen, chunk.type] == [1, 2, 3, 4])
        #expect([chunk.ioAlign, chunk.ioWidth, chunk.sectorSize] == [5, 6, 7] && chunk.subStripes == 9)
        #expect(chunk.stripes == [Stripe(devid: 10, offset: 11, devUUID: BtrfsUUID(high: 0x77 << 56, low: 0))])

        var f = btrfs_file_extent_item()
        f.generation = 1; f.ram_bytes = 2; f.compression = 3; f.encryption = 4; f.other_encoding = 5; f.type = 1
        f.disk_bytenr = 6; f.disk_num_bytes = 7; f.offset = 8; f.num_bytes = 9
        let fe = try parse(f) { try FileExtentItem(key: Key(257, .extentData, 0), reader: $0) }
        #expect([fe.generation, fe.ramBytes, fe.diskBytenr, fe.diskNumBytes, fe.offset, fe.numBytes] == [1, 2, 6, 7, 8, 9])
        #expect(fe.compression == 3 && fe.encryption == 4 && fe.otherEncoding == 5 && fe.type == 1)

        var dev = btrfs_dev_item()
        dev.devid = 1; dev.total_bytes = 2; dev.bytes_used = 3; dev.io_align = 4; dev.io_width = 5; dev.sector_size = 6
        dev.type = 7; dev.generation = 8; dev.start_offset = 9; dev.dev_group = 10; dev.seek_speed = 11; dev.bandwidth = 12
        withUnsafeMutableBytes(of: &dev.fsid) { $0[15] = 1 }
        let d = try parse(dev) { try DevItem(key: Key(1, .devItem, 1), reader: $0) }
        #expect([d.devid, d.totalBytes, d.bytesUsed, d.type, d.generation, d.startOffset] == [1, 2, 3, 7, 8, 9])
        #expect([d.ioAlign, d.ioWidth, d.sectorSize, d.devGroup] == [4, 5, 6, 10] && d.seekSpeed == 11 && d.bandwidth == 12)
        #expect(d.fsid == BtrfsUUID(high: 0, low: 1) && d.uuid.isZero)
    }
}
