import Btrfs

/// The command tree flattened for the script generators: every group with the names its tokens
/// resolve among, every command with its options and operands, and one value action per
/// `ValueKind`. The three shells' scripts are written from this, so they agree with each other
/// and with the dispatcher.
struct CompletionModel {
    struct GroupEntry {
        /// Token path from the root ("" for the root, "filesystem", "inspect-internal" …).
        var path: String
        /// Every child name, hidden ones too: the dispatcher resolves prefixes among all of them.
        var names: [String]
        /// What is offered: the visible children with their summaries.
        var shown: [(name: String, summary: String)]
    }

    struct OptionEntry {
        var short: Character?
        var long: String?
        /// `.none`: a flag; `.required`: `-x v`, `-xv`, `--long v`, `--long=v`; `.optional`:
        /// only attached (`-xv`, `--long=v`).
        var value: ValueMode
        var action: ValueAction
        var help: String
        /// Accepted but not offered (hidden in help too); still known when reading the line.
        var hidden: Bool
    }

    enum ValueMode { case none, required, optional }

    struct CommandEntry {
        var path: String
        var options: [OptionEntry]
        /// One action per operand position; the last repeats when `repeating`.
        var operands: [ValueAction]
        var operandNames: [String]
        var repeating: Bool
        var permutes: Bool
    }

    var groups: [GroupEntry] = []
    var commands: [CommandEntry] = []
    var globals: [OptionEntry]
    /// Every action some option or operand uses, each once, in a stable order (for helper
    /// functions); the scripts look actions up here, so it is worked out once.
    private(set) var actionsUsed: [ValueAction] = []

    init(root: Group, globals: [OptionSpec] = Dispatcher.globalOptions) {
        self.globals = globals.map(CompletionModel.entry)
        add(root, path: [])
        let all = self.globals.map(\.action) + commands.flatMap { $0.options.map(\.action) + $0.operands }
        for action in all where !actionsUsed.contains(action) { actionsUsed.append(action) }
    }

    private mutating func add(_ group: Group, path: [String]) {
        let children = group.children  // built anew on every read
        groups.append(GroupEntry(
            path: path.joined(separator: " "), names: children.map(\.name),
            shown: children.filter { !$0.hidden }.map { child in
                switch child {
                case .group(let sub): return (sub.name, sub.summary)
                case .command(let command): return (command.name, command.summary)
                }
            }))
        for child in children {
            switch child {
            case .group(let sub): add(sub, path: path + [sub.name])
            case .command(let command): commands.append(CompletionModel.entry(command, path: path + [command.name]))
            }
        }
    }

    static func entry(_ command: Command, path: [String]) -> CommandEntry {
        CommandEntry(path: path.joined(separator: " "),
                     options: command.allOptions.map(entry), operands: command.operands.map(operandAction),
                     operandNames: command.operands.map(\.name),
                     repeating: command.operands.last?.repeating ?? false,
                     permutes: command.permutesOperands)
    }

    /// An operand that takes one of several things says so in its name, as progs' usage does
    /// (`path|device`, `path|uuid|device|label`): offer what each alternative names.
    static func operandAction(_ operand: OperandSpec) -> ValueAction {
        let alternatives = operand.name.split(separator: "|")
        guard alternatives.count > 1 else { return ValueAction(operand.kind) }
        let named: [Substring: ValueAction] = ["path": .btrfsPath, "device": .device, "uuid": .uuid,
                                               "label": .label, "mountpoint": .mountPoint]
        let parts = alternatives.compactMap { named[$0] }
        if parts.isEmpty { return ValueAction(operand.kind) }
        return parts.count == 1 ? parts[0] : .either(parts)
    }

    static func entry(_ spec: OptionSpec) -> OptionEntry {
        OptionEntry(short: spec.short, long: spec.long,
                    value: spec.valueOptional ? .optional : spec.takesValue ? .required : .none,
                    action: spec.kind.map(ValueAction.init) ?? .none, help: spec.help, hidden: spec.hidden)
    }
}

/// What a shell offers for a value: a word list, or something looked up when completing.
enum ValueAction: Hashable {
    /// Nothing to offer (numbers, sizes, free text).
    case none
    case words([String])
    /// `--sort=` keys: comma separated, each with an optional `+`/`-`.
    case sortKeys([String])
    /// Balance filters `usage=`, `convert=<profile>` …, comma separated.
    case filters
    /// Mounted btrfs paths, and directories (any path inside a btrfs).
    case btrfsPath
    /// Mounted btrfs paths only.
    case mountPoint
    case directory
    case file
    /// Block devices.
    case device
    /// UUIDs and labels of the btrfs filesystems this machine knows (/sys/fs/btrfs).
    case uuid
    case label
    /// Any of these (each a lookup, not a word list).
    indirect case either([ValueAction])

    init(_ kind: ValueKind) {
        switch kind {
        case .path: self = .btrfsPath
        case .mountPoint: self = .mountPoint
        case .directory, .subvolume: self = .directory
        case .file: self = .file
        case .device: self = .device
        case .uuid: self = .uuid
        case .label: self = .label
        case .profile: self = .words(ValueWords.profiles)
        case .format: self = .words(ValueWords.formats)
        case .treeName: self = .words(ValueWords.trees)
        case .sortKey: self = .sortKeys(ValueWords.subvolumeSortKeys)
        case .balanceFilters: self = .filters
        case .choice(let words): self = .words(words)
        case .units, .number, .size, .qgroupID, .devid, .string: self = .none
        }
    }

    /// A name for the action usable in shell function names.
    var name: String {
        switch self {
        case .none: return "none"
        case .words(let words): return "words_" + words.joined(separator: "_")
        case .sortKeys: return "sort"
        case .filters: return "filters"
        case .btrfsPath: return "path"
        case .mountPoint: return "mount"
        case .directory: return "dir"
        case .file: return "file"
        case .device: return "device"
        case .uuid: return "uuid"
        case .label: return "label"
        case .either(let parts): return parts.map(\.name).joined(separator: "+")
        }
    }
}

/// The words offered for value kinds that have a fixed set.
enum ValueWords {
    /// Block group profiles as mkfs and balance take them (progs' btrfs_raid_array, lower case).
    static var profiles: [String] { ProfileNames.lowerNames }
    static let formats = ["text", "json"]
    /// python-btrfs' parse_tree_name table (a number is accepted too).
    static var trees: [String] { ObjectID.treeNames.map(\.name) }
    /// progs' `subvolume list --sort` keys.
    static let subvolumeSortKeys = ["gen", "ogen", "rootid", "path"]
    /// progs' balance filters (cmds/balance.c parse_filters); `convert=` takes a profile.
    static let balanceFilters = ["profiles=", "usage=", "devid=", "drange=", "vrange=", "convert=",
                                 "soft", "limit=", "stripes="]
}
