#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The places btrfs-progs' scrub keeps its state: the status file (written to `<file>_tmp`, then
/// renamed, each open under an exclusive non-blocking flock, as progs does) and the Unix socket a
/// running scrub answers on with the same text.
extension ScrubStatusFile {
    /// mkdir_p of the status file's directories (0777 before the umask); the errno on failure.
    public static func makeDirectory() -> Int32? {
        var path = ""
        for component in directory.split(separator: "/") {
            path += "/" + component
            if path.withPathCString({ mkdir($0, 0o777) }) != 0 && errno != EEXIST { return errno }
        }
        return nil
    }

    /// Opens `path` with `flags` and takes the lock; the descriptor or the errno.
    public static func openLocked(_ path: String, flags: Int32) -> Result<Int32, SystemError> {
        let fd = path.withPathCString { open($0, flags | O_CLOEXEC, 0o600) }
        if fd < 0 { return .failure(SystemError(errno)) }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let e = errno
            close(fd)
            return .failure(SystemError(e))
        }
        return .success(fd)
    }

    /// The status file of `fsid`, whole; nil content when there is none (ENOENT).
    public static func read(fsid: String) -> Result<[UInt8]?, SystemError> {
        switch openLocked(statusPath(fsid: fsid), flags: O_RDONLY) {
        case .failure(let e) where e.rawValue == ENOENT: return .success(nil)
        case .failure(let e): return .failure(e)
        case .success(let fd):
            defer { close(fd) }
            return readAll(fd).map { Optional($0) }
        }
    }

    /// scrub_write_progress: the records to `<status>_tmp`, then renamed over the status file.
    public static func write(_ records: [ScrubRecord], fsid: String) -> SystemError? {
        let final = statusPath(fsid: fsid), temporary = final + "_tmp"
        let fd: Int32
        switch openLocked(temporary, flags: O_WRONLY | O_CREAT) {
        case .failure(let e): return e
        case .success(let opened): fd = opened
        }
        // O_WRONLY without O_TRUNC, as progs: a shorter text leaves the old tail; it never is shorter
        // for the same devices, and a reader stops at the last line anyway.
        let failed = writeAll(fd, encode(records))
        let renamed = failed == nil ? final.withPathCString { to in temporary.withPathCString { rename($0, to) } } : 0
        let renameErrno = renamed != 0 ? errno : 0
        if close(fd) != 0 { return SystemError(errno) }
        if let failed { return failed }
        return renameErrno != 0 ? SystemError(renameErrno) : nil
    }

    static func readAll(_ fd: Int32) -> Result<[UInt8], SystemError> {
        var result: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16384)
        while true {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { return .failure(SystemError(errno)) }
            if n == 0 { return .success(result) }
            result += buffer.prefix(n)
        }
    }

    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> SystemError? {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return SystemError(n < 0 ? errno : EIO) }
            offset += n
        }
        return nil
    }
}

/// The progress socket of a running scrub (SOCK_STREAM at /var/lib/btrfs/scrub.progress.<fsid>).
public enum ScrubProgressSocket {
    static func address(_ path: String) -> sockaddr_un {
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        // Cut to the field, as progs does ("just use a shorter name and hope for the best").
        let bytes = Array(path.pathBytes.prefix(MemoryLayout.size(ofValue: addr.sun_path) - 1))
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in
            for (i, b) in bytes.enumerated() { raw[i] = b }
        }
        return addr
    }

    static func connect(_ fd: Int32, _ addr: sockaddr_un) -> Int32 {
        var addr = addr
        return withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
    }

    /// What the scrub of `fsid` answers: the status text, or the errno when nobody listens.
    public static func query(fsid: String) -> Result<[UInt8], SystemError> {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        if fd < 0 { return .failure(SystemError(errno)) }
        defer { close(fd) }
        if connect(fd, address(ScrubStatusFile.socketPath(fsid: fsid))) != 0 { return .failure(SystemError(errno)) }
        return ScrubStatusFile.readAll(fd)
    }

    /// What listening went to.
    public enum Listening {
        /// A listening socket and its path (unlink it when done).
        case listening(fd: Int32, path: String)
        /// Another scrub answers on the socket.
        case alreadyRunning
        /// No socket; the errno and the path tried.
        case failed(SystemError, path: String)
    }

    /// Binds and listens on the progress socket of `fsid`; a socket file nobody answers on is
    /// removed and bound again (progs' loop).
    public static func listen(fsid: String) -> Listening {
        let path = ScrubStatusFile.socketPath(fsid: fsid)
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        if fd < 0 { return .failed(SystemError(errno), path: path) }
        var addr = address(path)
        while true {
            let bound = withUnsafePointer(to: &addr) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
            if bound == 0 { break }
            let e = errno
            guard e == EADDRINUSE else {
                close(fd)
                return .failed(SystemError(e), path: path)
            }
            if connect(fd, addr) == 0 || errno != ECONNREFUSED {
                close(fd)
                return .alreadyRunning
            }
            if path.withPathCString({ unlink($0) }) != 0 {
                let e = errno
                close(fd)
                return .failed(SystemError(e), path: path)
            }
        }
        if Glibc.listen(fd, 100) != 0 {
            let e = errno
            close(fd)
            _ = path.withPathCString { unlink($0) }
            return .failed(SystemError(e), path: path)
        }
        return .listening(fd: fd, path: path)
    }
}
