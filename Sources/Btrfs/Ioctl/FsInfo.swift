import CBtrfs

/// BTRFS_IOC_FS_INFO: the filesystem's identity and geometry.
public struct FsInfo: Hashable, Sendable {
    /// The highest devid, the number of devices, the filesystem UUID, node and sector size and clone
    /// alignment in bytes.
    public var maxID: UInt64
    public var numDevices: UInt64
    public var fsid: BtrfsUUID
    public var nodesize: UInt32
    public var sectorsize: UInt32
    public var cloneAlignment: UInt32
    /// Valid when `flags` has `FsInfo.flagCsumInfo`.
    public var csumType: UInt16
    public var csumSize: UInt16
    /// Which optional fields the kernel filled in.
    public var flags: UInt64
    /// Valid when `flags` has `FsInfo.flagGeneration`.
    public var generation: UInt64
    /// Valid when `flags` has `FsInfo.flagMetadataUUID`.
    public var metadataUUID: BtrfsUUID

    /// BTRFS_FS_INFO_FLAG_CSUM_INFO, _GENERATION and _METADATA_UUID: which optional fields `flags` says are
    /// filled in.
    public static let flagCsumInfo: UInt64 = 1 << 0
    public static let flagGeneration: UInt64 = 1 << 1
    public static let flagMetadataUUID: UInt64 = 1 << 2
}

extension FileSystem {
    /// Filesystem information, asking for checksum, generation and metadata uuid (as python-btrfs 13 does).
    public func fsInfo() throws -> FsInfo {
        var args = btrfs_ioctl_fs_info_args()
        args.flags = FsInfo.flagCsumInfo | FsInfo.flagGeneration | FsInfo.flagMetadataUUID
        try descriptor.ioctl(SB_IOC_FS_INFO, &args, name: "fs info")
        return FsInfo(
            maxID: args.max_id, numDevices: args.num_devices,
            fsid: BtrfsUUID(bytes: withUnsafeBytes(of: args.fsid) { Array($0) }),
            nodesize: args.nodesize, sectorsize: args.sectorsize, cloneAlignment: args.clone_alignment,
            csumType: args.csum_type, csumSize: args.csum_size, flags: args.flags,
            generation: args.generation,
            metadataUUID: BtrfsUUID(bytes: withUnsafeBytes(of: args.metadata_uuid) { Array($0) }))
    }
}
