/// Block group type and profile bits (btrfs_tree.h `BTRFS_BLOCK_GROUP_*`), as chunks, block
/// group items and SPACE_INFO rows carry them.
public enum BlockGroupFlags {
    /// Type bits (python-btrfs `BLOCK_GROUP_DATA`, `_SYSTEM`, `_METADATA`), then the profile bits
    /// (`BLOCK_GROUP_RAID0` …; no bit is single) and the masks of each kind; `mixed` is data and metadata
    /// in one block group.
    public static let data: UInt64 = 1 << 0
    public static let system: UInt64 = 1 << 1
    public static let metadata: UInt64 = 1 << 2
    public static let raid0: UInt64 = 1 << 3
    public static let raid1: UInt64 = 1 << 4
    public static let dup: UInt64 = 1 << 5
    public static let raid10: UInt64 = 1 << 6
    public static let raid5: UInt64 = 1 << 7
    public static let raid6: UInt64 = 1 << 8
    public static let raid1c3: UInt64 = 1 << 9
    public static let raid1c4: UInt64 = 1 << 10
    public static let typeMask: UInt64 = data | system | metadata
    public static let profileMask: UInt64 = raid0 | raid1 | dup | raid10 | raid5 | raid6 | raid1c3 | raid1c4
    public static let mixed: UInt64 = data | metadata
    /// The "single" marker of balance args and extended profiles.
    public static let availAllocBitSingle: UInt64 = 1 << 48
    /// The artificial space info row of the global block reserve.
    public static let globalReserve: UInt64 = 1 << 49
}
