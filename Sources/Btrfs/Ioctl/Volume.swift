#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CBtrfs

/// The calls that take `struct btrfs_ioctl_vol_args` (an fd and a 4088-byte name): resize, device
/// add and remove, and /dev/btrfs-control's scan, forget and ready. The struct's name is a C array
/// Swift imports as a 4088-tuple, so it is built as raw bytes: 8 bytes of fd, then the name.
enum VolumeArgs {
    static let size = 8 + 4088

    /// The argument block with `name` (at most 4087 bytes; the caller checks progs' own limits).
    static func make(_ name: [UInt8]) throws -> [UInt8] {
        guard name.count < 4088 else { throw BtrfsError.invalidArgument("name is too long (max 4087)") }
        var bytes = [UInt8](repeating: 0, count: size)
        bytes.replaceSubrange(8..<(8 + name.count), with: name)
        return bytes
    }
}

extension FileSystem {
    /// Resizes a device (RESIZE): `amount` as the kernel reads it, `[devid:][+-]size|max|cancel`.
    /// Returns 0 or the kernel's positive `btrfs_err_code` (another exclusive operation running).
    @discardableResult
    public func resize(_ amount: [UInt8]) throws -> Int32 {
        var args = try VolumeArgs.make(amount)
        switch rawIoctl(descriptor.rawValue, SB_IOC_RESIZE, &args, retryOnInterrupt: false) {
        case .success(let code): return code
        case .failure(let e): throw descriptor.error(e.rawValue, call: "resize")
        }
    }
}

/// Commits the filesystem `path` is on and waits for it (btrfs_util_sync, progs' `filesystem sync`).
public func syncFilesystem(path: String) throws {
    try path.withPathCString { p in try utilCall(path: path) { btrfs_util_sync(p) } }
}

/// Does `device` hold a btrfs superblock (magic `_BHRfS_M` at 64 KiB + 64)?
public func hasBtrfsSuperblock(device: String) throws -> Bool {
    try superblockBytes(device: device, offset: 64, count: 8) == Array("_BHRfS_M".utf8)
}

/// GET_FSLABEL on whatever `path` is (progs' get_label_mounted: no check that it is btrfs, so a
/// filesystem with the generic FS_IOC_GETFSLABEL answers too).
public func filesystemLabel(path: String) throws -> [UInt8] {
    let fd = try SystemCall.open(path, O_RDONLY | O_CLOEXEC).get { .cannotAccess(path: path, errno: $0) }
    defer { close(fd) }
    var buffer = [UInt8](repeating: 0, count: 256)
    if case .failure(let e) = rawIoctl(fd, SB_IOC_GET_FSLABEL, &buffer, retryOnInterrupt: true) {
        throw BtrfsError.system(errno: e.rawValue, call: "get label", path: path)
    }
    return labelText(buffer)
}

/// SET_FSLABEL on `path` (progs' set_label_mounted); at most 255 bytes.
public func setFilesystemLabel(path: String, label: [UInt8]) throws {
    var buffer = try labelBuffer(label)
    let fd = try SystemCall.open(path, O_RDONLY | O_CLOEXEC).get { .cannotAccess(path: path, errno: $0) }
    defer { close(fd) }
    // SET_FSLABEL is also ext4's and xfs's FS_IOC_SETFSLABEL: progs would relabel those;
    // a btrfs tool leaves them alone and answers as a kernel without the call would.
    guard case .success(let sfs) = SystemCall.fstatfs(fd),
          UInt32(truncatingIfNeeded: sfs.f_type) == UInt32(truncatingIfNeeded: BTRFS_SUPER_MAGIC) else {
        throw BtrfsError.system(errno: ENOTTY, call: "set label", path: path)
    }
    if case .failure(let e) = rawIoctl(fd, SB_IOC_SET_FSLABEL, &buffer, retryOnInterrupt: false) {
        throw BtrfsError.system(errno: e.rawValue, call: "set label", path: path)
    }
}


/// progs' btrfs_err_str: the text of a positive `btrfs_err_code` some device ioctls return.
public func btrfsErrorCodeText(_ code: Int32) -> String? {
    switch code {
    case 1: return "unable to go below two devices on raid1"
    case 9: return "unable to go below three devices on raid1c3"
    case 10: return "unable to go below four devices on raid1c4"
    case 2: return "unable to go below four/two devices on raid10"
    case 3: return "unable to go below two devices on raid5"
    case 4: return "unable to go below three devices on raid6"
    case 5: return "unable to remove the dev_replace target dev"
    case 6: return "no missing devices found to remove"
    case 7: return "unable to remove the only writeable device"
    case 8: return "add/delete/balance/replace/resize operation in progress"
    default: return nil
    }
}

/// The size of a file or block device, as lseek to its end says.
public func byteSize(path: String) throws -> UInt64 {
    let fd = try SystemCall.open(path, O_RDONLY | O_CLOEXEC).get { .cannotAccess(path: path, errno: $0) }
    defer { close(fd) }
    let end = try SystemCall.value { lseek(fd, 0, SEEK_END) }.get { .system(errno: $0, call: "lseek", path: path) }
    return UInt64(end)
}
