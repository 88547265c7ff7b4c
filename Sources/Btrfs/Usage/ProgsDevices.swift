#if canImport(Glibc)
import Glibc
#endif

extension ProgsUsage {
    /// The devices progs' `get_fs_info` lists: as many as the chunk tree has device items, the
    /// replace target (devid 0) first; or only device `only`. The count needs a tree search (root);
    /// with `unprivilegedFallback` a normal user gets FS_INFO's count instead of EPERM.
    public static func listedDevices(_ fs: FileSystem, only: UInt64? = nil,
                                     unprivilegedFallback: Bool = false) throws -> (numDevices: UInt64, devices: [DevInfo]) {
        if let only {
            let d = try fs.devInfo(devid: only)
            return (1, d.map { [$0] } ?? [])
        }
        let info = try fs.fsInfo()
        var count: UInt64
        var maxID: UInt64
        do {
            let items = try fs.deviceItems()
            count = UInt64(items.count)
            maxID = items.last?.devid ?? 0
        } catch BtrfsError.system(let code, _, _) where code == EPERM && unprivilegedFallback {
            count = info.numDevices
            maxID = info.maxID
        }
        var result = [DevInfo]()
        if let target = try fs.devInfo(devid: 0) {
            result.append(target)
            count &+= 1
        }
        var devid: UInt64 = 1
        while devid <= maxID && UInt64(result.count) < count {
            if let d = try fs.devInfo(devid: devid) { result.append(d) }
            devid &+= 1
            if devid == 0 { break }
        }
        return (count, result)
    }

    /// Whether a device node is there, as progs' `open()` check decides for root; a normal
    /// user, who may not open it, sees it present when it exists. Throws when no descriptor is
    /// left to try with (the device is not missing then).
    public static func deviceReachable(_ path: String) throws -> Bool {
        let e: Int32
        switch SystemCall.open(path, O_RDONLY | O_CLOEXEC) {
        case .success(let fd):
            close(fd)
            return true
        case .failure(let failure): e = failure.rawValue
        }
        if isDescriptorShortage(e) { throw BtrfsError.cannotAccess(path: path, errno: e) }
        return (e == EACCES || e == EPERM) && path.withPathCString({ access($0, F_OK) }) == 0
    }
}
