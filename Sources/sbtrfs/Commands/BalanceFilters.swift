import Btrfs

/// progs' parse_filters (cmds/balance.c) and the range parsers it calls (common/parse-utils.c),
/// with their messages. Each error is printed as progs prints it, then the parse fails.
enum BalanceFilters {
    /// Parses a comma-separated filter list into `args` (several -d options add up, as in
    /// progs). Returns false after printing the errors.
    static func parse(_ text: String, into args: inout BalanceArgs, context: Context) -> Bool {
        // strtok_r: empty tokens between commas are skipped. Split as bytes, as C does (a
        // Character split would keep a comma followed by a combining mark).
        for token in text.pathBytes.split(separator: 0x2C, omittingEmptySubsequences: true) {
            let name: String
            let value: String?
            if let eq = token.firstIndex(of: 0x3D) {
                name = String(pathBytes: token[..<eq])
                value = String(pathBytes: token[(eq + 1)...])
            } else {
                name = String(pathBytes: token)
                value = nil
            }
            func required(_ what: String) -> String? {
                guard let value, !value.isEmpty else {
                    context.error("the \(what) requires an argument")
                    return nil
                }
                return value
            }
            switch name {
            case "profiles":
                guard let value = required("profiles filter") else { return false }
                var profiles: UInt64 = 0
                // strtok_r again: empty names between bars are skipped.
                for profile in value.pathBytes.split(separator: 0x7C, omittingEmptySubsequences: true) {
                    guard let flag = profileFlag(String(pathBytes: profile), context: context) else {
                        context.error("invalid profiles argument")
                        return false
                    }
                    profiles |= flag
                }
                args.profiles |= profiles
                args.filterFlags.insert(.profiles)
            case "usage":
                guard let value = required("usage filter") else { return false }
                if let usage = parseU64(value) {
                    args.usage = usage
                    if usage > 100 {
                        context.error("invalid usage argument: \(value)")
                        return false
                    }
                    args.filterFlags.remove(.usageRange)
                } else {
                    guard let range = parseRangeU32(value, context: context) else {
                        context.error("invalid usage argument: \(value)")
                        return false
                    }
                    args.usageRange = range
                    // progs reports a maximum above 100 but goes on with it.
                    if range.max > 100 { context.error("invalid usage argument: \(value)") }
                    args.filterFlags.insert(.usageRange)
                }
                // progs sets USAGE after either form (a range carries both flags).
                args.filterFlags.insert(.usage)
            case "devid":
                guard let value = required("devid filter") else { return false }
                guard let devid = parseU64(value), devid != 0 else {
                    context.error("invalid devid argument: \(value)")
                    return false
                }
                args.devid = devid
                args.filterFlags.insert(.devid)
            case "drange", "vrange":
                guard let value = required("\(name) filter") else { return false }
                guard let range = parseRangeStrict(value, context: context) else {
                    context.error("invalid \(name) argument")
                    return false
                }
                if name == "drange" {
                    (args.pstart, args.pend) = range
                    args.filterFlags.insert(.drange)
                } else {
                    (args.vstart, args.vend) = range
                    args.filterFlags.insert(.vrange)
                }
            case "convert":
                guard let value = required("convert option") else { return false }
                guard let flag = profileFlag(value, context: context) else {
                    context.error("invalid convert argument")
                    return false
                }
                args.target |= flag
                args.filterFlags.insert(.convert)
            case "soft":
                args.filterFlags.insert(.soft)
            case "limit":
                guard let value = required("limit filter") else { return false }
                if let limit = parseU64(value) {
                    args.limit = limit
                    args.filterFlags.remove(.limitRange)
                    args.filterFlags.insert(.limit)
                } else {
                    guard let range = parseRangeU32(value, context: context) else {
                        context.error("Invalid limit argument: \(value)")
                        return false
                    }
                    args.limitRange = range
                    args.filterFlags.remove(.limit)
                    args.filterFlags.insert(.limitRange)
                }
            case "stripes":
                guard let value = required("stripes filter") else { return false }
                guard let range = parseRangeU32(value, context: context) else {
                    context.error("invalid stripes argument")
                    return false
                }
                (args.stripesMin, args.stripesMax) = range
                args.filterFlags.insert(.stripesRange)
            default:
                context.error("unrecognized balance option: \(name)")
                return false
            }
        }
        return true
    }

    /// parse_one_profile: a profile name in any case; single is its own marker bit.
    static func profileFlag(_ name: String, context: Context) -> UInt64? {
        guard let flag = ProfileNames.flag(ofProfileNamed: name) else {
            context.error("unknown profile: \(name)")
            return nil
        }
        return flag == 0 ? BlockGroupFlags.availAllocBitSingle : flag
    }

    /// parse_range: `a..b`, `a..`, `..b` (not `..` alone, not `a`); start after end is reported.
    static func parseRange(_ text: String, context: Context) -> (UInt64, UInt64)? {
        let bytes = text.pathBytes
        guard let dots = bytes.indices.first(where: { $0 + 1 < bytes.count && bytes[$0] == 0x2E && bytes[$0 + 1] == 0x2E })
        else { return nil }
        var skipped = 0
        let end: UInt64
        let rest = String(pathBytes: bytes[(dots + 2)...])
        if rest.isEmpty {
            end = .max
            skipped += 1
        } else {
            let parsed = strtoull(rest, base: 10)
            guard parsed.consumed == rest.pathByteCount else { return nil }
            end = parsed.value
        }
        let start: UInt64
        if dots == 0 {
            start = 0
            skipped += 1
        } else {
            // strtoull over the whole text: it may stop at any '.', not only the two dots.
            let parsed = strtoull(text, base: 10)
            let stop = parsed.consumed
            guard stop == bytes.count || bytes[stop] == 0x2E else { return nil }
            start = parsed.value
        }
        if start > end {
            context.error("range \(start)..\(end) doesn't make sense")
            return nil
        }
        return skipped <= 1 ? (start, end) : nil
    }

    /// parse_range_u32: both ends fit in 32 bits (an open end stays 2^32-1).
    static func parseRangeU32(_ text: String, context: Context) -> (min: UInt32, max: UInt32)? {
        guard let (start, end) = parseRange(text, context: context) else { return nil }
        guard start <= UInt64(UInt32.max), end == .max || end <= UInt64(UInt32.max) else { return nil }
        return (UInt32(truncatingIfNeeded: start), UInt32(truncatingIfNeeded: end))
    }

    /// parse_range_strict: start must be below end.
    static func parseRangeStrict(_ text: String, context: Context) -> (UInt64, UInt64)? {
        guard let (start, end) = parseRange(text, context: context) else { return nil }
        if start >= end {
            context.error("range \(start)..\(end) not allowed")
            return nil
        }
        return (start, end)
    }

    // MARK: dump_balance_args

    /// dump_ioctl_balance_args: the request as `-v` shows it.
    static func dump(_ request: BalanceRequest, state: BalanceState, to out: OutputStream) {
        out.line("Dumping filters: flags 0x\(hex(request.flags.rawValue)), state 0x\(hex(state.rawValue)), force is \(request.flags.contains(.force) ? "on" : "off")")
        let types: [(BalanceFlags, String, BalanceArgs)] = [(.data, "DATA", request.data),
                                                             (.metadata, "METADATA", request.metadata),
                                                             (.system, "SYSTEM", request.system)]
        for (flag, name, args) in types where request.flags.contains(flag) {
            out.write("  \(name) (flags 0x\(hex(args.flags))): ")
            out.line(describe(args))
        }
    }

    /// dump_balance_args: one type's filters.
    static func describe(_ args: BalanceArgs) -> String {
        let set = args.filterFlags
        var text = set.contains(.convert)
            ? "converting, target=\(args.target), soft is \(set.contains(.soft) ? "on" : "off")" : "balancing"
        if set.contains(.profiles) { text += ", profiles=\(args.profiles)" }
        if set.contains(.usage) { text += ", usage=\(args.usage)" }
        if set.contains(.usageRange) { text += ", usage=" + rangeU32(args.usageRange.min, args.usageRange.max) }
        if set.contains(.devid) { text += ", devid=\(args.devid)" }
        if set.contains(.drange) { text += ", drange=\(args.pstart)..\(args.pend)" }
        if set.contains(.vrange) { text += ", vrange=\(args.vstart)..\(args.vend)" }
        if set.contains(.limit) { text += ", limit=\(args.limit)" }
        if set.contains(.limitRange) { text += ", limit=" + rangeU32(args.limitRange.min, args.limitRange.max) }
        if set.contains(.stripesRange) { text += ", stripes=" + rangeU32(args.stripesMin, args.stripesMax) }
        return text
    }

    /// print_range_u32: an end at its default is left out.
    private static func rangeU32(_ start: UInt32, _ end: UInt32) -> String {
        (start != 0 ? "\(start)" : "") + ".." + (end != .max ? "\(end)" : "")
    }

    private static func hex(_ value: UInt64) -> String { String(value, radix: 16) }
}
