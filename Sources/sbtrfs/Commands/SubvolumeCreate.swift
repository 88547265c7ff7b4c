#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Btrfs

/// `subvolume create`, `snapshot` and `delete`: every check runs before anything changes, and each
/// refusal is one progs-worded `ERROR:` line.
extension SubvolumeCommands {
    // MARK: create

    static let create = Command(
        "create", synopsis: ["[-i <qgroupid>] [<dest>/]<name>"], summary: "Create a subvolume",
        description: ["Create a subvolume <name> in <dest>.  If <dest> is not given",
                      "subvolume <name> will be created in the current directory."],
        options: [
            OptionSpec("i", nil, value: .qgroupID,
                       help: "add the newly created subvolume to a qgroup. This option can be given multiple times.",
                       display: "-i <qgroupid>"),
            // progs 6.2 takes -c <src>:<dst> (copy referenced usage) but leaves it out of its help.
            OptionSpec("c", nil, value: .string, help: "copy qgroup usage", hidden: true),
            // btrfs-progs 6.3's -p (make parent directories), accepted here, not in 6.2's help.
            OptionSpec("p", "parents", help: "create any missing parent directories", hidden: true),
        ],
        operands: [OperandSpec("[<dest>/]<name>", .path, repeating: true)],
        help: [.optionNamed("i"), .globals, .quiet], checksOperandCount: false, permutesOperands: true,
        run: runCreate)

    @Sendable static func runCreate(_ invocation: Invocation) throws -> Int32 {
        // 6.2 takes exactly one path; several (as 6.3+) are accepted here.
        if invocation.operands.isEmpty { try invocation.checkArgcExact(1) }
        let inherit = try parseInherit(invocation)
        var status: Int32 = 0
        for target in invocation.operands {
            do {
                try createOne(target, inherit: inherit, parents: invocation.has("parents"), context: invocation.context)
            } catch CommandExit.error(let text) {
                invocation.context.error(text)
                status = 1
            }
        }
        return status
    }

    static func createOne(_ target: String, inherit: QgroupInherit, parents: Bool, context: Context) throws {
        switch SystemCall.stat(target) {
        case .success: throw CommandExit.error("target path already exists: \(target)")
        case .failure(let e) where e.rawValue != ENOENT:
            throw CommandExit.error("cannot access \(target): \(errorText(e))")
        case .failure: break
        }
        let name = posixBasename(target)
        let directory = posixDirname(target)
        guard isSubvolumeName(name) else { throw CommandExit.error("invalid subvolume name: \(name)") }
        guard name.pathByteCount <= 255 else { throw CommandExit.error("subvolume name too long: \(name)") }
        if parents { try makeDirectories(directory) }
        do { _ = try FileSystem(path: directory, requireDirectory: true) } catch {
            throw CommandExit.error("\(error)")
        }
        context.verbose(Context.logDefault, "Create subvolume '\(directory)/\(name)'\n")
        do {
            if inherit.copies.isEmpty {
                try Subvolume.create(directory + "/" + name, qgroups: inherit.groups)
            } else {
                try Subvolume.create(directory + "/" + name, qgroups: inherit.groups, copies: inherit.copies)
            }
        } catch let e as BtrfsError {
            throw CommandExit.error("cannot create subvolume: \(errorText(e))")
        }
    }

    /// mkdir -p, for create -p.
    static func makeDirectories(_ path: String) throws {
        if case .success = SystemCall.stat(path) { return }
        let parent = posixDirname(path)
        if parent != path { try makeDirectories(parent) }
        if case .failure(let e) = path.withPathCString({ p in SystemCall.value { mkdir(p, 0o777) } }), e.rawValue != EEXIST {
            throw CommandExit.error("cannot create directory \(path): \(errorText(e))")
        }
    }

    /// The -i groups and -c copies, in the layout progs builds: each -c pair is inserted in front
    /// of the earlier ones (btrfs_qgroup_inherit_add_copy's position), so copies run last-given first.
    struct QgroupInherit {
        var groups: [UInt64] = []
        var copies: [Subvolume.QgroupCopy] = []
    }

    /// -i and -c in command-line order, as getopt hands them over: the first bad one decides the error.
    static func parseInherit(_ invocation: Invocation) throws -> QgroupInherit {
        var inherit = QgroupInherit()
        for option in invocation.options {
            guard let value = option.value else { continue }
            if option.id == "i" { inherit.groups.append(try parseQgroupInherit(value)) }
            if option.id == "c" { inherit.copies.insert(try parseQgroupCopy(value), at: 0) }
        }
        return inherit
    }

    /// btrfs_qgroup_inherit_add_group: a qgroup id or subvolume path, not 0.
    static func parseQgroupInherit(_ text: String) throws -> UInt64 {
        let id = try parseQgroupIDOrPath(text)
        if id == 0 {
            // progs returns -EINVAL from the handler: exit status 234.
            throw CommandExit.message("ERROR: invalid qgroup specification, qgroupid must not 0", status: 234)
        }
        return id
    }

    /// btrfs_qgroup_inherit_add_copy: `<src>:<dst>` split at the first colon; a 0 id on either side
    /// is reported as the missing separator, as progs does.
    static func parseQgroupCopy(_ text: String) throws -> Subvolume.QgroupCopy {
        let bad = CommandExit.message("ERROR: invalid copy specification, missing separator :", status: 234)
        guard let colon = text.firstIndex(of: ":") else { throw bad }
        let source = try parseQgroupIDOrPath(String(text[..<colon]))
        let destination = try parseQgroupIDOrPath(String(text[text.index(after: colon)...]))
        if source == 0 || destination == 0 { throw bad }
        return Subvolume.QgroupCopy(source: source, destination: destination)
    }

    // MARK: snapshot

    static let snapshot = Command(
        "snapshot", synopsis: ["[-r] [-i <qgroupid>] <subvolume> { <subdir>/<name> | <subdir> }"], summary: "",
        description: ["Create a snapshot of a <subvolume>. Call it <name> and place it in the <subdir>.",
                      "(<subvolume> will look like a new sub-directory, but is actually a btrfs subvolume",
                      "not a sub-directory.)"],
        options: [
            OptionSpec("r", nil, help: "make the new snapshot readonly"),
            OptionSpec("c", nil, value: .string, help: "copy qgroup usage", hidden: true),
            OptionSpec("i", nil, value: .qgroupID,
                       help: "Add the new snapshot to a qgroup (a quota group). This option can be given multiple times.",
                       display: "-i <qgroupid>"),
        ],
        operands: [OperandSpec("subvolume", .subvolume), OperandSpec("dest", .path)],
        help: [.text("When only <subdir> is given, the subvolume will be named the basename of <subvolume>."),
               .text(""), .optionNamed("r"), .optionNamed("i"), .globals, .quiet],
        permutesOperands: true, run: runSnapshot)

    @Sendable static func runSnapshot(_ invocation: Invocation) throws -> Int32 {
        let context = invocation.context
        let inherit = try parseInherit(invocation)
        let readOnly = invocation.has("r")
        let source = invocation.operands[0], destination = invocation.operands[1]
        do { try Subvolume.checkIsSubvolume(source) } catch { throw CommandExit.error(errorText(error, .util)) }
        let name: String, directory: String
        switch SystemCall.stat(destination) {
        case .success(let st):
            guard (st.st_mode & S_IFMT) == S_IFDIR else {
                throw CommandExit.error("'\(destination)' exists and it is not a directory")
            }
            name = posixBasename(source)
            directory = destination
        case .failure(let e):
            if e.rawValue != ENOENT { throw CommandExit.error("cannot access \(destination): \(errorText(e))") }
            name = posixBasename(destination)
            directory = posixDirname(destination)
        }
        guard isSubvolumeName(name) else { throw CommandExit.error("invalid snapshot name '\(name)'") }
        guard name.pathByteCount <= 255 else { throw CommandExit.error("snapshot name too long '\(name)'") }
        _ = try FileSystem(path: directory, requireDirectory: true)
        _ = try FileSystem(path: source, requireDirectory: true)
        context.verbose(Context.logDefault, readOnly
            ? "Create a readonly snapshot of '\(source)' in '\(directory)/\(name)'\n"
            : "Create a snapshot of '\(source)' in '\(directory)/\(name)'\n")
        do {
            if inherit.copies.isEmpty {
                try Subvolume.snapshot(source, to: directory + "/" + name, readOnly: readOnly, qgroups: inherit.groups)
            } else {
                try Subvolume.snapshot(source, to: directory + "/" + name, readOnly: readOnly,
                                       qgroups: inherit.groups, copies: inherit.copies)
            }
        } catch let e as BtrfsError {
            throw CommandExit.error("cannot snapshot '\(source)': \(errorText(e))")
        }
        return 0
    }

    // MARK: delete

    static let delete = Command(
        "delete", synopsis: ["[options] <subvolume> [<subvolume>...]", "[options] -i|--subvolid <subvolid> <path>"],
        summary: "Delete subvolume(s)",
        description: ["Delete subvolumes from the filesystem, specified by a path or id. The",
                      "corresponding directory is removed instantly but the data blocks are",
                      "removed later.",
                      "The deletion does not involve full commit by default due to",
                      "performance reasons (as a consequence, the subvolume may appear again",
                      "after a crash). Use one of the --commit options to wait until the",
                      "operation is safely stored on the media."],
        options: [
            OptionSpec("c", "commit-after", help: "wait for transaction commit at the end of the operation"),
            OptionSpec("C", "commit-each", help: "wait for transaction commit after deleting each subvolume"),
            OptionSpec("i", "subvolid", value: .number, help: "subvolume id of the to be removed subvolume",
                       display: "-i|--subvolid"),
            OptionSpec("v", "verbose", help: "deprecated, alias for global -v option"),
        ],
        operands: [OperandSpec("subvolume", .subvolume, repeating: true)],
        help: [.optionNamed("commit-after"), .optionNamed("commit-each"), .optionNamed("subvolid"),
               .optionNamed("verbose"), .globals, .verbose, .quiet],
        permutesOperands: true, run: runDelete)

    enum CommitMode { case none, after, each }

    @Sendable static func runDelete(_ invocation: Invocation) throws -> Int32 {
        let context = invocation.context
        for option in invocation.options where option.id == "verbose" { context.beVerbose() }
        var mode = CommitMode.none
        for option in invocation.options {
            if option.id == "commit-after" { mode = .after }
            if option.id == "commit-each" { mode = .each }
        }
        var subvolid: UInt64 = 0
        if let text = invocation.value("subvolid") { subvolid = try argStrtou64(text) }
        if subvolid > 0 { try invocation.checkArgcExact(1) }
        context.verbose(Context.logInfo, "Transaction commit: \(mode == .none ? "none (default)" : mode == .after ? "at the end" : "after each")\n")

        var status: Int32 = 0
        var toSync: [(fsid: BtrfsUUID, fs: FileSystem)] = []
        let operands = invocation.operands
        for (n, path) in operands.enumerated() {
            do {
                if let fs = try deleteOne(path, subvolid: subvolid, mode: mode, last: n + 1 == operands.count, context: context),
                   mode == .after {
                    let fsid = try fs.fsInfo().fsid
                    if !toSync.contains(where: { $0.fsid == fsid }) {
                        context.verbose(Context.logInfo, "  new fs is found for '\(path)', fsid: \(fsid)\n")
                        toSync.append((fsid, fs))
                    }
                }
            } catch CommandExit.error(let text) {
                context.error(text)
                status = 1
            } catch CommandExit.status(let s) {
                status = s
            }
        }
        for (fsid, fs) in toSync {
            do {
                try fs.waitSync(transid: try fs.startSync())
                context.verbose(Context.logInfo, "final sync is done for fsid: \(fsid)\n")
            } catch {
                context.error("unable to do final sync after deletion: \(errorText(error, .strerrorOrDescription)), fsid: \(fsid)")
                status = 1
            }
        }
        return status
    }

    /// Deletes one subvolume as progs' loop body does; returns the directory's filesystem when deleted.
    static func deleteOne(_ path: String, subvolid: UInt64, mode: CommitMode, last: Bool,
                          context: Context) throws -> FileSystem? {
        var fullSubvolPath = ""
        var pathNotFound = false
        if subvolid > 0 {
            do {
                let fs = try FileSystem(path: path)
                fullSubvolPath = path + "/" + pathText(try fs.subvolumePath(id: subvolid))
            } catch let e as BtrfsError where e.utilCode == .subvolumeNotFound {
                pathNotFound = true
            } catch {
                throw CommandExit.error(errorText(error, .util))
            }
        }
        do { try Subvolume.checkIsSubvolume(path) } catch { throw CommandExit.error(errorText(error, .util)) }
        let real: String
        switch SystemCall.realPath(path) {
        case .success(let resolved): real = resolved
        case .failure(let e): throw CommandExit.error("cannot find real path for '\(path)': \(errorText(e))")
        }
        let directory = subvolid > 0 ? real : posixDirname(real)
        let name = posixBasename(real)
        let fs = try FileSystem(path: directory, requireDirectory: true)
        var defaultID: UInt64 = 0
        do { defaultID = try fs.defaultSubvolume() } catch let e as BtrfsError where e.utilCode == .searchFailed {
            if geteuid() != 0 { context.warning("cannot read default subvolume id: \(errorText(e, .strerror(orElse: 0)))") }
        } catch {}
        var target = subvolid
        if target == 0 {
            // progs 6.2 fails here without a word (Docs/DIFFERENCES.md).
            do { target = try Subvolume.id(of: path) } catch {
                throw CommandExit.error("cannot read the subvolume id of '\(path)': \(errorText(error, .strerrorOrDescription))")
            }
        }
        if target == defaultID {
            context.warning("not deleting default subvolume id \(defaultID) '\(subvolid == 0 ? directory + "/" + name : fullSubvolPath)'")
            throw CommandExit.status(1)
        }
        let commit = mode == .each || (mode == .after && last)
        context.verbose(Context.logDefault, "Delete subvolume (\(commit ? "commit" : "no-commit")): ")
        if subvolid == 0 {
            context.verbose(Context.logDefault, "'\(directory)/\(name)'\n")
        } else if !pathNotFound {
            context.verbose(Context.logDefault, "'\(fullSubvolPath)'\n")
        } else {
            context.verbose(Context.logDefault, "subvolid=\(subvolid)\n")
        }
        do {
            if subvolid == 0 { try fs.deleteSubvolume(named: name) } else { try fs.deleteSubvolume(id: subvolid) }
        } catch {
            context.error(errorText(error, .util))
            if (error as? BtrfsError)?.errno == EPERM {
                context.warning("deletion failed with EPERM, you don't have permissions or send may be in progress")
            }
            throw CommandExit.status(1)
        }
        if mode == .each {
            do { try fs.waitSync(transid: try fs.startSync()) } catch {
                throw CommandExit.error("unable to wait for commit after '\(path)': \(errorText(error, .strerrorOrDescription))")
            }
        }
        return fs
    }
}
