import CBtrfs

/// The counters of one device's scrub (struct btrfs_scrub_progress), in the kernel's order.
public struct ScrubProgress: Hashable, Sendable {
    /// Extents and bytes scrubbed, then error counts by kind (read, checksum, verify, no checksum,
    /// discarded checksums, superblock, allocation, uncorrectable, corrected).
    public var dataExtentsScrubbed: UInt64 = 0
    public var treeExtentsScrubbed: UInt64 = 0
    public var dataBytesScrubbed: UInt64 = 0
    public var treeBytesScrubbed: UInt64 = 0
    public var readErrors: UInt64 = 0
    public var csumErrors: UInt64 = 0
    public var verifyErrors: UInt64 = 0
    public var noCsum: UInt64 = 0
    public var csumDiscards: UInt64 = 0
    public var superErrors: UInt64 = 0
    public var mallocErrors: UInt64 = 0
    public var uncorrectableErrors: UInt64 = 0
    public var correctedErrors: UInt64 = 0
    /// The physical address the scrub reached on the device (where a resume starts).
    public var lastPhysical: UInt64 = 0
    public var unverifiedErrors: UInt64 = 0

    /// All counters zero.
    public init() {}

    init(_ p: btrfs_scrub_progress) {
        dataExtentsScrubbed = p.data_extents_scrubbed
        treeExtentsScrubbed = p.tree_extents_scrubbed
        dataBytesScrubbed = p.data_bytes_scrubbed
        treeBytesScrubbed = p.tree_bytes_scrubbed
        readErrors = p.read_errors
        csumErrors = p.csum_errors
        verifyErrors = p.verify_errors
        noCsum = p.no_csum
        csumDiscards = p.csum_discards
        superErrors = p.super_errors
        mallocErrors = p.malloc_errors
        uncorrectableErrors = p.uncorrectable_errors
        correctedErrors = p.corrected_errors
        lastPhysical = p.last_physical
        unverifiedErrors = p.unverified_errors
    }

    /// Bytes scrubbed, data and metadata (wrapping, as the C sum does on absurd counters).
    public var bytesScrubbed: UInt64 { dataBytesScrubbed &+ treeBytesScrubbed }
}

/// How one device's SCRUB ended: the counters the kernel filled in, and the errno when the call
/// failed (ECANCELED after a cancel, ENODEV for a missing device, EINPROGRESS when one runs).
public struct ScrubOutcome: Hashable, Sendable {
    /// The counters, and the errno when the call failed (nil on success).
    public var progress: ScrubProgress
    public var errno: Int32?
}

extension FileSystem {
    /// Scrubs device `devid` from physical byte `start` to `end` and returns when it is done or
    /// canceled (SCRUB; blocks for as long as the scrub runs; never retried on EINTR).
    public func scrub(devid: UInt64, start: UInt64 = 0, end: UInt64 = .max, readOnly: Bool = false) -> ScrubOutcome {
        var args = btrfs_ioctl_scrub_args()
        args.devid = devid
        args.start = start
        args.end = end
        args.flags = readOnly ? UInt64(BTRFS_SCRUB_READONLY) : 0
        let e = descriptor.ioctlErrno(SB_IOC_SCRUB, &args, retryOnInterrupt: false)
        return ScrubOutcome(progress: ScrubProgress(args.progress), errno: e == 0 ? nil : e)
    }

    /// The counters of the scrub running on `devid` (SCRUB_PROGRESS); ENOTCONN when none runs,
    /// ENODEV when there is no such device.
    public func scrubProgress(devid: UInt64) throws -> ScrubProgress {
        var args = btrfs_ioctl_scrub_args()
        args.devid = devid
        try descriptor.ioctl(SB_IOC_SCRUB_PROGRESS, &args, name: "scrub progress")
        return ScrubProgress(args.progress)
    }

    /// Cancels the scrubs running on the filesystem (SCRUB_CANCEL); ENOTCONN when none runs.
    public func cancelScrub() throws {
        try descriptor.ioctl(SB_IOC_SCRUB_CANCEL, nil, name: "scrub cancel", retryOnInterrupt: false)
    }
}
