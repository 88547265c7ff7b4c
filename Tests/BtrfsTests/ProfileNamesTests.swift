import Testing
import CBtrfs
@testable import Btrfs

/// Type and profile names against btrfs_group_type_str / btrfs_group_profile_str, with the flag
/// bits taken from the kernel's own header (so the spelled-out constants are checked too).
struct ProfileNamesTests {
    static let data = UInt64(BTRFS_BLOCK_GROUP_DATA)
    static let system = UInt64(BTRFS_BLOCK_GROUP_SYSTEM)
    static let metadata = UInt64(BTRFS_BLOCK_GROUP_METADATA)
    static let reserve = UInt64(1) << 49  // BTRFS_SPACE_INFO_GLOBAL_RSV (progs' ctree.h)

    @Test func typeNames() {
        #expect(ProfileNames.typeName(Self.data) == "Data")
        #expect(ProfileNames.typeName(Self.system | UInt64(BTRFS_BLOCK_GROUP_DUP)) == "System")
        #expect(ProfileNames.typeName(Self.metadata) == "Metadata")
        #expect(ProfileNames.typeName(Self.data | Self.metadata) == "Data+Metadata")
        #expect(ProfileNames.typeName(Self.reserve) == "GlobalReserve")
        #expect(ProfileNames.typeName(Self.reserve | Self.metadata) == "unknown")
        #expect(ProfileNames.typeName(0) == "unknown")
        #expect(ProfileNames.typeName(Self.data | Self.system) == "unknown")
    }

    @Test func profileNames() {
        let cases: [(UInt64, String)] = [
            (UInt64(BTRFS_BLOCK_GROUP_RAID0), "RAID0"), (UInt64(BTRFS_BLOCK_GROUP_RAID1), "RAID1"),
            (UInt64(BTRFS_BLOCK_GROUP_DUP), "DUP"), (UInt64(BTRFS_BLOCK_GROUP_RAID10), "RAID10"),
            (UInt64(BTRFS_BLOCK_GROUP_RAID5), "RAID5"), (UInt64(BTRFS_BLOCK_GROUP_RAID6), "RAID6"),
            (UInt64(BTRFS_BLOCK_GROUP_RAID1C3), "RAID1C3"), (UInt64(BTRFS_BLOCK_GROUP_RAID1C4), "RAID1C4"),
        ]
        for (flag, name) in cases {
            #expect(ProfileNames.profileName(UInt64(flag) | Self.data) == name)
        }
        #expect(ProfileNames.profileName(Self.data) == "single")
        #expect(ProfileNames.profileName(Self.reserve) == "single")
        #expect(ProfileNames.profileName(Self.data | (1 << 48)) == "single")
        #expect(ProfileNames.profileName(Self.data | (1 << 11)) == "UNKNOWN")
        // Two profile bits: progs' raid index precedence (RAID10 before RAID1 ...).
        #expect(ProfileNames.profileName(UInt64(BTRFS_BLOCK_GROUP_RAID1) | UInt64(BTRFS_BLOCK_GROUP_RAID10)) == "RAID10")
        #expect(ProfileNames.profileName(UInt64(BTRFS_BLOCK_GROUP_DUP) | UInt64(BTRFS_BLOCK_GROUP_RAID0)) == "DUP")
    }

    @Test func multipleProfiles() {
        let dup = UInt64(BTRFS_BLOCK_GROUP_DUP), raid1 = UInt64(BTRFS_BLOCK_GROUP_RAID1)
        let single = ProfileNames.multipleProfiles([Self.data, Self.metadata | dup, Self.system | dup, Self.reserve])
        #expect(!single.any)
        let mixed = ProfileNames.multipleProfiles([Self.data, Self.data | raid1, Self.metadata | dup,
                                                   Self.metadata | raid1 | dup, Self.system, Self.reserve])
        #expect(mixed.data == "single, raid1")
        #expect(mixed.metadata == "raid1, dup")
        #expect(mixed.system == nil)
        #expect(mixed.mixed == nil)
        let both = ProfileNames.multipleProfiles([Self.data | Self.metadata, Self.data | Self.metadata | dup])
        #expect(both.mixed == "single, dup")
        #expect(both.data == nil)
    }
}
