#if canImport(Glibc)
import Glibc
#endif
import Btrfs

/// Everything `filesystem usage` and `device usage` print, gathered once as progs'
/// `load_chunk_and_device_info` + `print_filesystem_usage_overall` gather it.
struct SpaceReport {
    var path: String
    /// Progs-sorted space infos (global reserve included).
    var spaces: [SpaceInfo]
    /// Empty for a normal user (tree search needs root).
    var chunks: [ProgsUsage.ChunkInfo]
    var chunksReadable: Bool
    /// Without the chunk tree: each profile's bytes per device as far as the device and profile
    /// totals settle them (nil with the chunk tree, or when the totals kept moving).
    var deduced: DeviceAllocation?
    /// The filesystem's sysfs directory, if there is one: JSON adds its allocation/ figures.
    var sysfs: Sysfs?
    var devices: [ProgsUsage.DeviceInfo]
    var overall: ProgsUsage.Overall?
    var statfsFree: UInt64
    var multipleProfileTypes: String?
    var zoned: Bool
    var zoneSize: UInt64

    /// Reads the filesystem; warnings (no root) go to stderr as progs prints them.
    init(_ fs: FileSystem, path: String, context: Context) throws {
        self.path = path
        do {
            chunks = try ProgsUsage.chunkInfos(fs)
            chunksReadable = true
        } catch BtrfsError.system(let code, _, _) where code == EPERM {
            context.warning("cannot read detailed chunk info without root, per-device usage is shown where device totals determine it")
            chunks = []
            chunksReadable = false
        }
        devices = try ProgsUsage.deviceInfos(fs)
        spaces = ProgsUsage.sortedSpaces(try fs.spaceInfo())
        deduced = nil
        // The totals come from separate calls: a chunk allocated between them contradicts the
        // sums, and a second reading settles it.
        for attempt in 0..<(chunksReadable ? 0 : 4) {
            if attempt > 0 {
                devices = try ProgsUsage.deviceInfos(fs)
                spaces = ProgsUsage.sortedSpaces(try fs.spaceInfo())
            }
            deduced = DeviceAllocation.deduce(spaces: spaces, devices: devices.map { ($0.devid, $0.bytesUsed) })
            if deduced != nil { break }
        }
        // progs' overall figures count RAID5/6 from the chunks only. Where the totals show that
        // every RAID5/6 chunk spans every device, those chunks are known as root would read them;
        // else say so rather than let a ratio of 0.00 and a free estimate of nothing pass for numbers.
        var overallChunks = chunks
        let parityProfiles = spaces.filter { $0.flags & (BlockGroupFlags.raid5 | BlockGroupFlags.raid6) != 0 }
        if !chunksReadable && !parityProfiles.isEmpty {
            if let deduced, parityProfiles.allSatisfy({ $0.totalBytes == 0 || deduced.spansAllDevices(flags: $0.flags) }) {
                overallChunks = parityProfiles.filter { $0.totalBytes > 0 }.flatMap { space in
                    deduced.devids.map { ProgsUsage.ChunkInfo(type: space.flags, devid: $0, numStripes: UInt64(deduced.devids.count),
                                                               size: space.totalBytes) }
                }
            } else {
                context.warning("RAID5/6 chunks need root: the overall figures leave them out (as btrfs-progs does)")
            }
        }
        // progs asks sysfs per space whether the fs is zoned; once is enough, and the feature
        // flags sysfs shows say it in one ioctl.
        zoned = fs.isZoned()
        // allocation/ is read only for JSON (some 70 sysfs calls, as long as the rest of the report).
        sysfs = zoned || context.format == .json ? try? fs.sysfs() : nil
        let zonedSysfs = zoned ? sysfs : nil
        overall = ProgsUsage.overall(spaces: spaces, chunks: overallChunks, devices: devices,
                                     zoneUnusable: { flags in zonedSysfs?.zoneUnusable(flags: flags) })
        switch ProgsUsage.statfsAvailable(fs) {
        case .success(let bytes): statfsFree = bytes
        case .failure(let e):
            context.warning("cannot get space info with statfs() on '\(path)': \(errorText(e))")
            statfsFree = 0
        }
        let profiles = ProfileNames.multipleProfiles(spaces.map(\.flags))
        var types = [String]()
        if profiles.data != nil { types.append("data") }
        if profiles.metadata != nil { types.append("metadata") }
        if profiles.mixed != nil { types.append("data+metadata") }
        if profiles.system != nil { types.append("system") }
        multipleProfileTypes = types.isEmpty ? nil : types.joined(separator: ", ")
        zoneSize = zoned ? SpaceReport.firstDeviceZoneSize(sysfs) : 0
    }

    /// `get_first_device_zone_size`: chunk_sectors of the first device sysfs lists, in bytes.
    static func firstDeviceZoneSize(_ sysfs: Sysfs?) -> UInt64 {
        guard let sysfs, let dir = opendir(sysfs.directory + "/devices") else { return 0 }
        defer { closedir(dir) }
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(pathBytes: raw.prefix { $0 != 0 })
            }
            if name == "." || name == ".." { continue }
            return (sysfs.number("devices/\(name)/queue/chunk_sectors") ?? 0) &* 512
        }
        return 0
    }

    /// Bytes of `flags` chunks (of any, without `flags`) on device `devid` (0 if none).
    func allocated(devid: UInt64, flags: UInt64? = nil) -> UInt64 {
        chunks.filter { ($0.type == flags || flags == nil) && $0.devid == devid }.reduce(0) { $0 &+ $1.deviceBytes }
    }

    /// Bytes of profile `flags` on the device: from the chunks, else as far as the totals
    /// determine them (nil: undetermined).
    func share(devid: UInt64, flags: UInt64) -> UInt64? {
        chunksReadable ? allocated(devid: devid, flags: flags) : deduced?.bytes(flags: flags, devid: devid)
    }

    /// Bytes allocated on the device: from the chunks, else DEV_INFO's count (the same number).
    func allocatedTotal(_ d: ProgsUsage.DeviceInfo) -> UInt64 {
        chunksReadable ? allocated(devid: d.devid) : d.bytesUsed
    }

    /// `_cmd_filesystem_usage_tabular`: devices down, spaces across, totals at the bottom.
    func tabular(mode: UnitMode) -> [String] {
        let shown = spaces.filter { $0.flags & BlockGroupFlags.globalReserve == 0 }
        let skip = 3
        let columns = 5 + shown.count
        let firstSpace = 2
        var table = StringTable(columns: columns, rows: skip + devices.count + 3)
        for (i, space) in shown.enumerated() {
            table[firstSpace + i, 0] = "<" + ProfileNames.typeName(space.flags)
            table[firstSpace + i, 1] = "<" + ProfileNames.profileName(space.flags)
        }
        let unallocatedColumn = firstSpace + shown.count, totalColumn = unallocatedColumn + 1, slackColumn = totalColumn + 1
        table[0, 1] = "<Id"
        table[1, 1] = "<Path"
        table[unallocatedColumn, 1] = "<Unallocated"
        table[totalColumn, 1] = "<Total"
        table[slackColumn, 1] = "<Slack"
        var totalUnused: UInt64 = 0, totalTotal: UInt64 = 0, totalSlack: UInt64 = 0
        for (i, d) in devices.enumerated() {
            let row = skip + i
            table[0, row] = ">\(d.devid)"
            table[1, row] = "<" + d.path
            var allocatedHere: UInt64 = 0
            for (k, space) in shown.enumerated() {
                // "?": the split needs the chunk tree (root).
                guard let size = share(devid: d.devid, flags: space.flags) else {
                    table[firstSpace + k, row] = ">?"
                    continue
                }
                table[firstSpace + k, row] = size > 0 ? ">" + prettySize(size, mode: mode) : ">-"
                allocatedHere &+= size
            }
            let unused = d.size &- (chunksReadable ? allocatedHere : d.bytesUsed)
            table[unallocatedColumn, row] = ">" + prettySize(unused, mode: mode.signed)
            table[totalColumn, row] = ">" + prettySize(d.size, mode: mode.signed)
            let slack = d.slack
            table[slackColumn, row] = slack > 0 ? ">" + prettySize(slack, mode: mode.signed) : ">-"
            totalUnused &+= unused
            totalSlack &+= slack
            totalTotal &+= d.size
        }
        for column in 0..<columns {
            table[column, skip - 1] = "*-"
            table[column, skip + devices.count] = "*-"
        }
        let footer = skip + devices.count + 1
        table[1, footer] = "<Total"
        table[1, footer + 1] = "<Used"
        for (k, space) in shown.enumerated() {
            table[firstSpace + k, footer] = ">" + prettySize(space.totalBytes, mode: mode)
            table[firstSpace + k, footer + 1] = ">" + prettySize(space.usedBytes, mode: mode)
        }
        table[unallocatedColumn, footer] = ">" + prettySize(totalUnused, mode: mode.signed)
        table[totalColumn, footer] = ">" + prettySize(totalTotal, mode: mode.signed)
        table[slackColumn, footer] = ">" + prettySize(totalSlack, mode: mode.signed)
        return table.lines()
    }
}
