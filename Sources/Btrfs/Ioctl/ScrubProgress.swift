import CBtrfs
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// BTRFS_IOC_SCRUB_PROGRESS: the counters of the scrub running on one device (struct
/// btrfs_scrub_progress), by the names btrfs-progs uses for them.
public struct ScrubProgress: Hashable, Sendable {
    public var devid: UInt64
    public var dataExtentsScrubbed: UInt64
    public var treeExtentsScrubbed: UInt64
    public var dataBytesScrubbed: UInt64
    public var treeBytesScrubbed: UInt64
    public var readErrors: UInt64
    public var csumErrors: UInt64
    public var verifyErrors: UInt64
    public var noCsum: UInt64
    public var csumDiscards: UInt64
    public var superErrors: UInt64
    public var mallocErrors: UInt64
    public var uncorrectableErrors: UInt64
    public var correctedErrors: UInt64
    public var lastPhysical: UInt64
    public var unverifiedErrors: UInt64
}

extension FileSystem {
    /// The progress of the scrub running on device `devid`; nil when none runs there (ENOTCONN).
    /// Needs CAP_SYS_ADMIN; a device that is not in the filesystem is ENODEV.
    public func scrubProgress(devid: UInt64) throws -> ScrubProgress? {
        var args = btrfs_ioctl_scrub_args()
        args.devid = devid
        let code = descriptor.ioctlErrno(SB_IOC_SCRUB_PROGRESS, &args)
        if code == ENOTCONN { return nil }
        if code != 0 { throw BtrfsError.system(errno: code, call: "scrub progress", path: path) }
        let p = args.progress
        return ScrubProgress(devid: devid, dataExtentsScrubbed: p.data_extents_scrubbed, treeExtentsScrubbed: p.tree_extents_scrubbed,
                             dataBytesScrubbed: p.data_bytes_scrubbed, treeBytesScrubbed: p.tree_bytes_scrubbed,
                             readErrors: p.read_errors, csumErrors: p.csum_errors, verifyErrors: p.verify_errors,
                             noCsum: p.no_csum, csumDiscards: p.csum_discards, superErrors: p.super_errors,
                             mallocErrors: p.malloc_errors, uncorrectableErrors: p.uncorrectable_errors,
                             correctedErrors: p.corrected_errors, lastPhysical: p.last_physical,
                             unverifiedErrors: p.unverified_errors)
    }
}
