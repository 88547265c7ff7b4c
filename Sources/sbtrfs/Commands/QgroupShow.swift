#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Btrfs

/// `sbtrfs qgroup show`: progs 6.2's cmd_qgroup_show byte for byte (columns, widths, the path
/// column's wording, -q dropping it), and its JSON. Where progs 6.2 aborts (JSON of a qgroup with
/// a limit) this prints the limit as later progs do (Docs/DIFFERENCES.md).
enum QgroupShow {
    /// The columns in progs' order (btrfs_qgroup_column_enum), with their titles and minimum widths.
    enum Column: Int, CaseIterable {
        case qgroupid, rfer, excl, maxRfer, maxExcl, parent, child, path

        var title: String {
            ["Qgroupid", "Referenced", "Exclusive", "Max referenced", "Max exclusive", "Parent", "Child", "Path"][rawValue]
        }
        var minimumWidth: Int { [9, 12, 12, 15, 14, 8, 5, 6][rawValue] }
        var leftAligned: Bool { self == .qgroupid || self == .parent || self == .child }
    }

    /// One key of --sort with its direction.
    struct SortKey {
        enum Field: String, CaseIterable { case qgroupid, path, rfer, excl, max_rfer, max_excl }
        var field: Field
        var descending: Bool
    }

    static let sortHelp = "list qgroups sorted by specified items you can use '+' or '-' in front of each item. "
        + "(+:ascending, -:descending, ascending default)"

    static let command = Command(
        "show", synopsis: ["[options] <path>"], summary: "List subvolume quota groups.",
        description: ["List subvolume quota groups, accounted size, limits and path."],
        options: [
            OptionSpec("p", nil, help: "print parent qgroup id"),
            OptionSpec("c", nil, help: "print child qgroup id"),
            OptionSpec("r", nil, help: "print limit of referenced size of qgroup"),
            OptionSpec("e", nil, help: "print limit of exclusive size of qgroup"),
            OptionSpec("F", nil, help: "list all qgroups which impact the given path (including ancestral qgroups)"),
            OptionSpec("f", nil, help: "list all qgroups which impact the given path (excluding ancestral qgroups)"),
            OptionSpec(nil, "sort", value: .choice(sortChoices), help: sortHelp,
                       display: "--sort=qgroupid,rfer,excl,max_rfer,max_excl,path", getoptValue: 256),
            OptionSpec(nil, "sync", help: "force sync of the filesystem before getting info", getoptValue: 257),
        ],
        units: .long, operands: [OperandSpec("path", .path)],
        help: [.optionNamed("p"), .optionNamed("c"), .optionNamed("r"), .optionNamed("e"), .optionNamed("F"),
               .optionNamed("f"), .units, .optionNamed("sort"), .optionNamed("sync"), .globals, .format],
        supportsJSON: true, checksOperandCount: false, permutesOperands: true, run: run)

    static let sortChoices = SortKey.Field.allCases.flatMap { [$0.rawValue, "-" + $0.rawValue] }

    /// qgroup_parse_sort_string: comma-separated keys, each `name`, `+name` or `-name`.
    static func parseSort(_ text: String) -> [SortKey]? {
        var keys: [SortKey] = []
        for token in text.split(separator: ",") {
            var name = Substring(token)
            var descending = false
            if let sign = name.first, sign == "+" || sign == "-" {
                descending = sign == "-"
                name = name.dropFirst()
            }
            guard let field = SortKey.Field(rawValue: String(name)) else { return nil }
            keys.append(SortKey(field: field, descending: descending))
        }
        return keys
    }

    @Sendable static func run(_ invocation: Invocation) throws -> Int32 {
        let context = invocation.context
        var columns: Set<Column> = [.qgroupid, .rfer, .excl, .path]
        var sortKeys: [SortKey] = []
        for option in invocation.options {
            switch option.id {
            case "p": columns.insert(.parent)
            case "c": columns.insert(.child)
            case "r": columns.insert(.maxRfer)
            case "e": columns.insert(.maxExcl)
            case "sort":
                guard let keys = parseSort(option.value ?? "") else {
                    throw CommandExit.error("unrecognized format of sort string")
                }
                sortKeys += keys
            default: break
            }
        }
        try invocation.checkArgcExact(1)
        let path = invocation.operands[0]
        let fs = try FileSystem(path: path, requireDirectory: true)
        if invocation.has("sync") {
            do { try fs.sync() } catch {
                context.warning("sync ioctl failed on '\(path)': \(errorText(error))")
            }
        }
        var onlyWithAncestors: UInt64?, onlyItself: UInt64?
        if invocation.has("F") || invocation.has("f") {
            let id: UInt64
            do { id = try fs.subvolumeID() } catch {
                throw CommandExit.error("cannot resolve rootid for \(path): \(errorText(error))")
            }
            if invocation.has("F") { onlyWithAncestors = id }
            if invocation.has("f") { onlyItself = id }
        }
        let listing = try listing(fs, context: context)
        var shown = listing.qgroups
        if let id = onlyWithAncestors {
            let keep = ancestors(of: id, in: listing)
            shown = shown.filter { keep.contains($0.id) }
        }
        if let id = onlyItself { shown = shown.filter { $0.id == id } }
        shown.sort { compare($0, $1, sortKeys) < 0 }
        if context.format == .json {
            printJSON(shown, to: invocation.out)
        } else {
            printTable(shown, columns: columns, units: invocation.units, context: context)
        }
        return 0
    }

    /// The quota tree's qgroups with progs' warning about the status, or progs' error.
    static func listing(_ fs: FileSystem, context: Context? = nil) throws -> QgroupListing {
        let found: QgroupListing?
        do { found = try fs.qgroupListing() } catch let e as BtrfsError {
            if case .malformed(let what) = e { context?.error(what) }
            if e.utilCode != nil { context?.error(e.utilCode?.message ?? "") }
            let code = e.utilCode != nil ? EIO : (e.errno ?? ENOENT)
            throw CommandExit.error("can't list qgroups: \(errnoText(code))")
        }
        guard let listing = found else { throw CommandExit.error("can't list qgroups: quotas not enabled") }
        if let flags = listing.status?.flags {
            if flags & QgroupStatusFlags.on == 0 {
                context?.warning("quota disabled, qgroup data may be out of date")
            } else if flags & QgroupStatusFlags.rescan != 0 {
                context?.warning("rescan is running, qgroup data may be incorrect")
            } else if flags & QgroupStatusFlags.inconsistent != 0 {
                context?.warning("qgroup data inconsistent, rescan recommended")
            }
        }
        return listing
    }

    /// filter_by_all_parent: the qgroup and every qgroup above it; empty when it does not exist.
    static func ancestors(of id: UInt64, in listing: QgroupListing) -> Set<UInt64> {
        guard listing.qgroup(id) != nil else { return [] }
        var found: Set<UInt64> = [id]
        var queue = [id]
        while let next = queue.popLast() {
            for parent in listing.qgroup(next)?.parents ?? [] where found.insert(parent).inserted {
                queue.append(parent)
            }
        }
        return found
    }

    /// sort_comp: the keys in order, then the qgroup id unless a key compared it already.
    static func compare(_ a: Qgroup, _ b: Qgroup, _ keys: [SortKey]) -> Int {
        func order<T: Comparable>(_ x: T, _ y: T) -> Int { x < y ? -1 : (x > y ? 1 : 0) }
        for key in keys {
            var result: Int
            switch key.field {
            case .qgroupid: result = order(a.id, b.id)
            case .rfer: result = order(a.referenced, b.referenced)
            case .excl: result = order(a.exclusive, b.exclusive)
            case .max_rfer: result = order(a.maxReferenced, b.maxReferenced)
            case .max_excl: result = order(a.maxExclusive, b.maxExclusive)
            case .path: result = comparePaths(a, b)
            }
            if key.descending { result = -result }
            if result != 0 { return result }
        }
        return keys.contains { $0.field == .qgroupid } ? 0 : order(a.id, b.id)
    }

    /// comp_entry_with_path: by id across levels; within a level by path, bytes as C's signed
    /// char, '/' after everything. progs reads a missing path through a null pointer; here it is "".
    static func comparePaths(_ a: Qgroup, _ b: Qgroup) -> Int {
        if a.level != b.level { return a.id < b.id ? -1 : (a.id > b.id ? 1 : 0) }
        let p1 = a.path ?? [], p2 = b.path ?? []
        var i = 0
        while i < p1.count && i < p2.count && p1[i] == p2[i] { i += 1 }
        let c1 = i < p1.count ? Int8(bitPattern: p1[i]) : 0
        let c2 = i < p2.count ? Int8(bitPattern: p2[i]) : 0
        if c1 == 0x2F { return 1 }
        if c2 == 0x2F { return -1 }
        return c1 > c2 ? 1 : (c1 < c2 ? -1 : 0)
    }
}
