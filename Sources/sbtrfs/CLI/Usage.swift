/// Help text exactly as btrfs-progs' common/help.c lays it out, generated from the tree.

/// One entry of progs' usagestr array after the synopsis and summary.
enum UsageEntry: Equatable {
    case text(String)
    case option(label: String, text: String)
    case format
}

enum UsageLayout {
    static let prefixWidth = 4
    static let listingWidth = 8
    static let optionWidth = 24
    static let optionMargin = 2
    static let descPrefix = prefixWidth + optionWidth + optionMargin
    static let descWidth = 99 - descPrefix
}

/// What parts of a command's usage to print (progs' USAGE_* flags).
struct UsageParts: OptionSet {
    let rawValue: Int
    static let short = UsageParts(rawValue: 1)
    static let long = UsageParts(rawValue: 2)
    static let options = UsageParts(rawValue: 4)
    static let listing = UsageParts(rawValue: 8)
}

enum Usage {
    /// The synopsis lines joined as progs writes them in usagestr[0].
    static func synopsis(_ command: Command, path: String) -> String {
        command.synopsis.map { $0.isEmpty ? path : path + " " + $0 }.joined(separator: "\n")
    }

    /// usagestr[2...]: the description, the separator, then the help items expanded.
    static func entries(_ command: Command) -> [UsageEntry] {
        var result = command.description.map { UsageEntry.text($0) }
        let items = command.resolvedHelpItems
        if items.isEmpty { return result }
        result.append(.text(""))
        let allOptions = command.allOptions  // built (unit specs added) on each read
        for item in items {
            switch item {
            case .text(let line): result.append(.text(line))
            case .option(let label, let text): result.append(.option(label: label, text: text))
            case .optionNamed(let id):
                if let spec = allOptions.first(where: { $0.id == id }) {
                    result.append(.option(label: spec.helpLabel, text: spec.help))
                }
            case .units:
                for spec in UnitOptions.helpSpecs(command.units ?? .long) {
                    result.append(.option(label: spec.helpLabel, text: spec.help))
                }
            case .globals: result += [.text(""), .text("Global options:")]
            case .format: result.append(.format)
            case .verbose: result.append(.option(label: "-v|--verbose", text: "increase output verbosity"))
            case .quiet: result.append(.option(label: "-q|--quiet", text: "print only errors"))
            }
        }
        return result
    }

    /// do_usage_one_command. Returns 0, or -2 when there is no summary.
    @discardableResult
    static func writeOne(_ command: Command, path: String, parts: UsageParts, json: Bool,
                         to out: OutputStream) -> Int {
        var pad = UsageLayout.prefixWidth
        if parts.contains(.listing) { out.pad(UsageLayout.prefixWidth) } else { out.write("usage: ") }
        let first = synopsis(command, path: path)
        for byte in first.utf8 {
            out.write(byte: byte)
            if byte == 0x0A {
                out.pad(parts.contains(.listing) ? UsageLayout.prefixWidth : UsageLayout.listingWidth)
            }
        }
        if !parts.contains(.short) { return 0 }
        out.write(byte: 0x0A)
        if parts.contains(.listing) { pad = UsageLayout.listingWidth } else { out.write(byte: 0x0A) }
        out.pad(pad)
        out.line(command.summary)

        let rest = entries(command)
        if rest.isEmpty || !parts.contains(.long) { return 0 }
        var index = 0
        if rest[0] != .text("") { out.write(byte: 0x0A) }
        while index < rest.count, case .text(let line) = rest[index], !line.isEmpty {
            out.pad(pad)
            out.line(line)
            index += 1
        }
        if index >= rest.count || !parts.contains(.options) { return 0 }
        index += 1  // the empty separator line
        out.write(byte: 0x0A)
        while index < rest.count {
            switch rest[index] {
            case .format:
                out.pad(pad)
                let label = "--format TYPE"
                out.write(label)
                out.pad(UsageLayout.optionWidth - label.utf8.count)
                out.write("  where TYPE is: text")
                if json { out.write(", json") }
                out.write(byte: 0x0A)
            case .option(let label, let text):
                out.pad(UsageLayout.prefixWidth)
                out.write(label)
                let optionLength = label.utf8.count - 1  // progs' off-by-one, kept for identical layout
                if optionLength > UsageLayout.optionWidth {
                    out.write(byte: 0x0A)
                    out.pad(UsageLayout.descPrefix)
                } else {
                    out.pad(UsageLayout.optionWidth + UsageLayout.optionMargin - optionLength - 1)
                }
                wrap(text, to: out)
                out.write(byte: 0x0A)
            case .text(let line):
                out.pad(pad)
                out.line(line)
            }
            index += 1
        }
        return 0
    }

    /// format_text: words separated by single spaces (each followed by one), a new line once a
    /// line's letters pass the description width.
    static func wrap(_ text: String, to out: OutputStream) {
        let bytes = Array(text.utf8)
        let space = UInt8(ascii: " ")
        var at = 0
        var letters = 0
        while at < bytes.count {
            while at < bytes.count && bytes[at] == space { at += 1 }
            while at < bytes.count && bytes[at] != space {
                out.write(byte: bytes[at])
                at += 1
                letters += 1
            }
            if letters > UsageLayout.descWidth {
                if at < bytes.count {
                    out.write(byte: 0x0A)
                    at += 1
                    out.pad(UsageLayout.descPrefix)
                }
                letters = 0
            } else {
                out.pad(1)
            }
        }
    }

    /// usage_command: the full usage and a blank line. `json` lists json in the format line;
    /// progs' usage(cmd, 1) passes no flags, so the error form shows only text.
    static func command(_ command: Command, path: String, json: Bool, to out: OutputStream) {
        // progs' commands without a usage array (balance's hidden --full-balance).
        if command.synopsis.isEmpty {
            out.line("No usage for '\(command.name)'")
            return
        }
        writeOne(command, path: path, parts: [.short, .long, .options], json: json, to: out)
        out.write(byte: 0x0A)
    }

    /// usage_command_group: usage lines, the listing of every command, the group's summary.
    static func group(_ group: Group, path: String, full: Bool, to out: OutputStream, context: Context) {
        writeGroupUsageLines(group, path: path, to: out)
        out.write(byte: 0x0A)
        listing(group, path: path, full: full, to: out, context: context)
        out.write(byte: 0x0A)
        out.line(group.summary)
    }

    static func writeGroupUsageLines(_ group: Group, path: String, to out: OutputStream) {
        for (i, line) in group.usage.enumerated() {
            out.write(i == 0 ? "usage: " : "   or: ")
            out.line(path + " " + line)
        }
    }

    /// usage_command_group_internal.
    static func listing(_ group: Group, path: String, full: Bool, to out: OutputStream, context: Context) {
        var separate = false
        for (i, child) in group.children.enumerated() where !child.hidden {
            if full && i > 0 { out.write(byte: 0x0A) }
            switch child {
            case .command(let command):
                if separate {
                    out.write(byte: 0x0A)
                    separate = false
                }
                var parts: UsageParts = [.listing]
                if !command.alias { parts.insert(.short) }
                if full { parts.formUnion([.long, .options]) }
                writeOne(command, path: path + " " + command.name, parts: parts,
                         json: command.supportsJSON, to: out)
                // progs writes this newline with putchar, to stdout whatever the stream.
                if command.alias { context.out.write(byte: 0x0A) }
            case .group(let sub):
                if !full && i > 0 { out.write(byte: 0x0A) }
                listing(sub, path: path + " " + sub.name, full: full, to: out, context: context)
                if !full { separate = true }
            }
        }
    }

    /// usage_command_group_short: what a bare `sbtrfs` prints (listing on stdout, hints on stderr).
    static func groupShort(_ root: Group, context: Context) {
        let out = context.out
        writeGroupUsageLines(root, path: Tool.name, to: out)
        out.write(byte: 0x0A)
        out.line("Command groups:")
        let children = root.children
        for case .group(let group) in children where !group.hidden {
            out.line("  " + cPad(group.name, -16) + "  " + group.summary)
        }
        out.write("\nCommands:\n")
        for case .command(let command) in children where !command.hidden {
            out.line("  " + cPad(command.name, -16) + "  " + command.summary)
        }
        out.write(byte: 0x0A)
        let err = context.err
        err.line("For an overview of a given command use '\(Tool.name) command --help'")
        err.line("or '\(Tool.name) [command...] --help --full' to print all available options.")
        err.line("Any command name can be shortened as far as it stays unambiguous,")
        err.line("however it is recommended to use full command names in scripts.")
        err.line("All command groups have their manual page named '\(Tool.name)-<group>'.")
    }

    /// progs' usage_unknown_option: the command prefix of the synopsis, the offending option and
    /// a hint, on stderr.
    static func unknownOption(_ command: Command, path: String, error: OptionError, to err: OutputStream) {
        let prefix = commandPrefix(synopsis(command, path: path))
        err.write(prefix + ": ")
        if error.optoptIsSet {
            err.write("invalid option '")
            err.write(byte: error.optopt)
            err.line("'")
        } else {
            err.line("unrecognized option '\(error.token)'")
        }
        err.line("Try '\(prefix) --help' for more information")
    }

    /// The synopsis up to the first `<`, `[` or ` -`, less the character before it.
    static func commandPrefix(_ synopsis: String) -> String {
        let bytes = Array(synopsis.utf8)
        var i = 0
        var previous: UInt8 = 0
        while true {
            let c: UInt8 = i < bytes.count ? bytes[i] : 0
            if c == UInt8(ascii: "<") || c == UInt8(ascii: "[") || (previous == UInt8(ascii: " ") && c == UInt8(ascii: "-")) {
                i -= 1
                break
            }
            previous = c
            i += 1
            if c == 0 { break }
        }
        let length = max(0, min(i, bytes.count))
        return String(decoding: bytes[..<length], as: UTF8.self)
    }
}
