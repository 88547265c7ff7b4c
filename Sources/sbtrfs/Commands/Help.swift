/// `sbtrfs help [--full] [--box]`, as progs' cmd_help (no getopt: it looks at its words).
enum Help {
    static let command = Command(
        "help", synopsis: ["[--full] [--box]"], summary: "Display help information",
        options: [
            OptionSpec(nil, "full", help: "display detailed help on every command"),
            OptionSpec(nil, "box", help: "show list of built-in tools (busybox style)"),
        ],
        rawArguments: true
    ) { invocation in
        _ = show(["help"] + invocation.operands, context: invocation.context)
        return 0
    }

    /// cmd_help over argv (argv[0] is the command word): `--box` anywhere answers that there are
    /// no busybox-style tools; else the root listing, full when argv[1] is `--full`.
    /// Returns a status when it ended the run (`--box`), nil when the caller goes on.
    static func show(_ argv: [String], context: Context) -> Int32? {
        if argv.contains("--box") {
            context.out.line("No standalone tools built-in in the busybox style")
            return 0
        }
        let full = argv.count > 1 && argv[1] == "--full"
        Usage.group(context.root, path: Tool.name, full: full, to: context.out, context: context)
        return nil
    }
}

/// `sbtrfs version`.
enum Version {
    static let command = Command(
        "version", synopsis: [""], summary: "Display sbtrfs version", rawArguments: true
    ) { invocation in
        invocation.out.line(Tool.versionString)
        return 0
    }
}
