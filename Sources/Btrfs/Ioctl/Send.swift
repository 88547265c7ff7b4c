#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CBtrfs

/// The flags of BTRFS_IOC_SEND (`BTRFS_SEND_FLAG_*`).
public struct SendFlags: OptionSet, Hashable, Sendable {
    /// The bits as the kernel has them.
    public var rawValue: UInt64
    /// Flags from the kernel's bits.
    public init(rawValue: UInt64) { self.rawValue = rawValue }

    /// Metadata only: writes carry offsets and lengths but no data (`send --no-data`).
    public static let noFileData = SendFlags(rawValue: 0x1)
    /// No stream header: a later subvolume of a multi-subvolume stream.
    public static let omitStreamHeader = SendFlags(rawValue: 0x2)
    /// No END command: an earlier subvolume of a multi-subvolume stream.
    public static let omitEndCommand = SendFlags(rawValue: 0x4)
    /// `SendRequest.version` is read (stream protocol version).
    public static let version = SendFlags(rawValue: 0x8)
    /// Compressed extents as ENCODED_WRITE commands, not decompressed (protocol 2).
    public static let compressed = SendFlags(rawValue: 0x10)
}

/// What to send: the arguments of BTRFS_IOC_SEND besides the subvolume and the output.
public struct SendRequest: Sendable {
    /// Root id of the parent for an incremental stream; 0 for a full one.
    public var parentRoot: UInt64
    /// Root ids the receiver has too, which the kernel may clone extents from.
    public var cloneSources: [UInt64]
    public var flags: SendFlags
    /// The protocol version (0: the kernel's highest), read only with `.version` in flags.
    public var version: UInt32

    /// A request; the defaults make a full stream of the kernel's highest protocol version.
    public init(parentRoot: UInt64 = 0, cloneSources: [UInt64] = [], flags: SendFlags = [], version: UInt32 = 0) {
        self.parentRoot = parentRoot
        self.cloneSources = cloneSources
        self.flags = flags
        self.version = version
    }
}

/// Why a send failed, each with the errno of the step that failed (progs words each differently).
public enum SendError: Error, Equatable, Sendable, CustomStringConvertible {
    case pipe(Int32)
    case thread(Int32)
    /// The kernel refused or failed the send (BTRFS_IOC_SEND).
    case ioctl(Int32)
    /// The stream could not be written to the output.
    case output(Int32)

    /// The errno of the step that failed.
    public var errno: Int32 {
        switch self {
        case .pipe(let e), .thread(let e), .ioctl(let e), .output(let e): return e
        }
    }

    /// The failure as text (the step and strerror).
    public var description: String {
        switch self {
        case .pipe(let e): return "pipe failed: \(errnoText(e))"
        case .thread(let e): return "thread setup failed: \(errnoText(e))"
        case .ioctl(let e): return "send ioctl failed with -\(e): \(errnoText(e))"
        case .output(let e): return "failed to read stream from kernel: \(errnoText(e))"
        }
    }
}

/// Send streams as the kernel makes them.
public enum SendStream {
    /// In protocol 2: 16 KiB of header and attributes plus a whole compressed extent (128 KiB).
    public static let bufferSizeV2 = (16 << 10) + (128 << 10)
    /// The pipe between the kernel and the pump, and the pump's splice size: 1 MiB (the default
    /// pipe-max-size) lets the kernel run ahead of the output by 16 commands instead of 4, and
    /// moves it in a quarter of progs' splice calls.
    static let pipeSize = 1 << 20

    /// /sys/fs/btrfs/features/send_stream_version, as progs' get_sysfs_proto_supported reads it:
    /// nil when the file is missing or holds no number (a kernel that speaks only version 1).
    public static func kernelVersion() -> UInt64? {
        guard let bytes = MountedFilesystems.readFileBytes("/sys/fs/btrfs/features/send_stream_version") else {
            return nil
        }
        var value: UInt64 = 0
        var digits = 0
        for byte in bytes.drop(while: { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A }) {
            guard byte >= 0x30 && byte <= 0x39 else { break }
            let (times, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times.addingReportingOverflow(UInt64(byte - 0x30))
            if o1 || o2 { return nil }  // strtoull's ERANGE: progs falls back to 1
            value = sum
            digits += 1
        }
        return digits == 0 ? nil : value
    }
}

extension FileSystem {
    /// BTRFS_IOC_SEND on this descriptor (a subvolume, opened read-only), the stream written to
    /// `output` as btrfs-progs writes it: the kernel writes into a pipe and a second thread moves
    /// the pipe's bytes to `output` (splice; read and write where `output` takes no splice, e.g. a
    /// file opened for appending). Returns when the whole stream is written. Not retried on EINTR.
    ///
    /// When `output` fails (ENOSPC, EPIPE with SIGPIPE ignored) the pipe is closed under the
    /// kernel, which stops the send; the SIGPIPE the kernel then raises at the calling thread is
    /// held back and discarded, so the caller sees `.output(errno)` rather than dying of it.
    public func send(_ request: SendRequest, to output: CInt) throws {
        var ends: [CInt] = [-1, -1]
        if case .failure(let e) = SystemCall.value({ sb_pipe2(&ends, O_CLOEXEC) }) { throw SendError.pipe(e.rawValue) }
        let readEnd = ends[0]
        var writeEnd = ends[1]
        defer { if writeEnd >= 0 { close(writeEnd) } }
        // At least progs' size (a whole protocol 2 command); failures cost only speed.
        for size in [SendStream.pipeSize, SendStream.bufferSizeV2]
            where sb_fcntl_int(readEnd, SB_F_SETPIPE_SZ, CInt(size)) >= 0 { break }
        // An output pipe is widened too (never narrowed), as progs does for protocol 2.
        let outputSize = sb_fcntl_int(output, SB_F_SETPIPE_SZ + 1, 0)  // F_GETPIPE_SZ
        if outputSize > 0 && outputSize < SendStream.pipeSize {
            _ = sb_fcntl_int(output, SB_F_SETPIPE_SZ, CInt(SendStream.pipeSize))
        }
        let pump = StreamPump(from: readEnd, to: output, chunk: SendStream.pipeSize)
        let thread: pthread_t
        switch pump.start() {
        case .success(let t): thread = t
        case .failure(let e):
            close(readEnd)
            throw SendError.thread(e.rawValue)
        }

        var sources = request.cloneSources
        let ioctlErrno: Int32 = sources.withUnsafeMutableBufferPointer { buffer in
            var args = btrfs_ioctl_send_args()
            args.send_fd = Int64(writeEnd)
            args.clone_sources_count = UInt64(buffer.count)
            args.clone_sources = buffer.count > 0 ? buffer.baseAddress : nil
            args.parent_root = request.parentRoot
            args.flags = request.flags.rawValue
            args.version = request.version
            return withPipeSignalHeld {
                descriptor.ioctlErrno(SB_IOC_SEND, &args, retryOnInterrupt: false)
            }
        }
        close(writeEnd)
        writeEnd = -1
        pthread_join(thread, nil)
        // The output's error comes first: it is what made the kernel's writes fail.
        if let e = pump.failure { throw SendError.output(e) }
        if ioctlErrno == ENOTTY { throw BtrfsError.notBtrfs(path: path) }
        if ioctlErrno != 0 { throw SendError.ioctl(ioctlErrno) }
    }
}

/// Runs `body` with SIGPIPE blocked in this thread, then discards a SIGPIPE that arrived for this
/// thread meanwhile (one the kernel raised writing to a pipe the pump had closed) and restores
/// the mask. A SIGPIPE pending for the whole process is left alone.
private func withPipeSignalHeld<T>(_ body: () -> T) -> T {
    var pipeOnly = sigset_t(), previous = sigset_t()
    sigemptyset(&pipeOnly)
    sigaddset(&pipeOnly, SIGPIPE)
    pthread_sigmask(SIG_BLOCK, &pipeOnly, &previous)
    let result = body()
    if sigismember(&previous, SIGPIPE) == 0 {
        var pending = sigset_t()
        sigpending(&pending)
        if sigismember(&pending, SIGPIPE) == 1 {
            var zero = timespec(tv_sec: 0, tv_nsec: 0)
            _ = sigtimedwait(&pipeOnly, nil, &zero)
        }
        pthread_sigmask(SIG_SETMASK, &previous, nil)
    }
    return result
}

/// The second thread of a send: moves the pipe's bytes to the output until the kernel closes
/// its end, and on an output error closes the pipe so the kernel's next write fails.
private final class StreamPump: @unchecked Sendable {
    let source: CInt
    let output: CInt
    let chunk: Int
    /// The output's errno, written by the pump thread before it ends and read after the join.
    private(set) var failure: Int32?

    init(from source: CInt, to output: CInt, chunk: Int) {
        self.source = source
        self.output = output
        self.chunk = chunk
    }

    func start() -> Result<pthread_t, SystemError> {
        startThread { self.run() }
    }

    private func run() {
        failure = spliceAll()
        close(source)
    }

    /// The output's errno, or nil when the stream is through. An output splice cannot write to
    /// (EINVAL before the first byte) is served by read and write instead.
    private func spliceAll() -> Int32? {
        var moved = false
        while true {
            switch SystemCall.value({ sb_splice(source, output, UInt(chunk), SB_SPLICE_F_MORE) }) {
            case .success(0): return nil
            case .success: moved = true
            case .failure(let e) where e.rawValue == EINVAL && !moved: return copyAll()
            case .failure(let e): return e.rawValue
            }
        }
    }

    private func copyAll() -> Int32? {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunk, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let n: Int
            switch SystemCall.value({ read(source, buffer.baseAddress, chunk) }) {
            case .success(0): return nil
            case .success(let count): n = count
            case .failure(let e): return e.rawValue
            }
            var offset = 0
            while offset < n {
                switch SystemCall.value({ write(output, buffer.baseAddress.map { $0 + offset }, n - offset) }) {
                case .success(let w): offset += w
                case .failure(let e): return e.rawValue
                }
            }
        }
    }
}
