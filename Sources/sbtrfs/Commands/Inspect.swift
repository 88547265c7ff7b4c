import Btrfs

/// `sbtrfs inspect-internal`: query internal information (progs' cmds/inspect.c). Commands of
/// sbtrfs's own live beside progs' ones; a big one has its own file (InspectSearchMetadata.swift).
enum InspectCommands {
    static let group = Group(
        "inspect-internal", summary: "query various internal information",
        usage: ["<command> <args>"],
        entries: [
            .command("inode-resolve", inodeResolve), .command("logical-resolve", logicalResolve),
            .command("subvolid-resolve", subvolidResolve), .command("rootid", rootid),
            .command("min-dev-size", minDevSize),
            .command("file-csum", fileCsum), .command("tree-sizes", treeSizes),
            .command("free-space-fragmentation", freeSpaceFragmentation), .command("block-group-files", blockGroupFiles),
            .command("search-metadata", searchMetadata),
        ])

    // MARK: search-metadata

    static let searchMetadata = Command(
        "search-metadata",
        synopsis: ["[--format keys|short|long|json] <subcommand> [options] <path>"],
        summary: "Search and print metadata items, as python-btrfs's btrfs-search-metadata",
        description: [
            "Subcommands: chunks, block_groups, dev_extents, devices, orphans, file,",
            "inode -t <tree> --inum <n>, dump -t <tree> [--min-key <key>] [--max-key <key>],",
            "block_group_contents --vaddr <n>, block_group_free_space [--vaddr <n>].",
            "Keys are written as python-btrfs prints them, e.g. '(257 DIR_ITEM 0)'.",
        ],
        options: [
            OptionSpec(nil, "format", value: .choice(SearchMetadata.Format.allCases.map(\.rawValue)), valueName: "format",
                       help: "keys only, a short line per item (default), every field, or JSON"),
            OptionSpec("t", "tree", value: .treeName, valueName: "tree", help: "ID or name of the metadata tree to search"),
            OptionSpec(nil, "inum", value: .number, valueName: "inum", help: "inode number to search for, e.g. 257"),
            OptionSpec(nil, "min-key", value: .string, valueName: "key", help: "tree key to start at, e.g. '(257 DIR_ITEM 0)'"),
            OptionSpec(nil, "max-key", value: .string, valueName: "key", help: "tree key to stop at, e.g. '(257 DIR_ITEM -1)'"),
            OptionSpec(nil, "vaddr", value: .number, valueName: "vaddr", help: "virtual address of the start of a block group"),
        ],
        operands: [OperandSpec("subcommand", .choice(SearchMetadata.Preset.allCases.map(\.rawValue))),
                   OperandSpec("path", .path)],
        supportsJSON: true, permutesOperands: true, run: runSearchMetadata)

    @Sendable static func runSearchMetadata(_ invocation: Invocation) throws -> Int32 {
        var sm = try SearchMetadata(invocation: invocation)
        if invocation.format == .json && !invocation.has("format") { sm.format = .json }
        // Items are formatted straight into stdout's buffer, which drains itself when full.
        let stream = invocation.out
        do {
            try sm.run(out: stream.text) { _ in stream.flush() }
        } catch let failure as SearchMetadata.Failure {
            stream.flush()
            for line in failure.description.split(separator: "\n") { invocation.context.error(String(line)) }
            return 1
        }
        return 0
    }
}

extension SearchMetadata {
    /// Checks the options against the subcommand as the python program's argparse does:
    /// required ones present, others refused.
    init(invocation: Invocation) throws {
        guard invocation.operands.count == 2 else {
            throw CommandExit.error("search-metadata needs a subcommand and a path, \(invocation.operands.count) arguments given")
        }
        guard let preset = Preset(rawValue: invocation.operands[0]) else {
            throw CommandExit.error("unknown subcommand '\(invocation.operands[0])', choose from "
                                    + Preset.allCases.map(\.rawValue).joined(separator: ", "))
        }
        self.init(preset: preset, path: invocation.operands[1])
        if let f = invocation.value("format") {
            guard let format = Format(rawValue: f) else {
                throw CommandExit.error("invalid format '\(f)', choose from keys, short, long, json")
            }
            self.format = format
        }
        let allowed: Set<String>
        var required: Set<String> = []
        switch preset {
        case .inode: allowed = ["tree", "inum"]; required = ["tree", "inum"]
        case .dump: allowed = ["tree", "min-key", "max-key"]; required = ["tree"]
        case .block_group_contents: allowed = ["vaddr"]; required = ["vaddr"]
        case .block_group_free_space: allowed = ["vaddr"]
        default: allowed = []
        }
        for option in invocation.options where option.id != "format" && !allowed.contains(option.id) {
            throw CommandExit.error("option --\(option.id) does not apply to \(preset.rawValue)")
        }
        for name in required.sorted() where !invocation.has(name) {
            throw CommandExit.error("\(preset.rawValue) needs --\(name)")
        }
        tree = invocation.value("tree")
        minKey = invocation.value("min-key")
        maxKey = invocation.value("max-key")
        if let text = invocation.value("inum") {
            guard let n = parsePythonInt(text) else { throw CommandExit.error("invalid inode number '\(text)'") }
            inum = n
        }
        if let text = invocation.value("vaddr") {
            guard let n = parsePythonInt(text) else { throw CommandExit.error("invalid vaddr '\(text)'") }
            vaddr = n
        }
        // Keys are checked before anything is opened, so a typo costs no search.
        for text in [minKey, maxKey].compactMap({ $0 }) {
            do { _ = try Key(parsing: text) } catch { throw CommandExit.error("\(error)") }
        }
    }
}
