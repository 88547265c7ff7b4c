#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CBtrfs

/// An open file descriptor on a btrfs filesystem, closed exactly once when released.
public final class Descriptor {
    /// The file descriptor and the path it was opened from.
    public let rawValue: CInt
    public let path: String

    /// Opens `path` read-only after checking it is on btrfs, with the errors btrfs-progs gives.
    /// `directoryOrFile`: as progs' open_file_or_dir, anything but a directory or regular file is
    /// refused with EINVAL (a FIFO is then never opened, so opening cannot block).
    public init(path: String, requireDirectory: Bool = false, directoryOrFile: Bool = false) throws {
        let st = try SystemCall.stat(path).get { .cannotAccess(path: path, errno: $0) }
        if requireDirectory && (st.st_mode & S_IFMT) != S_IFDIR {
            throw BtrfsError.notDirectory(path: path)
        }
        // A directory or regular file (opening one has no side effect) is opened first and asked
        // for its feature flags, which only btrfs answers: btrfs answers statfs by walking every
        // block group, 3% of `fi df`. Whatever that does not settle (an open refused, another
        // filesystem) goes the way progs checks, so each failure keeps its message.
        let type = st.st_mode & S_IFMT
        if type == S_IFDIR || type == S_IFREG, case .success(let fd) = SystemCall.open(path, O_RDONLY | O_CLOEXEC) {
            if case .success = FeatureFlags.read(fd) {
                self.rawValue = fd
                self.path = path
                return
            }
            close(fd)
        }
        let sfs = try SystemCall.statfs(path).get { .cannotAccess(path: path, errno: $0) }
        // f_type is a signed word; compare as the 32-bit magic it holds.
        guard UInt32(truncatingIfNeeded: sfs.f_type) == UInt32(truncatingIfNeeded: BTRFS_SUPER_MAGIC) else {
            throw BtrfsError.notBtrfs(path: path)
        }
        if directoryOrFile && type != S_IFDIR && type != S_IFREG {
            throw BtrfsError.cannotAccess(path: path, errno: EINVAL)
        }
        self.rawValue = try SystemCall.open(path, O_RDONLY | O_CLOEXEC).get { .cannotAccess(path: path, errno: $0) }
        self.path = path
    }

    /// Keeps a duplicate of `fd`, an open descriptor the caller found on btrfs (the caller's own
    /// stays open): a directory walk hands the library the directories it has open already.
    public init(duplicating fd: CInt, path: String) throws {
        self.rawValue = try SystemCall.value { fcntl(fd, F_DUPFD_CLOEXEC, 0) }
            .get { .cannotAccess(path: path, errno: $0) }
        self.path = path
    }

    deinit { close(rawValue) }

    /// The low-level escape hatch: issues any ioctl `request` with `arg` on this descriptor, for a
    /// kernel call the library does not wrap yet. Errors carry the call's name and the path.
    /// ENOTTY from a btrfs ioctl means the kernel does not take it here: reported as not btrfs.
    @inline(__always)
    public func ioctl(_ request: CUnsignedLong, _ arg: UnsafeMutableRawPointer?, name: String,
                      retryOnInterrupt: Bool = true) throws {
        switch rawIoctl(rawValue, request, arg, retryOnInterrupt: retryOnInterrupt) {
        case .success: return
        case .failure(let err): throw error(err.rawValue, call: name)
        }
    }

    /// The error for a failed btrfs ioctl: ENOTTY means the kernel does not take it here (not
    /// btrfs), any other errno is the call's.
    public func error(_ errno: Int32, call: String) -> BtrfsError {
        errno == ENOTTY ? .notBtrfs(path: path) : .system(errno: errno, call: call, path: path)
    }

    /// Like `ioctl` but hands back the errno instead of throwing, for callers that branch on it.
    @inline(__always)
    public func ioctlErrno(_ request: CUnsignedLong, _ arg: UnsafeMutableRawPointer?,
                           retryOnInterrupt: Bool = true) -> Int32 {
        switch rawIoctl(rawValue, request, arg, retryOnInterrupt: retryOnInterrupt) {
        case .success: return 0
        case .failure(let err): return err.rawValue
        }
    }
}
