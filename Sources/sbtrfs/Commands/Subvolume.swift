#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Btrfs

/// `sbtrfs subvolume`: manage subvolumes (progs' cmds/subvolume.c). list and show live in
/// SubvolumeList.swift and SubvolumeShow.swift, create/delete/snapshot in SubvolumeCreate.swift.
enum SubvolumeCommands {
    static let group = Group(
        "subvolume", summary: "manage subvolumes: create, delete, list, etc",
        usage: ["<command> <args>"],
        entries: [
            .command("create", create), .command("delete", delete), .command("list", list), .command("snapshot", snapshot),
            .command("get-default", getDefault), .command("set-default", setDefault), .command("find-new", findNew), .command("show", show), .command("sync", sync),
            .command("orphan-cleaner-progress", orphanCleanerProgress), .command("set-received-uuid", setReceivedUUID),
        ])

    // MARK: get-default

    static let getDefault = Command(
        "get-default", synopsis: ["<path>"], summary: "Get the default subvolume of a filesystem",
        operands: [OperandSpec("path", .path)], help: [], supportsJSON: true, badOption: .usage,
        run: runGetDefault)

    @Sendable static func runGetDefault(_ invocation: Invocation) throws -> Int32 {
        let context = invocation.context
        let fs = try FileSystem(path: invocation.operands[0], requireDirectory: true)
        let id: UInt64
        do { id = try fs.defaultSubvolume() } catch { throw CommandExit.error(errorText(error, .util)) }
        if id == Subvolume.topLevelID {
            if context.format == .json {
                printDefaultJSON(id: id, generation: nil, parent: nil, path: nil, to: context.out)
            } else {
                context.verbose(Context.logDefault, "ID 5 (FS_TREE)\n")
            }
            return 0
        }
        let info: SubvolumeInfo
        let path: [UInt8]
        do {
            info = try fs.subvolumeInfo(id: id)
            path = try fs.subvolumePath(id: id)
        } catch { throw CommandExit.error(errorText(error, .util)) }
        if context.format == .json {
            printDefaultJSON(id: id, generation: info.generation, parent: info.parentID, path: path, to: context.out)
        } else if context.shouldPrint(Context.logDefault) {
            context.out.write("ID \(info.id) gen \(info.generation) top level \(info.parentID) path ")
            context.out.write(bytes: path)
            context.out.write(byte: 0x0A)
        }
        return 0
    }

    static func printDefaultJSON(id: UInt64, generation: UInt64?, parent: UInt64?, path: [UInt8]?, to out: OutputStream) {
        var json = JSONWriter(out: out, style: .native)
        json.start()
        json.beginGroup("subvolume-get-default", .map)
        json.number("id", id)
        json.number("generation", generation)
        json.number("top_level", parent)
        json.string("path", path.map(pathText) ?? (id == Subvolume.topLevelID ? "<FS_TREE>" : nil))
        json.endGroup()
        json.end()
    }

    // MARK: set-default

    static let setDefault = Command(
        "set-default", synopsis: ["<subvolume>", "<subvolid> <path>"],
        summary: "Set the default subvolume of the filesystem mounted as default.",
        description: ["The subvolume can be specified by its path,", "or the pair of subvolume id and path to the filesystem."],
        operands: [OperandSpec("subvolid", .number, optional: true), OperandSpec("path", .subvolume)],
        help: [], badOption: .usage, checksOperandCount: false, run: runSetDefault)

    @Sendable static func runSetDefault(_ invocation: Invocation) throws -> Int32 {
        try invocation.checkArgcMin(1)
        try invocation.checkArgcMax(2)
        var id: UInt64 = 0
        var path = invocation.operands[0]
        if invocation.operands.count == 2 {
            id = try argStrtou64(invocation.operands[0])
            // As the kernel would: 0 means the top level, not "the subvolume at path".
            if id == 0 { id = Subvolume.topLevelID }
            path = invocation.operands[1]
        }
        do { try Subvolume.setDefault(path, id: id) } catch { throw CommandExit.error(errorText(error, .util)) }
        return 0
    }

    // MARK: sync

    static let sync = Command(
        "sync", synopsis: ["<path> [<subvolid>...]"],
        summary: "Wait until given subvolume(s) are completely removed from the filesystem.",
        description: ["Wait until given subvolume(s) are completely removed from the filesystem",
                      "after deletion.",
                      "If no subvolume id is given, wait until all current deletion requests",
                      "are completed, but do not wait for subvolumes deleted meanwhile.",
                      "The status of subvolume ids is checked periodically."],
        options: [OptionSpec("s", nil, value: .number, help: "sleep N seconds between checks (default: 1)",
                             display: "-s <N>")],
        operands: [OperandSpec("path", .path), OperandSpec("subvolid", .number, optional: true, repeating: true)],
        permutesOperands: true, run: runSync)

    @Sendable static func runSync(_ invocation: Invocation) throws -> Int32 {
        let context = invocation.context
        var interval: Int32 = 1
        if let text = invocation.value("s") {
            interval = atoi(text)
            if interval < 1 { throw CommandExit.error("invalid sleep interval \(text)") }
        }
        let fs = try FileSystem(path: invocation.operands[0], requireDirectory: true)
        var ids: [UInt64] = []
        let given = invocation.operands.dropFirst()
        if given.isEmpty {
            do { ids = try fs.deletedSubvolumes() } catch { throw CommandExit.error(errorText(error, .util)) }
            if ids.isEmpty { return 0 }
        } else {
            for text in given {
                let parsed = strtoull(text, base: 10)  // glibc sets errno only on overflow here
                if parsed.overflow { throw CommandExit.error("unrecognized subvolume id \(text)") }
                let id = parsed.value
                guard id >= Subvolume.firstFreeID && id <= Subvolume.lastFreeID else {
                    throw CommandExit.error("subvolume id \(text) out of range")
                }
                ids.append(id)
            }
        }
        let count = ids.count
        context.verbose(Context.logDefault, "Waiting for \(count) subvolume\(count > 1 ? "s" : "")\n")
        var done = 0
        while true {
            var clean = true
            for i in ids.indices where ids[i] != 0 {
                let exists: Bool
                do { exists = try fs.subvolumeExists(id: ids[i]) } catch { throw CommandExit.error(errorText(error, .util)) }
                if exists {
                    clean = false
                } else {
                    done += 1
                    context.verbose(Context.logDefault, "Subvolume id \(ids[i]) is gone (\(done)/\(count))\n")
                    ids[i] = 0
                }
            }
            if clean { break }
            context.out.flush()
            sleep(UInt32(interval))
        }
        return 0
    }
}

// MARK: helpers shared by the subvolume commands

/// POSIX basename: the last component, trailing slashes ignored; "/" for all slashes, "." for "".
func posixBasename(_ path: String) -> String {
    if path.isEmpty { return "." }
    var s = Substring(path)
    while s.count > 1 && s.hasSuffix("/") { s = s.dropLast() }
    if s == "/" { return "/" }
    if let slash = s.lastIndex(of: "/") { return String(s[s.index(after: slash)...]) }
    return String(s)
}

/// POSIX dirname: everything before the last component, "." when there is none.
func posixDirname(_ path: String) -> String {
    var s = Substring(path)
    while s.count > 1 && s.hasSuffix("/") { s = s.dropLast() }
    guard let slash = s.lastIndex(of: "/") else { return "." }
    var d = s[..<slash]
    while d.count > 1 && d.hasSuffix("/") { d = d.dropLast() }
    return d.isEmpty ? "/" : String(d)
}

/// progs' test_issubvolname: not empty, no '/', not "." or "..".
func isSubvolumeName(_ name: String) -> Bool {
    !name.isEmpty && !name.contains("/") && name != "." && name != ".."
}

/// Bytes of a path as text for JSON (invalid UTF-8 replaced: JSON strings are Unicode).
func pathText(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }
