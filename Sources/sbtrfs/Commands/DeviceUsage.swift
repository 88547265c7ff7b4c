import Btrfs

// `sbtrfs device usage`: progs' cmd_device_usage, byte for byte, except that a normal user
// sees the real device size and slack (progs 6.2 reads sysfs sectors as bytes).
extension DeviceCommands {
    static let usage = Command(
        "usage", synopsis: ["[options] <path> [<path>..]"],
        summary: "Show detailed information about internal allocations in devices.",
        units: .shortAndLong, operands: [OperandSpec("path", .path, repeating: true)],
        // progs' help text; JSON is an sbtrfs addition it does not list.
        help: [.units], supportsJSON: true, badOption: .usage, run: runUsage)

    @Sendable static func runUsage(_ invocation: Invocation) throws -> Int32 {
        let context = invocation.context
        let mode = invocation.units
        var reports = [SpaceReport]()
        for (index, path) in invocation.operands.enumerated() {
            if index > 0 && invocation.format == .text { context.verbose(Context.logDefault, "\n") }
            let fs = try FileSystem(path: path, requireDirectory: true)
            let report = try SpaceReport(fs, path: path, context: context)
            if invocation.format == .json {
                reports.append(report)
            } else {
                var t = ""
                for d in report.devices { t += deviceText(d, report: report, mode: mode) + "\n" }
                context.verbose(Context.logDefault, t)
            }
            FilesystemCommands.warnMultipleProfiles(report.spaces, context: context)
        }
        if invocation.format == .json { FilesystemCommands.writeUsageJSON(reports, to: invocation.out, key: "device-usage") }
        return 0
    }

    /// One `label: value` line of progs' print_device_sizes (values right-aligned at column 35).
    static func label(_ text: String, _ value: String) -> String {
        "   \(text): " + String(repeating: " ", count: abs(20 - text.utf8.count)) + cPad(value, 10) + "\n"
    }

    /// `print_device_sizes` + `print_device_chunks` for one device.
    static func deviceText(_ d: ProgsUsage.DeviceInfo, report: SpaceReport, mode: UnitMode) -> String {
        var t = "\(d.path), ID: \(d.devid)\n"
        t += label("Device size", prettySize(d.deviceSize, mode: mode))
        t += label("Device slack", prettySize(d.slack, mode: mode))
        if !report.chunksReadable { return t + deducedText(d, report: report, mode: mode) }
        var allocated: UInt64 = 0
        for info in report.chunks where info.devid == d.devid {
            let size = info.deviceBytes
            let stripey = info.type & (BlockGroupFlags.raid0 | BlockGroupFlags.raid10 | BlockGroupFlags.raid5 | BlockGroupFlags.raid6) != 0
            t += chunkLine(info.type, stripes: stripey ? info.numStripes : nil, prettySize(size, mode: mode))
            allocated &+= size
        }
        t += label("Unallocated", prettySize(d.size &- allocated, mode: mode.signed))
        return t
    }

    /// One profile line of `print_device_chunks`; striped profiles show their stripe count.
    static func chunkLine(_ type: UInt64, stripes: UInt64?, _ size: String) -> String {
        let description = ProfileNames.typeName(type), profile = ProfileNames.profileName(type)
        guard let stripes else {
            let width = 20 - description.utf8.count - profile.utf8.count
            return "   \(description),\(profile):" + String(repeating: " ", count: abs(width)) + cPad(size, 10) + "\n"
        }
        let width = 20 - description.utf8.count - profile.utf8.count - String(stripes).utf8.count - 1
        return "   \(description),\(profile)/\(stripes):" + String(repeating: " ", count: abs(width)) + cPad(size, 10) + "\n"
    }

    /// A normal user's lines after the sizes: each profile the totals place on the device (no
    /// stripe count, which is in the chunks, except for RAID5/6 known to span every device), what
    /// they leave open, and the exact unallocated bytes.
    static func deducedText(_ d: ProgsUsage.DeviceInfo, report: SpaceReport, mode: UnitMode) -> String {
        var t = ""
        for space in report.spaces where space.flags & BlockGroupFlags.globalReserve == 0 {
            guard let size = report.share(devid: d.devid, flags: space.flags), size > 0 else { continue }
            let stripes = report.deduced.flatMap { $0.spansAllDevices(flags: space.flags) ? UInt64($0.devids.count) : nil }
            t += chunkLine(space.flags, stripes: stripes, prettySize(size, mode: mode))
        }
        let open = report.deduced?.undeterminedBytes(devid: d.devid)
        if open != 0 { t += label(FilesystemCommands.undeterminedLabel, open.map { prettySize($0, mode: mode) } ?? "?") }
        return t + label("Unallocated", prettySize(d.size &- d.bytesUsed, mode: mode.signed))
    }
}
