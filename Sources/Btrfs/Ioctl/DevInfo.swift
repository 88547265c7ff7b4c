#if canImport(Glibc)
import Glibc
#endif
import CBtrfs

/// BTRFS_IOC_DEV_INFO: one device of the filesystem as the kernel sees it now.
public struct DevInfo: Hashable, Sendable {
    /// The device id, its UUID, and bytes allocated on it and its size in bytes.
    public var devid: UInt64
    public var uuid: BtrfsUUID
    public var bytesUsed: UInt64
    public var totalBytes: UInt64
    /// The device path as the kernel knows it; bytes, as they may not be UTF-8.
    public var pathBytes: [UInt8]
    public var path: String { String(pathBytes: pathBytes) }
    /// The fsid of the filesystem the device belongs to: a seed device's differs from the mounted
    /// filesystem's. Kernels since 6.3 fill it in; nil from older ones (they leave it zero).
    public var fsid: BtrfsUUID? = nil
}

extension FileSystem {
    /// The device with `devid`, or nil when there is none (ENODEV: a gap in the devid range).
    public func devInfo(devid: UInt64) throws -> DevInfo? {
        var args = btrfs_ioctl_dev_info_args()
        args.devid = devid
        let e = descriptor.ioctlErrno(SB_IOC_DEV_INFO, &args)
        if e == ENODEV { return nil }
        if e != 0 { throw descriptor.error(e, call: "dev info") }
        let pathBytes = withUnsafeBytes(of: args.path) { raw -> [UInt8] in
            Array(raw.prefix { $0 != 0 })
        }
        // The fsid sits in the first 16 bytes of what older headers call `unused`.
        let fsid = withUnsafeBytes(of: args.unused) { BtrfsUUID(raw: $0) }
        return DevInfo(devid: args.devid, uuid: withUnsafeBytes(of: args.uuid) { BtrfsUUID(raw: $0) },
                       bytesUsed: args.bytes_used, totalBytes: args.total_bytes, pathBytes: pathBytes,
                       fsid: fsid.isZero ? nil : fsid)
    }

    /// Every device, in devid order, walking 1...max_id from FS_INFO (pass `maxID` when FS_INFO
    /// has been read already).
    public func devInfos(maxID: UInt64? = nil) throws -> [DevInfo] {
        let maxID = try maxID ?? fsInfo().maxID
        var result = [DevInfo]()
        var devid: UInt64 = 1
        while devid <= maxID {
            if let d = try devInfo(devid: devid) { result.append(d) }
            devid &+= 1
            if devid == 0 { break }
        }
        return result
    }
}
