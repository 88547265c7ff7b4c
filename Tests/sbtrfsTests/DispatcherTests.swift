import Testing
@testable import sbtrfs

/// Token resolution, global options and help, run in-process on a small tree.
struct DispatcherTests {
    /// A leaf that prints what it was given.
    static func echo(_ name: String, json: Bool = false, options: [OptionSpec] = [],
                     operands: [OperandSpec] = [OperandSpec("path", .path)], permutes: Bool = false) -> Command {
        Command(name, synopsis: ["[options] <path>"], summary: "The \(name) command", options: options,
                operands: operands, supportsJSON: json, permutesOperands: permutes) { invocation in
            let opts = invocation.options.map { "\($0.id)=\($0.value ?? "")" }.joined(separator: ",")
            invocation.out.line("\(name) [\(opts)] \(invocation.operands) \(invocation.format)")
            return 0
        }
    }

    static let tree = Group(Tool.name, summary: "Root info.", usage: ["[global] <group> <command>"], children: [
        .group(Group("filesystem", summary: "fs things", usage: ["[<group>] <command> [<args>]"], children: [
            .command(echo("df", json: true)),
            .command(echo("du")),
            .command(echo("defragment", options: [OptionSpec("r", nil, help: "recurse"),
                                                  OptionSpec("t", "target", value: .size, valueName: "size",
                                                             help: "target extent size")],
                          permutes: true)),
            .command(echo("show", operands: [OperandSpec("path", .path, optional: true)])),
            .command(Command("subs", synopsis: ["<command> [...]\n\tAlias of \"sbtrfs sub\""],
                             summary: "See sbtrfs sub --help.", alias: true, rawArguments: true) { invocation in
                Dispatcher.delegate(to: DispatcherTests.subGroup, path: invocation.context.commandPath,
                                    arguments: invocation.operands, context: invocation.context)
            }),
        ])),
        .group(subGroup),
        .group(Group("subvolume", summary: "long one", children: [.command(echo("list"))])),
        .command(Help.command),
        .command(Version.command),
    ])

    static let subGroup = Group("sub", summary: "short one", intercept: { arguments, context in
            // progs' cmd_balance: one argument that is not a command name is the old syntax
            guard arguments.count == 1, arguments[0] != "list" else { return nil }
            context.out.line("old syntax on \(arguments[0])")
            return 3
        }, children: [.command(echo("list"))])

    struct Run {
        var status: Int32
        var out: String
        var err: String
    }

    func run(_ args: String) -> Run {
        let context = Context.capturing()
        let argv = ["sbtrfs"] + args.split(separator: " ").map(String.init)
        let status = Dispatcher(root: Self.tree).run(argv, context: context)
        return Run(status: status, out: context.out.capturedText, err: context.err.capturedText)
    }

    @Test func resolution() {
        func name(_ token: String, _ group: Group) -> String {
            switch Dispatcher.resolve(token, in: group) {
            case .found(let node): return node.name
            case .unknown: return "unknown"
            case .ambiguous: return "ambiguous"
            }
        }
        guard case .group(let fs) = Self.tree.children[0] else { Issue.record("tree"); return }
        #expect(name("df", fs) == "df")
        #expect(name("def", fs) == "defragment")
        #expect(name("d", fs) == "ambiguous")
        #expect(name("x", fs) == "unknown")
        #expect(name("dfx", fs) == "unknown")
        // an exact name wins over a longer name it prefixes
        #expect(name("sub", Self.tree) == "sub")
        #expect(name("subv", Self.tree) == "subvolume")
        #expect(name("su", Self.tree) == "ambiguous")
        #expect(name("f", Self.tree) == "filesystem")
    }

    /// The tool's tree names each child beside its builder; every name must be the built node's,
    /// or a token would resolve to a node of another name. Only the resolved child is built.
    @Test func treeEntryNamesAreTheirNodesNames() {
        var checked = 0
        func walk(_ group: Group, _ path: String) {
            for entry in group.entries {
                let node = entry.node
                #expect(entry.name == node.name, "\(path) \(entry.name) builds \(node.name)")
                checked += 1
                if case .group(let sub) = node { walk(sub, path + " " + sub.name) }
            }
        }
        walk(CommandTree.root(), Tool.name)
        #expect(checked >= 30)

        final class Log: @unchecked Sendable { var names: [String] = [] }
        let log = Log()
        let probe = Group("probe", summary: "", entries: ["alpha", "beta", "bravo"].map { name in
            Child(name) { log.names.append(name); return .command(Self.echo(name)) }
        })
        guard case .found(let node) = Dispatcher.resolve("al", in: probe) else { Issue.record("al"); return }
        #expect(node.name == "alpha" && log.names == ["alpha"])
        guard case .ambiguous = Dispatcher.resolve("b", in: probe) else { Issue.record("b"); return }
        #expect(log.names == ["alpha"])
    }

    @Test func prefixesRunTheCommand() {
        let r = run("fi df /mnt")
        #expect(r == Run(status: 0, out: "df [] [\"/mnt\"] text\n", err: ""))
    }

    @Test func unknownAndAmbiguousTokens() {
        let unknown = run("fi xx /")
        #expect(unknown.status == 1)
        #expect(unknown.out == "\n")  // the alias entry's newline, which progs puts on stdout
        #expect(unknown.err.hasPrefix("sbtrfs filesystem: unknown token 'xx'\nusage: sbtrfs filesystem [<group>] <command> [<args>]\n\n    sbtrfs filesystem df [options] <path>\n        The df command\n"))
        #expect(unknown.err.hasSuffix("Alias of \"sbtrfs sub\"\nfs things\n"))
        let ambiguous = run("fi d /")
        #expect(ambiguous == Run(status: 1, out: "", err: """
            sbtrfs filesystem: ambiguous token 'd'

            Did you mean one of these ?
            \tdf
            \tdu
            \tdefragment

            """))
        #expect(run("x").err.hasPrefix("sbtrfs: unknown token 'x'\nusage: sbtrfs [global] <group> <command>\n"))
    }

    @Test func groupWithoutCommandPrintsItsUsage() {
        let r = run("fi")
        #expect(r.status == 1)
        #expect(r.out.hasPrefix("usage: sbtrfs filesystem [<group>] <command> [<args>]\n"))
        #expect(r.err == "")
    }

    @Test func helpAfterTokens() {
        let command = run("fi df --help")
        #expect(command.status == 0)
        #expect(command.out == "usage: sbtrfs filesystem df [options] <path>\n\n    The df command\n\n    \n"
                    + "    Global options:\n    --format TYPE             where TYPE is: text, json\n\n")
        let group = run("fi --help")
        #expect(group.status == 0 && group.out.hasPrefix("usage: sbtrfs filesystem"))
        let full = run("fi --help --full")
        #expect(full.out.contains("    sbtrfs filesystem defragment [options] <path>\n        The defragment command\n\n    -r                        recurse \n    -t|--target <size>        target extent size \n"))
    }

    @Test func globalOptions() {
        #expect(run("--bogus fi df /") == Run(status: 129, out: "", err: "Unknown global option: --bogus\n"))
        #expect(run("-x fi") == Run(status: 129, out: "", err: "Unknown global option: -x\n"))
        #expect(run("-xv fi") == Run(status: 129, out: "", err: "Unknown global option: sbtrfs\n"))
        #expect(run("--format") == Run(status: 129, out: "", err: "Unknown global option: --format\n"))
        #expect(run("--format yaml fi df /") == Run(status: 1, out: "", err: "error: invalid output format \"yaml\"\n\nOptions for --format are: text, json\n"))
        #expect(run("--format JSON fi df /").out == "df [] [\"/\"] json\n")
        #expect(run("--format=json -v -q fi df /").out == "df [] [\"/\"] json\n")
        #expect(run("--format json fi du /") == Run(status: 1, out: "", err: "ERROR: output format json is unsupported for this command\n"))
        #expect(run("--version") == Run(status: 0, out: "sbtrfs v\(Tool.version)\n", err: ""))
        #expect(run("version extra") == Run(status: 0, out: "sbtrfs v\(Tool.version)\n", err: ""))
        let help = run("--help")
        #expect(help.status == 0 && help.out.hasSuffix("Root info.\nOptions for --format are: text, json\n"))
        // getopt accepts the abbreviation but progs acts on exact spellings only: no help, no command
        #expect(run("--hel").status == 1)
        let bare = run("")
        #expect(bare.status == 1)
        #expect(bare.out.contains("Command groups:\n  filesystem        fs things\n"))
        #expect(bare.err.hasPrefix("For an overview of a given command use 'sbtrfs command --help'\n"))
    }

    @Test func commandOptionsAndCounts() {
        #expect(run("fi df / /").err == "sbtrfs filesystem df: exactly 1 argument expected, 2 given\n")
        #expect(run("fi df").err == "sbtrfs filesystem df: exactly 1 argument expected, 0 given\n")
        #expect(run("fi show a b").err == "sbtrfs filesystem show: too many arguments: 2 but at most 1 expected\n")
        #expect(run("fi show").status == 0)
        // options end at the first operand unless the command permutes (progs' optind quirk)
        #expect(run("fi df / --raw").err == "sbtrfs filesystem df: exactly 1 argument expected, 2 given\n")
        #expect(run("fi defrag / -r -t5 --targ=6").out == "defragment [r=,target=5,target=6] [\"/\"] text\n")
        #expect(run("fi defrag -rx /") == Run(status: 1, out: "", err: "sbtrfs filesystem defragment: invalid option 'x'\nTry 'sbtrfs filesystem defragment --help' for more information\n"))
        #expect(run("fi defrag --bogus /") == Run(status: 1, out: "", err: "sbtrfs filesystem defragment: unrecognized option '--bogus'\nTry 'sbtrfs filesystem defragment --help' for more information\n"))
        // a long option without its value: progs reports getopt's optopt as a letter
        #expect(run("fi defrag / --targ").err == "sbtrfs filesystem defragment: invalid option 't'\nTry 'sbtrfs filesystem defragment --help' for more information\n")
        #expect(run("fi defrag -- -r").out == "defragment [] [\"-r\"] text\n")
    }

    @Test func groupIntercept() {
        #expect(run("sub /mnt") == Run(status: 3, out: "old syntax on /mnt\n", err: ""))
        #expect(run("sub list /mnt").out == "list [] [\"/mnt\"] text\n")
        #expect(run("sub li /mnt").out == "list [] [\"/mnt\"] text\n")
        #expect(run("sub list").err == "sbtrfs sub list: exactly 1 argument expected, 0 given\n")
    }

    @Test func aliasDelegatesToAGroup() {
        #expect(run("fi subs list /m").out == "list [] [\"/m\"] text\n")
        #expect(run("fi subs list").err == "sbtrfs filesystem subs list: exactly 1 argument expected, 0 given\n")
        #expect(run("fi subs x y").err.hasPrefix("sbtrfs filesystem subs: unknown token 'x'\nusage: sbtrfs filesystem subs <command> [<args>]\n"))
        // an alias lists its usage lines only; progs writes the newline after it to stdout
        let listing = run("fi x")
        #expect(listing.err.contains("\n    sbtrfs filesystem subs <command> [...]\n    \tAlias of \"sbtrfs sub\"\n"))
        #expect(listing.out == "\n")
    }

    @Test func commandPrefixAsUsageUnknownOption() {
        #expect(Usage.commandPrefix("sbtrfs device add [options] <device>") == "sbtrfs device add")
        #expect(Usage.commandPrefix("sbtrfs balance status [-v] <path>") == "sbtrfs balance status")
        #expect(Usage.commandPrefix("sbtrfs device scan -u|--forget") == "sbtrfs device scan")
        #expect(Usage.commandPrefix("sbtrfs version") == "sbtrfs version")
    }

    @Test func helpWordWrapping() {
        let out = OutputStream.capture()
        let long = (0..<30).map { "word\($0)" }.joined(separator: " ")
        Usage.wrap(long, to: out)
        let lines = out.capturedText.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 3)
        #expect(lines[1].hasPrefix(String(repeating: " ", count: 30) + "word"))
    }
}

extension DispatcherTests.Run: Equatable {}
