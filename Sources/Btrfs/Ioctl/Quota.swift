import CBtrfs

/// QUOTA_CTL, QUOTA_RESCAN*, QGROUP_CREATE, QGROUP_ASSIGN and QGROUP_LIMIT: switching quotas and
/// editing qgroups. None of these is retried on EINTR (each changes the filesystem). Errors are
/// `BtrfsError.system` with the kernel's errno (ENOTCONN: quotas are not enabled).

/// A qgroup limit as QGROUP_LIMIT takes it (struct btrfs_qgroup_limit).
public struct QgroupLimit: Hashable, Sendable {
    /// Which limits to set (`maxReferencedFlag` …), the limits in bytes, and reservations in bytes.
    public var flags: UInt64 = 0
    public var maxReferenced: UInt64 = 0
    public var maxExclusive: UInt64 = 0
    public var reservedReferenced: UInt64 = 0
    public var reservedExclusive: UInt64 = 0

    /// No limits set.
    public init() {}

    /// BTRFS_QGROUP_LIMIT_* flags.
    public static let maxReferencedFlag: UInt64 = 1 << 0
    public static let maxExclusiveFlag: UInt64 = 1 << 1
    public static let referencedCompressedFlag: UInt64 = 1 << 4
    public static let exclusiveCompressedFlag: UInt64 = 1 << 5
    /// The size that clears a limit.
    public static let none: UInt64 = .max
}

/// What QUOTA_RESCAN_STATUS reports.
public struct QuotaRescanStatus: Hashable, Sendable {
    /// Non-zero while a rescan runs.
    public var flags: UInt64
    /// The objectid the rescan has reached.
    public var progress: UInt64
    public var isRunning: Bool { flags != 0 }
}

/// BTRFS_QGROUP_STATUS_FLAG_* of the quota tree's status item.
public enum QgroupStatusFlags {
    /// BTRFS_QGROUP_STATUS_FLAG_ON, _RESCAN and _INCONSISTENT.
    public static let on: UInt64 = 1 << 0
    public static let rescan: UInt64 = 1 << 1
    public static let inconsistent: UInt64 = 1 << 2
}

extension FileSystem {
    /// Turns quotas on (QUOTA_CTL ENABLE).
    public func enableQuota() throws { try quotaCtl(UInt64(BTRFS_QUOTA_CTL_ENABLE)) }

    /// Turns quotas off and drops the quota tree (QUOTA_CTL DISABLE).
    public func disableQuota() throws { try quotaCtl(UInt64(BTRFS_QUOTA_CTL_DISABLE)) }

    private func quotaCtl(_ command: UInt64) throws {
        var args = btrfs_ioctl_quota_ctl_args()
        args.cmd = command
        try descriptor.ioctl(SB_IOC_QUOTA_CTL, &args, name: "quota ctl", retryOnInterrupt: false)
    }

    /// Starts a rescan of all qgroup numbers (QUOTA_RESCAN); EINPROGRESS when one runs already.
    public func startQuotaRescan() throws {
        var args = btrfs_ioctl_quota_rescan_args()
        try descriptor.ioctl(SB_IOC_QUOTA_RESCAN, &args, name: "quota rescan", retryOnInterrupt: false)
    }

    /// Whether a rescan runs, and how far it got (QUOTA_RESCAN_STATUS).
    public func quotaRescanStatus() throws -> QuotaRescanStatus {
        var args = btrfs_ioctl_quota_rescan_args()
        try descriptor.ioctl(SB_IOC_QUOTA_RESCAN_STATUS, &args, name: "quota rescan status")
        return QuotaRescanStatus(flags: args.flags, progress: args.progress)
    }

    /// Waits until a running rescan ends (QUOTA_RESCAN_WAIT; returns at once when none runs).
    public func waitQuotaRescan() throws {
        try descriptor.ioctl(SB_IOC_QUOTA_RESCAN_WAIT, nil, name: "quota rescan wait")
    }

    /// Creates (or, with `create` false, destroys) qgroup `qgroupID` (QGROUP_CREATE).
    public func createQgroup(_ qgroupID: UInt64, create: Bool = true) throws {
        var args = btrfs_ioctl_qgroup_create_args()
        args.create = create ? 1 : 0
        args.qgroupid = qgroupID
        try descriptor.ioctl(SB_IOC_QGROUP_CREATE, &args, name: "qgroup create", retryOnInterrupt: false)
    }

    /// Makes `child` a member of `parent` (or, with `assign` false, ends that relation)
    /// (QGROUP_ASSIGN). True when the kernel marked the qgroup numbers inconsistent (it returns
    /// a positive value then): a rescan is needed.
    @discardableResult
    public func assignQgroup(_ child: UInt64, to parent: UInt64, assign: Bool = true) throws -> Bool {
        var args = btrfs_ioctl_qgroup_assign_args()
        args.assign = assign ? 1 : 0
        args.src = child
        args.dst = parent
        switch rawIoctl(descriptor.rawValue, SB_IOC_QGROUP_ASSIGN, &args, retryOnInterrupt: false) {
        case .success(let value): return value > 0
        case .failure(let e): throw descriptor.error(e.rawValue, call: "qgroup assign")
        }
    }

    /// Sets the limits of qgroup `qgroupID`; 0 means the subvolume the descriptor is in (QGROUP_LIMIT).
    public func limitQgroup(_ qgroupID: UInt64, _ limit: QgroupLimit) throws {
        var args = btrfs_ioctl_qgroup_limit_args()
        args.qgroupid = qgroupID
        args.lim.flags = limit.flags
        args.lim.max_rfer = limit.maxReferenced
        args.lim.max_excl = limit.maxExclusive
        args.lim.rsv_rfer = limit.reservedReferenced
        args.lim.rsv_excl = limit.reservedExclusive
        try descriptor.ioctl(SB_IOC_QGROUP_LIMIT, &args, name: "qgroup limit", retryOnInterrupt: false)
    }
}
