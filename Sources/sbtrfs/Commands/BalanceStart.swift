#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Btrfs

// `sbtrfs balance start`: progs' cmd_balance_start and do_balance, byte for byte (warnings and
// their countdowns, refusals, `-v`'s dump of the filters, the background fork, exit codes).
extension BalanceCommands {
    static let start = Command(
        "start", synopsis: ["[options] <path>"], summary: "Balance chunks across the devices",
        description: ["Balance and/or convert (change allocation profile of) chunks that",
                      "passed all filters in a comma-separated list of filters for a",
                      "particular chunk type.  If filter list is not given balance all",
                      "chunks of that type.  In case none of the -d, -m or -s options is",
                      "given balance all chunks in a filesystem. This is potentially",
                      "long operation and the user is warned before this start, with",
                      "a delay to stop it."],
        options: [
            OptionSpec("d", "data", value: .balanceFilters, optionalValue: true,
                       help: "act on data chunks with optional filters (no space in between)", display: "-d[filters]"),
            OptionSpec("m", "metadata", value: .balanceFilters, optionalValue: true,
                       help: "act on metadata chunks with optinal filters (no space in between)", display: "-m[filters]"),
            OptionSpec("s", "system", value: .balanceFilters, optionalValue: true,
                       help: "act on system chunks (only under -f) with optional filters (no space in between)",
                       display: "-s[filters]"),
            OptionSpec("f", "force", help: "force a reduction of metadata integrity, or skip timeout when converting to RAID56 profiles",
                       display: "-f"),
            OptionSpec(nil, "full-balance", help: "do not print warning and do not delay start", getoptValue: 256),
            OptionSpec(nil, "background", help: "run the balance as a background process",
                       display: "--background|--bg", getoptValue: 257),
            OptionSpec(nil, "bg", help: "run the balance as a background process", hidden: true, getoptValue: 257),
            OptionSpec(nil, "enqueue", help: "wait if there's another exclusive operation running, otherwise continue",
                       getoptValue: 258),
            OptionSpec("v", "verbose", help: "deprecated, alias for global -v option", display: "-v|--verbose"),
        ],
        operands: [OperandSpec("path", .path)],
        help: [.optionNamed("data"), .optionNamed("metadata"), .optionNamed("system"), .optionNamed("force"),
               .optionNamed("full-balance"), .optionNamed("background"), .optionNamed("enqueue"),
               .optionNamed("verbose"), .globals, .verbose, .quiet],
        permutesOperands: true, run: runStart)

    @Sendable static func runStart(_ invocation: Invocation) throws -> Int32 {
        let context = invocation.context
        var request = BalanceRequest(flags: [])
        var usedFilters = false
        // Options in command-line order: each -d/-m/-s adds its filters as it comes.
        for option in invocation.options {
            switch option.id {
            case "data", "metadata", "system":
                usedFilters = true
                let ok: Bool
                switch option.id {
                case "data":
                    request.flags.insert(.data)
                    ok = option.value.map { BalanceFilters.parse($0, into: &request.data, context: context) } ?? true
                case "system":
                    request.flags.insert(.system)
                    ok = option.value.map { BalanceFilters.parse($0, into: &request.system, context: context) } ?? true
                default:
                    request.flags.insert(.metadata)
                    ok = option.value.map { BalanceFilters.parse($0, into: &request.metadata, context: context) } ?? true
                }
                if !ok { return 1 }
            case "verbose":
                context.verbosity = context.verbosity == Context.verbosityUnset ? Context.logDefault : context.verbosity + 1
            default: break
            }
        }
        try invocation.checkArgcExact(1)
        let force = invocation.has("force")
        let noWarning = invocation.has("full-balance")
        let background = invocation.has("background") || invocation.has("bg")

        // System chunks only under --force; otherwise they follow what metadata was asked.
        if request.flags.contains(.system) {
            if !force {
                context.error("Refusing to explicitly operate on system chunks.\nPass --force if you really want to do that.")
                return 1
            }
        } else if request.flags.contains(.metadata) {
            request.flags.insert(.system)
            request.system = request.metadata
        }
        if !usedFilters { request.flags.formUnion(.typeMask) }
        let ordered = [request.data, request.system, request.metadata]  // progs' ptrs[] order
        for args in ordered where args.filterFlags.contains(.drange) && !args.filterFlags.contains(.devid) {
            context.error("drange filter must be used with devid filter")
            return 1
        }
        var warnedRAID56 = false
        for args in ordered {
            if args.filterFlags.contains(.soft) && !args.filterFlags.contains(.convert) {
                context.error("'soft' option can be used only when converting profiles")
                return 1
            }
            guard args.filterFlags.contains(.convert), args.target & (BlockGroupFlags.raid5 | BlockGroupFlags.raid6) != 0,
                  !warnedRAID56 else { continue }
            warnedRAID56 = true
            let out = context.out
            out.write("WARNING:\n\n")
            out.write("\tRAID5/6 support has known problems and is strongly discouraged\n")
            out.write("\tto be used besides testing or evaluation. It is recommended that\n")
            out.write("\tyou use one of the other RAID profiles.\n")
            if force {
                out.write("\tSafety timeout skipped due to --force\n\n")
                continue
            }
            out.write("\tThe operation will continue in 10 seconds.\n")
            out.write("\tUse Ctrl-C to stop.\n")
            countdown(out)
            out.write("\nStarting conversion to RAID5/6.\n")
        }
        if !usedFilters && !noWarning {
            let out = context.out
            out.write("WARNING:\n\n")
            out.write("\tFull balance without filters requested. This operation is very\n")
            out.write("\tintense and takes potentially very long. It is recommended to\n")
            out.write("\tuse the balance filters to narrow down the scope of balance.\n")
            out.write("\tUse '\(Tool.name) balance start --full-balance' option to skip this\n")
            out.write("\twarning. The operation will start in 10 seconds.\n")
            out.write("\tUse Ctrl-C to stop it.\n")
            countdown(out)
            out.write("\nStarting balance without any filters.\n")
        }
        if force { request.flags.insert(.force) }
        if context.verbosity > Context.verbosityQuiet { BalanceFilters.dump(request, state: [], to: context.out) }
        if background {
            if let status = detach(context) { return status }
        }
        return try BalanceStart.run(path: invocation.operands[0], request: request,
                       enqueue: invocation.has("enqueue"), context: context)
    }

    /// ` 10 9 … 1`, a number a second, each shown as it is written (progs fflushes stdout).
    private static func countdown(_ out: OutputStream) {
        for delay in stride(from: 10, through: 1, by: -1) {
            out.write(delay < 10 ? " \(delay)" : "\(delay)")
            out.flush()
            sleep(1)
        }
    }

    /// progs' --background: fork, new session, fork again; the grandchild runs the balance
    /// with its standard streams on /dev/null, the others exit 0. nil in the grandchild.
    private static func detach(_ context: Context) -> Int32? {
        // What was printed so far goes out once, not once per process that exits.
        context.out.flush()
        context.err.flush()
        // As progs: the forks' failures are reported; chdir and the reopened streams are best
        // effort (a daemon without /dev/null still balances).
        switch SystemCall.value(retryOnInterrupt: false, { fork() }) {
        case .failure:
            context.error("unable to fork to run balance in background")
            return 1
        case .success(0):
            setsid()
            switch SystemCall.value(retryOnInterrupt: false, { fork() }) {
            case .failure:
                context.error("unable to fork to run balance in background")
                exit(1)
            case .success(0):
                _ = chdir("/")
                close(0); close(1); close(2)
                _ = open("/dev/null", O_RDONLY)
                _ = open("/dev/null", O_WRONLY)
                _ = open("/dev/null", O_WRONLY)
                return nil
            case .success:
                exit(0)
            }
        case .success:
            exit(0)
        }
    }
}

/// do_balance: the exclusive-operation check, the ioctl, and what progs says about its end.
enum BalanceStart {
    static func run(path: String, request: BalanceRequest, enqueue: Bool,
                    context: Context) throws -> Int32 {
        let fs = try FileSystem(path: path, requireDirectory: true)
        if let status = ExclusiveOperation.check(fs, starting: "balance", enqueue: enqueue, context: context) { return status }
        do {
            let progress = try fs.balance(request)
            context.verbose(Context.logDefault, BalanceCommands.doneLine(progress))
            return 0
        } catch {
            switch error {
            case .paused, .canceled:
                BalanceCommands.reportStopped(error.state, context: context)
                return 0
            default:
                context.error("error during balancing '\(path)': \(errorText(error))")
                // Not for a refusal (a normal user): the syslog has nothing on it.
                if ![EINPROGRESS, EPERM, EACCES].contains(error.errno) && context.shouldPrint(Context.logDefault) {
                    context.err.line("There may be more info in syslog - try dmesg | tail")
                }
                return 1
            }
        }
    }
}
