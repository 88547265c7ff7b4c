#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CBtrfs

// BALANCE_V2 (start, resume), BALANCE_CTL (pause, cancel) and BALANCE_PROGRESS, as python-btrfs's
// btrfs.ioctl.balance_v2 / balance_ctl / balance_progress. None of them is retried on EINTR: a
// balance interrupted is the caller's to decide about, never started twice behind its back.

/// Which block group types a balance acts on, and how (btrfs_ioctl_balance_args.flags).
public struct BalanceFlags: OptionSet, Hashable, Sendable {
    /// The bits as the kernel has them.
    public var rawValue: UInt64
    /// Flags from the kernel's bits.
    public init(rawValue: UInt64) { self.rawValue = rawValue }
    /// BTRFS_BALANCE_DATA, _SYSTEM, _METADATA: the types to balance, and their mask.
    public static let data = BalanceFlags(rawValue: 1 << 0)
    public static let system = BalanceFlags(rawValue: 1 << 1)
    public static let metadata = BalanceFlags(rawValue: 1 << 2)
    public static let typeMask: BalanceFlags = [.data, .system, .metadata]
    /// Allow converting to a profile with less redundancy.
    public static let force = BalanceFlags(rawValue: 1 << 3)
    public static let resume = BalanceFlags(rawValue: 1 << 4)
}

/// Which filters of one BalanceArgs are set (BTRFS_BALANCE_ARGS_*).
public struct BalanceFilterFlags: OptionSet, Hashable, Sendable {
    /// The bits as the kernel has them.
    public var rawValue: UInt64
    /// Flags from the kernel's bits.
    public init(rawValue: UInt64) { self.rawValue = rawValue }
    /// BTRFS_BALANCE_ARGS_PROFILES … _USAGE_RANGE: one per filter of `BalanceArgs` (python-btrfs
    /// `BALANCE_ARGS_*`).
    public static let profiles = BalanceFilterFlags(rawValue: 1 << 0)
    public static let usage = BalanceFilterFlags(rawValue: 1 << 1)
    public static let devid = BalanceFilterFlags(rawValue: 1 << 2)
    public static let drange = BalanceFilterFlags(rawValue: 1 << 3)
    public static let vrange = BalanceFilterFlags(rawValue: 1 << 4)
    public static let limit = BalanceFilterFlags(rawValue: 1 << 5)
    public static let limitRange = BalanceFilterFlags(rawValue: 1 << 6)
    public static let stripesRange = BalanceFilterFlags(rawValue: 1 << 7)
    public static let convert = BalanceFilterFlags(rawValue: 1 << 8)
    public static let soft = BalanceFilterFlags(rawValue: 1 << 9)
    public static let usageRange = BalanceFilterFlags(rawValue: 1 << 10)
}

/// The state of a running balance (btrfs_ioctl_balance_args.state).
public struct BalanceState: OptionSet, Hashable, Sendable {
    /// The bits as the kernel has them.
    public var rawValue: UInt64
    /// A state from the kernel's bits.
    public init(rawValue: UInt64) { self.rawValue = rawValue }
    /// BTRFS_BALANCE_STATE_RUNNING, _PAUSE_REQ, _CANCEL_REQ.
    public static let running = BalanceState(rawValue: 1 << 0)
    public static let pauseRequested = BalanceState(rawValue: 1 << 1)
    public static let cancelRequested = BalanceState(rawValue: 1 << 2)
}

extension BalanceArgs {
    /// No filter: every block group of the type.
    public init() {
        profiles = 0; usage = 0; devid = 0; pstart = 0; pend = 0; vstart = 0; vend = 0
        target = 0; flags = 0; limit = 0; stripesMin = 0; stripesMax = 0
    }

    /// python-btrfs's BalanceArgs(...): each filter given sets its flag; an open end of a range
    /// takes python-btrfs's default (usage 0..100, drange/vrange 0..2^64-1, limit and stripes
    /// 0..2^32-1). `target` is a profile's block group flag (single: `availAllocBitSingle`).
    public init(profiles: UInt64? = nil, usageMin: UInt32? = nil, usageMax: UInt32? = nil,
                devid: UInt64? = nil, pstart: UInt64? = nil, pend: UInt64? = nil,
                vstart: UInt64? = nil, vend: UInt64? = nil, target: UInt64? = nil, soft: Bool = false,
                limitMin: UInt32? = nil, limitMax: UInt32? = nil,
                stripesMin: UInt32? = nil, stripesMax: UInt32? = nil) {
        self.init()
        var set: BalanceFilterFlags = []
        if let profiles { set.insert(.profiles); self.profiles = profiles }
        if usageMin != nil || usageMax != nil { set.insert(.usageRange) }
        usageRange = (usageMin ?? 0, usageMax ?? 100)
        if let devid {
            set.insert(.devid)
            self.devid = devid
            if pstart != nil || pend != nil { set.insert(.drange) }
            self.pstart = pstart ?? 0
            self.pend = pend ?? .max
        }
        if vstart != nil || vend != nil { set.insert(.vrange) }
        self.vstart = vstart ?? 0
        self.vend = vend ?? .max
        if let target {
            set.insert(.convert)
            self.target = target
            if soft { set.insert(.soft) }
        }
        if limitMin != nil || limitMax != nil { set.insert(.limitRange) }
        limitRange = (limitMin ?? 0, limitMax ?? .max)
        if stripesMin != nil || stripesMax != nil { set.insert(.stripesRange) }
        self.stripesMin = stripesMin ?? 0
        self.stripesMax = stripesMax ?? .max
        filterFlags = set
    }

    /// The set filters as a typed set (`flags` holds the same bits).
    public var filterFlags: BalanceFilterFlags {
        get { BalanceFilterFlags(rawValue: flags) }
        set { flags = newValue.rawValue }
    }

    /// usage_min and usage_max, the two halves of the `usage` union.
    public var usageRange: (min: UInt32, max: UInt32) {
        get { (UInt32(truncatingIfNeeded: usage), UInt32(truncatingIfNeeded: usage >> 32)) }
        set { usage = UInt64(newValue.min) | UInt64(newValue.max) << 32 }
    }

    /// limit_min and limit_max, the two halves of the `limit` union.
    public var limitRange: (min: UInt32, max: UInt32) {
        get { (UInt32(truncatingIfNeeded: limit), UInt32(truncatingIfNeeded: limit >> 32)) }
        set { limit = UInt64(newValue.min) | UInt64(newValue.max) << 32 }
    }

    init(_ c: btrfs_balance_args) {
        profiles = c.profiles; usage = c.usage; devid = c.devid; pstart = c.pstart; pend = c.pend
        vstart = c.vstart; vend = c.vend; target = c.target; flags = c.flags; limit = c.limit
        stripesMin = c.stripes_min; stripesMax = c.stripes_max
    }

    var cValue: btrfs_balance_args {
        var c = btrfs_balance_args()
        c.profiles = profiles; c.usage = usage; c.devid = devid; c.pstart = pstart; c.pend = pend
        c.vstart = vstart; c.vend = vend; c.target = target; c.flags = flags; c.limit = limit
        c.stripes_min = stripesMin; c.stripes_max = stripesMax
        return c
    }
}

/// What a balance asks for: the types and flags, and the filters of each type.
public struct BalanceRequest: Hashable, Sendable {
    /// The types and flags, and each type's filters (used when its type is in `flags`).
    public var flags: BalanceFlags
    public var data: BalanceArgs
    public var metadata: BalanceArgs
    public var system: BalanceArgs

    /// A request from flags and each type's filters.
    public init(flags: BalanceFlags, data: BalanceArgs = BalanceArgs(),
                metadata: BalanceArgs = BalanceArgs(), system: BalanceArgs = BalanceArgs()) {
        self.flags = flags
        self.data = data
        self.metadata = metadata
        self.system = system
    }

    /// python-btrfs's balance_v2(data_args=, meta_args=, sys_args=, force=): a type takes part
    /// when its args are given.
    public init(dataArgs: BalanceArgs? = nil, metaArgs: BalanceArgs? = nil, sysArgs: BalanceArgs? = nil,
                force: Bool = false) {
        var flags: BalanceFlags = force ? .force : []
        if dataArgs != nil { flags.insert(.data) }
        if metaArgs != nil { flags.insert(.metadata) }
        if sysArgs != nil { flags.insert(.system) }
        self.init(flags: flags, data: dataArgs ?? BalanceArgs(), metadata: metaArgs ?? BalanceArgs(),
                  system: sysArgs ?? BalanceArgs())
    }
}

/// python-btrfs's BalanceProgress: the state, and chunk counts of the balance.
public struct BalanceProgress: Hashable, Sendable {
    /// What the balance is doing (running, pause or cancel requested).
    public var state: BalanceState
    /// Block groups the balance estimates it will relocate.
    public var expected: UInt64
    /// Block groups looked at so far.
    public var considered: UInt64
    /// Block groups relocated so far.
    public var completed: UInt64

    /// A progress from its counts.
    public init(state: BalanceState, expected: UInt64, considered: UInt64, completed: UInt64) {
        self.state = state
        self.expected = expected
        self.considered = considered
        self.completed = completed
    }
}

/// A running or paused balance as BALANCE_PROGRESS reports it: its request and progress.
public struct BalanceStatus: Hashable, Sendable {
    /// What the balance was started with, and how far it got.
    public var request: BalanceRequest
    public var progress: BalanceProgress
}

/// The balance call that failed.
public enum BalanceOperation: String, Hashable, Sendable {
    case start, resume, pause, cancel, progress
}

/// How a balance call failed, as python-btrfs's BalanceError tells it (its messages).
public enum BalanceError: Error, Hashable, Sendable, CustomStringConvertible {
    /// ECANCELED with a pause requested: the balance stopped and can be resumed.
    case paused(BalanceProgress)
    /// ECANCELED with a cancel requested.
    case canceled(BalanceProgress)
    /// ENOTCONN: no balance to resume, pause, cancel or report on.
    case notInProgress(BalanceOperation)
    /// EINPROGRESS: a balance is already running.
    case alreadyRunning(BalanceOperation)
    /// Any other errno (the kernel refused the request: EINVAL for a bad convert, …).
    case failed(BalanceOperation, errno: Int32, state: BalanceState)

    /// The errno the kernel returned.
    public var errno: Int32 {
        switch self {
        case .paused, .canceled: return ECANCELED
        case .notInProgress: return ENOTCONN
        case .alreadyRunning: return EINPROGRESS
        case .failed(_, let e, _): return e
        }
    }

    /// The state the kernel left in the arguments (start and resume only).
    public var state: BalanceState {
        switch self {
        case .paused(let p), .canceled(let p): return p.state
        case .failed(_, _, let s): return s
        default: return []
        }
    }

    /// python-btrfs's message for the error.
    public var description: String {
        switch self {
        case .paused: return "Balance paused by user"
        case .canceled: return "Balance canceled by user"
        case .notInProgress(let op):
            switch op {
            case .progress: return "No balance found (ENOTCONN)"
            case .start: return "Balance start failed: Not in progress (ENOTCONN)"
            default: return "Balance \(op.rawValue) failed: Not in progress (ENOTCONN)"
            }
        case .alreadyRunning(let op):
            return op == .resume ? "Balance resume failed: Already running (EINPROGRESS)"
                : "Balance start failed: Already in progress (EINPROGRESS)"
        case .failed(let op, let e, let state):
            switch op {
            case .start, .resume:
                return "Error during balancing, there may be more info in dmesg: \(errnoName(e)), state \(Balance.stateName(state))"
            case .progress: return "Balance progress failed (\(errnoName(e)))"
            default: return "Balance \(op.rawValue) failed (\(errnoName(e)))"
            }
        }
    }
}

/// Names for balance values as python-btrfs prints them.
public enum Balance {
    /// _balance_state_str: RUNNING|PAUSE_REQ|CANCEL_REQ, `none` for no bit.
    public static func stateName(_ state: BalanceState) -> String {
        var names: [String] = []
        if state.contains(.running) { names.append("RUNNING") }
        if state.contains(.pauseRequested) { names.append("PAUSE_REQ") }
        if state.contains(.cancelRequested) { names.append("CANCEL_REQ") }
        let rest = state.rawValue & ~0x7
        if rest != 0 { names.append("0x" + String(rest, radix: 16)) }
        return names.isEmpty ? "none" : names.joined(separator: "|")
    }
}

/// errno.errorcode's name for the errnos a balance returns, else the number.
func errnoName(_ e: Int32) -> String {
    let names: [Int32: String] = [EPERM: "EPERM", ENOENT: "ENOENT", EINTR: "EINTR", EIO: "EIO",
                                  ENOMEM: "ENOMEM", EACCES: "EACCES", EBUSY: "EBUSY", EINVAL: "EINVAL",
                                  ENOSPC: "ENOSPC", EROFS: "EROFS", ENOTTY: "ENOTTY", EFBIG: "EFBIG",
                                  ECANCELED: "ECANCELED", ENOTCONN: "ENOTCONN", EINPROGRESS: "EINPROGRESS",
                                  EOPNOTSUPP: "EOPNOTSUPP", EEXIST: "EEXIST", EAGAIN: "EAGAIN"]
    return names[e] ?? "errno \(e)"
}

extension FileSystem {
    /// Starts a balance (BALANCE_V2) and waits for it to end: the final progress, or a
    /// BalanceError (paused, canceled, already running, refused). Opening the filesystem
    /// read-only is enough; the kernel wants CAP_SYS_ADMIN.
    public func balance(_ request: BalanceRequest) throws(BalanceError) -> BalanceProgress {
        var args = btrfs_ioctl_balance_args()
        args.flags = request.flags.subtracting(.resume).rawValue
        args.data = request.data.cValue
        args.meta = request.metadata.cValue
        args.sys = request.system.cValue
        return try balanceCall(&args, operation: .start)
    }

    /// Resumes a paused balance (BALANCE_V2 with RESUME) and waits for it to end.
    public func resumeBalance() throws(BalanceError) -> BalanceProgress {
        var args = btrfs_ioctl_balance_args()
        args.flags = BalanceFlags.resume.rawValue
        return try balanceCall(&args, operation: .resume)
    }

    private func balanceCall(_ args: inout btrfs_ioctl_balance_args, operation: BalanceOperation) throws(BalanceError) -> BalanceProgress {
        let e = descriptor.ioctlErrno(SB_IOC_BALANCE_V2, &args, retryOnInterrupt: false)
        let progress = BalanceProgress(state: BalanceState(rawValue: args.state), expected: args.stat.expected,
                                       considered: args.stat.considered, completed: args.stat.completed)
        switch e {
        case 0: return progress
        case ECANCELED:
            throw progress.state.contains(.cancelRequested) ? .canceled(progress) : .paused(progress)
        case ENOTCONN where operation == .resume: throw .notInProgress(operation)
        case EINPROGRESS: throw .alreadyRunning(operation)
        default: throw .failed(operation, errno: e, state: progress.state)
        }
    }

    /// Asks a running balance to pause (BALANCE_CTL); it stops after the block group at hand.
    public func pauseBalance() throws(BalanceError) { try balanceControl(BTRFS_BALANCE_CTL_PAUSE, .pause) }

    /// Asks a running or paused balance to stop for good (BALANCE_CTL).
    public func cancelBalance() throws(BalanceError) { try balanceControl(BTRFS_BALANCE_CTL_CANCEL, .cancel) }

    private func balanceControl(_ command: Int32, _ operation: BalanceOperation) throws(BalanceError) {
        // The command is passed by value in the pointer argument, as progs and python-btrfs do.
        let e = descriptor.ioctlErrno(SB_IOC_BALANCE_CTL, UnsafeMutableRawPointer(bitPattern: Int(command)),
                                      retryOnInterrupt: false)
        switch e {
        case 0: return
        case ENOTCONN: throw .notInProgress(operation)
        default: throw .failed(operation, errno: e, state: [])
        }
    }

    /// The running or paused balance (BALANCE_PROGRESS): what it was asked and how far it got;
    /// `.notInProgress(.progress)` when there is none.
    public func balanceStatus() throws(BalanceError) -> BalanceStatus {
        var args = btrfs_ioctl_balance_args()
        let e = descriptor.ioctlErrno(SB_IOC_BALANCE_PROGRESS, &args, retryOnInterrupt: false)
        switch e {
        case 0: break
        case ENOTCONN: throw .notInProgress(.progress)
        default: throw .failed(.progress, errno: e, state: [])
        }
        let request = BalanceRequest(flags: BalanceFlags(rawValue: args.flags), data: BalanceArgs(args.data),
                                     metadata: BalanceArgs(args.meta), system: BalanceArgs(args.sys))
        let progress = BalanceProgress(state: BalanceState(rawValue: args.state), expected: args.stat.expected,
                                       considered: args.stat.considered, completed: args.stat.completed)
        return BalanceStatus(request: request, progress: progress)
    }

    /// python-btrfs's balance_progress: the state and counts of the running or paused balance.
    public func balanceProgress() throws(BalanceError) -> BalanceProgress {
        try balanceStatus().progress
    }
}
