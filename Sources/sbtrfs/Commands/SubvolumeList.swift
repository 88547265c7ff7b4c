#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Btrfs

/// `subvolume list`: as root one TREE_SEARCH_V2 pass over the root tree plus one INO_LOOKUP per
/// distinct directory, each row printed as it is read (only a sort other than by root id holds the
/// whole listing); for a normal user libbtrfsutil's iterator, listing what the user can reach
/// below PATH. Which one is decided by trying, not by uid. Output: btrfs-progs 6.2's bytes.
extension SubvolumeCommands {
    static let list = Command(
        "list", synopsis: ["[options] <path>"], summary: "List subvolumes and snapshots in the filesystem.",
        options: [
            OptionSpec("o", nil, help: "print only subvolumes below specified path"),
            OptionSpec("a", nil, help: "print all the subvolumes in the filesystem and distinguish absolute and relative path with respect to the given <path>"),
            OptionSpec("p", nil, help: "print parent ID"),
            OptionSpec("c", nil, help: "print the ogeneration of the subvolume"),
            OptionSpec("g", nil, help: "print the generation of the subvolume"),
            OptionSpec("u", nil, help: "print the uuid of subvolumes (and snapshots)"),
            OptionSpec("q", nil, help: "print the parent uuid of the snapshots"),
            OptionSpec("R", nil, help: "print the uuid of the received snapshots"),
            OptionSpec("s", nil, help: "list only snapshots"),
            OptionSpec("r", nil, help: "list readonly subvolumes (including snapshots)"),
            OptionSpec("d", nil, help: "list deleted subvolumes that are not yet cleaned"),
            OptionSpec("t", nil, help: "print the result as a table"),
            OptionSpec("G", nil, value: .string, help: "filter the subvolumes by generation (+value: >= value; -value: <= value; value: = value)",
                       display: "-G [+|-]value"),
            OptionSpec("C", nil, value: .string, help: "filter the subvolumes by ogeneration (+value: >= value; -value: <= value; value: = value)",
                       display: "-C [+|-]value"),
            OptionSpec(nil, "sort", value: .sortKey, help: "list the subvolume in order of gen, ogen, rootid or path you also can add '+' or '-' in front of each items. (+:ascending, -:descending, ascending default)",
                       display: "--sort=gen,ogen,rootid,path"),
        ],
        operands: [OperandSpec("path", .path)],
        help: [.text("Path filtering:"), .optionNamed("o"), .optionNamed("a"), .text(""),
               .text("Field selection:"), .optionNamed("p"), .optionNamed("c"), .optionNamed("g"),
               .optionNamed("u"), .optionNamed("q"), .optionNamed("R"), .text(""),
               .text("Type filtering:"), .optionNamed("s"), .optionNamed("r"), .optionNamed("d"), .text(""),
               .text("Other:"), .optionNamed("t"), .text(""),
               .text("Sorting:"), .optionNamed("G"), .optionNamed("C"), .optionNamed("sort")],
        supportsJSON: true, badOption: .usage, permutesOperands: true, run: runList)

    /// The request the options describe, in progs' order of effects (filters in option order).
    static func listRequest(_ invocation: Invocation) throws -> SubvolumeListRequest {
        var request = SubvolumeListRequest()
        var readOnly = false
        for option in invocation.options {
            switch option.id {
            case "p": request.columns.insert(.parent)
            case "a": request.listAll = true
            case "c": request.columns.insert(.ogeneration)
            case "d": request.filters.append(.deleted)
            case "g": request.columns.insert(.generation)
            case "o": request.onlyInPath = true
            case "t": request.layout = .table
            case "s":
                request.filters.append(.snapshotOnly)
                request.columns.formUnion([.ogeneration, .otime])
            case "u": request.columns.insert(.uuid)
            case "q": request.columns.insert(.parentUUID)
            case "R": request.columns.insert(.receivedUUID)
            case "r": readOnly = true
            case "G", "C":
                request.columns.insert(option.id == "G" ? .generation : .ogeneration)
                let (comparison, number) = SubvolumeListRequest.splitComparison(option.value ?? "")
                let value = try argStrtou64(number)
                request.filters.append(option.id == "G" ? .generation(comparison, value) : .ogeneration(comparison, value))
            case "sort":
                guard let keys = SubvolumeListRequest.parseSort(option.value ?? "") else { throw CommandExit.usage }
                request.sort += keys
            default: break
            }
        }
        if readOnly { request.filters.append(.flags(SubvolumeInfo.readOnlyFlag)) }
        request.columns.formUnion([.id, .generation, .topLevel, .path])
        return request
    }

    @Sendable static func runList(_ invocation: Invocation) throws -> Int32 {
        let request = try listRequest(invocation)
        let path = invocation.operands[0]
        let fs: FileSystem
        do { fs = try FileSystem(path: path, requireDirectory: true) } catch {
            invocation.context.error("\(error)")
            throw CommandExit.error("can't access '\(path)'")
        }
        var rows: SubvolumeRows
        do {
            if !request.needsAllRows {
                try streamList(fs, request, invocation)
                return 0
            }
            rows = try collectRows(fs, request)
        } catch let e as BtrfsError where e.errno == EPERM {
            // Not allowed to search the root tree: what the kernel lets a normal user see.
            var listing: SubvolumeListing
            do { listing = try SubvolumeListing.unprivileged(path: path) } catch {
                // Privileges are to blame only where the kernel refused.
                let refused = (error as? BtrfsError)?.errno.map { $0 == EPERM || $0 == EACCES } ?? false
                throw CommandExit.error("cannot list subvolumes of '\(path)'\(refused ? " without privileges" : ""): \(errorText(error, .utilOrStrerror))")
            }
            let stopAt = request.stopAt(top: listing.topID)
            var topPath: [UInt8]? = nil
            if stopAt != listing.topID, let root = listing.rootPath {
                topPath = try? MountPath.resolve(root).pathFromTop
            }
            do { try listing.resolvePaths(stopAt: stopAt, topPath: topPath) } catch {
                throw CommandExit.error("\(error)")
            }
            rows = request.rows(listing)
        } catch let e as BtrfsError {
            if case .system(let code, let call, _) = e, call.hasPrefix("failed to lookup") {
                throw CommandExit.error("\(call): \(errnoText(code))")
            }
            throw CommandExit.error("can't perform the search: \(errorText(e))")
        }
        if invocation.format == .json {
            printListJSON(rows, request, to: invocation.out)
        } else if invocation.context.shouldPrint(Context.logDefault) {
            request.render(rows, into: invocation.out.text)
        }
        return 0
    }

    /// The privileged listing in a sort that needs every row: read as the streamed one is (paths
    /// resolved while the root tree is read), filtered, held compactly, then sorted.
    static func collectRows(_ fs: FileSystem, _ request: SubvolumeListRequest) throws -> SubvolumeRows {
        let top = try fs.subvolumeID()
        return try request.rows(top: top) { _ = try fs.forEachSubvolume(stopAt: request.stopAt(top: top), $0) }
    }

    /// The privileged listing printed row by row while the root tree is read: memory stays flat
    /// however many subvolumes there are (100k: the same max RSS as 10k). EPERM comes from the
    /// first search, before anything is printed.
    static func streamList(_ fs: FileSystem, _ request: SubvolumeListRequest, _ invocation: Invocation) throws {
        let top = try fs.subvolumeID()
        let stopAt = request.stopAt(top: top)
        let onlyDeleted = request.onlyDeleted
        let out = invocation.out
        if invocation.format == .json {
            var json = JSONWriter(out: out, style: .native)
            var started = false
            try fs.forEachSubvolume(stopAt: stopAt) { e in
                if !started {
                    json.start()
                    json.beginGroup("subvolume-list", .array)
                    started = true
                }
                if let prefixed = request.shows(e, top: top, onlyDeleted: onlyDeleted) {
                    jsonRow(SubvolumeRow(e), prefix: prefixed, path: e.path[...], request, &json)
                }
            }
            if !started { json.start(); json.beginGroup("subvolume-list", .array) }
            json.endGroup()
            json.end()
            return
        }
        let printing = invocation.context.shouldPrint(Context.logDefault)
        var printer = SubvolumeRowPrinter(request)
        // The header once the first search has answered: refused (EPERM), the unprivileged
        // listing prints its own, and nothing of this one may be in the stream's buffer.
        var headed = false
        try fs.forEachSubvolume(stopAt: stopAt) { e in
            guard printing else { return }
            if !headed { printer.header(into: out.text); headed = true }
            guard let prefixed = request.shows(e, top: top, onlyDeleted: onlyDeleted) else { return }
            printer.row(e, prefixed: prefixed, into: out.text)
        }
        if printing && !headed { printer.header(into: out.text) }
    }

    /// JSON after btrfs-progs' experimental subvolume rowspec (keys id, generation, cgeneration, parent,
    /// top_level, otime, parent_uuid, received_uuid, uuid, path): one map per subvolume with the selected
    /// columns, numbers as numbers, null for absent UUIDs and times.
    static func printListJSON(_ rows: SubvolumeRows, _ request: SubvolumeListRequest, to out: OutputStream) {
        var json = JSONWriter(out: out, style: .native)
        json.start()
        json.beginGroup("subvolume-list", .array)
        rows.forEach { e, path in jsonRow(e, prefix: false, path: path, request, &json) }
        json.endGroup()
        json.end()
    }

    /// One subvolume's map; `path` is printed after `-a`'s prefix when `prefix` is set.
    static func jsonRow(_ row: SubvolumeRow, prefix: Bool, path: ArraySlice<UInt8>,
                        _ request: SubvolumeListRequest, _ json: inout JSONWriter) {
        let e = row.numbers
        json.beginGroup(nil, .map)
        for column in SubvolumeListRequest.Column.allCases where request.columns.contains(column) {
            switch column {
            case .id: json.number("id", e.id)
            case .generation: json.number("generation", e.generation)
            case .ogeneration: json.number("cgeneration", e.otransid)
            case .parent: json.number("parent", e.parentID)
            case .topLevel: json.number("top_level", e.topLevel)
            case .otime: json.string("otime", e.otime != 0 ? localTimeText(e.otime, format: "%Y-%m-%d %H:%M:%S %z") : nil)
            case .parentUUID: json.string("parent_uuid", uuidText(row.parentUUID))
            case .receivedUUID: json.string("received_uuid", uuidText(row.receivedUUID))
            case .uuid: json.string("uuid", uuidText(row.uuid))
            case .path:
                json.string("path", (prefix ? "<FS_TREE>/" : "") + String(decoding: path, as: UTF8.self))
            }
        }
        json.endGroup()
    }

    /// uuid_unparse's text, nil for a null UUID.
    static func uuidText(_ words: (UInt64, UInt64)) -> String? {
        guard words != (0, 0) else { return nil }
        return withUUIDText(words) { String(decoding: $0, as: UTF8.self) }
    }
}
