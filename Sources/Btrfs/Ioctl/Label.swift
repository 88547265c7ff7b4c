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
        return labelText(buffer)
    }

    /// Sets the label (SET_FSLABEL); at most 255 bytes.
    public func setLabel(_ label: [UInt8]) throws {
        var buffer = try labelBuffer(label)
        try descriptor.ioctl(SB_IOC_SET_FSLABEL, &buffer, name: "set label", retryOnInterrupt: false)
    }

    /// A btrfs extended attribute of the open file ("btrfs.compression"); nil when not set.
    public func extendedAttribute(_ name: String) throws -> [UInt8]? {
        let fd = descriptor.rawValue
        while true {
            let size: Int
            switch SystemCall.value({ fgetxattr(fd, name, nil, 0) }) {
            case .success(let answer): size = answer
            case .failure(let e) where e.rawValue == ENODATA: return nil
            case .failure(let e): throw BtrfsError.system(errno: e.rawValue, call: "getxattr", path: path)
            }
            var buffer = [UInt8](repeating: 0, count: max(size, 1))
            switch SystemCall.value({ fgetxattr(fd, name, &buffer, size) }) {
            case .success(let got): return Array(buffer.prefix(got))
            case .failure(let e) where e.rawValue == ERANGE: continue  // grew in between
            case .failure(let e): throw BtrfsError.system(errno: e.rawValue, call: "getxattr", path: path)
            }
        }
    }
}

/// The 256-byte label field as the kernel and the superblock hold it: the bytes up to the first
/// NUL, the last byte never part of it.
func labelText(_ field: [UInt8]) -> [UInt8] {
    let usable = field.prefix(255)
    return Array(usable.prefix(usable.firstIndex(of: 0) ?? usable.endIndex))
}

/// `label` as the 256-byte field SET_FSLABEL takes; at most 255 bytes.
func labelBuffer(_ label: [UInt8]) throws -> [UInt8] {
    guard label.count <= 255 else { throw BtrfsError.invalidArgument("label is too long (max 255)") }
    return label + [UInt8](repeating: 0, count: 256 - label.count)
}

/// Up to `count` bytes of the primary superblock of a device or image (at 64 KiB), from `offset`
/// within it; fewer when the device ends first.
func superblockBytes(device: String, offset: Int, count: Int) throws -> [UInt8] {
    let fd = try SystemCall.open(device, O_RDONLY | O_CLOEXEC).get { .cannotAccess(path: device, errno: $0) }
    defer { close(fd) }
    var bytes = [UInt8](repeating: 0, count: count)
    let got = SystemCall.value { pread(fd, &bytes, count, off_t(65536 + offset)) }
    guard case .success(let n) = got, n > 0 else { return [] }
    return Array(bytes.prefix(n))
}

/// The superblock's label of a device or image: 256 bytes at 64 KiB + 299.
public func superblockLabel(device: String) throws -> [UInt8] {
    let field = try superblockBytes(device: device, offset: 299, count: 256)
    guard field.count == 256 else {
        throw BtrfsError.truncated(item: "superblock of \(device)", need: 65536 + 299 + 256, have: 0)
    }
    return labelText(field)
}

/// Sets a btrfs extended attribute of `path` (opened read-write for files, as progs does).
public func setExtendedAttribute(path: String, name: String, value: [UInt8]) throws {
    let st = try SystemCall.stat(path).get { .cannotAccess(path: path, errno: $0) }
    let flags = ((st.st_mode & S_IFMT) == S_IFDIR ? O_RDONLY : O_RDWR) | O_CLOEXEC
    let fd = try SystemCall.open(path, flags).get { .cannotAccess(path: path, errno: $0) }
    defer { close(fd) }
    _ = try SystemCall.value { fsetxattr(fd, name, value, value.count, 0) }
        .get { .system(errno: $0, call: "setxattr", path: path) }
}
