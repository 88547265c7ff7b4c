#if canImport(Glibc)
import Glibc
#endif
import Btrfs

// `sbtrfs filesystem usage`: btrfs-progs 6.2's cmds/filesystem-usage.c, byte for byte, except
// that a normal user sees the real device slack (progs reads sysfs sectors as bytes).
extension FilesystemCommands {
    static let usage = Command(
        "usage", synopsis: ["[options] <path> [<path>..]"],
        summary: "Show detailed information about internal filesystem usage .",
        options: [OptionSpec("T", nil, help: "show data in tabular format")],
        units: .shortAndLong, operands: [OperandSpec("path", .path, repeating: true)],
        // progs' help text; JSON is an sbtrfs addition it does not list.
        help: [.units, .optionNamed("T")],
        supportsJSON: true, permutesOperands: true, run: runUsage)

    @Sendable static func runUsage(_ invocation: Invocation) throws -> Int32 {
        let context = invocation.context
        var reports = [SpaceReport]()
        for (index, path) in invocation.operands.enumerated() {
            let fs = try FileSystem(path: path, requireDirectory: true)
            if index > 0 && invocation.format == .text { context.verbose(Context.logDefault, "\n") }
            let report = try SpaceReport(fs, path: path, context: context)
            guard let overall = report.overall else {
                throw CommandExit.error("cannot get space info on '\(path)': \(errnoText(ENODEV))")
            }
            if invocation.format == .json {
                reports.append(report)
                continue
            }
            printOverall(report, overall, mode: invocation.units, context: context)
            context.verbose(Context.logDefault, "\n")
            if invocation.has("T") {
                // table_dump uses printf: the table shows even under -q.
                for line in report.tabular(mode: invocation.units) { invocation.out.line(line) }
            } else {
                printLinear(report, mode: invocation.units, context: context)
            }
        }
        if invocation.format == .json { writeUsageJSON(reports, to: invocation.out) }
        return 0
    }

    static func printOverall(_ r: SpaceReport, _ o: ProgsUsage.Overall, mode: UnitMode, context: Context) {
        guard context.shouldPrint(Context.logDefault) else { return }
        // Straight into the output: built as one string, the report's lines were a third of its
        // instructions.
        let out = context.out
        let width = mode == .humanBinary ? 10 : 18
        func row(_ label: String, _ value: String, _ tail: String? = nil) {
            out.write(label)
            out.padded(value, width)
            if let tail { out.write(tail) }
            out.write(byte: 0x0A)
        }
        func size(_ v: UInt64, _ m: UnitMode = mode) -> String { prettySize(v, mode: m) }
        out.write("Overall:\n")
        row("    Device size:\t\t", size(o.deviceSize))
        row("    Device allocated:\t\t", size(o.allocated))
        row("    Device unallocated:\t\t", size(o.unallocated, mode.signed))
        row("    Device missing:\t\t", size(o.missing))
        row("    Device slack:\t\t", size(o.slack))
        if r.zoned {
            row("    Device zone unusable:\t", size(o.zoneUnusable))
            row("    Device zone size:\t\t", size(r.zoneSize))
        }
        row("    Used:\t\t\t", size(o.used))
        row("    Free (estimated):\t\t", size(o.freeEstimated), "\t(min: \(size(o.freeMin)))")
        row("    Free (statfs, df):\t\t", size(r.statfsFree))
        row("    Data ratio:\t\t\t", formatFixed2(o.dataRatio))
        row("    Metadata ratio:\t\t", formatFixed2(o.metadataRatio))
        row("    Global reserve:\t\t", size(o.globalReserve), "\t(used: \(size(o.globalReserveUsed)))")
        if let types = r.multipleProfileTypes {
            row("    Multiple profiles:\t\t", "yes", "\t(\(types))")
        } else {
            row("    Multiple profiles:\t\t", "no")
        }
    }

    /// `_cmd_filesystem_usage_linear`: each space with its devices, then what is unallocated.
    static func printLinear(_ r: SpaceReport, mode: UnitMode, context: Context) {
        guard context.shouldPrint(Context.logDefault) else { return }
        let out = context.out
        for space in r.spaces where space.flags & BlockGroupFlags.globalReserve == 0 {
            out.write(ProfileNames.typeName(space.flags))
            out.write(byte: UInt8(ascii: ","))
            out.write(ProfileNames.profileName(space.flags))
            out.write(": Size:")
            out.write(size: space.totalBytes, mode: mode)
            out.write(", Used:")
            out.write(size: space.usedBytes, mode: mode)
            out.write(" (")
            out.write(percentText(space.usedBytes, space.totalBytes))
            out.write(")\n")
            var undetermined = false
            for d in r.devices {
                guard let total = r.share(devid: d.devid, flags: space.flags) else {
                    undetermined = true
                    continue
                }
                if total > 0 { deviceRow(d.path, prettySize(total, mode: mode), to: out) }
            }
            if undetermined {
                // A normal user: what the totals leave open, on the devices not listed above.
                let rest = r.deduced?.undeterminedBytes(flags: space.flags).map { prettySize($0, mode: mode) } ?? "?"
                deviceRow(undeterminedLabel, rest, to: out)
            }
            out.write(byte: 0x0A)
        }
        if !r.chunks.isEmpty || !r.chunksReadable {
            out.write("Unallocated:\n")
            for d in r.devices { deviceRow(d.path, prettySize(d.size &- r.allocatedTotal(d), mode: mode.signed), to: out) }
        }
    }

    /// `   <device>\t<size>` of the linear report, the size right-aligned in 10 bytes.
    static func deviceRow(_ name: String, _ value: String, to out: OutputStream) {
        out.write("   ")
        out.write(name)
        out.write(byte: UInt8(ascii: "\t"))
        out.padded(value, 10)
        out.write(byte: 0x0A)
    }

    /// The line of a profile whose split between devices needs the chunk tree (root).
    static let undeterminedLabel = "(split needs root)"

    /// `"%.2f%%"` of `100.0f * used / (total + 1)`: float times u64 is float in C, then double for printf.
    static func percentText(_ used: UInt64, _ total: UInt64) -> String {
        let value = Float(100.0) * Float(used) / Float(total &+ 1)
        return cFormat(width: 0, Double(value)) + "%"
    }
}

extension FilesystemCommands {
    /// Native JSON (progs 6.2 has none for this command): one document, one entry per path.
    static func writeUsageJSON(_ reports: [SpaceReport], to out: OutputStream, key: String = "filesystem-usage") {
        var json = JSONWriter(out: out, style: .native)
        json.start()
        json.beginGroup(key, .array)
        for r in reports {
            guard let o = r.overall else { continue }
            json.beginGroup(nil, .map)
            json.string("path", r.path)
            json.beginGroup("overall", .map)
            json.number("device-size", o.deviceSize)
            json.number("device-allocated", o.allocated)
            json.number("device-unallocated", Int64(bitPattern: o.unallocated))
            json.number("device-missing", o.missing)
            json.number("device-slack", o.slack)
            if r.zoned {
                json.number("device-zone-unusable", o.zoneUnusable)
                json.number("device-zone-size", r.zoneSize)
            }
            json.number("used", o.used)
            json.number("free-estimated", o.freeEstimated)
            json.number("free-estimated-min", o.freeMin)
            json.number("free-statfs-df", r.statfsFree)
            json.number("data-ratio", o.dataRatio)
            json.number("metadata-ratio", o.metadataRatio)
            json.number("global-reserve", o.globalReserve)
            json.number("global-reserve-used", o.globalReserveUsed)
            json.string("multiple-profiles", r.multipleProfileTypes)
            json.endGroup()
            json.beginGroup("spaces", .array)
            for space in r.spaces where space.flags & BlockGroupFlags.globalReserve == 0 {
                json.beginGroup(nil, .map)
                json.string("type", ProfileNames.typeName(space.flags))
                json.string("profile", ProfileNames.profileName(space.flags))
                json.number("size", space.totalBytes)
                json.number("used", space.usedBytes)
                // Without root, the devices whose share the totals determine; the rest is
                // "undetermined" (null when even its sum is unknown: RAID5/6).
                json.beginGroup("devices", .array)
                var undetermined = false
                for d in r.devices {
                    guard let size = r.share(devid: d.devid, flags: space.flags) else {
                        undetermined = true
                        continue
                    }
                    guard size > 0 else { continue }
                    json.beginGroup(nil, .map)
                    json.number("devid", d.devid)
                    json.string("path", d.path)
                    json.number("size", size)
                    json.endGroup()
                }
                json.endGroup()
                json.number("undetermined", undetermined ? r.deduced?.undeterminedBytes(flags: space.flags) : 0)
                json.endGroup()
            }
            json.endGroup()
            json.beginGroup("devices", .array)
            for d in r.devices {
                json.beginGroup(nil, .map)
                json.number("devid", d.devid)
                json.string("path", d.path)
                json.number("size", d.size)
                json.number("device-size", d.deviceSize)
                json.number("slack", d.slack)
                json.number("unallocated", Int64(bitPattern: d.size &- r.allocatedTotal(d)))
                json.endGroup()
            }
            json.endGroup()
            writeSysfsAllocation(r.sysfs?.allocation() ?? [], to: &json)
            json.endGroup()
        }
        json.endGroup()
        json.end()
    }

    /// sysfs' allocation/ per type: raw totals and the reservations no ioctl tells.
    static func writeSysfsAllocation(_ spaces: [Sysfs.Space], to json: inout JSONWriter) {
        json.beginGroup("allocation", .array)
        for space in spaces {
            json.beginGroup(nil, .map)
            json.string("type", space.type)
            let counters: KeyValuePairs<String, UInt64?> = [
                "total-bytes": space.totalBytes, "bytes-used": space.bytesUsed, "disk-total": space.diskTotal,
                "disk-used": space.diskUsed, "bytes-reserved": space.bytesReserved, "bytes-pinned": space.bytesPinned,
                "bytes-readonly": space.bytesReadonly, "bytes-may-use": space.bytesMayUse,
                "bytes-zone-unusable": space.bytesZoneUnusable]
            for (key, value) in counters { json.number(key, value) }
            json.beginGroup("profiles", .array)
            for profile in space.profiles {
                json.beginGroup(nil, .map)
                json.string("profile", profile.name)
                json.number("total-bytes", profile.totalBytes)
                json.number("used-bytes", profile.usedBytes)
                json.endGroup()
            }
            json.endGroup()
            json.endGroup()
        }
        json.endGroup()
    }
}
