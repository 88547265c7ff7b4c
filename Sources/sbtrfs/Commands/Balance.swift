#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Btrfs

/// `sbtrfs balance`: progs' cmds/balance.c (start in BalanceStart.swift, its filters in
/// BalanceFilters.swift) and python-btrfs's least-used balance (BalanceLeastUsed.swift).
enum BalanceCommands {
    static let group = Group(
        "balance", summary: "balance data across devices, or change block groups using filters",
        usage: ["<command> [options] <path>", "<path>"], intercept: oldSyntax,
        entries: [
            .command("start", start),
            .command("pause", pause),
            .command("cancel", cancel),
            .command("resume", resume),
            .command("status", status),
            .command("least-used", leastUsed),
            .command("--full-balance", fullBalance),
        ])

    /// cmd_balance: one argument that is not `start` is the old `btrfs balance <path>`, a full
    /// balance without the warning's delay (and so `balance status` alone names a path too).
    @Sendable static func oldSyntax(_ arguments: [String], _ context: Context) throws -> Int32? {
        guard arguments.count == 1, arguments[0] != "start" else { return nil }
        return try BalanceStart.run(path: arguments[0], request: BalanceRequest(flags: .typeMask),
                                    enqueue: false, context: context)
    }

    // MARK: --full-balance

    /// progs' hidden `btrfs balance --full-balance <path>`: the old syntax spelled out.
    static let fullBalance = Command(
        "--full-balance", synopsis: [], summary: "", hidden: true, checksOperandCount: false,
        rawArguments: true, run: runFullBalance)

    @Sendable static func runFullBalance(_ invocation: Invocation) throws -> Int32 {
        // progs reads argv[1] unchecked; with nothing there it would pass NULL on.
        guard let path = invocation.operands.first else {
            throw CommandExit.message("\(invocation.context.commandPath): exactly 1 argument expected, 0 given", status: 1)
        }
        return try BalanceStart.run(path: path, request: BalanceRequest(flags: .typeMask),
                                    enqueue: false, context: invocation.context)
    }

    // MARK: pause, cancel

    static let pause = Command(
        "pause", synopsis: ["<path>"], summary: "Pause running balance",
        operands: [OperandSpec("path", .path)], help: [], badOption: .usage, run: runPause)

    @Sendable static func runPause(_ invocation: Invocation) throws -> Int32 {
        try control(invocation, verb: "pause", notRunning: "Not running") { fs throws(BalanceError) in try fs.pauseBalance() }
    }

    static let cancel = Command(
        "cancel", synopsis: ["<path>"], summary: "Cancel running or paused balance",
        operands: [OperandSpec("path", .path)], help: [], badOption: .usage, run: runCancel)

    @Sendable static func runCancel(_ invocation: Invocation) throws -> Int32 {
        try control(invocation, verb: "cancel", notRunning: "Not in progress") { fs throws(BalanceError) in try fs.cancelBalance() }
    }

    /// cmd_balance_pause / cmd_balance_cancel: 2 when there is no balance, 1 on other errors,
    /// and the multiple-profiles warning either way.
    private static func control(_ invocation: Invocation, verb: String, notRunning: String,
                                _ call: (FileSystem) throws(BalanceError) -> Void) throws -> Int32 {
        let path = invocation.operands[0]
        let context = invocation.context
        let fs = try FileSystem(path: path, requireDirectory: true)
        var status: Int32 = 0
        do {
            try call(fs)
        } catch {
            let reason = error.errno == ENOTCONN ? notRunning : errorText(error)
            context.error("balance \(verb) on '\(path)' failed: \(reason)")
            status = error.errno == ENOTCONN ? 2 : 1
        }
        if let spaces = try? fs.spaceInfo() { FilesystemCommands.warnMultipleProfiles(spaces, context: context) }
        return status
    }

    // MARK: resume

    static let resume = Command(
        "resume", synopsis: ["<path>"], summary: "Resume interrupted balance",
        operands: [OperandSpec("path", .path)], help: [.text("Global options:"), .quiet], badOption: .usage, run: runResume)

    @Sendable static func runResume(_ invocation: Invocation) throws -> Int32 {
        let path = invocation.operands[0]
        let context = invocation.context
        let fs = try FileSystem(path: path, requireDirectory: true)
        do {
            let progress = try fs.resumeBalance()
            context.verbose(Context.logDefault, doneLine(progress))
            return 0
        } catch {
            switch error {
            case .paused, .canceled:
                // progs returns the ioctl's -1 here: exit status 255.
                reportStopped(error.state, context: context)
                return 255
            case .notInProgress:
                context.error("balance resume on '\(path)' failed: Not in progress")
                return 2
            case .alreadyRunning:
                context.error("balance resume on '\(path)' failed: Already running")
                return 1
            case .failed(_, let e, _):
                context.error("error during balancing '\(path)': \(errnoText(e))")
                if e != EPERM && e != EACCES { context.err.line("There may be more info in syslog - try dmesg | tail") }
                return 1
            }
        }
    }

    /// `Done, had to relocate N out of M chunks`.
    static func doneLine(_ progress: BalanceProgress) -> String {
        "Done, had to relocate \(progress.completed) out of \(progress.considered) chunks\n"
    }

    /// A balance that ended on a pause or cancel request says which (both, if both were asked).
    static func reportStopped(_ state: BalanceState, context: Context) {
        guard context.shouldPrint(Context.logDefault) else { return }
        if state.contains(.pauseRequested) { context.err.line("balance paused by user") }
        if state.contains(.cancelRequested) { context.err.line("balance canceled by user") }
    }
}
