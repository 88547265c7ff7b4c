#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Btrfs

/// `sbtrfs quota`: manage filesystem quota settings (progs' cmds/quota.c): enable, disable, rescan.
enum QuotaCommands {
    static let group = Group(
        "quota", summary: "manage filesystem quota settings", usage: ["<command> [options] <path>"],
        entries: [.command("enable", enable), .command("disable", disable), .command("rescan", rescan)])

    static let enable = Command(
        "enable", synopsis: ["<path>"], summary: "Enable subvolume quota support for a filesystem.",
        description: ["Any data already present on the filesystem will not count towards",
                      "the space usage numbers. It is recommended to enable quota for a",
                      "filesystem before writing any data to it."],
        operands: [OperandSpec("path", .path)], badOption: .usage, checksOperandCount: false,
        run: { try runControl($0, enable: true) })

    static let disable = Command(
        "disable", synopsis: ["<path>"], summary: "Disable subvolume quota support for a filesystem.",
        operands: [OperandSpec("path", .path)], badOption: .usage, checksOperandCount: false,
        run: { try runControl($0, enable: false) })

    /// quota_ctl: progs counts its own argv[0] in check_argc_exact here ("exactly 2 arguments
    /// expected, 1 given") and follows the message with the full usage.
    @Sendable static func runControl(_ invocation: Invocation, enable: Bool) throws -> Int32 {
        guard invocation.operands.count == 1 else {
            invocation.err.line("\(invocation.context.commandPath): exactly 2 arguments expected, "
                                 + "\(invocation.operands.count + 1) given")
            throw CommandExit.usage
        }
        let fs = try FileSystem(path: invocation.operands[0], requireDirectory: true)
        do {
            if enable { try fs.enableQuota() } else { try fs.disableQuota() }
        } catch let e as BtrfsError {
            throw CommandExit.error("quota command failed: \(errorText(e))")
        }
        return 0
    }

    static let rescan = Command(
        "rescan", synopsis: ["[-sw] <path>"],
        summary: "Trash all qgroup numbers and scan the metadata again with the current config.",
        options: [
            OptionSpec("s", "status", help: "show status of a running rescan operation"),
            OptionSpec("w", "wait", help: "start rescan and wait for it to finish (can be already in progress)"),
            OptionSpec("W", "wait-norescan", help: "wait for rescan to finish without starting it"),
        ],
        operands: [OperandSpec("path", .path)],
        help: [.optionNamed("status"), .optionNamed("wait"), .optionNamed("wait-norescan"), .globals, .quiet],
        checksOperandCount: false, permutesOperands: true, run: runRescan)

    private enum RescanAction { case start, status, none }

    @Sendable static func runRescan(_ invocation: Invocation) throws -> Int32 {
        let context = invocation.context
        // As progs' getopt loop: the last of -s/-w/-W chooses the call, any -w/-W waits.
        var action = RescanAction.start
        var wait = false
        for option in invocation.options {
            switch option.id {
            case "status": action = .status
            case "wait": action = .start; wait = true
            case "wait-norescan": action = .none; wait = true
            default: break
            }
        }
        if action == .status && wait { throw CommandExit.error("switch -w cannot be used with -s") }
        try invocation.checkArgcExact(1)
        let fs = try FileSystem(path: invocation.operands[0], requireDirectory: true)
        switch action {
        case .status:
            let status: QuotaRescanStatus
            do { status = try fs.quotaRescanStatus() } catch let e as BtrfsError {
                throw CommandExit.error("could not obtain quota rescan status: \(errorText(e))")
            }
            if status.isRunning {
                context.verbose(Context.logDefault,
                                "rescan operation running (current key \(Int64(bitPattern: status.progress)))\n")
            } else {
                context.verbose(Context.logDefault, "no rescan operation in progress\n")
            }
            return 0
        case .start:
            do {
                try fs.startQuotaRescan()
                context.verbose(Context.logDefault, "quota rescan started\n")
                context.out.flush()
            } catch let e as BtrfsError where !(wait && e.errno == EINPROGRESS) {
                throw CommandExit.error("quota rescan failed: \(errorText(e))")
            } catch is BtrfsError {
                // Already running and asked to wait: wait for that one.
            }
        case .none:
            break
        }
        if wait {
            do { try fs.waitQuotaRescan() } catch let e as BtrfsError {
                throw CommandExit.error("quota rescan wait failed: \(errorText(e))")
            }
        }
        return 0
    }
}
