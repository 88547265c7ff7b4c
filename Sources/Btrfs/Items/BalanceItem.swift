/// struct btrfs_disk_balance_args: filters of one balance target.
public struct BalanceArgs: Hashable, Sendable {
    /// sizeof(struct btrfs_disk_balance_args) in bytes.
    public static let size = 136
    /// The filter fields of struct btrfs_disk_balance_args, in its order; `flags` says which are set
    /// (BTRFS_BALANCE_ARGS_*).
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
    /// sizeof(struct btrfs_balance_item) in bytes.
    public static let size = 448
    /// The item's key, (BALANCE TEMPORARY_ITEM 0); then the balance flags (BTRFS_BALANCE_*) and the filters
    /// of the data, metadata and system targets.
    public var key: Key
    public var flags: UInt64
    public var data: BalanceArgs
    public var meta: BalanceArgs
    public var sys: BalanceArgs

    /// Parses the item bytes; throws `BtrfsError.truncated` when they are short.
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
