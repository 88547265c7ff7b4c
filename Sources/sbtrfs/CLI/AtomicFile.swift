#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Btrfs

/// Replaces a file so that a reader sees the old bytes or the new ones, never a part: a temporary
/// file in the same directory (so rename(2) stays within one filesystem), written in full, fsync'd,
/// renamed over the target, then the directory fsync'd so the rename survives a crash.
/// node_exporter's textfile collector reads `*.prom` while sbtrfs writes; the temporary name
/// starts with a dot and does not end in `.prom`, so it is never collected.
enum AtomicFile {
    /// Writes `bytes` to `path` with `mode`. On failure nothing is left behind (the temporary file
    /// is removed, the target untouched) and the error names the target and the step that failed.
    static func write(_ bytes: [UInt8], to path: String, mode: mode_t = 0o644) throws {
        let (directory, name) = split(path)
        guard !name.isEmpty else { throw CommandExit.error("cannot write '\(path)': \(errnoText(EISDIR))") }
        var template = "\(directory)/.\(name).XXXXXX".pathBytes + [0]
        let fd = template.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress.map { mkstemp(UnsafeMutableRawPointer($0).assumingMemoryBound(to: CChar.self)) } ?? -1
        }
        guard fd >= 0 else { throw failure(path, errno) }
        let temporary = String(pathBytes: template.dropLast())
        var closed = false
        do {
            // mkstemp makes 0600; node_exporter reads as its own user.
            guard fchmod(fd, mode) == 0 else { throw failure(path, errno) }
            try writeAll(fd, bytes, path)
            guard fsync(fd) == 0 else { throw failure(path, errno) }
            closed = true
            guard close(fd) == 0 else { throw failure(path, errno) }
            let renamed = temporary.withPathCString { from in path.withPathCString { to in rename(from, to) } }
            guard renamed == 0 else { throw failure(path, errno) }
        } catch {
            if !closed { close(fd) }
            _ = temporary.withPathCString { unlink($0) }
            throw error
        }
        // The new name is in place; a directory that cannot be fsync'd (some filesystems refuse)
        // does not undo it.
        let dirfd = directory.withPathCString { open($0, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
        if dirfd >= 0 {
            _ = fsync(dirfd)
            close(dirfd)
        }
    }

    /// The directory part ("." for a bare name) and the last component.
    static func split(_ path: String) -> (directory: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let directory = String(path[..<slash])
        return (directory.isEmpty ? "/" : directory, String(path[path.index(after: slash)...]))
    }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8], _ path: String) throws {
        try bytes.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return }
            var offset = 0
            while offset < raw.count {
                let n = Glibc.write(fd, base + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw failure(path, errno)
                }
                offset += n
            }
        }
    }

    private static func failure(_ path: String, _ code: Int32) -> CommandExit {
        .error("cannot write '\(path)': \(errnoText(code))")
    }
}
