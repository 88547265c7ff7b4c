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
        let fd = try template.withUnsafeMutableBufferPointer { buffer -> Result<Int32, SystemError> in
            guard let base = buffer.baseAddress else { return .failure(SystemError(EINVAL)) }
            // Not retried: a failed mkstemp leaves the template's X's undefined.
            return SystemCall.value(retryOnInterrupt: false) { mkstemp(UnsafeMutableRawPointer(base).assumingMemoryBound(to: CChar.self)) }
        }.get(writing: path)
        let temporary = String(pathBytes: template.dropLast())
        var closed = false
        do {
            // mkstemp makes 0600; node_exporter reads as its own user.
            _ = try SystemCall.value { fchmod(fd, mode) }.get(writing: path)
            try writeAll(fd, bytes, path)
            _ = try SystemCall.value { fsync(fd) }.get(writing: path)
            closed = true
            _ = try SystemCall.value(retryOnInterrupt: false) { close(fd) }.get(writing: path)
            _ = try temporary.withPathCString { from in
                path.withPathCString { to in SystemCall.value { rename(from, to) } }
            }.get(writing: path)
        } catch {
            if !closed { close(fd) }
            _ = temporary.withPathCString { unlink($0) }
            throw error
        }
        // The new name is in place; a directory that cannot be fsync'd (some filesystems refuse)
        // does not undo it.
        if case .success(let dirfd) = SystemCall.open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC) {
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
                offset += try SystemCall.value { Glibc.write(fd, base + offset, raw.count - offset) }.get(writing: path)
            }
        }
    }

    fileprivate static func failure(_ path: String, _ code: Int32) -> CommandExit {
        .error("cannot write '\(path)': \(errnoText(code))")
    }
}

private extension Result where Failure == SystemError {
    /// The call's value, or the error naming the file being written.
    func get(writing path: String) throws -> Success {
        switch self {
        case .success(let value): return value
        case .failure(let e): throw AtomicFile.failure(path, e.rawValue)
        }
    }
}
