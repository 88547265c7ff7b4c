#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CBlkid

/// The btrfs devices of this system as progs' btrfs_scan_devices finds them: libblkid's cache
/// after probing every block device, devices of TYPE btrfs that still verify, multipath path
/// devices left out.
public enum DeviceScan {
    /// One device blkid lists, and whether its primary superblock is btrfs (progs reads it and
    /// reports "cannot scan" otherwise).
    public struct Found: Hashable, Sendable {
        /// The device path, open's errno when it could not be opened, and whether it holds a btrfs
        /// superblock.
        public var path: String
        public var openErrno: Int32?
        public var isBtrfs: Bool
    }

    /// The devices in blkid's order; the errno of getting blkid's cache on failure.
    public static func btrfsDevices() -> Result<[Found], SystemError> {
        var cache: blkid_cache?
        let got = blkid_get_cache(&cache, nil)
        guard got >= 0, let cache else { return .failure(SystemError(-got)) }
        defer { blkid_put_cache(cache) }
        blkid_probe_all(cache)
        guard let iterator = blkid_dev_iterate_begin(cache) else { return .success([]) }
        defer { blkid_dev_iterate_end(iterator) }
        _ = blkid_dev_set_search(iterator, "TYPE", "btrfs")
        var result = [Found]()
        var device: blkid_dev?
        while blkid_dev_next(iterator, &device) == 0 {
            guard let verified = blkid_verify(cache, device), let name = blkid_dev_devname(verified) else { continue }
            let path = String(pathCString: name)
            guard case .success(let st) = SystemCall.stat(path), !isMultipathPath(st.st_rdev) else { continue }
            switch SystemCall.open(path, O_RDONLY | O_CLOEXEC) {
            case .failure(let e):
                result.append(Found(path: path, openErrno: e.rawValue, isBtrfs: false))
            case .success(let fd):
                close(fd)
                result.append(Found(path: path, openErrno: nil, isBtrfs: Superblock.read(path) != nil))
            }
        }
        return .success(result)
    }

    /// A path of a multipath device, as udev's database marks it.
    static func isMultipathPath(_ device: dev_t) -> Bool {
        let d = UInt64(device)
        let minor = (d & 0xff) | ((d >> 12) & ~UInt64(0xff))
        guard let text = MountedFilesystems.readFile("/run/udev/data/b\(DeviceChecks.majorNumber(device)):\(minor)") else {
            return false
        }
        return text.contains("DM_MULTIPATH_DEVICE_PATH=1")
    }
}
