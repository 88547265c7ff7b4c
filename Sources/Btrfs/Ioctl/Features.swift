import CBtrfs

/// BTRFS_IOC_GET_FEATURES: the compat, compat_ro and incompat feature bits.
public struct FeatureFlags: Hashable, Sendable {
    /// The three feature sets (superblock compat_flags, compat_ro_flags, incompat_flags).
    public var compat: UInt64
    public var compatRO: UInt64
    public var incompat: UInt64

    /// BTRFS_FEATURE_COMPAT_RO_* bits, then BTRFS_FEATURE_INCOMPAT_* bits.
    public static let compatROFreeSpaceTree: UInt64 = 1 << 0
    public static let compatROFreeSpaceTreeValid: UInt64 = 1 << 1
    public static let compatROVerity: UInt64 = 1 << 2
    public static let compatROBlockGroupTree: UInt64 = 1 << 3
    public static let incompatMixedBackref: UInt64 = 1 << 0
    public static let incompatDefaultSubvol: UInt64 = 1 << 1
    public static let incompatMixedGroups: UInt64 = 1 << 2
    public static let incompatCompressLZO: UInt64 = 1 << 3
    public static let incompatCompressZSTD: UInt64 = 1 << 4
    public static let incompatBigMetadata: UInt64 = 1 << 5
    public static let incompatExtendedIref: UInt64 = 1 << 6
    public static let incompatRAID56: UInt64 = 1 << 7
    public static let incompatSkinnyMetadata: UInt64 = 1 << 8
    public static let incompatNoHoles: UInt64 = 1 << 9
    public static let incompatMetadataUUID: UInt64 = 1 << 10
    public static let incompatRAID1C34: UInt64 = 1 << 11
    public static let incompatZoned: UInt64 = 1 << 12
    public static let incompatExtentTreeV2: UInt64 = 1 << 13
    public static let incompatRaidStripeTree: UInt64 = 1 << 14
    public static let incompatSimpleQuota: UInt64 = 1 << 16

    /// BTRFS_IOC_GET_FEATURES on `fd`, the one place it is asked: by `FileSystem.features()`,
    /// and by `Descriptor` before a FileSystem exists, to tell btrfs (no other filesystem answers it).
    static func read(_ fd: CInt) -> Result<FeatureFlags, SystemError> {
        var flags = (UInt64(0), UInt64(0), UInt64(0))
        return withUnsafeMutableBytes(of: &flags) { rawIoctl(fd, SB_IOC_GET_FEATURES, $0.baseAddress, retryOnInterrupt: true) }
            .map { _ in FeatureFlags(compat: flags.0, compatRO: flags.1, incompat: flags.2) }
    }
}

extension FileSystem {
    /// The filesystem's feature flags.
    public func features() throws -> FeatureFlags {
        try FeatureFlags.read(descriptor.rawValue).get { descriptor.error($0, call: "get features") }
    }

    /// Whether the filesystem is zoned: the incompat flag for which the kernel shows sysfs's
    /// features/zoned, which progs looks for (one ioctl where the sysfs path cost `fi df` a
    /// sixth of its instructions); false when the flags cannot be read.
    public func isZoned() -> Bool {
        guard let flags = try? features() else { return false }
        return flags.incompat & FeatureFlags.incompatZoned != 0
    }
}
