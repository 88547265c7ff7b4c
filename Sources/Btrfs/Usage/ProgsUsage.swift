#if canImport(Glibc)
import Glibc
#endif
import CBtrfs

/// btrfs-progs' view of space for `filesystem usage` and `device usage` (cmds/filesystem-usage.c):
/// chunk stripes summed per (type, device, stripe count), the devices with their block device
/// sizes, and the overall figures computed with progs' own integer and floating point steps.
public enum ProgsUsage {
    typealias F = BlockGroupFlags

    /// progs' `struct chunk_info`: the chunks of one type and stripe count on one device.
    public struct ChunkInfo: Hashable, Sendable {
        /// Block group flags, the device, and the chunk's number of stripes.
        public var type: UInt64
        public var devid: UInt64
        public var numStripes: UInt64
        /// Sum of the chunk lengths (virtual), not of the stripes.
        public var size: UInt64

        /// A chunk_info from its fields.
        public init(type: UInt64, devid: UInt64, numStripes: UInt64, size: UInt64) {
            self.type = type
            self.devid = devid
            self.numStripes = numStripes
            self.size = size
        }

        /// Bytes these chunks occupy on the device (`calc_chunk_size`).
        public var deviceBytes: UInt64 {
            var div: UInt64 = 1
            if type & (F.raid1 | F.raid1c3 | F.raid1c4 | F.dup) == 0 {
                let attrs = RaidAttributes(flags: type)
                div = (numStripes &- UInt64(attrs.nparity)) / UInt64(attrs.subStripes)
            }
            return div == 0 ? 0 : size / div
        }
    }

    /// progs' `struct device_info`.
    public struct DeviceInfo: Hashable, Sendable {
        /// The device id.
        public var devid: UInt64
        /// The kernel's path, or "missing".
        public var path: String
        /// Size of the device in the filesystem (DEV_INFO total_bytes).
        public var size: UInt64
        /// Size of the block device; 0 when missing or unknown.
        public var deviceSize: UInt64
        /// Bytes allocated on the device (DEV_INFO bytes_used: any user may ask).
        public var bytesUsed: UInt64 = 0

        /// Block device bytes past the filesystem's end (`calc_slack_size`, wrapping as progs does).
        public var slack: UInt64 { deviceSize > 0 ? deviceSize &- size : 0 }
    }

    /// Chunks summed as `load_chunk_info` does, sorted by type as progs' qsort (stable here).
    public static func chunkInfos(_ chunks: [Chunk]) -> [ChunkInfo] {
        var infos = [ChunkInfo]()
        for chunk in chunks {
            for stripe in chunk.stripes {
                add(&infos, type: chunk.type, devid: stripe.devid, numStripes: UInt64(chunk.numStripes), size: chunk.length)
            }
        }
        return stableSorted(infos) { compareBlockGroups($0.type, $1.type) }
    }

    /// The same sums read straight from the chunk tree, without a `Chunk` and a stripe array per
    /// chunk: on 300 chunks their allocations were a quarter of `filesystem usage`'s instructions.
    /// Throws as `fs.usageChunks()` does (EPERM for an unprivileged caller, a short or stripeless item).
    public static func chunkInfos(_ fs: FileSystem) throws -> [ChunkInfo] {
        var infos = [ChunkInfo]()
        try fs.forEachItem(fs.chunkSearch()) { item in
            let r = item.reader()
            let head = try Chunk.head(in: r)
            try Chunk.checkForUsage(numStripes: head.numStripes, vaddr: item.key.offset)
            for stripe in 0..<Int(head.numStripes) {
                add(&infos, type: head.type, devid: try Chunk.stripeDevid(in: r, stripe),
                    numStripes: UInt64(head.numStripes), size: head.length)
            }
        }
        return stableSorted(infos) { compareBlockGroups($0.type, $1.type) }
    }

    /// One stripe into the sums: progs keeps one entry per type, device and stripe count.
    private static func add(_ infos: inout [ChunkInfo], type: UInt64, devid: UInt64, numStripes: UInt64, size: UInt64) {
        if let i = infos.firstIndex(where: { $0.type == type && $0.devid == devid && $0.numStripes == numStripes }) {
            infos[i].size &+= size
        } else {
            infos.append(ChunkInfo(type: type, devid: devid, numStripes: numStripes, size: size))
        }
    }

    /// progs' `cmp_chunk_block_group`: within a type by profile bits, else System last, else by type bits.
    public static func compareBlockGroups(_ f1: UInt64, _ f2: UInt64) -> Int {
        let mask: UInt64
        if f1 & F.typeMask == f2 & F.typeMask {
            mask = F.profileMask
        } else if f2 & F.system != 0 {
            return -1
        } else if f1 & F.system != 0 {
            return 1
        } else {
            mask = F.typeMask
        }
        if f1 & mask > f2 & mask { return 1 }
        if f1 & mask < f2 & mask { return -1 }
        return 0
    }

    /// Space infos in progs' order (`load_space_info`'s qsort).
    public static func sortedSpaces(_ spaces: [SpaceInfo]) -> [SpaceInfo] {
        stableSorted(spaces) { compareBlockGroups($0.flags, $1.flags) }
    }

    static func stableSorted<T>(_ items: [T], _ compare: (T, T) -> Int) -> [T] {
        items.enumerated().sorted { a, b in
            let c = compare(a.element, b.element)
            return c != 0 ? c < 0 : a.offset < b.offset
        }.map(\.element)
    }

    /// The devices as `load_device_info` lists them: seed devices left out, devid order.
    public static func deviceInfos(_ fs: FileSystem) throws -> [DeviceInfo] {
        let info = try fs.fsInfo()
        var result = [DeviceInfo]()
        for d in try fs.devInfos(maxID: info.maxID) {
            if isSeed(d, fsid: info.fsid) { continue }
            let path = d.pathBytes.isEmpty ? "missing" : d.path
            result.append(DeviceInfo(devid: d.devid, path: path, size: d.totalBytes,
                                     deviceSize: d.pathBytes.isEmpty ? 0 : try partitionSize(path), bytesUsed: d.bytesUsed))
        }
        return result.sorted { $0.devid < $1.devid }
    }

    /// Whether the device belongs to another filesystem (a seed): by the fsid DEV_INFO reports
    /// (kernel 6.3 and later), else as progs asks sysfs. DEV_INFO's and sysfs's are the same field
    /// of the kernel's; four sysfs reads were a seventh of `filesystem usage`'s instructions.
    static func isSeed(_ device: DevInfo, fsid: BtrfsUUID) -> Bool {
        if let own = device.fsid { return own != fsid }
        return isSeed(fsid: fsid, devid: device.devid)
    }

    /// Whether sysfs says device `devid` belongs to another filesystem (a seed).
    static func isSeed(fsid: BtrfsUUID, devid: UInt64) -> Bool {
        guard let text = MountedFilesystems.readFile(Sysfs(fsid: fsid).directory + "/devinfo/\(devid)/fsid") else {
            return false
        }
        let trimmed = text.prefix { $0 != "\n" }
        return !trimmed.isEmpty && String(trimmed) != fsid.description
    }

    /// Size of a block device (BLKGETSIZE64) or regular file. Without permission to open it,
    /// sysfs's size in 512-byte sectors, times 512 (progs 6.2 forgets the 512 and reports slack of
    /// 16 EiB to normal users). Throws when no descriptor is left (a size of 0 would be a lie).
    public static func partitionSize(_ path: String) throws -> UInt64 {
        switch SystemCall.open(path, O_RDONLY | O_CLOEXEC) {
        case .failure(let e) where isDescriptorShortage(e.rawValue):
            throw BtrfsError.cannotAccess(path: path, errno: e.rawValue)
        case .failure: break
        case .success(let fd):
            defer { close(fd) }
            if case .success(let st) = SystemCall.fstat(fd), (st.st_mode & S_IFMT) == S_IFREG {
                return UInt64(clamping: st.st_size)
            }
            var size: UInt64 = 0
            guard case .success = rawIoctl(fd, UInt(BLKGETSIZE64_REQUEST), &size, retryOnInterrupt: true) else { return 0 }
            return size
        }
        guard let resolved = realPath(path) else { return 0 }
        let name = resolved.split(separator: "/").last.map(String.init) ?? ""
        guard let text = MountedFilesystems.readFile("/sys/class/block/\(name)/size") else { return 0 }
        let digits = text.prefix { $0.isASCII && $0.isNumber }
        guard let sectors = UInt64(digits) else { return 0 }
        let (bytes, overflow) = sectors.multipliedReportingOverflow(by: 512)
        return overflow ? 0 : bytes
    }

    /// statfs's available bytes for unprivileged users (f_bavail × f_bsize), as `df` shows them,
    /// asked by the open filesystem's descriptor (the path is not looked up again).
    public static func statfsAvailable(_ fs: FileSystem) -> Result<UInt64, SystemError> {
        SystemCall.fstatfs(fs.descriptor.rawValue).map { UInt64($0.f_bavail) &* UInt64($0.f_bsize) }
    }

    /// BLKGETSIZE64 = _IOR(0x12, 114, size_t).
    static let BLKGETSIZE64_REQUEST: UInt32 = (2 << 30) | (UInt32(MemoryLayout<Int>.size) << 16) | (0x12 << 8) | 114
}
