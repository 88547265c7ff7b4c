/// How a block group profile lays a chunk out over devices: python-btrfs's `volumes._raid_array`
/// (the kernel's `btrfs_raid_array`), and the chunk/device-extent length conversions built on it.
public struct RaidAttributes: Hashable, Sendable {
    /// The fields of btrfs-progs' struct btrfs_raid_attr (volumes.c btrfs_raid_array).
    public var subStripes: Int
    public var devStripes: Int
    /// 0: no upper limit.
    public var devsMax: Int
    public var devsMin: Int
    public var toleratedFailures: Int
    public var devsIncrement: Int
    public var ncopies: Int
    public var nparity: Int
    public var raidName: String
    /// The profile bit (0 for single).
    public var blockGroupFlag: UInt64

    typealias F = BlockGroupFlags

    /// RAID10: mirrored pairs of stripes, at least 4 devices.
    public static let raid10 = RaidAttributes(subStripes: 2, devStripes: 1, devsMax: 0, devsMin: 4, toleratedFailures: 1,
                                              devsIncrement: 2, ncopies: 2, nparity: 0, raidName: "raid10", blockGroupFlag: F.raid10)
    /// RAID1: two copies on two devices.
    public static let raid1 = RaidAttributes(subStripes: 1, devStripes: 1, devsMax: 2, devsMin: 2, toleratedFailures: 1,
                                             devsIncrement: 2, ncopies: 2, nparity: 0, raidName: "raid1", blockGroupFlag: F.raid1)
    /// RAID1C3: three copies on three devices.
    public static let raid1c3 = RaidAttributes(subStripes: 1, devStripes: 1, devsMax: 3, devsMin: 3, toleratedFailures: 2,
                                               devsIncrement: 3, ncopies: 3, nparity: 0, raidName: "raid1c3", blockGroupFlag: F.raid1c3)
    /// RAID1C4: four copies on four devices.
    public static let raid1c4 = RaidAttributes(subStripes: 1, devStripes: 1, devsMax: 4, devsMin: 4, toleratedFailures: 3,
                                               devsIncrement: 4, ncopies: 4, nparity: 0, raidName: "raid1c4", blockGroupFlag: F.raid1c4)
    /// DUP: two copies on one device.
    public static let dup = RaidAttributes(subStripes: 1, devStripes: 2, devsMax: 1, devsMin: 1, toleratedFailures: 0,
                                           devsIncrement: 1, ncopies: 2, nparity: 0, raidName: "dup", blockGroupFlag: F.dup)
    /// RAID0: striped, no copies, at least 2 devices.
    public static let raid0 = RaidAttributes(subStripes: 1, devStripes: 1, devsMax: 0, devsMin: 2, toleratedFailures: 0,
                                             devsIncrement: 1, ncopies: 1, nparity: 0, raidName: "raid0", blockGroupFlag: F.raid0)
    /// single: one copy on one device.
    public static let single = RaidAttributes(subStripes: 1, devStripes: 1, devsMax: 1, devsMin: 1, toleratedFailures: 0,
                                              devsIncrement: 1, ncopies: 1, nparity: 0, raidName: "single", blockGroupFlag: 0)
    /// RAID5: striped with one parity stripe, at least 2 devices.
    public static let raid5 = RaidAttributes(subStripes: 1, devStripes: 1, devsMax: 0, devsMin: 2, toleratedFailures: 1,
                                             devsIncrement: 1, ncopies: 1, nparity: 1, raidName: "raid5", blockGroupFlag: F.raid5)
    /// RAID6: striped with two parity stripes, at least 3 devices.
    public static let raid6 = RaidAttributes(subStripes: 1, devStripes: 1, devsMax: 0, devsMin: 3, toleratedFailures: 2,
                                             devsIncrement: 1, ncopies: 1, nparity: 2, raidName: "raid6", blockGroupFlag: F.raid6)

    /// Every profile, in the order of python-btrfs's table.
    public static let all: [RaidAttributes] = [raid10, raid1, raid1c3, raid1c4, dup, raid0, single, raid5, raid6]

    /// The attributes of the profile in `flags`; the first matching bit wins, as in
    /// `_bg_flags_to_raid_index` (raid10, raid1, raid1c3, raid1c4, dup, raid0, raid5, raid6, else single).
    /// An if-chain rather than a loop over an array literal: the chunk-allocation simulation asks
    /// this several times per simulated chunk, and the literal allocated an array each time.
    public init(flags: UInt64) {
        if flags & F.raid10 != 0 { self = .raid10 }
        else if flags & F.raid1 != 0 { self = .raid1 }
        else if flags & F.raid1c3 != 0 { self = .raid1c3 }
        else if flags & F.raid1c4 != 0 { self = .raid1c4 }
        else if flags & F.dup != 0 { self = .dup }
        else if flags & F.raid0 != 0 { self = .raid0 }
        else if flags & F.raid5 != 0 { self = .raid5 }
        else if flags & F.raid6 != 0 { self = .raid6 }
        else { self = .single }
    }

    init(subStripes: Int, devStripes: Int, devsMax: Int, devsMin: Int, toleratedFailures: Int,
         devsIncrement: Int, ncopies: Int, nparity: Int, raidName: String, blockGroupFlag: UInt64) {
        self.subStripes = subStripes
        self.devStripes = devStripes
        self.devsMax = devsMax
        self.devsMin = devsMin
        self.toleratedFailures = toleratedFailures
        self.devsIncrement = devsIncrement
        self.ncopies = ncopies
        self.nparity = nparity
        self.raidName = raidName
        self.blockGroupFlag = blockGroupFlag
    }

    /// Length of each device extent storing a chunk of `chunkLength` virtual bytes over
    /// `numStripes` stripes (`chunk_length_to_dev_extent_length`); 0 when no stripe holds data.
    public static func devExtentLength(flags: UInt64, numStripes: Int, chunkLength: Int) -> Int {
        RaidAttributes(flags: flags & F.profileMask).devExtentLength(numStripes: numStripes, chunkLength: chunkLength)
    }

    /// `devExtentLength(flags:…)` for this profile.
    func devExtentLength(numStripes: Int, chunkLength: Int) -> Int {
        let dataStripes = numStripes &- nparity
        guard dataStripes > 0 else { return 0 }
        return (chunkLength &* ncopies) / dataStripes
    }

    /// The reverse: virtual length of a chunk whose device extents are `stripeSize` long
    /// (`dev_extent_length_to_chunk_length`).
    public static func chunkLength(flags: UInt64, numStripes: Int, stripeSize: Int) -> Int {
        RaidAttributes(flags: flags & F.profileMask).chunkLength(numStripes: numStripes, stripeSize: stripeSize)
    }

    /// `chunkLength(flags:…)` for this profile.
    func chunkLength(numStripes: Int, stripeSize: Int) -> Int {
        (stripeSize &* (numStripes &- nparity)) / ncopies
    }

    /// Device extent length of one chunk (`chunk_to_dev_extent_length`).
    public static func devExtentLength(of chunk: Chunk) -> Int {
        devExtentLength(flags: chunk.type, numStripes: Int(chunk.numStripes), chunkLength: Int(clamping: chunk.length))
    }

    /// Raw bytes of a chunk reserved for RAID5/6 parity (`chunk_to_raw_parity_bytes`).
    public static func rawParityBytes(of chunk: Chunk) -> Int {
        devExtentLength(of: chunk) &* RaidAttributes(flags: chunk.type & F.profileMask).nparity
    }

    /// How many times data is stored (`block_group_profile_ncopies`): 2 for RAID1, 1 for RAID5.
    public static func ncopies(flags: UInt64) -> Int {
        RaidAttributes(flags: flags & F.profileMask).ncopies
    }
}
