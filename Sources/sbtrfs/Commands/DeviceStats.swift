#if canImport(Glibc)
import Glibc
#endif
import Btrfs

// `sbtrfs device stats`: progs' cmd_device_stats, byte for byte (text, -T, JSON), exit status
// + 64 under -c when a counter is not zero. progs 6.2's -T prints the generation counter in
// every column; this prints each counter in its own.
extension DeviceCommands {
    static let stats = Command(
        "stats", synopsis: ["[options] <path>|<device>"], summary: "Show device IO error statistics",
        description: ["Show device IO error statistics for all devices of the given filesystem",
                      "identified by PATH or DEVICE. The filesystem must be mounted."],
        options: [
            OptionSpec("c", "check", help: "return non-zero if any stat counter is not zero"),
            OptionSpec("z", "reset", help: "show current stats and reset values to zero"),
            OptionSpec("T", nil, help: "show current stats in tabular format"),
        ],
        operands: [OperandSpec("path|device", .path)], supportsJSON: true, permutesOperands: true,
        run: runStats)

    @Sendable static func runStats(_ invocation: Invocation) throws -> Int32 {
        let context = invocation.context
        let target = invocation.operands[0]
        let check = invocation.has("check"), reset = invocation.has("reset"), tabular = invocation.has("T")
        let fs: FileSystem
        var onlyDevid: UInt64?
        // progs' open_path_or_dev_mnt: a path stat cannot see is taken for a device that is not mounted.
        let kind = MountedFilesystems.blockDeviceCheck(target)
        if case .failure(let e) = kind {
            context.error("cannot check \(target): \(errorText(e))")
            throw CommandExit.error("'\(target)' is not a mounted btrfs device")
        }
        if case .success(true) = kind {
            guard let found = try MountedFilesystems.mount(ofDevice: target) else {
                throw CommandExit.error("'\(target)' is not a mounted btrfs device")
            }
            fs = try FileSystem(path: found.mountPoint)
            onlyDevid = found.devid
        } else {
            fs = try FileSystem(path: target, requireDirectory: true)
        }
        let devices: [DevInfo]
        do {
            // A normal user may not search the chunk tree, but DEV_INFO and GET_DEV_STATS answer:
            // the devices then come from FS_INFO's count and max id.
            devices = try ProgsUsage.listedDevices(fs, only: onlyDevid, unprivilegedFallback: true).devices
        } catch let error as BtrfsError {
            throw CommandExit.error("getting device info for \(target) failed: \(errorText(error))")
        }
        guard !devices.isEmpty else { throw CommandExit.error("no devices found") }

        var status: Int32 = 0
        var rows = [(DevInfo, DevStats)]()
        for d in devices {
            let stats: DevStats
            do {
                stats = try fs.devStats(devid: d.devid, reset: reset)
            } catch let error as BtrfsError {
                // Whatever was gathered is printed by progs only through -T's table; nothing here.
                context.error("device stats ioctl failed on \(d.path): \(errorText(error))")
                return status | 1
            }
            if check && stats.counters.contains(where: { $0.value > 0 }) { status |= 64 }
            rows.append((d, stats))
        }
        let name = { (d: DevInfo) in d.pathBytes.isEmpty ? "devid:\(d.devid)" : MountedFilesystems.canonicalize(d.path) }
        if tabular {
            var table = StringTable(columns: 7, rows: rows.count + 2)
            for (i, title) in ["Id", "Path", "Write errors", "Read errors", "Flush errors", "Corruption errors",
                               "Generation errors"].enumerated() {
                table[i, 0] = "<" + title
                table[i, 1] = "*-"
            }
            for (i, (d, s)) in rows.enumerated() {
                table[0, i + 2] = ">\(d.devid)"
                table[1, i + 2] = ">" + name(d)
                for (k, counter) in s.counters.enumerated() { table[2 + k, i + 2] = ">\(counter.value)" }
            }
            for line in table.lines() { invocation.out.line(line) }
        } else if invocation.format == .json {
            var json = JSONWriter(out: invocation.out, style: .progs)
            json.start()
            json.beginGroup("device-stats", .array)
            for (d, s) in rows {
                json.beginGroup(nil, .map)
                json.string("device", name(d))
                json.number("devid", s.devid)
                for counter in s.counters { json.number(counter.name, counter.value) }
                json.endGroup()
            }
            json.endGroup()
            json.end()
        } else {
            var t = ""
            for (d, s) in rows {
                for counter in s.counters {
                    t += "[\(name(d))].\(cPad(counter.name, -16)) \(counter.value)\n"
                }
            }
            context.verbose(Context.logDefault, t)
        }
        return status
    }
}
