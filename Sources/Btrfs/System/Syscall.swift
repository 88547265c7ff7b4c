#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CBtrfs

/// An errno value as an Error, for the `Result` of one system call (named apart from
/// swift-system's `Errno`, which a program may import beside this library).
public struct SystemError: Error, Hashable, Sendable {
    /// The errno value.
    public var rawValue: Int32
    /// An error from an errno value.
    public init(_ rawValue: Int32) { self.rawValue = rawValue }
}

/// Runs `body` until it stops failing with EINTR (when `retryOnInterrupt`), turning -1 into errno.
@inline(__always)
func valueOrErrno(retryOnInterrupt: Bool, _ body: () -> CInt) -> Result<CInt, SystemError> {
    SystemCall.value(retryOnInterrupt: retryOnInterrupt, body)
}

/// One ioctl on `fd`; EINTR is retried only when the caller says the call is safe to repeat.
@inline(__always)
func rawIoctl(_ fd: CInt, _ request: CUnsignedLong, _ arg: UnsafeMutableRawPointer?,
              retryOnInterrupt: Bool) -> Result<CInt, SystemError> {
    valueOrErrno(retryOnInterrupt: retryOnInterrupt) { sb_ioctl(fd, request, arg) }
}

/// `struct stat`, as SystemCall's stat, lstat and fstat answer it.
public typealias FileStatus = stat
/// `struct statfs`, as SystemCall's statfs and fstatfs answer it.
public typealias FilesystemStatus = statfs

// The C calls by other names: inside SystemCall its own members hide them.
private func cOpen(_ p: UnsafePointer<CChar>, _ flags: CInt, _ mode: mode_t) -> CInt { open(p, flags, mode) }
private func cOpenAt(_ dir: CInt, _ p: UnsafePointer<CChar>, _ flags: CInt, _ mode: mode_t) -> CInt {
    openat(dir, p, flags, mode)
}
private func cStat(_ p: UnsafePointer<CChar>, _ st: inout FileStatus) -> CInt { stat(p, &st) }
private func cLstat(_ p: UnsafePointer<CChar>, _ st: inout FileStatus) -> CInt { lstat(p, &st) }
private func cFstat(_ fd: CInt, _ st: inout FileStatus) -> CInt { fstat(fd, &st) }
private func cStatfs(_ p: UnsafePointer<CChar>, _ st: inout FilesystemStatus) -> CInt { statfs(p, &st) }
private func cFstatfs(_ fd: CInt, _ st: inout FilesystemStatus) -> CInt { fstatfs(fd, &st) }

/// The library's system calls, each through `valueOrErrno`: the errno is read inside the call,
/// before Swift code (an allocation, a release) can change it. The tool makes its own calls
/// through these too, so there is one place where a failed call becomes its errno.
public enum SystemCall {
    /// Any call that answers -1 and sets errno on failure (open, read, write, lseek, ioctl …);
    /// EINTR is retried unless the call is not safe to repeat. Inlinable: a caller in another
    /// module gets its own specialized copy; through the generic entry point, every first call
    /// with a new integer type instantiated witness tables and `Result` metadata at run time
    /// (`fi df`: 12 page faults of runtime caches, Docs/PERFORMANCE.md).
    @inlinable @inline(__always)
    public static func value<T: FixedWidthInteger & SignedInteger>(
        retryOnInterrupt: Bool = true, _ body: () -> T) -> Result<T, SystemError> {
        while true {
            let r = body()
            if r != -1 { return .success(r) }
            let e = Glibc.errno
            if e == EINTR && retryOnInterrupt { continue }
            return .failure(SystemError(e))
        }
    }

    /// A call that answers nil and sets errno on failure (realpath, opendir, fdopendir).
    @inlinable @inline(__always)
    public static func pointer<T>(_ body: () -> T?) -> Result<T, SystemError> {
        if let value = body() { return .success(value) }
        return .failure(SystemError(Glibc.errno))
    }

    /// A call whose nil answer is an error only when it set errno (readdir): errno is cleared
    /// before and read right after.
    @inlinable @inline(__always)
    public static func clearingErrno<T>(_ body: () -> T?) -> Result<T?, SystemError> {
        let (value, e) = withErrno(body)
        if let value { return .success(value) }
        return e == 0 ? .success(nil) : .failure(SystemError(e))
    }

    /// A call that reports failure its own way and may also leave an errno (libbtrfsutil): its
    /// answer and the errno it set, 0 when it set none (errno is cleared before, read right after).
    @inlinable @inline(__always)
    static func withErrno<T>(_ body: () -> T) -> (T, Int32) {
        Glibc.errno = 0
        let value = body()
        return (value, Glibc.errno)
    }

    /// open(2) of `path` (its bytes, see PathBytes); O_CLOEXEC is the caller's to add.
    public static func open(_ path: String, _ flags: CInt, mode: mode_t = 0) -> Result<CInt, SystemError> {
        path.withPathCString { p in value { cOpen(p, flags, mode) } }
    }

    /// openat(2) of `name` in the directory open as `directory`.
    public static func openAt(_ directory: CInt, _ name: String, _ flags: CInt,
                              mode: mode_t = 0) -> Result<CInt, SystemError> {
        name.withPathCString { p in value { cOpenAt(directory, p, flags, mode) } }
    }

    /// stat(2): follows symbolic links.
    public static func stat(_ path: String) -> Result<FileStatus, SystemError> {
        var st = FileStatus()
        return path.withPathCString { p in value { cStat(p, &st) } }.map { _ in st }
    }

    /// lstat(2): a symbolic link itself.
    public static func lstat(_ path: String) -> Result<FileStatus, SystemError> {
        var st = FileStatus()
        return path.withPathCString { p in value { cLstat(p, &st) } }.map { _ in st }
    }

    /// fstat(2) of an open descriptor.
    public static func fstat(_ fd: CInt) -> Result<FileStatus, SystemError> {
        var st = FileStatus()
        return value { cFstat(fd, &st) }.map { _ in st }
    }

    /// statfs(2) of the filesystem holding `path`.
    public static func statfs(_ path: String) -> Result<FilesystemStatus, SystemError> {
        var st = FilesystemStatus()
        return path.withPathCString { p in value { cStatfs(p, &st) } }.map { _ in st }
    }

    /// fstatfs(2) of the filesystem holding an open descriptor.
    public static func fstatfs(_ fd: CInt) -> Result<FilesystemStatus, SystemError> {
        var st = FilesystemStatus()
        return value { cFstatfs(fd, &st) }.map { _ in st }
    }

    /// realpath(3): the canonical absolute path.
    public static func realPath(_ path: String) -> Result<String, SystemError> {
        path.withPathCString { p in pointer { realpath(p, nil) } }.map { real in
            defer { free(real) }
            return String(pathCString: real)
        }
    }
}

extension Result where Failure == SystemError {
    /// The value, or the errno made into the library's error with its context.
    @inline(__always)
    func get(or error: (Int32) -> BtrfsError) throws -> Success {
        switch self {
        case .success(let value): return value
        case .failure(let e): throw error(e.rawValue)
        }
    }
}
