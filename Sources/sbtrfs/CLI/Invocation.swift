import Btrfs

/// `--format`: how a command prints.
public enum OutputFormat: String, Sendable {
    case text, json
}

/// State shared by the whole run: the two output streams, the global options, and the name of
/// the command being run as progs' argv0_buf spells it in messages ("sbtrfs filesystem df").
public final class Context {
    public let out: OutputStream
    public let err: OutputStream
    public var format: OutputFormat = .text
    /// progs' bconf.verbose: -1 unset, 0 quiet, 1.. more verbose.
    public var verbosity: Int = Context.verbosityUnset
    public var commandPath: String = Tool.name
    /// The whole tree, for commands that print help.
    public var root: Group

    public static let verbosityUnset = -1
    public static let verbosityQuiet = 0
    public static let logDefault = 1
    public static let logInfo = 2
    public static let logVerbose = 3
    public static let logDebug = 4

    /// `root` is the dispatcher's; a context made elsewhere (tests) gets an empty one until
    /// the dispatcher sets it.
    public init(out: OutputStream, err: OutputStream, root: Group? = nil) {
        self.out = out
        self.err = err
        self.root = root ?? Group(Tool.name, summary: "", entries: [])
    }

    /// A context that keeps everything it prints (tests).
    public static func capturing() -> Context { Context(out: .capture(), err: .capture()) }

    /// progs' should_print: is a message of `level` printed at the current verbosity?
    public func shouldPrint(_ level: Int) -> Bool {
        if verbosity == Context.verbosityQuiet || level == Context.verbosityQuiet { return false }
        if verbosity == Context.verbosityUnset && level == Context.logDefault { return true }
        return verbosity >= level
    }

    /// pr_verbose: `text` on stdout when `level` is printed.
    public func verbose(_ level: Int, _ text: String) {
        if shouldPrint(level) { out.write(text) }
    }

    /// `ERROR: <message>` on stderr (progs' error()).
    public func error(_ message: String) { err.line("ERROR: " + message) }

    /// `WARNING: <message>` on stderr (progs' warning()).
    public func warning(_ message: String) { err.line("WARNING: " + message) }
}

/// One run of a command: its parsed options and operands, and the context to print through.
public struct Invocation {
    public let context: Context
    public let command: Command
    /// Options in command-line order (repeatable options appear once per use).
    public var options: [ParsedOption]
    public var operands: [String]
    /// The unit mode from progs' unit options, for commands that take them.
    public var units: UnitMode

    public var out: OutputStream { context.out }
    public var err: OutputStream { context.err }
    public var format: OutputFormat { context.format }

    /// Was the option (by long name or short letter) given?
    public func has(_ id: String) -> Bool { options.contains { $0.id == id } }

    /// How many times the option was given (`-v -v`).
    public func count(_ id: String) -> Int { options.lazy.filter { $0.id == id }.count }

    /// The last value given for the option.
    public func value(_ id: String) -> String? { options.last { $0.id == id }?.value }

    /// Every value given for a repeatable option, in order.
    public func values(_ id: String) -> [String] { options.compactMap { $0.id == id ? $0.value : nil } }
}

/// Ways a command ends other than returning its status; the dispatcher prints them once.
public enum CommandExit: Error {
    /// A message printed as is (no prefix) on stderr, e.g. progs' argc checks, then the status.
    case message(String, status: Int32)
    /// `ERROR: <text>` on stderr, exit 1.
    case error(String)
    /// The command's full usage on stderr (progs' usage(cmd, 1)), exit 1.
    case usage
    /// Exit with the status; everything was printed already.
    case status(Int32)
}

/// The tool's identity, in one place.
public enum Tool {
    public static let name = "sbtrfs"
    public static let version = "0.1"
    public static var versionString: String { "\(name) v\(version)" }
}
