#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Btrfs
import CStartup

/// Ends the process with `status` (the dispatcher has flushed the output by then). The tool
/// prints only through its OutputStreams, never stdio, so exit(3)'s cleanup (stdio's buffers, the
/// destructors of the runtime's globals) would only fault in pages nothing else touched: 2 of
/// `fi df`'s 63 page faults.
func exitProcess(_ status: Int32) -> Never {
    _exit(status)
}

/// The way from argv to a handler, after btrfs-progs' btrfs.c: global options, then one token per
/// level (exact name, else unique prefix), `--help` right after a token, the output format check,
/// then the command's own options and operands.
public struct Dispatcher {
    public let root: Group
    /// Resolve, parse and check every argument, but run no handler and no group intercept (so
    /// `balance PATH`, which the intercept runs, is an unknown token here): the command line's
    /// whole parse without touching a filesystem (Fuzz/Targets/dispatcher.swift).
    public var parseOnly = false

    public init(root: Group) { self.root = root }

    /// argv as the process got it, decoded losslessly (`CommandLine.arguments` would replace
    /// bytes that are not UTF-8 with U+FFFD, and the path would no longer be the user's). It is
    /// the C entry point's argv (CStartup): the runtime's own lookup needs /proc and a free file
    /// descriptor, and without them gave no arguments at all.
    public static func commandLine() -> [String] {
        if let argv = sb_startup_argv() {
            return (0..<Int(max(0, sb_startup_argc()))).map { argv[$0].map { String(pathCString: $0) } ?? "" }
        }
        return (0..<Int(CommandLine.argc)).map { index in
            CommandLine.unsafeArgv[index].map { String(pathCString: $0) } ?? ""
        }
    }

    /// Runs argv (program name first) printing to fds 1 and 2; returns the exit status.
    public func run(_ argv: [String]) -> Int32 {
        Dispatcher.holdClosedStandardDescriptors()
        let out = OutputStream(fd: 1)
        let err = OutputStream(fd: 2)
        // As progs' stdio: stderr unbuffered (here: per line); stdout line-buffered on a terminal
        // (here: flushed before stderr writes, so the two stay in order), else written at exit
        // (after stderr, as `2>&1` into a file shows for progs).
        err.lineBuffered = true
        if isatty(1) == 1 { err.flushesFirst = out }
        let context = Context(out: out, err: err, root: root)
        out.onFailure = { code in Dispatcher.outputFailed(code, context: context) }
        let status = run(argv, context: context)
        err.flush()
        out.flush()
        // close(2) is where some filesystems (NFS, FUSE) report a failed write first.
        if case .failure(let e) = SystemCall.value(retryOnInterrupt: false, { close(1) }), e.rawValue != EINTR {
            Dispatcher.outputFailed(e.rawValue, context: context)
        }
        return status
    }

    /// Output that cannot be written ends the command at once: one line on stderr, status 1, the
    /// same whether the write said ENOSPC, EBADF, EIO or EPIPE (SIGPIPE ignored, as under
    /// systemd; with its default the signal ends the process silently first). Docs/CLI.md.
    static func outputFailed(_ code: Int32, context: Context) -> Never {
        context.error("cannot write to standard output: \(errnoText(code))")
        context.err.flush()
        exitProcess(1)
    }

    /// With stdout or stderr closed (`>&-`), the next open(2) would get its number and the
    /// output would land in whatever the command opened. /dev/null opened read-only holds the
    /// number instead: a write to it fails with EBADF, as to the closed descriptor, and is reported.
    static func holdClosedStandardDescriptors() {
        for fd: Int32 in 0...2 {
            guard case .failure(SystemError(EBADF)) = SystemCall.value({ fcntl(fd, F_GETFD) }) else { continue }
            if case .success(let held) = SystemCall.open("/dev/null", O_RDONLY), held != fd {
                _ = dup2(held, fd)
                close(held)
            }
        }
    }

    /// Runs argv with the given context (tests pass a capturing one).
    public func run(_ argv: [String], context: Context) -> Int32 {
        context.root = root
        do {
            return try execute(argv, context: context)
        } catch {
            return report(error, command: nil, path: Tool.name, context: context)
        }
    }

    // MARK: - Global options

    static let globalOptions: [OptionSpec] = [
        OptionSpec(nil, "help", help: "print condensed help for all subcommands"),
        OptionSpec(nil, "version", help: "print version string"),
        OptionSpec(nil, "format", value: .choice(["text", "json"]), valueName: "format",
                   help: "if supported, print subcommand output in that format (text, json)"),
        OptionSpec(nil, "full", help: "with --help, print the full usage of every command"),
        OptionSpec("v", "verbose", help: "increase verbosity of the subcommand"),
        OptionSpec("q", "quiet", help: "print only errors"),
        OptionSpec(nil, "log", value: .choice(["default", "info", "verbose", "debug", "quiet"]),
                   valueName: "level", help: "set log level (default, info, verbose, debug, quiet)"),
    ]

    private func execute(_ argv: [String], context: Context) throws -> Int32 {
        let program = argv.first ?? Tool.name
        let arguments = Array(argv.dropFirst())
        let parser = OptionParser(Dispatcher.globalOptions, stopAtFirstOperand: true)
        let (parsed, failure) = parser.scan(arguments, previous: program)
        for option in parsed.options {
            switch option.id {
            case "format": try setFormat(option.value ?? "", context: context)
            case "log": try setLogLevel(option.value ?? "", context: context)
            case "verbose": beVerbose(context)
            case "quiet": context.verbosity = Context.verbosityQuiet
            default: break
            }
        }
        if let failure {
            context.err.line("Unknown global option: \(failure.token)")
            return 129
        }
        let globals = [program] + arguments.prefix(parsed.consumed)
        if let status = handleSpecialGlobals(globals, argv: argv, context: context) { return status }
        let rest = Array(arguments.dropFirst(parsed.consumed))
        if rest.isEmpty {
            Usage.groupShort(root, context: context)
            return 1
        }
        return enter(root, path: Tool.name, arguments: rest, level: 0, context: context)
    }

    /// handle_output_format: a case-insensitive name, else progs' two-part message and exit 1.
    private func setFormat(_ name: String, context: Context) throws {
        if let format = OutputFormat(rawValue: asciiLowercased(name)) {
            context.format = format
            return
        }
        context.format = .text
        context.err.write("error: invalid output format \"\(name)\"\n\n")
        context.err.line("Options for --format are: text, json")
        throw CommandExit.status(1)
    }

    private func setLogLevel(_ level: String, context: Context) throws {
        switch asciiLowercased(level) {
        case "default": context.verbosity = Context.logDefault
        case "info": context.verbosity = Context.logInfo
        case "verbose": context.verbosity = Context.logVerbose
        case "debug": context.verbosity = Context.logDebug
        case "quiet": context.verbosity = Context.verbosityQuiet
        default:
            context.error("unrecognized log level: \(level)")
            throw CommandExit.status(1)
        }
    }

    /// strcasecmp folds ASCII letters only.
    private func asciiLowercased(_ text: String) -> String {
        String(decoding: text.utf8.map { (0x41...0x5A).contains($0) ? $0 | 0x20 : $0 }, as: UTF8.self)
    }

    private func beVerbose(_ context: Context) {
        context.verbosity = context.verbosity == Context.verbosityUnset ? 1 : context.verbosity + 1
    }

    /// handle_special_globals: progs matches these by exact spelling among the global arguments,
    /// so an abbreviated `--hel` is accepted by getopt but does nothing here.
    private func handleSpecialGlobals(_ globals: [String], argv: [String], context: Context) -> Int32? {
        if globals.contains("--help") {
            if globals.contains("--full") {
                Usage.group(root, path: Tool.name, full: true, to: context.out, context: context)
            } else {
                if let status = Help.show(argv, context: context) { return status }
            }
            context.out.line("Options for --format are: text, json")
            return 0
        }
        if globals.contains("--version") {
            context.out.line(Tool.versionString)
            return 0
        }
        for argument in globals where argument == "--verbose" { beVerbose(context) }
        if globals.contains("--quiet") { context.verbosity = Context.verbosityQuiet }
        return nil
    }

    // MARK: - Tokens

    /// How a token resolves among a group's children.
    public enum Resolution {
        case found(Node)
        case unknown
        case ambiguous
    }

    /// parse_one_token: an exact name wins wherever it is; one prefix match resolves; two are
    /// ambiguous.
    /// Only the child found is built.
    public static func resolve(_ token: String, in group: Group) -> Resolution {
        var abbreviation: Child? = nil
        var ambiguous = false
        for child in group.entries {
            if child.name == token { return .found(child.node) }
            if isPrefix(token, of: child.name) {
                if abbreviation != nil { ambiguous = true }
                abbreviation = child
            }
        }
        if ambiguous { return .ambiguous }
        if let abbreviation { return .found(abbreviation.node) }
        return .unknown
    }

    /// progs' strncmp over the token's length: bytes, not characters (String.hasPrefix compares
    /// grapheme clusters, through code `fi df` would otherwise page in for this alone).
    static func isPrefix(_ token: String, of name: String) -> Bool {
        name.utf8.starts(with: token.utf8)
    }

    /// One level: resolve arguments[0] in `group` and go on with what it names.
    private func enter(_ group: Group, path: String, arguments: [String], level: Int,
                       context: Context) -> Int32 {
        guard let token = arguments.first else {
            Usage.group(group, path: path, full: false, to: context.out, context: context)
            return 1
        }
        let node: Node
        switch Dispatcher.resolve(token, in: group) {
        case .found(let found): node = found
        case .unknown:
            context.err.line("\(path): unknown token '\(token)'")
            Usage.group(group, path: path, full: false, to: context.err, context: context)
            return 1
        case .ambiguous:
            context.err.line("\(path): ambiguous token '\(token)'")
            context.err.write("\nDid you mean one of these ?\n")
            // progs lists every prefix match, hidden ones too.
            for child in group.entries where Dispatcher.isPrefix(token, of: child.name) {
                context.err.line("\t" + child.name)
            }
            return 1
        }
        let childPath = path + " " + node.name
        // handle_help_options_next_level
        if arguments.count > 1 && arguments[1] == "--help" {
            switch node {
            case .group(let sub):
                let full = arguments.count > 2 && arguments[2] == "--full"
                Usage.group(sub, path: childPath, full: full, to: context.out, context: context)
            case .command(let command):
                Usage.command(command, path: childPath, json: command.supportsJSON, to: context.out)
            }
            return 0
        }
        // check_output_format: progs checks leaves below the top level only.
        if level > 0, case .command(let command) = node, context.format == .json, !command.supportsJSON {
            context.error("output format json is unsupported for this command")
            return 1
        }
        context.commandPath = childPath
        let rest = Array(arguments.dropFirst())
        switch node {
        case .group(let sub):
            if let intercept = sub.intercept, !parseOnly {
                do {
                    if let status = try intercept(rest, context) { return status }
                } catch {
                    return report(error, command: nil, path: childPath, context: context)
                }
            }
            return enter(sub, path: childPath, arguments: rest, level: level + 1, context: context)
        case .command(let command):
            return execute(command, path: childPath, arguments: rest, context: context)
        }
    }

    /// Runs `arguments` as if they followed `path` naming `group`: progs' `device replace` alias
    /// hands its arguments to the top-level replace group this way (messages then name `path`).
    public static func delegate(to group: Group, path: String, arguments: [String], context: Context) -> Int32 {
        context.commandPath = path
        return Dispatcher(root: context.root).enter(group, path: path, arguments: arguments, level: 1, context: context)
    }

    // MARK: - Running a command

    /// Parses a command's arguments as progs' handlers do and runs it; errors are printed here, once.
    func execute(_ command: Command, path: String, arguments: [String], context: Context) -> Int32 {
        do {
            let invocation = try prepare(command, path: path, arguments: arguments, context: context)
            if parseOnly { return 0 }
            return try command.run(invocation)
        } catch {
            return report(error, command: command, path: path, context: context)
        }
    }

    /// The invocation a command's handler gets: unit options stripped, options parsed,
    /// operand count checked.
    func prepare(_ command: Command, path: String, arguments: [String],
                 context: Context) throws -> Invocation {
        var arguments = arguments
        if command.rawArguments {
            return Invocation(context: context, command: command, options: [], operands: arguments,
                              units: .default)
        }
        var units = UnitMode.default
        if let style = command.units { units = UnitMode.take(from: &arguments, dfMode: style.dfMode) }
        let parser = OptionParser(command.options, stopAtFirstOperand: !command.permutesOperands)
        let parsed: OptionParser.Result
        do {
            parsed = try parser.parse(arguments, previous: path)
        } catch {
            switch command.badOption {
            case .usage: throw CommandExit.usage
            case .hint:
                Usage.unknownOption(command, path: path, error: error, to: context.err)
                throw CommandExit.status(1)
            }
        }
        let invocation = Invocation(context: context, command: command, options: parsed.options,
                                    operands: parsed.operands, units: units)
        if command.checksOperandCount { try invocation.checkOperandCount() }
        return invocation
    }

    private func report(_ error: any Error, command: Command?, path: String, context: Context) -> Int32 {
        switch error {
        case let exit as CommandExit:
            switch exit {
            case .status(let status): return status
            case .message(let text, let status):
                context.err.line(text)
                return status
            case .error(let text):
                context.error(text)
                return 1
            case .usage:
                if let command { Usage.command(command, path: path, json: false, to: context.err) }
                return 1
            }
        case let failure as BtrfsError:
            context.error(failure.description)
            return 1
        default:
            context.error("\(error)")
            return 1
        }
    }
}

extension Invocation {
    /// The operand count the command's operand specs allow, checked with progs' messages.
    func checkOperandCount() throws {
        let required = command.operands.filter { !$0.optional }.count
        let unbounded = command.operands.contains { $0.repeating }
        if !unbounded && required == command.operands.count {
            try checkArgcExact(required)
            return
        }
        try checkArgcMin(required)
        if !unbounded { try checkArgcMax(command.operands.count) }
    }

    /// check_argc_exact: `<cmd>: exactly N argument(s) expected, M given`.
    public func checkArgcExact(_ expected: Int) throws {
        guard operands.count != expected else { return }
        let plural = expected > 1 ? "s" : ""
        throw CommandExit.message(
            "\(context.commandPath): exactly \(expected) argument\(plural) expected, \(operands.count) given",
            status: 1)
    }

    /// check_argc_min: `<cmd>: not enough arguments: M but at least N expected`.
    public func checkArgcMin(_ expected: Int) throws {
        guard operands.count < expected else { return }
        throw CommandExit.message(
            "\(context.commandPath): not enough arguments: \(operands.count) but at least \(expected) expected",
            status: 1)
    }

    /// check_argc_max: `<cmd>: too many arguments: M but at most N expected`.
    public func checkArgcMax(_ expected: Int) throws {
        guard operands.count > expected else { return }
        throw CommandExit.message(
            "\(context.commandPath): too many arguments: \(operands.count) but at most \(expected) expected",
            status: 1)
    }
}
