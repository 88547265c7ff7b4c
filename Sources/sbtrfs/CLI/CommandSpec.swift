/// The command tree as data. Help, `help --full`, completion scripts and man pages are all generated
/// from it, so everything a user can type is declared here, not only in a handler.

/// What a value (of an option or an operand) is, for completion generation and documentation.
public enum ValueKind: Hashable, Sendable {
    case path, file, directory, device, mountPoint, subvolume
    case units, profile, format, treeName, sortKey, number, size, uuid, qgroupID, devid, label
    /// Balance filters (`usage=50,convert=raid1,soft`), as `-d`/`-m`/`-s` of balance start take.
    case balanceFilters
    case string
    case choice([String])
}

/// One option a command takes, as getopt_long sees it: a short letter and/or a long name.
public struct OptionSpec: Hashable, Sendable {
    public var short: Character?
    public var long: String?
    public var takesValue: Bool
    /// The value after `=` only (getopt's optional_argument), e.g. `--foo[=x]`.
    public var valueOptional: Bool
    public var kind: ValueKind?
    /// The placeholder in help, e.g. `profile` in `-d|--data <profile>`.
    public var valueName: String?
    public var help: String
    /// The option column of the help line when progs words it differently from the default.
    public var display: String?
    /// Hidden options are accepted but not listed in help.
    public var hidden: Bool
    /// progs' getopt `val` for a long-only option (its GETOPT_VAL_* number). Only its low byte is
    /// ever seen: progs prints it as the "invalid option" letter when such an option lacks a value.
    public var getoptValue: Int

    public init(_ short: Character? = nil, _ long: String? = nil, value: ValueKind? = nil,
                valueName: String? = nil, optionalValue: Bool = false, help: String,
                display: String? = nil, hidden: Bool = false, getoptValue: Int = 256) {
        self.short = short
        self.long = long
        self.takesValue = value != nil && !optionalValue
        self.valueOptional = optionalValue
        self.kind = value
        self.valueName = valueName
        self.help = help
        self.display = display
        self.hidden = hidden
        self.getoptValue = getoptValue
    }

    /// getopt's optopt for this option: its letter, else the low byte of its `val`.
    public var getoptByte: UInt8 { short?.asciiValue ?? UInt8(truncatingIfNeeded: getoptValue) }

    /// Is getopt's optopt for this option non-zero (a letter, or any `val` but 0)?
    public var hasGetoptValue: Bool { short != nil || getoptValue != 0 }

    /// The name a handler asks by: the long name, else the short letter.
    public var id: String { long ?? short.map { String($0) } ?? "" }

    /// The option column as progs' OPTLINE shows it: `-s|--long <value>`.
    public var helpLabel: String {
        if let display { return display }
        var names: [String] = []
        if let short { names.append("-\(short)") }
        if let long { names.append("--\(long)") }
        var label = names.joined(separator: "|")
        if let valueName {
            label += valueOptional ? "[=\(valueName)]" : " <\(valueName)>"
        }
        return label
    }
}

/// One positional argument.
public struct OperandSpec: Hashable, Sendable {
    public var name: String
    public var kind: ValueKind
    public var optional: Bool
    public var repeating: Bool

    public init(_ name: String, _ kind: ValueKind, optional: Bool = false, repeating: Bool = false) {
        self.name = name
        self.kind = kind
        self.optional = optional
        self.repeating = repeating
    }
}

/// Which of progs' unit options a command takes (get_unit_mode_from_arg, stripped before getopt).
public enum UnitOptionStyle: Sendable {
    /// `--raw`, `--human-readable`, `--iec`, `--si`, `--kbytes`..`--tbytes` (HELPINFO_UNITS_LONG).
    case long
    /// The above plus `-b -h -H -k -m -g -t` (df mode, HELPINFO_UNITS_SHORT_LONG).
    case shortAndLong
}

/// One line of a command's help after the blank line that follows the description.
public enum HelpItem: Hashable, Sendable {
    /// A line printed as is (indented).
    case text(String)
    /// OPTLINE(label, text): label in a 24-column field, text wrapped as progs' format_text.
    case option(String, String)
    /// The help line of the command's option with this id (long name or short letter).
    case optionNamed(String)
    /// The unit options block of the command's style.
    case units
    /// HELPINFO_INSERT_GLOBALS: a blank line and `Global options:`.
    case globals
    /// HELPINFO_INSERT_FORMAT: `--format TYPE  where TYPE is: text[, json]`.
    case format
    /// HELPINFO_INSERT_VERBOSE / HELPINFO_INSERT_QUIET.
    case verbose, quiet
}

/// What a command does with an option getopt does not know.
public enum BadOptionStyle: Sendable {
    /// usage_unknown_option: `<cmd>: unrecognized option '--x'` + `Try '<cmd> --help' ...`.
    case hint
    /// usage(cmd, 1) as clean_args_no_options does: the full usage on stderr.
    case usage
}

public typealias CommandHandler = @Sendable (Invocation) throws -> Int32
public typealias GroupIntercept = @Sendable (_ arguments: [String], _ context: Context) throws -> Int32?

/// A leaf of the tree: one thing the user can run.
public struct Command: Sendable {
    public var name: String
    /// Usage lines after the command path (`[options] <path>`); several lines are shown one per line.
    public var synopsis: [String]
    /// The one-line description (usagestr[1]).
    public var summary: String
    /// Optional long description lines (usagestr[2..m]).
    public var description: [String]
    public var options: [OptionSpec]
    public var units: UnitOptionStyle?
    public var operands: [OperandSpec]
    /// The help lines after the description; nil derives them: units, options, then the
    /// global format block when the command supports JSON.
    public var helpItems: [HelpItem]?
    public var supportsJSON: Bool
    public var hidden: Bool
    public var alias: Bool
    public var badOption: BadOptionStyle
    /// Check the operand count against `operands` (check_argc_exact/min/max) before running.
    public var checksOperandCount: Bool
    /// Options may follow operands (getopt's default permuting). progs commands get this only
    /// when they reset `optind = 0`; the others inherit the global parse's `+` (options end at the
    /// first operand: `btrfs fi df /mnt --raw` sees two operands). Set it where progs resets.
    public var permutesOperands: Bool
    /// The handler reads its arguments itself (progs' help and version call no getopt):
    /// no unit stripping, no option parsing, no count check; everything arrives as operands.
    public var rawArguments: Bool
    public var run: CommandHandler

    public init(_ name: String, synopsis: [String], summary: String, description: [String] = [],
                options: [OptionSpec] = [], units: UnitOptionStyle? = nil, operands: [OperandSpec] = [],
                help: [HelpItem]? = nil, supportsJSON: Bool = false, hidden: Bool = false,
                alias: Bool = false, badOption: BadOptionStyle = .hint, checksOperandCount: Bool = true,
                permutesOperands: Bool = false, rawArguments: Bool = false, run: @escaping CommandHandler) {
        self.name = name
        self.synopsis = synopsis
        self.summary = summary
        self.description = description
        self.options = options
        self.units = units
        self.operands = operands
        self.helpItems = help
        self.supportsJSON = supportsJSON
        self.hidden = hidden
        self.alias = alias
        self.badOption = badOption
        self.checksOperandCount = checksOperandCount
        self.permutesOperands = permutesOperands
        self.rawArguments = rawArguments
        self.run = run
    }

    /// The help lines, derived when not given.
    public var resolvedHelpItems: [HelpItem] {
        if let helpItems { return helpItems }
        var items: [HelpItem] = []
        if units != nil { items.append(.units) }
        items += options.filter { !$0.hidden }.map { .optionNamed($0.id) }
        if supportsJSON { items += [.globals, .format] }
        return items
    }

    /// Every option the user can type, unit options included (for completion and man pages).
    public var allOptions: [OptionSpec] {
        guard let units else { return options }
        return UnitOptions.helpSpecs(units) + options
    }
}

/// An inner node: a command group, as progs' cmd_group with its token.
public struct Group: Sendable {
    public var name: String
    /// The group's one-line summary (progs' infostr).
    public var summary: String
    /// Usage lines after the group path (`<command> [<args>]`).
    public var usage: [String]
    /// The children by name, each built only when asked for: a run builds the nodes on its path
    /// and nothing beside it (building every command of the tree cost `fi df` a tenth of its
    /// start-up, its siblings another tenth; Docs/PERFORMANCE.md).
    public var entries: [Child] { buildEntries() }
    /// Every child, built.
    public var children: [Node] { entries.map { $0.node } }
    private let buildEntries: @Sendable () -> [Child]
    public var hidden: Bool
    /// Runs before the group resolves its next token, with the arguments after the group's name;
    /// a status ends the run, nil goes on as usual. For progs groups with a handler of their own
    /// (cmd_balance takes the old `btrfs balance <path>`).
    public var intercept: GroupIntercept?

    /// A group whose children are named beside their builders (the tool's tree).
    public init(_ name: String, summary: String, usage: [String] = ["<command> [<args>]"],
                hidden: Bool = false, intercept: GroupIntercept? = nil,
                entries: @autoclosure @escaping @Sendable () -> [Child]) {
        self.name = name
        self.summary = summary
        self.usage = usage
        self.hidden = hidden
        self.intercept = intercept
        self.buildEntries = entries
    }

    /// A group of nodes built together (small trees in tests).
    public init(_ name: String, summary: String, usage: [String] = ["<command> [<args>]"],
                hidden: Bool = false, intercept: GroupIntercept? = nil,
                children: @autoclosure @escaping @Sendable () -> [Node]) {
        self.init(name, summary: summary, usage: usage, hidden: hidden, intercept: intercept,
                  entries: children().map { node in Child(node.name) { node } })
    }
}

/// A group's child before it is built: its name (all a token needs to resolve) and its builder.
/// The name must be the built node's own (a test walks the tree to check).
public struct Child: Sendable {
    public let name: String
    private let build: @Sendable () -> Node

    public init(_ name: String, _ build: @escaping @Sendable () -> Node) {
        self.name = name
        self.build = build
    }

    public var node: Node { build() }

    public static func command(_ name: String, _ command: @autoclosure @escaping @Sendable () -> Command) -> Child {
        Child(name) { .command(command()) }
    }

    public static func group(_ name: String, _ group: @autoclosure @escaping @Sendable () -> Group) -> Child {
        Child(name) { .group(group()) }
    }
}

/// A child of a group.
public enum Node: Sendable {
    case group(Group)
    case command(Command)

    public var name: String {
        switch self {
        case .group(let g): return g.name
        case .command(let c): return c.name
        }
    }

    public var hidden: Bool {
        switch self {
        case .group(let g): return g.hidden
        case .command(let c): return c.hidden
        }
    }
}
