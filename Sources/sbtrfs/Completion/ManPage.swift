/// Manual page sources in scdoc, from the tree: `sbtrfs(8)` (global options, groups, top-level
/// commands) and one `sbtrfs-<group>(8)` per top-level group with a section per command
/// (synopsis, summary, description, options). A line `@PROSE@` marks where the build inserts
/// the hand-written part from Docs/man/<page>.scd. Hidden commands are left out, as in help.
enum ManPage {
    struct Page {
        var name: String
        var source: String
    }

    static func pages(_ root: Group) -> [Page] {
        var pages = [Page(name: Tool.name, source: rootPage(root))]
        for child in root.children where !child.hidden {
            switch child {
            case .group(let group):
                pages.append(Page(name: "\(Tool.name)-\(group.name)", source: groupPage(group)))
            case .command(let command) where hasOwnPage(command):
                pages.append(Page(name: "\(Tool.name)-\(command.name)", source: commandPage(command)))
            case .command: break
            }
        }
        return pages
    }

    /// Top-level commands get a page of their own, as btrfs-progs' btrfs-send(8) and
    /// btrfs-receive(8); help and version stay on sbtrfs(8), as in progs.
    static func hasOwnPage(_ command: Command) -> Bool { command.name != "help" && command.name != "version" }

    static func rootPage(_ root: Group) -> String {
        var s = ShellText()
        header(Tool.name, summary: "a btrfs-progs style tool for btrfs filesystems, in Swift", &s)
        s.line("*\(Tool.name)* [<global options>] <group> [<group>...] <command> [<args>]")
        s.line()
        s.line("@PROSE@")
        s.line()
        s.line("# GLOBAL OPTIONS")
        s.line()
        for option in Dispatcher.globalOptions { optionEntry(option, &s) }
        s.line("# COMMAND GROUPS")
        s.line()
        let children = root.children  // built anew on every read
        let groups = children.compactMap { child -> Group? in
            if case .group(let group) = child, !group.hidden { return group }
            return nil
        }
        for group in groups {
            s.line("*\(group.name)*")
            s.line("\t\(escape(group.summary)); see *\(Tool.name)-\(group.name)*(8).")
            s.line()
        }
        let paged = children.compactMap { child -> Command? in
            if case .command(let command) = child, !command.hidden, hasOwnPage(command) { return command }
            return nil
        }
        for command in paged {
            s.line("*\(command.name)*")
            s.line("\t\(escape(command.summary)) See *\(Tool.name)-\(command.name)*(8).")
            s.line()
        }
        s.line("Any group or command name can be shortened as far as it stays unambiguous: "
               + "*\(Tool.name) fi df* is *\(Tool.name) filesystem df*.")
        s.line()
        s.line("# COMMANDS")
        s.line()
        for case .command(let command) in children where !command.hidden && !hasOwnPage(command) {
            commandSection(command, path: Tool.name + " " + command.name, &s)
        }
        s.line("# EXIT STATUS")
        s.line()
        s.line("0 on success, 1 on an error or a usage error, 129 for an unknown global option.")
        s.line()
        seeAlso((groups.map(\.name) + paged.map(\.name)).map { "*\(Tool.name)-\($0)*(8)" } + ["*btrfs*(8)"], &s)
        return s.result
    }

    static func groupPage(_ group: Group) -> String {
        var s = ShellText()
        let name = "\(Tool.name)-\(group.name)"
        header(name, summary: group.summary, &s)
        for line in group.usage {
            s.line("*\(Tool.name) \(group.name)* \(escape(line))")
            s.line()
        }
        s.line("@PROSE@")
        s.line()
        s.line("# COMMANDS")
        s.line()
        commands(group, path: "\(Tool.name) \(group.name)", &s)
        seeAlso(["*\(Tool.name)*(8)"], &s)
        return s.result
    }

    /// A top-level command's own page: its section under COMMANDS, the prose before it.
    static func commandPage(_ command: Command) -> String {
        var s = ShellText()
        let path = "\(Tool.name) \(command.name)"
        header("\(Tool.name)-\(command.name)", summary: command.summary, &s)
        for line in command.synopsis {
            s.line("*\(path)*" + (line.isEmpty ? "" : " " + escape(line)))
            s.line()
        }
        s.line("@PROSE@")
        s.line()
        s.line("# COMMANDS")
        s.line()
        commandSection(command, path: path, &s)
        seeAlso(["*\(Tool.name)*(8)"], &s)
        return s.result
    }

    /// Every visible command below `group`, depth first, as `help --full` lists them.
    static func commands(_ group: Group, path: String, _ s: inout ShellText) {
        for child in group.children where !child.hidden {
            switch child {
            case .command(let command): commandSection(command, path: path + " " + command.name, &s)
            case .group(let sub): commands(sub, path: path + " " + sub.name, &s)
            }
        }
    }

    /// `## sbtrfs filesystem df`, the synopsis, the summary, then what `--help` shows after it (the
    /// description, option lines and their headings, in the same order and words), then any
    /// visible option the help does not list.
    static func commandSection(_ command: Command, path: String, _ s: inout ShellText) {
        s.line("## \(path)")
        s.line()
        for line in command.synopsis {
            s.line("*\(path)*" + (line.isEmpty ? "" : " " + escape(line)))
            s.line()
        }
        s.line(escape(command.summary) + (command.summary.hasSuffix(".") ? "" : "."))
        s.line()
        var paragraph = false
        func endParagraph() {
            if paragraph { s.text("\n\n") }
            paragraph = false
        }
        let entries = Usage.entries(command)
        for entry in entries {
            switch entry {
            case .text(let line):
                let text = line.trimmingPrefix(while: { $0 == " " })
                if text.isEmpty { endParagraph() } else {
                    // Help's lines stay lines: scdoc's `++` ends a line inside a paragraph.
                    if paragraph { s.text(" ++\n") }
                    s.text(escape(String(text)))
                    paragraph = true
                }
            case .option(let label, let text):
                endParagraph()
                // progs' label may leave out a spelling getopt takes (-d[filters] is also --data=…).
                let spec = command.allOptions.first { $0.helpLabel == label }
                let missing = [spec?.short.map { "-\($0)" }, spec?.long.map { "--\($0)" }].compactMap { $0 }
                    .filter { !label.contains($0) }
                s.line((["*" + escape(label) + "*"] + missing.map { "*" + escape($0) + "*" }).joined(separator: ", "))
                s.line("\t" + escape(text))
                s.line()
            case .format:
                endParagraph()
                s.line("*--format* <type>")
                s.line("\t" + (command.supportsJSON ? "text or json (a global option: before the group)" : "text"))
                s.line()
            }
        }
        endParagraph()
        let listed = Set(entries.compactMap { entry -> String? in
            if case .option(let label, _) = entry { return label }
            return nil
        })
        let unlisted = command.allOptions.filter { !$0.hidden && !listed.contains($0.helpLabel) }
        if !unlisted.isEmpty {
            s.line("Also:")
            s.line()
            for option in unlisted { optionEntry(option, &s) }
        }
    }

    static func optionEntry(_ option: OptionSpec, _ s: inout ShellText) {
        var names: [String] = []
        if let short = option.short { names.append("*-\(short)*") }
        if let long = option.long { names.append("*--\(escape(long))*") }
        var label = names.joined(separator: ", ")
        if let valueName = option.valueName {
            label += option.valueOptional ? "[=<\(escape(valueName))>]" : " <\(escape(valueName))>"
        } else if option.takesValue || option.valueOptional {
            label += option.valueOptional ? "[=<value>]" : " <value>"
        }
        s.line(label)
        s.line("\t" + escape(option.help))
        s.line()
    }

    static func header(_ name: String, summary: String, _ s: inout ShellText) {
        s.line("\(name)(8)")
        s.line()
        s.line("# NAME")
        s.line()
        s.line("\(name) - \(escape(summary))")
        s.line()
        s.line("# SYNOPSIS")
        s.line()
    }

    static func seeAlso(_ refs: [String], _ s: inout ShellText) {
        s.line("# SEE ALSO")
        s.line()
        s.line(refs.joined(separator: ", "))
    }

    /// scdoc markup in plain text: `*`, `_` and `\` are escaped; a line cannot start a list or
    /// a heading.
    static func escape(_ text: String) -> String {
        var out = ""
        for ch in text {
            if ch == "*" || ch == "_" || ch == "\\" { out.append("\\") }
            out.append(ch)
        }
        if out.hasPrefix("- ") || out.hasPrefix(". ") || out.hasPrefix("#") { out = "\\" + out }
        return out
    }
}
