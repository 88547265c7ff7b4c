#if canImport(Glibc)
import Glibc
#endif
import Btrfs

// `sbtrfs filesystem usage-report`: python-btrfs's btrfs-usage-report, byte for byte.
extension FilesystemCommands {
    static let usageReport = Command(
        "usage-report", synopsis: ["<path>"],
        summary: "Show python-btrfs's detailed usage report: physical and virtual usage, estimated free and unallocatable space",
        description: ["The output of python-btrfs's btrfs-usage-report. Needs root (tree search)."],
        operands: [OperandSpec("path", .path)], supportsJSON: true, run: runUsageReport)

    @Sendable static func runUsageReport(_ invocation: Invocation) throws -> Int32 {
        let path = invocation.operands[0]
        let fs = try FileSystem(path: path)
        let usage: FsUsage
        do {
            usage = try FsUsage(fs)
        } catch BtrfsError.system(let code, _, _) where code == EPERM {
            throw CommandExit.error("insufficient permissions to use the btrfs kernel API: \(path) (run as root)")
        }
        if usage.simulationTruncated {
            throw CommandExit.error("\(path): the devices are too large to simulate chunk allocations")
        }
        var paths = [UInt64: String]()
        for d in try fs.devInfos() { paths[d.devid] = d.path }
        let report = UsageReportText(path: path, fsid: try fs.fsInfo().fsid.description, usage: usage, devicePaths: paths)
        if invocation.format == .json {
            report.writeJSON(to: invocation.out)
        } else {
            for line in report.lines() { invocation.out.line(line) }
        }
        return 0
    }
}

/// The text of python-btrfs's `btrfs-usage-report`, line for line, from an `FsUsage`.
/// For a mixed filesystem python-btrfs 13 stops with an AttributeError after "Target profiles:";
/// this prints what it meant to (the Data+Metadata profile and free space) instead.
struct UsageReportText {
    var path: String
    var fsid: String
    var usage: FsUsage
    /// Device path per devid, from DEV_INFO.
    var devicePaths: [UInt64: String]

    typealias Fmt = PythonFormat

    func lines() -> [String] {
        let u = usage
        let size: (Int) -> String = Fmt.prettySize
        var out = [String]()
        out.append("Btrfs usage report for \(path)")
        out.append("Filesystem ID: \(fsid)")
        out.append("Mixed groups: \(u.mixedGroups ? "True" : "False")")
        out.append("")
        out.append("Total physical space usage:")
        out.append("| ")
        out.append("| Total filesystem size: \(size(u.total))")
        out.append("| Allocated bytes: \(size(u.allocated))")
        out.append("| Allocatable bytes remaining: \(size(u.allocatableLeft))")
        out.append("")

        out.append("Target profiles:")
        out.append("|")
        var targets: [[String]] = [["System", profile(u.targetProfileSystem)]]
        if !u.mixedGroups {
            targets.append(["Metadata", profile(u.targetProfileMetadata)])
            targets.append(["Data", profile(u.targetProfileData)])
        } else {
            targets.append(["Data+Metadata", profile(u.targetProfileMixed)])
        }
        out += pyTable(["type", "profile"], targets, [(12, true), (12, true)])
        out.append("")

        out.append("Estimated virtual space left for use:")
        out.append("|")
        let free: [[String]] = !u.mixedGroups
            ? [["Data", size(u.freeData)], ["MetaData", size(u.freeMetadata)]]
            : [["Data+Metadata", size(u.freeMixed)]]
        out += pyTable(["type", "free"], free, [(12, true), (12, true)])
        out.append("")

        out.append("Virtual space usage by block group type:")
        out.append("|")
        out += pyTable(["type", "total", "used"], u.virtualBlockGroupTypeUsage.map { v in
            [PythonFormat.spaceType(v.type), size(v.total), size(v.used)]
        }, [(12, true), (12, false), (12, false)])
        out.append("")

        out.append("Allocated raw disk bytes by chunk type.")
        out.append("|")
        out += pyTable(["flags", "allocated", "used", "parity *)"], u.rawSpaceUsage.map { r in
            [PythonFormat.blockGroupFlags(r.flags), size(r.allocated), size(r.used), size(r.parity)]
        }, [(16, true), (12, false), (12, false), (12, false)])
        out.append(contentsOf: parityFootnote)
        out.append("")

        out.append("Allocated bytes per device:")
        out.append("|")
        out += pyTable(["devid", "total size", "allocated", "path"], u.devicesByID.map { d in
            ["\(d.devid)", size(d.total), size(d.allocated), devicePaths[d.devid] ?? ""]
        }, [(8, true), (12, false), (12, false), (nil, true)])
        out.append("")

        out.append("Allocated bytes per device, split up by chunk type.")
        for d in u.devicesByID {
            out.append("|")
            out.append("| Device ID: \(d.devid)")
            out += pyTable(["flags", "allocated", "parity *)"], d.devSpaceUsage.map { s in
                [PythonFormat.blockGroupFlags(s.flags), size(s.allocated), size(s.parity)]
            }, [(16, true), (12, false), (12, false)], prefix: "| | ")
        }
        out.append(contentsOf: parityFootnote)
        out.append("")

        out.append("Unallocatable raw disk space:")
        out.append("|")
        out.append("| Reclaimable (by using balance): \(size(u.unallocatableReclaimable))")
        out.append("| Not reclaimable (because of different disk sizes): \(size(u.unallocatableHard))")
        out.append("")

        out.append("Unallocatable bytes per device, given current target profiles:")
        out.append("|")
        out += pyTable(["devid", "soft *)", "hard **)", "reclaimable ***)"], u.devicesByID.map { d in
            ["\(d.devid)", size(d.unallocatableSoft), size(d.unallocatableHard), size(d.unallocatableReclaimable)]
        }, [(8, true), (12, false), (12, false), (16, false)])
        out.append("|")
        out.append("|   *) Because allocations in the filesystem are unbalanced.")
        out.append("|  **) Because of having different sizes of devices attached.")
        out.append("| ***) Amount of 'soft' unallocatable space that can be reclaimed,")
        out.append("|      before hitting the 'hard' limit.")
        return out
    }

    var parityFootnote: [String] {
        ["|", "| *) Parity is a reserved part of the allocated bytes, limiting the",
         "|    amount that can be used for data or metadata."]
    }

    func profile(_ flags: UInt64?) -> String {
        flags.map(PythonFormat.spaceProfile) ?? "unknown"
    }
}

/// python's `"{: <N}"` / `"{: >N}"`: pads with spaces to N characters, never truncates.
/// One table of python-btrfs's usage report: the header, a row of dashes as long as each
/// heading, then the rows; cells padded to their column's width (nil: as they are), left- or
/// right-aligned, one space apart.
func pyTable(_ header: [String], _ rows: [[String]], _ columns: [(width: Int?, left: Bool)],
             prefix: String = "| ") -> [String] {
    let dashes = header.map { String(repeating: "-", count: $0.unicodeScalars.count) }
    return ([header, dashes] + rows).map { row in
        prefix + zip(row, columns).map { cell, column in
            column.width.map { pyPad(cell, $0, left: column.left) } ?? cell
        }.joined(separator: " ")
    }
}

func pyPad(_ s: String, _ width: Int, left: Bool = false) -> String {
    let n = s.unicodeScalars.count
    if n >= width { return s }
    let fill = String(repeating: " ", count: width - n)
    return left ? s + fill : fill + s
}

/// JSON of the python-btrfs usage model (native style: kebab-case keys, numbers as numbers).
extension UsageReportText {
    func writeJSON(to out: OutputStream) {
        let u = usage
        var json = JSONWriter(out: out, style: .native)
        json.start()
        json.beginGroup("usage-report", .map)
        json.string("path", path)
        json.string("fsid", fsid)
        json.bool("mixed-groups", u.mixedGroups)
        json.number("total", Int64(u.total))
        json.number("allocated", Int64(u.allocated))
        json.number("allocatable", Int64(u.allocatable))
        json.number("allocatable-left", Int64(u.allocatableLeft))
        json.number("parity", Int64(u.parity))
        json.number("virtual-total", Int64(u.virtualTotal))
        json.number("virtual-used", Int64(u.virtualUsed))
        json.beginGroup("target-profiles", .map)
        json.string("system", u.targetProfileSystem.map(PythonFormat.spaceProfile))
        if u.mixedGroups {
            json.string("data+metadata", u.targetProfileMixed.map(PythonFormat.spaceProfile))
        } else {
            json.string("metadata", u.targetProfileMetadata.map(PythonFormat.spaceProfile))
            json.string("data", u.targetProfileData.map(PythonFormat.spaceProfile))
        }
        json.endGroup()
        json.beginGroup("free", .map)
        if u.mixedGroups {
            json.number("data+metadata", Int64(u.freeMixed))
        } else {
            json.number("data", Int64(u.freeData))
            json.number("metadata", Int64(u.freeMetadata))
        }
        json.endGroup()
        json.number("unallocatable-soft", Int64(u.unallocatableSoft))
        json.number("unallocatable-hard", Int64(u.unallocatableHard))
        json.number("unallocatable-reclaimable", Int64(u.unallocatableReclaimable))
        json.beginGroup("virtual-type-usage", .array)
        for v in u.virtualBlockGroupTypeUsage {
            json.beginGroup(nil, .map)
            json.string("type", PythonFormat.spaceType(v.type))
            json.number("total", Int64(v.total))
            json.number("used", Int64(v.used))
            json.number("unused", Int64(v.unused))
            json.endGroup()
        }
        json.endGroup()
        json.beginGroup("raw-space-usage", .array)
        for r in u.rawSpaceUsage {
            json.beginGroup(nil, .map)
            json.string("flags", PythonFormat.blockGroupFlags(r.flags))
            json.number("allocated", Int64(r.allocated))
            json.number("used", Int64(r.used))
            json.number("parity", Int64(r.parity))
            json.endGroup()
        }
        json.endGroup()
        json.beginGroup("devices", .array)
        for d in u.devicesByID {
            json.beginGroup(nil, .map)
            json.number("devid", d.devid)
            json.string("path", devicePaths[d.devid])
            json.number("total", Int64(d.total))
            json.number("allocated", Int64(d.allocated))
            json.number("unallocated", Int64(d.unallocated))
            json.number("unallocatable-soft", Int64(d.unallocatableSoft))
            json.number("unallocatable-hard", Int64(d.unallocatableHard))
            json.number("unallocatable-reclaimable", Int64(d.unallocatableReclaimable))
            json.beginGroup("spaces", .array)
            for s in d.devSpaceUsage {
                json.beginGroup(nil, .map)
                json.string("flags", PythonFormat.blockGroupFlags(s.flags))
                json.number("allocated", Int64(s.allocated))
                json.number("parity", Int64(s.parity))
                json.endGroup()
            }
            json.endGroup()
            json.endGroup()
        }
        json.endGroup()
        json.endGroup()
        json.end()
    }
}
