#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Btrfs

/// `inspect-internal inode-resolve`, `logical-resolve`, `subvolid-resolve` and `rootid`, as
/// btrfs-progs 6.2's cmds/inspect.c (text, errors, exit codes). logical-resolve finds subvolumes
/// that 6.2 reports as "not mounted" (InspectSubvolumeDirectories.swift).
extension InspectCommands {
    static let verboseAlias = OptionSpec("v", nil, help: "deprecated, alias for global -v option")

    // MARK: inode-resolve

    static let inodeResolve = Command(
        "inode-resolve", synopsis: ["[-v] <inode> <path>"], summary: "Get file system paths for the given inode",
        options: [verboseAlias],
        operands: [OperandSpec("inode", .number), OperandSpec("path", .path)],
        help: [.optionNamed("v"), .globals, .verbose], supportsJSON: true, permutesOperands: true, run: runInodeResolve)

    @Sendable static func runInodeResolve(_ invocation: Invocation) throws -> Int32 {
        let context = invocation.context
        for _ in 0..<invocation.count("v") { context.beVerbose() }
        let path = invocation.operands[1]
        let fs = try openLikeProgs(path, directory: true)
        let inum = try argStrtou64(invocation.operands[0])
        if context.format == .json {
            guard let paths = inodePaths(fs, inum, prefix: path, context) else { return 1 }
            printInodeResolveJSON(inode: inum, paths: paths, to: context.out)
            return 0
        }
        return printInodePaths(fs, inum, prefix: path, context)
    }

    /// progs' __ino_to_path_fd: every path of `inum` in the subvolume of `fs`, after `prefix/`.
    static func printInodePaths(_ fs: FileSystem, _ inum: UInt64, prefix: String, _ context: Context) -> Int32 {
        guard let paths = inodePaths(fs, inum, prefix: prefix, context) else { return 1 }
        guard context.shouldPrint(Context.logDefault) else { return 0 }
        for path in paths { context.out.line(path) }
        return 0
    }

    /// The paths of `inum` after `prefix/`, or nil after progs' message for a failed ioctl.
    static func inodePaths(_ fs: FileSystem, _ inum: UInt64, prefix: String, _ context: Context) -> [String]? {
        let result: InoPathsResult
        do { result = try fs.inoPaths(inum) } catch {
            context.error("ino paths ioctl: \(errorText(error, .ioctl))")
            return nil
        }
        let c = result.container
        context.verbose(Context.logDebug, "ioctl ret=0, bytes_left=\(c.bytesLeft), bytes_missing=\(c.bytesMissing) cnt=\(c.elemCount), missed=\(c.elemMissed)\n")
        return result.paths.map { prefix + "/" + String(pathBytes: $0) }
    }

    // MARK: logical-resolve

    static let logicalResolve = Command(
        "logical-resolve", synopsis: ["[-Pvo] [-s bufsize] <logical> <path>"],
        summary: "Get file system paths for the given logical address",
        options: [
            OptionSpec("P", nil, help: "skip the path resolving and print the inodes instead"),
            OptionSpec("o", nil, help: "ignore offsets when matching references (requires v2 ioctl support in the kernel 4.15+)"),
            OptionSpec("s", nil, value: .size, help: "set inode container's size. This is used to increase inode "
                       + "container's size in case it is not enough to read all the resolved results. The max value "
                       + "one can set is 64k with the v1 ioctl. Sizes over 64k will use the v2 ioctl (kernel 4.15+)",
                       display: "-s bufsize"),
            verboseAlias,
        ],
        operands: [OperandSpec("logical", .number), OperandSpec("path", .path)],
        help: [.optionNamed("P"), .optionNamed("o"), .optionNamed("s"), .optionNamed("v"), .globals, .verbose],
        supportsJSON: true, checksOperandCount: false, permutesOperands: true, run: runLogicalResolve)

    @Sendable static func runLogicalResolve(_ invocation: Invocation) throws -> Int32 {
        let context = invocation.context
        var getPath = true
        var ignoreOffset = false
        var size: UInt64 = 64 << 10
        // In getopt's order: a bad -s is reported before the operand count.
        for option in invocation.options {
            switch option.id {
            case "P": getPath = false
            case "o": ignoreOffset = true
            case "v": context.beVerbose()
            case "s": size = try argStrtou64(option.value ?? "")
            default: break
            }
        }
        try invocation.checkArgcExact(2)
        size = min(size, UInt64(FileSystem.logicalInoMaxBufferV2))
        let v2 = size > UInt64(FileSystem.logicalInoMaxBufferV1) || ignoreOffset
        let logical = try argStrtou64(invocation.operands[0])
        let path = invocation.operands[1]
        let fs = try openLikeProgs(path, directory: true)
        let result: LogicalInoResult
        do {
            result = v2 ? try fs.logicalInoV2(logical, bufferSize: Int(size), ignoreOffset: ignoreOffset)
                : try fs.logicalIno(logical, bufferSize: Int(size))
        } catch {
            context.error("logical ino ioctl: \(errorText(error, .ioctl))")
            return 1
        }
        let c = result.container
        context.verbose(Context.logDebug, "ioctl ret=0, total_size=\(size), bytes_left=\(c.bytesLeft), bytes_missing=\(c.bytesMissing), cnt=\(c.elemCount), missed=\(c.elemMissed)\n")
        var directories = SubvolumeDirectories(fs: fs, pathOperand: path)
        var status: Int32 = 0
        var resolved: [ResolvedRef] = []
        let json = context.format == .json
        for ref in result.refs {
            if json {
                var entry = ResolvedRef(inode: ref.inum, offset: ref.offset, root: ref.root)
                if getPath {
                    guard let name = resolveSubvolumePath(fs, ref.root, report: context) else { return 1 }
                    entry.subvolume = String(pathBytes: name)
                    if let directory = try directories.directory(root: ref.root, name: name) {
                        guard let paths = inodePaths(directory.fs, ref.inum, prefix: directory.path, context) else { return 1 }
                        entry.paths = paths
                    }
                }
                resolved.append(entry)
                continue
            }
            guard getPath else {
                context.verbose(Context.logDefault, "inode \(ref.inum) offset \(ref.offset) root \(ref.root)\n")
                continue
            }
            guard let name = resolveSubvolumePath(fs, ref.root, report: context) else { return 1 }
            guard let directory = try directories.directory(root: ref.root, name: name) else {
                // As progs: printed whatever the verbosity, and the status is that of the lookup (0).
                context.out.write("inode \(ref.inum) subvol ")
                context.out.write(bytes: name)
                context.out.write(" could not be accessed: not mounted\n")
                status = 0
                continue
            }
            status = printInodePaths(directory.fs, ref.inum, prefix: directory.path, context)
        }
        if json { printLogicalResolveJSON(logical: logical, refs: resolved, to: context.out) }
        return status
    }

    // MARK: subvolid-resolve

    static let subvolidResolve = Command(
        "subvolid-resolve", synopsis: ["<subvolid> <path>"], summary: "Get file system paths for the given subvolume ID.",
        operands: [OperandSpec("subvolid", .number), OperandSpec("path", .path)],
        help: [], supportsJSON: true, badOption: .usage, run: runSubvolidResolve)

    @Sendable static func runSubvolidResolve(_ invocation: Invocation) throws -> Int32 {
        let context = invocation.context
        let fs = try openLikeProgs(invocation.operands[1], directory: true)
        let id = try argStrtou64(invocation.operands[0])
        switch subvolumePath(fs, id, report: context) {
        case .failure(let code):
            if code.rawValue != EPERM { context.error("resolving subvolid \(id) error \(code.rawValue)") }
            return 1
        case .success(let path):
            if context.format == .json {
                printSimpleJSON("subvolid-resolve", to: context.out) { json in
                    json.number("subvolid", id)
                    json.string("path", String(pathBytes: path))
                }
            } else if context.shouldPrint(Context.logDefault) {
                context.out.write(bytes: path)
                context.out.write(byte: 0x0A)
            }
            return 0
        }
    }

    // MARK: rootid

    static let rootid = Command(
        "rootid", synopsis: ["<path>"], summary: "Get tree ID of the containing subvolume of path.",
        operands: [OperandSpec("path", .path)], help: [], supportsJSON: true, badOption: .usage, run: runRootid)

    @Sendable static func runRootid(_ invocation: Invocation) throws -> Int32 {
        let fs = try openLikeProgs(invocation.operands[0], directory: false)
        let id: UInt64
        do { id = try fs.inoLookup().tree } catch {
            throw CommandExit.error("failed to lookup root id: \(errorText(error, .ioctl))")
        }
        if invocation.context.format == .json {
            printSimpleJSON("rootid", to: invocation.context.out) { json in
                json.string("path", invocation.operands[0])
                json.number("id", id)
            }
            return 0
        }
        invocation.context.verbose(Context.logDefault, "\(id)\n")
        return 0
    }

    // MARK: shared

    /// progs' btrfs_subvolid_resolve: the path of subvolume `id` from the top level, through the
    /// ROOT_BACKREF chain and INO_LOOKUP of each parent directory. On failure progs' message goes
    /// to stderr (when `report` is given) and its return value (-ENOENT, -1) comes back.
    /// Iterative, in progs' order (every backref up to the top, then the lookups from the top down),
    /// so a ROOT_BACKREF loop on a damaged filesystem is an error instead of endless recursion.
    static func subvolumePath(_ fs: FileSystem, _ id: UInt64, report: Context?) -> Result<[UInt8], SystemError> {
        var chain: [(parent: UInt64, dirid: UInt64, name: [UInt8])] = []
        var seen: Set<UInt64> = []
        var current = id
        while current != ObjectID.fsTree.rawValue {
            guard seen.insert(current).inserted else {
                report?.err.line("subvolume \(id): its ROOT_BACKREF chain loops at subvolume \(current)")
                return .failure(SystemError(-ELOOP))
            }
            var cursor = fs.search(TreeSearch(tree: ObjectID.rootTree.rawValue, min: Key(current, .rootBackref, 0),
                                              max: Key(current, .rootBackref, .max), limit: 1))
            do {
                guard let item = try cursor.next() else {
                    report?.err.line("failed to lookup subvol_id \(current)!")
                    return .failure(SystemError(-ENOENT))
                }
                let ref = try RootRefView(reader: item.reader(context: "ROOT_BACKREF"), context: "ROOT_BACKREF")
                chain.append((item.key.offset, ref.dirid, Array(ref.name)))
                current = item.key.offset
            } catch {
                // A normal user: one line that names the refusal (progs prints the raw ioctl
                // line and then "error -1").
                if errnoOf(error) == EPERM {
                    report?.error("resolving subvolid \(id): \(errnoText(EPERM))")
                    return .failure(SystemError(EPERM))
                }
                report?.err.line("ioctl(BTRFS_IOC_TREE_SEARCH, subvol_id \(current)) ret=-1, error: \(errorText(error, .ioctl))")
                return .failure(SystemError(-1))
            }
        }
        var path: [UInt8] = []
        for (index, link) in chain.reversed().enumerated() {
            if index > 0 { path.append(UInt8(ascii: "/")) }
            if link.dirid != ObjectID.firstFree.rawValue {
                do { path += try fs.inoLookup(tree: link.parent, objectid: link.dirid).path } catch {
                    report?.err.line("ioctl(BTRFS_IOC_INO_LOOKUP) ret=-1, error: \(errorText(error, .ioctl))")
                    return .failure(SystemError(-1))
                }
            }
            path += link.name
        }
        return .success(path)
    }

    /// subvolumePath for logical-resolve, which stops (status 1) on a failure progs reports.
    static func resolveSubvolumePath(_ fs: FileSystem, _ id: UInt64, report: Context?) -> [UInt8]? {
        if case .success(let path) = subvolumePath(fs, id, report: report) { return path }
        return nil
    }
}

extension Context {
    /// progs' bconf_be_verbose (a command's deprecated -v): from unset to the default level, else one more.
    func beVerbose() {
        verbosity = verbosity == Context.verbosityUnset ? Context.logDefault : verbosity + 1
    }
}


/// progs' btrfs_open_dir / btrfs_open_file_or_dir: its checks and messages, and only
/// directories and regular files are opened (open_file_or_dir: anything else is EINVAL).
func openLikeProgs(_ path: String, directory: Bool) throws -> FileSystem {
    try FileSystem(path: path, requireDirectory: directory, directoryOrFile: true)
}
