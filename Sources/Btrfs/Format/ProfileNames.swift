/// Block group type and profile names as btrfs-progs prints them (common/utils.c), pure functions
/// over the flags of a block group or of a SPACE_INFO row.
public enum ProfileNames {
    // The bits are BlockGroupFlags' (one table of btrfs_tree.h's values); short names keep the tables readable.
    static let data = BlockGroupFlags.data
    static let system = BlockGroupFlags.system
    static let metadata = BlockGroupFlags.metadata
    static let raid0 = BlockGroupFlags.raid0
    static let raid1 = BlockGroupFlags.raid1
    static let dup = BlockGroupFlags.dup
    static let raid10 = BlockGroupFlags.raid10
    static let raid5 = BlockGroupFlags.raid5
    static let raid6 = BlockGroupFlags.raid6
    static let raid1c3 = BlockGroupFlags.raid1c3
    static let raid1c4 = BlockGroupFlags.raid1c4
    static let availAllocSingle = BlockGroupFlags.availAllocBitSingle
    static let globalReserve = BlockGroupFlags.globalReserve

    static let typeMask = BlockGroupFlags.typeMask
    static let profileMask = BlockGroupFlags.profileMask
    static let reserved = availAllocSingle | globalReserve
    static let extendedProfileMask = profileMask | availAllocSingle

    /// progs' btrfs_raid_array order: (flag, upper name, lower name).
    static let raidTable: [(flag: UInt64, upper: String, lower: String)] = [
        (raid10, "RAID10", "raid10"), (raid1, "RAID1", "raid1"), (raid1c3, "RAID1C3", "raid1c3"),
        (raid1c4, "RAID1C4", "raid1c4"), (dup, "DUP", "dup"), (raid0, "RAID0", "raid0"),
        (0, "single", "single"), (raid5, "RAID5", "raid5"), (raid6, "RAID6", "raid6"),
    ]

    /// Every profile name in lower case, as mkfs and balance take them (progs' raid table order).
    public static var lowerNames: [String] { raidTable.map(\.lower) }

    /// parse_bg_profile: the block group flag of a profile named in any case of ASCII letters
    /// (`raid1`, `DUP`, `Single`; single's flag is 0); nil for an unknown name.
    public static func flag(ofProfileNamed name: String) -> UInt64? {
        let folded = name.utf8.map { (0x41...0x5A).contains($0) ? $0 | 0x20 : $0 }
        return raidTable.first { Array($0.lower.utf8) == folded }?.flag
    }

    /// btrfs_group_type_str: Data, System, Metadata, Data+Metadata, GlobalReserve or unknown.
    public static func typeName(_ flags: UInt64) -> String {
        switch flags & (typeMask | globalReserve) {
        case data: return "Data"
        case system: return "System"
        case metadata: return "Metadata"
        case data | metadata: return "Data+Metadata"
        case globalReserve: return "GlobalReserve"
        default: return "unknown"
        }
    }

    /// btrfs_group_profile_str: single, DUP, RAID0.. RAID1C4, or UNKNOWN for stray bits.
    public static func profileName(_ flags: UInt64) -> String {
        let profile = flags & ~(typeMask | reserved)
        if profile & ~profileMask != 0 { return "UNKNOWN" }
        return raidTable[raidIndex(profile)].upper
    }

    /// btrfs_bg_flags_to_raid_index: the first matching profile in progs' precedence.
    /// The table is in that precedence; single's flag (0) never matches.
    static func raidIndex(_ flags: UInt64) -> Int {
        raidTable.firstIndex { flags & $0.flag != 0 } ?? 6  // single
    }

    /// The profiles of each block group type when a type has more than one (progs'
    /// btrfs_get_string_for_multiple_profiles), each listed as sprint_profiles does.
    public struct MultipleProfiles: Hashable, Sendable {
        /// Each type's profiles, nil where the type has only one.
        public var data: String?
        public var metadata: String?
        public var mixed: String?
        public var system: String?
        /// Whether any type has more than one profile.
        public var any: Bool { data != nil || metadata != nil || mixed != nil || system != nil }
    }

    /// Looks for types with several profiles among SPACE_INFO flags.
    public static func multipleProfiles(_ spaceFlags: [UInt64]) -> MultipleProfiles {
        var dataProfiles: UInt64 = 0, metadataProfiles: UInt64 = 0
        var systemProfiles: UInt64 = 0, mixedProfiles: UInt64 = 0
        for var flags in spaceFlags {
            if flags & profileMask == 0 { flags |= availAllocSingle }
            if flags & (data | metadata) == data | metadata {
                mixedProfiles |= flags
            } else if flags & data != 0 {
                dataProfiles |= flags
            } else if flags & metadata != 0 {
                metadataProfiles |= flags
            } else if flags & system != 0 {
                systemProfiles |= flags
            }
        }
        return MultipleProfiles(
            data: listProfiles(dataProfiles & extendedProfileMask),
            metadata: listProfiles(metadataProfiles & extendedProfileMask),
            mixed: listProfiles(mixedProfiles & extendedProfileMask),
            system: listProfiles(systemProfiles & extendedProfileMask))
    }

    /// sprint_profiles: nil for at most one profile, else "single, raid1, ..." in table order.
    static func listProfiles(_ profiles: UInt64) -> String? {
        guard profiles.nonzeroBitCount > 1 else { return nil }
        var names: [String] = []
        if profiles & availAllocSingle != 0 { names.append("single") }
        for entry in raidTable where entry.flag & profiles != 0 { names.append(entry.lower) }
        return names.joined(separator: ", ")
    }
}
