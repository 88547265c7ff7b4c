/// Items python-btrfs leaves unparsed: device statistics, balance state, device replace, RAID
/// stripe extents, fs-verity data, directory log ranges.

/// PERSISTENT_ITEM (dev tree, key (DEV_STATS PERSISTENT_ITEM devid)): the error counters.
public struct DevStatsItem: Hashable, Sendable {
    public var key: Key
    /// write_errs, read_errs, flush_errs, corruption_errs, generation_errs (newer kernels may add more).
    public var values: [UInt64]
    public var devid: UInt64 { key.offset }
    public static let names = ["write_errs", "read_errs", "flush_errs", "corruption_errs", "generation_errs"]

    public init(key: Key, reader: ItemReader) throws {
        var r = reader
        r.context = "DEV_STATS"
        guard r.count % 8 == 0 else { throw BtrfsError.malformed(what: "dev stats item of \(r.count) bytes") }
        self.key = key
        values = []
        while r.remaining > 0 { values.append(try r.readU64()) }
    }
}

/// struct btrfs_disk_balance_args: filters of one balance target.
public struct BalanceArgs: Hashable, Sendable {
    public static let size = 136
    public var profiles: UInt64
    /// usage, or usage_min (low 32 bits) and usage_max (high 32 bits), as flags say.
    public var usage: UInt64
    public var devid: UInt64
    public var pstart: UInt64
    public var pend: UInt64
    public var vstart: UInt64
    public var vend: UInt64
    public var target: UInt64
    public var flags: UInt64
    /// limit, or limit_min (low 32 bits) and limit_max (high 32 bits).
    public var limit: UInt64
    public var stripesMin: UInt32
    public var stripesMax: UInt32

    init(reader r: inout ItemReader) throws {
        try r.check(at: r.offset, length: BalanceArgs.size)
        profiles = try r.readU64(); usage = try r.readU64(); devid = try r.readU64()
        pstart = try r.readU64(); pend = try r.readU64(); vstart = try r.readU64(); vend = try r.readU64()
        target = try r.readU64(); flags = try r.readU64(); limit = try r.readU64()
        stripesMin = try r.readU32(); stripesMax = try r.readU32()
        try r.skip(48)
    }
}

/// struct btrfs_balance_item (root tree, key (BALANCE TEMPORARY_ITEM 0)): a paused or running balance.
public struct BalanceItem: Hashable, Sendable {
    public static let size = 448
    public var key: Key
    public var flags: UInt64
    public var data: BalanceArgs
    public var meta: BalanceArgs
    public var sys: BalanceArgs

    public init(key: Key, reader: ItemReader) throws {
        var r = reader
        r.context = "BALANCE_ITEM"
        try r.check(at: 0, length: 8 + 3 * BalanceArgs.size)
        self.key = key
        flags = try r.readU64()
        data = try BalanceArgs(reader: &r)
        meta = try BalanceArgs(reader: &r)
        sys = try BalanceArgs(reader: &r)
    }
}

/// struct btrfs_dev_replace_item (dev tree, key (0 DEV_REPLACE 0)).
public struct DevReplaceItem: Hashable, Sendable {
    public static let size = 72
    public var key: Key
    public var srcDevid: UInt64
    public var cursorLeft: UInt64
    public var cursorRight: UInt64
    public var contReadingFromSrcdevMode: UInt64
    public var replaceState: UInt64
    public var timeStarted: UInt64
    public var timeStopped: UInt64
    public var numWriteErrors: UInt64
    public var numUncorrectableReadErrors: UInt64

    public init(key: Key, reader: ItemReader) throws {
        var r = reader
        r.context = "DEV_REPLACE"
        try r.check(at: 0, length: DevReplaceItem.size)
        self.key = key
        srcDevid = try r.readU64(); cursorLeft = try r.readU64(); cursorRight = try r.readU64()
        contReadingFromSrcdevMode = try r.readU64(); replaceState = try r.readU64()
        timeStarted = try r.readU64(); timeStopped = try r.readU64()
        numWriteErrors = try r.readU64(); numUncorrectableReadErrors = try r.readU64()
    }
}

/// RAID_STRIPE (raid stripe tree 12, key (vaddr RAID_STRIPE length)): btrfs_raid_stride entries.
public struct RaidStripeItem: Hashable, Sendable {
    public struct Stride: Hashable, Sendable {
        public var devid: UInt64
        public var physical: UInt64
    }
    public var key: Key
    public var strides: [Stride]
    public var vaddr: UInt64 { key.objectID }
    public var length: UInt64 { key.offset }

    public init(key: Key, reader: ItemReader) throws {
        var r = reader
        r.context = "RAID_STRIPE"
        guard r.count % 16 == 0 else { throw BtrfsError.malformed(what: "RAID stripe item of \(r.count) bytes") }
        self.key = key
        strides = []
        while r.remaining > 0 { strides.append(Stride(devid: try r.readU64(), physical: try r.readU64())) }
    }
}

/// fs-verity items (subvolume trees, key (ino VERITY_DESC_ITEM|VERITY_MERKLE_ITEM offset)):
/// at offset 0 of VERITY_DESC the struct btrfs_verity_descriptor_item, elsewhere raw bytes.
public struct VerityItem: Hashable, Sendable {
    /// struct btrfs_verity_descriptor_item: size, reserved[2], encryption.
    public static let descriptorSize = 25
    public var key: Key
    /// Descriptor header (VERITY_DESC offset 0): descriptor size and encryption.
    public var descriptorSize: UInt64?
    public var encryption: UInt8?
    public var bytes: [UInt8]
    public var isMerkle: Bool { key.itemType == .verityMerkleItem }

    public init(key: Key, reader: ItemReader) throws {
        self.key = key
        if key.itemType == .verityDescItem && key.offset == 0 {
            var r = reader
            r.context = "VERITY_DESC_ITEM"
            try r.check(at: 0, length: VerityItem.descriptorSize)
            descriptorSize = try r.readU64()
            try r.skip(16)
            encryption = try r.readU8()
            bytes = []
        } else {
            bytes = try reader.getBytes(at: 0, length: reader.count)
        }
    }
}

/// struct btrfs_dir_log_item (log trees, DIR_LOG_ITEM / DIR_LOG_INDEX): end of a logged range.
public struct DirLogItem: Hashable, Sendable {
    public var key: Key
    public var end: UInt64
    public init(key: Key, reader: ItemReader) throws {
        var r = reader
        r.context = "DIR_LOG_ITEM"
        self.key = key
        end = try r.readU64()
    }
}

/// An item kept as its bytes: STRING_ITEM, or a type this library does not know.
public struct RawItem: Hashable, Sendable {
    public var key: Key
    public var bytes: [UInt8]
    public init(key: Key, bytes: [UInt8]) { self.key = key; self.bytes = bytes }
}
