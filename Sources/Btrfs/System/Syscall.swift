#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CBtrfs

/// An errno value as an Error, for the `Result` of one system call (named apart from
/// swift-system's `Errno`, which a program may import beside this library).
public struct SystemError: Error, Hashable, Sendable {
    public var rawValue: Int32
    public init(_ rawValue: Int32) { self.rawValue = rawValue }
}

/// Runs `body` until it stops failing with EINTR (when `retryOnInterrupt`), turning -1 into errno.
@inline(__always)
func valueOrErrno(retryOnInterrupt: Bool, _ body: () -> CInt) -> Result<CInt, SystemError> {
    while true {
        let r = body()
        if r != -1 { return .success(r) }
        let e = Glibc.errno
        if e == EINTR && retryOnInterrupt { continue }
        return .failure(SystemError(e))
    }
}

/// One ioctl on `fd`; EINTR is retried only when the caller says the call is safe to repeat.
@inline(__always)
func rawIoctl(_ fd: CInt, _ request: CUnsignedLong, _ arg: UnsafeMutableRawPointer?,
              retryOnInterrupt: Bool) -> Result<CInt, SystemError> {
    valueOrErrno(retryOnInterrupt: retryOnInterrupt) { sb_ioctl(fd, request, arg) }
}
