#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CBtrfs

/// The state of a device replace (BTRFS_IOCTL_DEV_REPLACE_STATE_*); unknown values survive.
public struct DevReplaceState: RawRepresentable, Hashable, Sendable {
    /// The state as the kernel has it.
    public var rawValue: UInt64
    /// The state with this value, known or not.
    public init(rawValue: UInt64) { self.rawValue = rawValue }
    /// BTRFS_IOCTL_DEV_REPLACE_STATE_NEVER_STARTED … _SUSPENDED.
    public static let neverStarted = DevReplaceState(rawValue: 0)
    public static let started = DevReplaceState(rawValue: 1)
    public static let finished = DevReplaceState(rawValue: 2)
    public static let canceled = DevReplaceState(rawValue: 3)
    public static let suspended = DevReplaceState(rawValue: 4)
}

/// The kernel's `result` of a DEV_REPLACE call (BTRFS_IOCTL_DEV_REPLACE_RESULT_*). `noResult` is
/// what the caller puts in (progs' -1): still there after the call, the kernel set nothing.
public struct DevReplaceResult: RawRepresentable, Hashable, Sendable {
    /// The result as the kernel has it.
    public var rawValue: UInt64
    /// The result with this value, known or not.
    public init(rawValue: UInt64) { self.rawValue = rawValue }
    /// BTRFS_IOCTL_DEV_REPLACE_RESULT_NO_ERROR … _SCRUB_INPROGRESS, and the caller's "no result yet".
    public static let noError = DevReplaceResult(rawValue: 0)
    public static let notStarted = DevReplaceResult(rawValue: 1)
    public static let alreadyStarted = DevReplaceResult(rawValue: 2)
    public static let scrubInProgress = DevReplaceResult(rawValue: 3)
    public static let noResult = DevReplaceResult(rawValue: UInt64.max)

    /// progs' replace_dev_result2string.
    public var text: String {
        switch self {
        case .noError: return "no error"
        case .notStarted: return "not started"
        case .alreadyStarted: return "already started"
        case .scrubInProgress: return "scrub is in progress"
        default: return "<illegal result value>"
        }
    }
}

/// `struct btrfs_ioctl_dev_replace_status_params`: where a replace stands.
public struct DevReplaceStatus: Hashable, Sendable {
    /// The replace's state.
    public var state = DevReplaceState.neverStarted
    /// Progress in tenths of a percent, 0...1000.
    public var progress1000: UInt64 = 0
    /// Seconds since the epoch.
    public var timeStarted: UInt64 = 0
    /// When it started and stopped (seconds since the epoch), and the errors met so far.
    public var timeStopped: UInt64 = 0
    public var numWriteErrors: UInt64 = 0
    public var numUncorrectableReadErrors: UInt64 = 0
    /// A status of a replace never started (what the call fills in).
    public init() {}
}

/// What to replace: the source by devid (non-zero) or else by path, the target's path, and
/// whether to read from the source only when no other good mirror has the data (`-r`).
public struct DevReplaceStart: Hashable, Sendable {
    /// The source device by id (0: by `sourceName`), the paths of source and target as bytes, and `-r`.
    public var sourceDevid: UInt64
    public var sourceName: [UInt8]
    public var targetName: [UInt8]
    public var avoidReadingFromSource: Bool
    /// A start request from its fields.
    public init(sourceDevid: UInt64, sourceName: [UInt8], targetName: [UInt8], avoidReadingFromSource: Bool) {
        self.sourceDevid = sourceDevid
        self.sourceName = sourceName
        self.targetName = targetName
        self.avoidReadingFromSource = avoidReadingFromSource
    }
}

/// The answer of one DEV_REPLACE call: the errno when it failed (nil on success), the positive
/// value some kernels return (`btrfs_err_code`, btrfsErrorCodeText), the kernel's result and,
/// for a status call, the status. progs reports all of them, so none is dropped by throwing.
public struct DevReplaceReply: Hashable, Sendable {
    /// The call's errno (nil on success), its positive return value, the kernel's result, and the status
    /// (status calls).
    public var errno: Int32?
    public var returnValue: Int32
    public var result: DevReplaceResult
    public var status: DevReplaceStatus
}

/// `struct btrfs_ioctl_dev_replace_args` as bytes: cmd, result, then the start or status
/// parameters (the start's two names are 1025 bytes each), then 64 spare words.
enum DevReplaceArgs {
    static let size = MemoryLayout<btrfs_ioctl_dev_replace_args>.size
    static let nameMax = Int(BTRFS_DEVICE_PATH_NAME_MAX)
    static let resultOffset = 8
    static let paramsOffset = 16
    static let sourceNameOffset = paramsOffset + 16
    static let targetNameOffset = sourceNameOffset + nameMax + 1

    static func make(command: UInt64) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: size)
        bytes.store(command, at: 0)
        bytes.store(DevReplaceResult.noResult.rawValue, at: resultOffset)
        return bytes
    }
}

extension FileSystem {
    private func devReplace(_ args: inout [UInt8], retry: Bool) -> DevReplaceReply {
        let reply = rawIoctl(descriptor.rawValue, SB_IOC_DEV_REPLACE, &args, retryOnInterrupt: retry)
        var status = DevReplaceStatus()
        let p = DevReplaceArgs.paramsOffset
        status.state = DevReplaceState(rawValue: args.load(at: p))
        status.progress1000 = args.load(at: p + 8)
        status.timeStarted = args.load(at: p + 16)
        status.timeStopped = args.load(at: p + 24)
        status.numWriteErrors = args.load(at: p + 32)
        status.numUncorrectableReadErrors = args.load(at: p + 40)
        var errno: Int32?, value: Int32 = 0
        switch reply {
        case .success(let v): value = v
        case .failure(let e): errno = e.rawValue
        }
        return DevReplaceReply(errno: errno, returnValue: value,
                               result: DevReplaceResult(rawValue: args.load(at: DevReplaceArgs.resultOffset)), status: status)
    }

    /// Where the filesystem's device replace stands (DEV_REPLACE_CMD_STATUS).
    public func devReplaceStatus() -> DevReplaceReply {
        var args = DevReplaceArgs.make(command: UInt64(BTRFS_IOCTL_DEV_REPLACE_CMD_STATUS))
        return devReplace(&args, retry: true)
    }

    /// Starts a replace and waits for it to end (DEV_REPLACE_CMD_START, never retried). Names
    /// longer than BTRFS_DEVICE_PATH_NAME_MAX are cut there, as progs' strncpy does.
    public func devReplaceStart(_ start: DevReplaceStart) -> DevReplaceReply {
        var args = DevReplaceArgs.make(command: UInt64(BTRFS_IOCTL_DEV_REPLACE_CMD_START))
        let p = DevReplaceArgs.paramsOffset
        args.store(start.sourceDevid, at: p)
        args.store(start.avoidReadingFromSource ? UInt64(BTRFS_IOCTL_DEV_REPLACE_CONT_READING_FROM_SRCDEV_MODE_AVOID)
                                                : UInt64(BTRFS_IOCTL_DEV_REPLACE_CONT_READING_FROM_SRCDEV_MODE_ALWAYS),
                   at: p + 8)
        let source = start.sourceName.prefix(DevReplaceArgs.nameMax)
        args.replaceSubrange(DevReplaceArgs.sourceNameOffset..<(DevReplaceArgs.sourceNameOffset + source.count), with: source)
        let target = start.targetName.prefix(DevReplaceArgs.nameMax)
        args.replaceSubrange(DevReplaceArgs.targetNameOffset..<(DevReplaceArgs.targetNameOffset + target.count), with: target)
        return devReplace(&args, retry: false)
    }

    /// Cancels a running replace (DEV_REPLACE_CMD_CANCEL); `result` is `notStarted` when none runs.
    public func devReplaceCancel() -> DevReplaceReply {
        var args = DevReplaceArgs.make(command: UInt64(BTRFS_IOCTL_DEV_REPLACE_CMD_CANCEL))
        return devReplace(&args, retry: false)
    }
}
