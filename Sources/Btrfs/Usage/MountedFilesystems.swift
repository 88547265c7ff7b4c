#if canImport(Glibc)
import Glibc
#endif

/// The btrfs mounts of this system (/proc/self/mounts), and the way from a block device to the
/// mount of the filesystem it belongs to.
public enum MountedFilesystems {
    /// One btrfs line of /proc/self/mounts, octal escapes (`\040`) decoded.
    public struct Mount: Hashable, Sendable {
        /// The mounted device, the mount point, and the mount options as /proc/self/mounts has them.
        public var device: String
        public var mountPoint: String
        public var options: String
    }

    /// Every btrfs mount, in /proc/self/mounts order. Throws when the table cannot be read (no /proc
    /// in a chroot or rescue shell, no free descriptor): an empty answer would claim there are none.
    public static func all() throws -> [Mount] {
        // Bytes, not text: a mount point need not be UTF-8 (see PathBytes).
        let bytes: [UInt8]
        switch fileContents(mountTable) {
        case .success(let read): bytes = read
        case .failure(let e): throw mountTableError(mountTable, e)
        }
        var result = [Mount]()
        for line in bytes.split(separator: 0x0A) {
            let fields = line.split(separator: 0x20, omittingEmptySubsequences: false)
            guard fields.count >= 4, Array(fields[2]) == Array("btrfs".utf8) else { continue }
            result.append(Mount(device: unescape(fields[0]), mountPoint: unescape(fields[1]),
                                options: String(pathBytes: fields[3])))
        }
        return result
    }

    /// python-btrfs's `utils.mounted_filesystem_paths()`: one mount point per mounted btrfs
    /// filesystem (the first listed for its fsid), in /proc/self/mounts order. A mount point that
    /// cannot be opened as btrfs (unmounted meanwhile, no permission) is left out. Throws as `all()`.
    public static func paths() throws -> [String] {
        var seen = Set<BtrfsUUID>()
        var result: [String] = []
        for mount in try all() {
            guard let fsid = try? FileSystem(path: mount.mountPoint).fsid else { continue }
            if seen.insert(fsid).inserted { result.append(mount.mountPoint) }
        }
        return result
    }

    /// True when `path` is a block device.
    public static func isBlockDevice(_ path: String) -> Bool {
        (try? blockDeviceCheck(path).get()) ?? false
    }

    /// progs' `path_is_block_device`: whether `path` is a block device, or stat's errno.
    public static func blockDeviceCheck(_ path: String) -> Result<Bool, SystemError> {
        SystemCall.stat(path).map { ($0.st_mode & S_IFMT) == S_IFBLK }
    }

    static let mountTable = "/proc/self/mounts"

    /// The error for a mount table (`path`) that could not be opened.
    static func mountTableError(_ path: String, _ error: SystemError) -> BtrfsError {
        .system(errno: error.rawValue, call: "cannot read the mount table", path: path)
    }

    /// The mount point and devid of the mounted btrfs that block device `path` belongs to,
    /// matched by device number against every mounted filesystem's devices.
    public static func mount(ofDevice path: String) throws -> (mountPoint: String, devid: UInt64)? {
        var st = stat()
        guard path.withPathCString({ stat($0, &st) }) == 0, (st.st_mode & S_IFMT) == S_IFBLK else { return nil }
        var seen = Set<String>()
        for m in try all() where seen.insert(m.mountPoint).inserted {
            guard let fs = try? FileSystem(path: m.mountPoint), let devices = try? fs.devInfos() else { continue }
            for d in devices where !d.pathBytes.isEmpty {
                var dst = stat()
                if d.path.withPathCString({ stat($0, &dst) }) == 0 && (dst.st_mode & S_IFMT) == S_IFBLK
                    && dst.st_rdev == st.st_rdev {
                    return (m.mountPoint, d.devid)
                }
            }
        }
        return nil
    }

    /// progs' `path_canonicalize`: the real path, with /dev/dm-N turned into /dev/mapper/NAME;
    /// the path as given when it cannot be resolved.
    public static func canonicalize(_ path: String) -> String {
        guard !path.isEmpty, let canonical = realPath(path) else { return path }
        if let last = canonical.split(separator: "/").last, last.hasPrefix("dm-"),
           let digit = last.dropFirst(3).first, digit.isASCII, digit.isNumber,
           let name = readFile("/sys/block/\(last)/dm/name"), name.utf8.count > 1, name.hasSuffix("\n") {
            let mapper = "/dev/mapper/" + name.dropLast()
            if access(mapper, F_OK) == 0 { return mapper }
        }
        return canonical
    }

    static func unescape(_ field: ArraySlice<UInt8>) -> String {
        String(pathBytes: MountPath.unescape(field))
    }

    /// A small file's text (sysfs, procfs); nil when it cannot be opened.
    public static func readFile(_ path: String) -> String? {
        readFileBytes(path).map { String(pathBytes: $0) }
    }

    /// A small file's bytes; nil when it cannot be opened.
    public static func readFileBytes(_ path: String) -> [UInt8]? {
        try? fileContents(path).get()
    }

    /// A small file's bytes, or open's errno. A read error ends the bytes there, as at the end
    /// (sysfs and /proc answer an attribute whole or not at all).
    static func fileContents(_ path: String) -> Result<[UInt8], SystemError> {
        SystemCall.open(path, O_RDONLY | O_CLOEXEC).map { fd in
            defer { close(fd) }
            var data = [UInt8]()
            // Not zeroed first: a zero-filled 64 KiB array per file was a fifth of `filesystem
            // usage`'s instructions (four devices' sysfs fsid files).
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 65536, alignment: 1)
            defer { buffer.deallocate() }
            while true {
                let n = SystemCall.value { read(fd, buffer.baseAddress, buffer.count) }
                guard case .success(let count) = n, count > 0 else { break }
                data.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[..<count]))
            }
            return data
        }
    }
}
