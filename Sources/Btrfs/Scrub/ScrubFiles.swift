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
            let made = path.withPathCString { p in SystemCall.value { mkdir(p, 0o777) } }
            if case .failure(let e) = made, e.rawValue != EEXIST { return e.rawValue }
        }
        return nil
    }

    /// Opens `path` with `flags` and takes the lock; the descriptor or the errno.
    public static func openLocked(_ path: String, flags: Int32) -> Result<Int32, SystemError> {
        SystemCall.open(path, flags | O_CLOEXEC, mode: 0o600).flatMap { fd in
            SystemCall.value { flock(fd, LOCK_EX | LOCK_NB) }.map { _ in fd }.mapError { e in
                close(fd)
                return e
            }
        }
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
        var renamed: Result<CInt, SystemError> = .success(0)
        if failed == nil {
            renamed = final.withPathCString { to in
                temporary.withPathCString { from in SystemCall.value { rename(from, to) } }
            }
        }
        if case .failure(let e) = SystemCall.value(retryOnInterrupt: false, { close(fd) }) { return e }
        if let failed { return failed }
        if case .failure(let e) = renamed { return e }
        return nil
    }

    static func readAll(_ fd: Int32) -> Result<[UInt8], SystemError> {
        var result: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16384)
        while true {
            let read = buffer.withUnsafeMutableBytes { b in SystemCall.value { Glibc.read(fd, b.baseAddress, b.count) } }
            guard case .success(let n) = read else { return read.map { _ in [] } }
            if n == 0 { return .success(result) }
            result += buffer.prefix(n)
        }
    }

    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> SystemError? {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { b in
                SystemCall.value { Glibc.write(fd, b.baseAddress.map { $0 + offset }, b.count - offset) }
            }
            switch written {
            case .failure(let e): return e
            case .success(let n) where n <= 0: return SystemError(EIO)
            case .success(let n): offset += n
            }
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

    static func connect(_ fd: Int32, _ addr: sockaddr_un) -> Result<CInt, SystemError> {
        var addr = addr
        return withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { a in
                SystemCall.value(retryOnInterrupt: false) { Glibc.connect(fd, a, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
        }
    }

    /// What the scrub of `fsid` answers: the status text, or the errno when nobody listens.
    public static func query(fsid: String) -> Result<[UInt8], SystemError> {
        SystemCall.value { socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0) }.flatMap { fd in
            defer { close(fd) }
            return connect(fd, address(ScrubStatusFile.socketPath(fsid: fsid))).flatMap { _ in ScrubStatusFile.readAll(fd) }
        }
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
        let fd: CInt
        switch SystemCall.value({ socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0) }) {
        case .failure(let e): return .failed(e, path: path)
        case .success(let opened): fd = opened
        }
        var addr = address(path)
        while true {
            let bound = withUnsafePointer(to: &addr) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { a in
                    SystemCall.value { bind(fd, a, socklen_t(MemoryLayout<sockaddr_un>.size)) }
                }
            }
            guard case .failure(let e) = bound else { break }
            guard e.rawValue == EADDRINUSE else {
                close(fd)
                return .failed(e, path: path)
            }
            switch connect(fd, addr) {
            case .failure(let e) where e.rawValue == ECONNREFUSED: break
            default:
                close(fd)
                return .alreadyRunning
            }
            if case .failure(let e) = path.withPathCString({ p in SystemCall.value { unlink(p) } }) {
                close(fd)
                return .failed(e, path: path)
            }
        }
        if case .failure(let e) = SystemCall.value({ Glibc.listen(fd, 100) }) {
            close(fd)
            _ = path.withPathCString { unlink($0) }
            return .failed(e, path: path)
        }
        return .listening(fd: fd, path: path)
    }
}
