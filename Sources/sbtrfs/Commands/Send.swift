#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Btrfs

/// `sbtrfs send`, as progs' cmds/send.c: options are acted on in command-line order (a bad clone
/// source stops before a later option is looked at), the checks come in progs' order with its
/// messages, and every failure exits 1 (progs' reader thread exits with the output's errno
/// instead: Docs/DIFFERENCES.md).
enum Send {
    static let command = Command(
        "send", synopsis: ["[-ve] [-p <parent>] [-c <clone-src>] [-f <outfile>] <subvol> [<subvol>...]"],
        summary: "Send the subvolume(s) to stdout.",
        description: [
            "Sends the subvolume(s) specified by <subvol> to stdout.",
            "<subvol> should be read-only here.",
            "By default, this will send the whole subvolume. To do an incremental",
            "send, use '-p <parent>'. If you want to allow btrfs to clone from",
            "any additional local snapshots, use '-c <clone-src>' (multiple times",
            "where applicable). You must not specify clone sources unless you",
            "guarantee that these snapshots are exactly in the same state on both",
            "sides, the sender and the receiver. It is allowed to omit the",
            "'-p <parent>' option when '-c <clone-src>' options are given, in",
            "which case 'sbtrfs send' will determine a suitable parent among the",
            "clone sources itself.",
        ],
        options: [
            OptionSpec("e", nil, help: "if sending multiple subvols at once, use the new format and omit the end-cmd between the subvols"),
            OptionSpec("p", nil, value: .subvolume, valueName: "parent", help: "send an incremental stream from <parent> to <subvol>"),
            OptionSpec("c", nil, value: .subvolume, valueName: "clone-src",
                       help: "Use this snapshot as a clone source for an incremental send (multiple allowed)"),
            OptionSpec("f", nil, value: .file, valueName: "outfile",
                       help: "Output is normally written to stdout. To write to a file, use this option. An alternative would be to use pipes."),
            OptionSpec(nil, "no-data", help: "send in NO_FILE_DATA mode, Note: the output stream does not contain any file data and thus cannot be used to transfer changes. This mode is faster and useful to show the differences in metadata.",
                       getoptValue: 256),
            OptionSpec(nil, "proto", value: .number, help: "use protocol version N, or 0 to use the highest version supported by the sending kernel (default: 1)",
                       display: "--proto N", getoptValue: 257),
            OptionSpec(nil, "compressed-data", help: "send data that is compressed on the filesystem directly without decompressing it",
                       getoptValue: 258),
            OptionSpec("v", "verbose", help: "deprecated, alias for global -v option"),
            OptionSpec("q", "quiet", help: "deprecated, alias for global -q option"),
            OptionSpec("i", nil, value: .string, help: "removed, use -c", hidden: true),
        ],
        operands: [OperandSpec("subvol", .subvolume, repeating: true)],
        help: ["e", "p", "c", "f", "no-data", "proto", "compressed-data", "verbose", "quiet"].map { HelpItem.optionNamed($0) }
            + [.globals, .verbose, .quiet],
        checksOperandCount: false, permutesOperands: true, run: run)

    /// progs' struct btrfs_send: the mount the subvolumes are on (found from the first one that
    /// needs it, forgotten after each clone source), and the clone sources so far.
    final class State {
        let context: Context
        var rootPath: String?
        var cloneSources: [UInt64] = []
        init(context: Context) { self.context = context }

        func fail(_ message: String) -> CommandExit {
            context.error(message)
            return .status(1)
        }
    }

    @Sendable static func run(_ invocation: Invocation) throws -> Int32 {
        let context = invocation.context
        // For send the default verbosity is 1 ("At subvol" is printed), and a global -v counts one more.
        if context.verbosity == Context.verbosityUnset {
            context.verbosity = Context.logDefault
        } else if context.verbosity > Context.verbosityQuiet {
            context.verbosity += 1
        }
        let state = State(context: context)
        var outName: String?
        var parent: String?
        var fullSend = true
        var multiStream = false
        var flags = SendFlags()
        var proto: UInt32 = 1
        var protoGiven: UInt64 = 0
        for option in invocation.options {
            switch option.id {
            case "verbose":
                context.verbosity = context.verbosity == Context.verbosityUnset ? Context.logDefault : context.verbosity + 1
            case "quiet": context.verbosity = Context.verbosityQuiet
            case "e": multiStream = true
            case "c":
                let given = option.value ?? ""
                // progs' message ends in "\n" and error() adds another.
                let subvol = try resolve(state, given, suffix: "\n")
                let rootID = try rootInfo(state, subvol)
                guard try isReadOnly(state, subvol) else { throw state.fail("cloned subvolume \(subvol) is not read-only") }
                state.cloneSources.append(rootID)
                state.rootPath = nil
                fullSend = false
            case "f":
                let name = option.value ?? ""
                guard name.pathByteCount < Int(PATH_MAX) else {
                    throw state.fail("output file path too long (\(name.pathByteCount))")
                }
                outName = name
            case "p":
                guard parent == nil else { throw state.fail("you cannot have more than one parent (-p)") }
                let given = option.value ?? ""
                let real = try resolve(state, given)
                guard try isReadOnly(state, real) else { throw state.fail("parent subvolume \(real) is not read-only") }
                parent = real
                fullSend = false
            case "i": throw state.fail("option -i was removed, use -c instead")
            case "no-data": flags.insert(.noFileData)
            case "proto":
                protoGiven = try argStrtou64(option.value ?? "")
                guard protoGiven <= UInt64(UInt32.max) else { throw state.fail("protocol version number too big \(protoGiven)") }
                proto = UInt32(protoGiven)
            case "compressed-data": flags.insert(.compressed)
            default: break
            }
        }
        try invocation.checkArgcMin(1)
        let subvols = invocation.operands

        var output: CInt = STDOUT_FILENO
        if let outName { output = try openOutput(state, outName) }
        defer { if output != STDOUT_FILENO { close(output) } }
        if isatty(output) != 0 { throw state.fail("not dumping send stream into a terminal, redirect it into a file") }

        guard let first = realPath(subvols[0]) else { throw state.fail("unable to resolve \(subvols[0])") }
        let rootPath = try initRootPath(state, first)
        var parentRoot: UInt64 = 0
        if let parent {
            parentRoot = try rootID(state, stripMountPoint(state, rootPath, parent), mountPoint: rootPath,
                                    failure: "could not resolve rootid for \(parent)")
            state.cloneSources.append(parentRoot)
        }
        for given in subvols {
            guard let subvol = realPath(given) else { throw state.fail("unable to resolve \(given)") }
            switch MountedFilesystems.mountRoot(of: subvol) {
            case .failure(let e): throw state.fail("find_mount_root failed on \(subvol): \(errorText(e))")
            case .success(.notBtrfs): throw state.fail("\(subvol) does not belong to btrfs mount point")
            case .success(.btrfs(let mount)):
                guard mount == state.rootPath else { throw state.fail("all subvolumes must be from the same filesystem") }
            }
            guard try isReadOnly(state, subvol) else { throw state.fail("subvolume \(subvol) is not read-only") }
        }

        if flags.contains(.noFileData) && context.verbosity > 1 {
            context.err.write("Mode NO_FILE_DATA enabled\n")
        }
        let supported = supportedProtocol(context)
        if supported == 1 && proto > supported {
            throw state.fail("requested version \(proto) but kernel supports only \(supported)")
        }
        if flags.contains(.compressed) {
            // --compressed-data without --proto (or with --proto 0 given as 0) asks for version 2.
            if proto == 1 && protoGiven == 0 { proto = 2 }
            if proto == 1 { throw state.fail("--compressed-data requires protocol version >= 2 (requested 1)") }
            if proto == 0 && supported < 2 { throw state.fail("kernel does not support --compressed-data") }
        }
        if context.shouldPrint(Context.logInfo) {
            context.err.write("Protocol version requested: \(proto) (supported \(supported))\n")
        }

        for (i, given) in subvols.enumerated() {
            if context.shouldPrint(Context.logDefault) { context.err.write("At subvol \(given)\n") }
            let subvol = try resolve(state, given)
            var rootID: UInt64 = 0
            if !fullSend && parent == nil {
                rootID = try rootInfo(state, subvol)
                guard let found = try? SendParent.find(for: rootID, among: state.cloneSources, mountPoint: state.rootPath ?? rootPath) else {
                    throw state.fail("parent determination failed for \(rootID)")
                }
                parentRoot = found
            }
            var request = SendRequest(parentRoot: parentRoot, cloneSources: state.cloneSources, flags: flags)
            if supported > 1 {
                request.version = proto
                request.flags.insert(.version)
            }
            // -e: one stream for all; otherwise each subvolume's stream is whole, as old kernels need.
            if multiStream && i > 0 { request.flags.insert(.omitStreamHeader) }
            if multiStream && i < subvols.count - 1 { request.flags.insert(.omitEndCommand) }
            try sendOne(state, subvol, request, to: output, multi: multiStream && subvols.count > 1)
            if !fullSend && parent == nil {
                state.cloneSources.append(rootID)
                state.rootPath = nil
            }
        }
        return 0
    }

    /// do_send: opens the subvolume and streams it; the messages progs prints around the ioctl.
    static func sendOne(_ state: State, _ subvol: String, _ request: SendRequest, to output: CInt, multi: Bool) throws {
        let context = state.context
        let fs: FileSystem
        do {
            fs = try FileSystem(path: subvol)
        } catch let error as BtrfsError {
            throw state.fail("cannot open \(subvol): \(errorText(error, .strerror(orElse: ENOTTY)))")
        }
        context.err.flush()  // "At subvol" before the stream, as progs' unbuffered stderr
        do {
            try fs.send(request, to: output)
        } catch let error as SendError {
            context.error(error.description)
            if case .ioctl(EINVAL) = error, multi, context.shouldPrint(Context.logDefault) {
                context.err.write("Try upgrading your kernel or don't use -e.\n")
            }
            throw CommandExit.status(1)
        }
        if context.shouldPrint(Context.logInfo) { context.err.write("BTRFS_IOC_SEND returned 0\n") }
        if context.shouldPrint(Context.logDebug) { context.err.write("joining genl thread\n") }
    }

    /// The output file: an existing one is truncated (it may be pre-created where send could not
    /// create it, as on NFS), a missing one created 0600.
    static func openOutput(_ state: State, _ name: String) throws -> CInt {
        var opened = SystemCall.open(name, O_WRONLY | O_TRUNC | O_CLOEXEC)
        if case .failure(let e) = opened, e.rawValue == ENOENT {
            opened = SystemCall.open(name, O_CREAT | O_WRONLY | O_TRUNC | O_CLOEXEC, mode: 0o600)
        }
        switch opened {
        case .success(let fd): return fd
        case .failure(let e): throw state.fail("cannot create '\(name)': \(errorText(e))")
        }
    }

    /// realpath of an operand, or progs' `realpath <given> failed: why` (then `suffix`).
    static func resolve(_ state: State, _ given: String, suffix: String = "") throws -> String {
        switch SystemCall.realPath(given) {
        case .success(let real): return real
        case .failure(let e): throw state.fail("realpath \(given) failed: \(errorText(e))" + suffix)
        }
    }

    /// get_sysfs_proto_supported: the kernel's highest stream version; 1 when it does not say.
    static func supportedProtocol(_ context: Context) -> UInt32 {
        guard let version = SendStream.kernelVersion() else { return 1 }
        guard version <= UInt64(UInt32.max) else {
            context.warning("sysfs/send_stream_version too big: \(version)")
            return 1
        }
        return UInt32(version)
    }
}
