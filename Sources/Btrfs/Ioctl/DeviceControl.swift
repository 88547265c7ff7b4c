#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CBtrfs

/// A device to remove, as RM_DEV_V2 takes it: by devid (BTRFS_DEVICE_SPEC_BY_ID) or by name
/// (a device path, `missing`, or `cancel` to stop a running removal).
public enum DeviceSpec: Hashable, Sendable {
    case devid(UInt64)
    case name([UInt8])
}

/// `struct btrfs_ioctl_vol_args_v2` as bytes: fd, transid, flags, 32 unused bytes, then the
/// union of a 4040-byte name and a devid at offset 56.
enum VolumeArgsV2 {
    static let size = 56 + 4040
    static let flagsOffset = 16
    static let nameOffset = 56
    /// BTRFS_DEVICE_SPEC_BY_ID.
    static let specByID: UInt64 = 1 << 3

    static func make(_ spec: DeviceSpec) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: size)
        switch spec {
        case .devid(let devid):
            bytes.store(specByID, at: flagsOffset)
            bytes.store(devid, at: nameOffset)
        case .name(let name):
            guard name.count < 4040 else { throw BtrfsError.invalidArgument("name is too long (max 4039)") }
            bytes.replaceSubrange(nameOffset..<(nameOffset + name.count), with: name)
        }
        return bytes
    }
}

extension Array where Element == UInt8 {
    /// Stores `value` little-endian at `offset` (the caller sized the array).
    mutating func store(_ value: UInt64, at offset: Int) {
        for i in 0..<8 where offset + i < count { self[offset + i] = UInt8(truncatingIfNeeded: value >> (8 * UInt64(i))) }
    }

    /// The little-endian UInt64 at `offset`, 0 past the end.
    func load(at offset: Int) -> UInt64 {
        var value: UInt64 = 0
        for i in (0..<8).reversed() where offset + i < count { value = value << 8 | UInt64(self[offset + i]) }
        return value
    }
}

extension FileSystem {
    /// Adds the block device `device` (its path as the kernel opens it) to the filesystem
    /// (ADD_DEV). Not retried on EINTR: the kernel may have added it.
    public func addDevice(_ device: [UInt8]) throws {
        var args = try VolumeArgs.make(device)
        if case .failure(let e) = rawIoctl(descriptor.rawValue, SB_IOC_ADD_DEV, &args, retryOnInterrupt: false) {
            throw BtrfsError.system(errno: e.rawValue, call: "add device", path: path)
        }
    }

    /// Removes a device (RM_DEV_V2; a kernel without it, ENOTTY or EOPNOTSUPP, gets the old
    /// RM_DEV with the name, as progs does; by devid there is no older call, and that errno is
    /// thrown with the call named "device delete by id"). Returns 0 or the kernel's positive
    /// `btrfs_err_code` (btrfsErrorCodeText).
    public func removeDevice(_ spec: DeviceSpec) throws -> Int32 {
        var args = try VolumeArgsV2.make(spec)
        let reply = rawIoctl(descriptor.rawValue, SB_IOC_RM_DEV_V2, &args, retryOnInterrupt: false)
        switch reply {
        case .success(let code): return code
        case .failure(let e) where e.rawValue == ENOTTY || e.rawValue == EOPNOTSUPP:
            guard case .name(let name) = spec else {
                throw BtrfsError.system(errno: e.rawValue, call: "device delete by id", path: path)
            }
            var old = try VolumeArgs.make(name)
            switch rawIoctl(descriptor.rawValue, SB_IOC_RM_DEV, &old, retryOnInterrupt: false) {
            case .success(let code): return code
            case .failure(let e): throw BtrfsError.system(errno: e.rawValue, call: "remove device", path: path)
            }
        case .failure(let e):
            throw BtrfsError.system(errno: e.rawValue, call: "remove device", path: path)
        }
    }
}

/// /dev/btrfs-control: the kernel's list of btrfs devices (scan, forget, ready), open once.
public final class BtrfsControl {
    /// The control device's path.
    public static let path = "/dev/btrfs-control"
    let fd: CInt

    /// Opens the control device read-write, as progs does; throws its open errno.
    public init() throws {
        fd = try SystemCall.open(BtrfsControl.path, O_RDWR | O_CLOEXEC)
            .get { .cannotAccess(path: BtrfsControl.path, errno: $0) }
    }

    deinit { close(fd) }

    private func call(_ request: CUnsignedLong, _ name: [UInt8], _ what: String) throws -> CInt {
        var args = try VolumeArgs.make(name)
        switch rawIoctl(fd, request, &args, retryOnInterrupt: true) {
        case .success(let value): return value
        case .failure(let e): throw BtrfsError.system(errno: e.rawValue, call: what, path: String(pathBytes: name))
        }
    }

    /// Registers the device `name` with the kernel (SCAN_DEV).
    public func scan(_ name: [UInt8]) throws { _ = try call(SB_IOC_SCAN_DEV, name, "scan device") }

    /// Unregisters the device `name`, or with nil every device of no mounted filesystem (FORGET_DEV).
    public func forget(_ name: [UInt8]?) throws { _ = try call(SB_IOC_FORGET_DEV, name ?? [], "forget device") }

    /// Registers `name` and answers whether every device of its filesystem is known
    /// (DEVICES_READY: the kernel's 0 is ready, 1 not yet).
    public func devicesReady(_ name: [UInt8]) throws -> Bool { try call(SB_IOC_DEVICES_READY, name, "devices ready") == 0 }
}
