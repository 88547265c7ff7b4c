#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CBtrfs

extension FileSystem {
    /// The filesystem label (GET_FSLABEL), as bytes up to the first NUL.
    public func label() throws -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: 256)
        try descriptor.ioctl(SB_IOC_GET_FSLABEL, &buffer, name: "get label")
        buffer[255] = 0
        return Array(buffer.prefix(buffer.firstIndex(of: 0) ?? 255))
    }

    /// Sets the label (SET_FSLABEL); at most 255 bytes.
    public func setLabel(_ label: [UInt8]) throws {
        guard label.count <= 255 else { throw BtrfsError.invalidArgument("label is too long (max 255)") }
        var buffer = label + [UInt8](repeating: 0, count: 256 - label.count)
        try descriptor.ioctl(SB_IOC_SET_FSLABEL, &buffer, name: "set label", retryOnInterrupt: false)
    }

    /// A btrfs extended attribute of the open file ("btrfs.compression"); nil when not set.
    public func extendedAttribute(_ name: String) throws -> [UInt8]? {
        while true {
            let size = fgetxattr(descriptor.rawValue, name, nil, 0)
            if size < 0 {
                if Glibc.errno == ENODATA { return nil }
                throw BtrfsError.system(errno: Glibc.errno, call: "getxattr", path: path)
            }
            var buffer = [UInt8](repeating: 0, count: max(size, 1))
            let got = fgetxattr(descriptor.rawValue, name, &buffer, size)
            if got < 0 {
                if Glibc.errno == ERANGE { continue }  // grew in between
                throw BtrfsError.system(errno: Glibc.errno, call: "getxattr", path: path)
            }
            return Array(buffer.prefix(got))
        }
    }
}

/// The superblock's label of a device or image: 256 bytes at 64 KiB + 299.
public func superblockLabel(device: String) throws -> [UInt8] {
    let fd = device.withPathCString({ open($0, O_RDONLY | O_CLOEXEC) })
    guard fd >= 0 else { throw BtrfsError.cannotAccess(path: device, errno: Glibc.errno) }
    defer { close(fd) }
    var label = [UInt8](repeating: 0, count: 256)
    guard pread(fd, &label, 256, 65536 + 299) == 256 else {
        throw BtrfsError.truncated(item: "superblock of \(device)", need: 65536 + 299 + 256, have: 0)
    }
    label[255] = 0
    return Array(label.prefix(label.firstIndex(of: 0) ?? 255))
}

/// Sets a btrfs extended attribute of `path` (opened read-write for files, as progs does).
public func setExtendedAttribute(path: String, name: String, value: [UInt8]) throws {
    var st = stat()
    guard path.withPathCString({ stat($0, &st) }) == 0 else { throw BtrfsError.cannotAccess(path: path, errno: Glibc.errno) }
    let fd = path.withPathCString({ open($0, ((st.st_mode & S_IFMT) == S_IFDIR ? O_RDONLY : O_RDWR) | O_CLOEXEC) })
    guard fd >= 0 else { throw BtrfsError.cannotAccess(path: path, errno: Glibc.errno) }
    defer { close(fd) }
    guard fsetxattr(fd, name, value, value.count, 0) == 0 else {
        throw BtrfsError.system(errno: Glibc.errno, call: "setxattr", path: path)
    }
}
