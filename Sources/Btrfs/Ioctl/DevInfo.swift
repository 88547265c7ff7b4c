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
        return DevInfo(devid: args.devid,
                       uuid: BtrfsUUID(bytes: withUnsafeBytes(of: args.uuid) { Array($0) }),
                       bytesUsed: args.bytes_used, totalBytes: args.total_bytes, pathBytes: pathBytes)
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
