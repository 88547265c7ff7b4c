#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Btrfs

/// `subvolume show`: btrfs-progs 6.2's text, with the send time where 6.2 repeats the creation time;
/// works for a normal user on a subvolume root (path from the mount table, snapshots below the mount).
extension SubvolumeCommands {
    static let show = Command(
        "show", synopsis: ["[options] <path>"],
        summary: "Show more information about the subvolume (UUIDs, generations, times, snapshots)",
        description: ["Show more information about the subvolume (UUIDs, generations, times, snapshots).",
                      "The subvolume can be specified by path, or by root id or UUID that are",
                      "looked up relative to the given path"],
        options: [
            OptionSpec("r", "rootid", value: .number, help: "root id of the subvolume", display: "-r|--rootid ID"),
            OptionSpec("u", "uuid", value: .uuid, help: "UUID of the subvolum", display: "-u|--uuid UUID"),
        ],
        units: .shortAndLong, operands: [OperandSpec("path", .path)],
        help: [.optionNamed("rootid"), .optionNamed("uuid"), .units],
        supportsJSON: true, permutesOperands: true, run: runShow)

    @Sendable static func runShow(_ invocation: Invocation) throws -> Int32 {
        let context = invocation.context
        var rootID: UInt64? = nil
        var uuid: BtrfsUUID? = nil
        for option in invocation.options {
            if option.id == "rootid" { rootID = try argStrtou64(option.value ?? "") }
            if option.id == "uuid" {
                guard let parsed = parseUUID(option.value ?? "") else {
                    throw CommandExit.error("invalid UUID: \(option.value ?? "")")
                }
                uuid = parsed
            }
        }
        if rootID != nil && uuid != nil {
            context.error("options --rootid and --uuid cannot be used at the same time")
            throw CommandExit.usage
        }
        let report: SubvolumeShowReport
        do {
            report = try SubvolumeShowReport.gather(path: invocation.operands[0], rootID: rootID, uuid: uuid)
        } catch let e as ProgsError {
            throw CommandExit.error(e.message)
        }
        for warning in report.warnings { context.warning(warning) }
        if context.format == .json {
            printShowJSON(report, to: context.out)
        } else if context.shouldPrint(Context.logDefault) {
            let mode = invocation.units
            context.out.write(bytes: report.renderText(size: { prettySize($0, mode: mode) }))
        }
        return 0
    }

    /// JSON after btrfs-progs' experimental `subvolume show`: a map named by the subvolume's path with
    /// the rowspec keys, a `flags` list, the `snapshots` list and a `qgroup` map; numbers bare, null where
    /// a UUID or time is absent.
    static func printShowJSON(_ r: SubvolumeShowReport, to out: OutputStream) {
        func time(_ t: TimeSpec) -> String? { t.seconds != 0 ? localTimeText(t.seconds, format: "%Y-%m-%d %H:%M:%S %z") : nil }
        func uuid(_ u: BtrfsUUID) -> String? { u.isZero ? nil : u.description }
        let info = r.info
        var json = JSONWriter(out: out, style: .native)
        json.start()
        json.beginGroup(info.id == Subvolume.topLevelID ? "/" : pathText(r.path), .map)
        json.string("name", pathText(r.name))
        json.string("uuid", uuid(info.uuid))
        json.string("parent_uuid", uuid(info.parentUUID))
        json.string("received_uuid", uuid(info.receivedUUID))
        json.string("otime", time(info.otime))
        json.number("id", info.id)
        json.number("generation", info.generation)
        json.number("cgeneration", info.otransid)
        json.number("parent", info.parentID)
        json.number("top_level", info.parentID)
        json.beginGroup("flags", .array)
        if info.isReadOnly { json.string(nil, "readonly") }
        json.endGroup()
        json.number("stransid", info.stransid)
        json.string("stime", time(info.stime))
        json.number("rtransid", info.rtransid)
        json.string("rtime", time(info.rtime))
        json.beginGroup("snapshots", .array)
        for snapshot in r.snapshots { json.string(nil, pathText(snapshot)) }
        json.endGroup()
        if let q = r.quota {
            json.beginGroup("qgroup", .map)
            json.string("qgroupid", "0/\(info.id)")
            json.beginGroup("limit", .map)
            json.number("referenced", q.maxReferenced)
            json.number("exclusive", q.maxExclusive)
            json.endGroup()
            json.beginGroup("usage", .map)
            json.number("referenced", q.referenced)
            json.number("exclusive", q.exclusive)
            json.endGroup()
            json.endGroup()
        }
        json.endGroup()
        json.end()
    }

    /// uuid_parse: 36 characters, hex digits with dashes at 8, 13, 18, 23.
    static func parseUUID(_ text: String) -> BtrfsUUID? {
        let chars = Array(text.utf8)
        guard chars.count == 36 else { return nil }
        var bytes: [UInt8] = []
        var i = 0
        while i < 36 {
            if i == 8 || i == 13 || i == 18 || i == 23 {
                guard chars[i] == UInt8(ascii: "-") else { return nil }
                i += 1
                continue
            }
            guard let hi = hexValue(chars[i]), let lo = hexValue(chars[i + 1]) else { return nil }
            bytes.append(hi << 4 | lo)
            i += 2
        }
        return BtrfsUUID(bytes: bytes)
    }

    static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case 48...57: return c - 48
        case 97...102: return c - 87
        case 65...70: return c - 55
        default: return nil
        }
    }
}
