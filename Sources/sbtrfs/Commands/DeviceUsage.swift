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
            } else if context.shouldPrint(Context.logDefault) {
                writeDevices(report, mode: mode, to: context.out)
            }
            FilesystemCommands.warnMultipleProfiles(report.spaces, context: context)
        }
        if invocation.format == .json { FilesystemCommands.writeUsageJSON(reports, to: invocation.out, key: "device-usage") }
        return 0
    }

    /// Every device of `report`, each followed by an empty line. A function of its own: the loop
    /// written inline destroyed its copy of the device array through Array's generic metadata,
    /// whose first instantiation cost 15k instructions and two page faults.
    static func writeDevices(_ report: SpaceReport, mode: UnitMode, to out: OutputStream) {
        for d in report.devices {
            writeDevice(d, report: report, mode: mode, to: out)
            out.write(byte: 0x0A)
        }
    }

    /// One `label: value` line of progs' print_device_sizes (values right-aligned at column 35).
    /// These printers write straight into the output: built as strings, the lines were a third
    /// of the command's instructions.
    static func label(_ text: String, _ value: String, to out: OutputStream) {
        out.write("   ")
        out.write(text)
        out.write(": ")
        out.pad(abs(20 - text.utf8.count))
        out.padded(value, 10)
        out.write(byte: 0x0A)
    }

    /// `print_device_sizes` + `print_device_chunks` for one device.
    static func writeDevice(_ d: ProgsUsage.DeviceInfo, report: SpaceReport, mode: UnitMode, to out: OutputStream) {
        out.write(d.path)
        out.write(", ID: ")
        out.text.writeUnsigned(d.devid)
        out.write(byte: 0x0A)
        label("Device size", prettySize(d.deviceSize, mode: mode), to: out)
        label("Device slack", prettySize(d.slack, mode: mode), to: out)
        if !report.chunksReadable { return writeDeduced(d, report: report, mode: mode, to: out) }
        var allocated: UInt64 = 0
        for info in report.chunks where info.devid == d.devid {
            let size = info.deviceBytes
            let stripey = info.type & (BlockGroupFlags.raid0 | BlockGroupFlags.raid10 | BlockGroupFlags.raid5 | BlockGroupFlags.raid6) != 0
            chunkLine(info.type, stripes: stripey ? info.numStripes : nil, prettySize(size, mode: mode), to: out)
            allocated &+= size
        }
        label("Unallocated", prettySize(d.size &- allocated, mode: mode.signed), to: out)
    }

    /// One profile line of `print_device_chunks`; striped profiles show their stripe count.
    static func chunkLine(_ type: UInt64, stripes: UInt64?, _ size: String, to out: OutputStream) {
        let description = ProfileNames.typeName(type), profile = ProfileNames.profileName(type)
        var width = 20 - description.utf8.count - profile.utf8.count
        out.write("   ")
        out.write(description)
        out.write(byte: UInt8(ascii: ","))
        out.write(profile)
        if let stripes {
            let count = String(stripes)
            out.write(byte: UInt8(ascii: "/"))
            out.write(count)
            width -= count.utf8.count + 1
        }
        out.write(byte: UInt8(ascii: ":"))
        out.pad(abs(width))
        out.padded(size, 10)
        out.write(byte: 0x0A)
    }

    /// A normal user's lines after the sizes: each profile the totals place on the device (no
    /// stripe count, which is in the chunks, except for RAID5/6 known to span every device), what
    /// they leave open, and the exact unallocated bytes.
    static func writeDeduced(_ d: ProgsUsage.DeviceInfo, report: SpaceReport, mode: UnitMode, to out: OutputStream) {
        for space in report.spaces where space.flags & BlockGroupFlags.globalReserve == 0 {
            guard let size = report.share(devid: d.devid, flags: space.flags), size > 0 else { continue }
            let stripes = report.deduced.flatMap { $0.spansAllDevices(flags: space.flags) ? UInt64($0.devids.count) : nil }
            chunkLine(space.flags, stripes: stripes, prettySize(size, mode: mode), to: out)
        }
        let open = report.deduced?.undeterminedBytes(devid: d.devid)
        if open != 0 { label(FilesystemCommands.undeterminedLabel, open.map { prettySize($0, mode: mode) } ?? "?", to: out) }
        label("Unallocated", prettySize(d.size &- d.bytesUsed, mode: mode.signed), to: out)
    }
}
