import Foundation
import Testing
import TestRig
@testable import sbtrfs

/// The generated scripts driven by the real shells (harnesses in Tests/Shell): bash through
/// COMP_WORDS/COMPREPLY with bash-completion, zsh in an interactive shell on a pty, fish with
/// `complete -C`. A tree with every kind of value is generated in-process, so the behaviour is
/// proven whatever commands main has; the committed scripts are checked for abbreviations too.
@Suite(.serialized) struct CompletionShellTests {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    enum Shell: String, CaseIterable { case bash, zsh, fish }

    /// One suite per shell, so a missing shell shows as skipped with its name (failing under CI=true),
    /// never as a pass.
    @Suite(.needsFile("/usr/share/bash-completion/bash_completion", what: "bash-completion")) struct Bash {
        @Test func completesTheTree() throws { try CompletionShellTests.completesTheTree(.bash) }
        @Test(.needsRig) func pathsAreMountedBtrfs() throws { try CompletionShellTests.pathsAreMountedBtrfs(.bash) }
        @Test func committedScriptCompletesMain() throws { try CompletionShellTests.committedScriptCompletesMain(.bash) }
    }

    @Suite(.needsTool("/usr/bin/zsh", what: "zsh")) struct Zsh {
        @Test func completesTheTree() throws { try CompletionShellTests.completesTheTree(.zsh) }
        @Test(.needsRig) func pathsAreMountedBtrfs() throws { try CompletionShellTests.pathsAreMountedBtrfs(.zsh) }
        @Test func committedScriptCompletesMain() throws { try CompletionShellTests.committedScriptCompletesMain(.zsh) }
    }

    @Suite(.needsTool("/usr/bin/fish", what: "fish")) struct Fish {
        @Test func completesTheTree() throws { try CompletionShellTests.completesTheTree(.fish) }
        @Test(.needsRig) func pathsAreMountedBtrfs() throws { try CompletionShellTests.pathsAreMountedBtrfs(.fish) }
        @Test func committedScriptCompletesMain() throws { try CompletionShellTests.committedScriptCompletesMain(.fish) }
    }

    /// A tree with one of everything a script must handle.
    static let tree: Group = {
        let run: CommandHandler = { _ in 0 }
        let units = Command("df", synopsis: ["[options] <path>"], summary: "Show space", units: .shortAndLong,
                            operands: [OperandSpec("path", .path)], run: run)
        let du = Command("du", synopsis: ["<path>"], summary: "Disk usage", operands: [OperandSpec("path", .path)], run: run)
        let defrag = Command("defragment", synopsis: ["<path>"], summary: "Defragment",
                             options: [OptionSpec("r", nil, help: "recursive")],
                             operands: [OperandSpec("path", .path, repeating: true)], run: run)
        let secret = Command("dsecret", synopsis: [""], summary: "Hidden", hidden: true, run: run)
        let show = Command("show", synopsis: ["[<uuid>]"], summary: "Show", operands: [OperandSpec("uuid", .uuid, optional: true)], run: run)
        let dump = Command("dump-tree", synopsis: ["[options] <device>"], summary: "Dump a tree",
                           options: [OptionSpec("t", "tree", value: .treeName, valueName: "tree", help: "tree to dump"),
                                     OptionSpec(nil, "format-it", value: .choice(["plain", "fancy"]), help: "style")],
                           operands: [OperandSpec("device", .device)], run: run)
        let stats = Command("stats", synopsis: ["<path>|<device>"], summary: "Stats",
                            operands: [OperandSpec("path|device", .path)], run: run)
        let list = Command("list", synopsis: ["[options] <path>"], summary: "List subvolumes",
                           options: [OptionSpec("o", nil, help: "below path"),
                                     OptionSpec(nil, "sort", value: .sortKey, valueName: "keys", help: "sort order")],
                           operands: [OperandSpec("path", .mountPoint)], permutesOperands: true, run: run)
        let start = Command("start", synopsis: ["[options] <path>"], summary: "Start a balance",
                            options: [OptionSpec("d", nil, value: .balanceFilters, optionalValue: true, help: "data filters"),
                                      OptionSpec("m", nil, value: .balanceFilters, optionalValue: true, help: "metadata filters"),
                                      OptionSpec("f", "force", help: "force")],
                            operands: [OperandSpec("path", .path)], run: run)
        let toggle = Command("toggle", synopsis: ["[options] on|off"], summary: "Toggle",
                             options: [OptionSpec("v", "verbose", help: "more"),
                                       OptionSpec("x", "expert", value: .string, help: "hidden", hidden: true)],
                             operands: [OperandSpec("state", .choice(["on", "off"]))], run: run)
        let mkfs = Command("mkfs", synopsis: ["<device>..."], summary: "Make one",
                           options: [OptionSpec("d", "data", value: .profile, valueName: "profile", help: "data profile"),
                                     OptionSpec("L", "label", value: .string, valueName: "label", help: "label")],
                           operands: [OperandSpec("device", .device, repeating: true)], permutesOperands: true, run: run)
        return Group("sbtrfs", summary: "root", children: [
            .group(Group("balance", summary: "balance", children: [.command(start), .command(toggle)])),
            .group(Group("filesystem", summary: "fs things", children: [
                .command(units), .command(du), .command(defrag), .command(secret), .command(show)])),
            .group(Group("inspect-internal", summary: "inspect", children: [.command(dump), .command(stats)])),
            .command(mkfs),
            .group(Group("subvolume", summary: "subvolumes", children: [.command(list)])),
        ])
    }()

    /// Runs the shell's harness on `lines`; returns each line's candidates and the leaks.
    static func complete(_ shell: Shell, script: String, _ lines: [String]) throws -> (results: [[String]], leaks: [String]) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sbtrfs-comp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let harness = repo.appendingPathComponent("Tests/Shell").path
        let argv: [String]
        switch shell {
        case .bash:
            try script.write(to: dir.appendingPathComponent("sbtrfs.bash"), atomically: true, encoding: .utf8)
            argv = ["bash", harness + "/bash-complete.sh", dir.path + "/sbtrfs.bash"]
        case .zsh:
            try script.write(to: dir.appendingPathComponent("_sbtrfs"), atomically: true, encoding: .utf8)
            argv = ["zsh", "-f", harness + "/zsh-complete.zsh", dir.path]
        case .fish:
            try script.write(to: dir.appendingPathComponent("sbtrfs.fish"), atomically: true, encoding: .utf8)
            argv = ["fish", "--no-config", harness + "/fish-complete.fish", dir.path + "/sbtrfs.fish"]
        }
        let result = try Rig.run(argv + lines)
        #expect(result.status == 0, "\(shell): \(result)")
        #expect(result.stderr.isEmpty, "\(shell) stderr: \(result.stderr)")
        var results: [[String]] = []
        var current: [String] = []
        var leaks: [String] = []
        for line in result.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line == "--" {
                results.append(current)
                current = []
            } else if line.hasPrefix("leaked: ") {
                leaks.append(String(line.dropFirst(8)))
            } else if !line.isEmpty {
                current.append(line)
            }
        }
        #expect(results.count == lines.count, "\(shell): \(result.stdout)")
        return (results, leaks)
    }

    /// Candidates as the text after the last `=` or `,` (shells differ in how much of a word they
    /// give back), without a sign or a trailing `/`, deduplicated and sorted.
    static func normalized(_ candidates: [String], line: String) -> [String] {
        let word = line.split(separator: " ", omittingEmptySubsequences: false).last.map(String.init) ?? ""
        let valueContext = word.contains("=") || word.contains(",")
        return Set(candidates.map { candidate -> String in
            var c = candidate
            if valueContext, let cut = c.dropLast().lastIndex(where: { $0 == "=" || $0 == "," }) {
                c = String(c[c.index(after: cut)...])
            }
            if c.count > 1 && c.hasSuffix("/") { c.removeLast() }
            return c
        }).sorted()
    }

    /// Line → exactly the candidates every shell must offer.
    static let exact: [(String, [String])] = [
        ("sbtrfs ", ["balance", "filesystem", "inspect-internal", "mkfs", "subvolume"]),
        ("sbtrfs fi ", ["defragment", "df", "du", "show"]),
        ("sbtrfs insp ", ["dump-tree", "stats"]),
        ("sbtrfs filesystem d", ["defragment", "df", "du"]),
        ("sbtrfs f d", ["defragment", "df", "du"]),
        ("sbtrfs --format json fi ", ["defragment", "df", "du", "show"]),
        ("sbtrfs -v --log debug fil de", ["defragment"]),
        ("sbtrfs --format ", ["json", "text"]),
        ("sbtrfs --log ", ["debug", "default", "info", "quiet", "verbose"]),
        ("sbtrfs --ver", ["--verbose", "--version"]),
        ("sbtrfs fi d ", []),                 // ambiguous token: nothing
        ("sbtrfs nothing ", []),
        ("sbtrfs fi df --", ["--gbytes", "--human-readable", "--iec", "--kbytes", "--mbytes", "--raw", "--si", "--tbytes"]),
        ("sbtrfs fi defr -", ["-r"]),
        ("sbtrfs insp dump -t ", ValueWords.trees.sorted()),
        ("sbtrfs insp dump -t e", ["extent"]),
        ("sbtrfs insp dump --tree fr", ["free_space"]),
        ("sbtrfs insp dump --tree=fr", ["free_space"]),
        ("sbtrfs insp dump --format-it ", ["fancy", "plain"]),
        ("sbtrfs mkfs -d ", ValueWords.profiles.sorted()),
        ("sbtrfs mkfs --data raid1", ["raid1", "raid10", "raid1c3", "raid1c4"]),
        ("sbtrfs mkfs -L ", []),
        ("sbtrfs subvolume list --sort=ro", ["rootid"]),
        ("sbtrfs subvolume list --sort=gen,og", ["ogen"]),
        ("sbtrfs bal start -dusage=5,conv", ["convert="]),
        ("sbtrfs bal start -dconvert=raid1c", ["raid1c3", "raid1c4"]),
        ("sbtrfs fi df / -", []),              // options end at the first operand
        ("sbtrfs fi df / ", []),               // one operand only
        ("sbtrfs bal toggle -", ["--verbose", "-v"]),        // hidden -x/--expert is not offered
        ("sbtrfs bal toggle --expert dup ", ["off", "on"]),  // but known: its value is skipped
        ("sbtrfs bal toggle -x dup o", ["off", "on"]),
    ]

    static func completesTheTree(_ shell: Shell) throws {
        let model = CompletionModel(root: Self.tree)
        let script: String
        switch shell {
        case .bash: script = BashCompletion.script(model)
        case .zsh: script = ZshCompletion.script(model)
        case .fish: script = FishCompletion.script(model)
        }
        let lines = Self.exact.map(\.0) + ["sbtrfs subvolume list -o /x --so", "sbtrfs insp dump /dev/",
                                            "sbtrfs insp stats /dev/"]
        let (results, leaks) = try Self.complete(shell, script: script, lines)
        #expect(leaks.isEmpty, "\(shell) leaked \(leaks)")
        for ((line, expected), got) in zip(Self.exact, results) {
            #expect(Self.normalized(got, line: line) == expected, "\(shell): '\(line)'")
        }
        guard results.count == lines.count else { return }
        // A permuting command takes options after operands.
        #expect(results[Self.exact.count].contains("--sort"), "\(shell): permuted option")
        // DEVICE operands: the block devices under /dev (subdirectories allowed for walking).
        let devices = try FileManager.default.contentsOfDirectory(atPath: "/dev").map { "/dev/" + $0 }
            .filter { isBlockDevice($0) }
        // `path|device`: both.
        for index in [Self.exact.count + 1, Self.exact.count + 2] {
            let offered = Set(results[index].map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 })
            #expect(!devices.isEmpty && Set(devices).isSubset(of: offered), "\(shell): devices \(offered)")
            for entry in offered {
                // zsh's file completion hands compadd the names inside the typed directory.
                let full = entry.hasPrefix("/") ? entry : "/dev/" + entry
                #expect(isBlockDevice(full) || isDirectory(full), "\(shell): \(entry) is no block device")
            }
        }
    }

    /// PATH operands offer the mount points of mounted btrfs filesystems.
    static func pathsAreMountedBtrfs(_ shell: Shell) throws {
        try Rig.withFilesystem(FSSpec()) { fs in
            let script = try String(contentsOf: Self.repo.appendingPathComponent(Self.committed[shell] ?? ""), encoding: .utf8)
            let (results, _) = try Self.complete(shell, script: script, ["sbtrfs fi df ", "sbtrfs fi df " + fs.mountPoint.prefix(fs.mountPoint.count - 2)])
            for got in results {
                #expect(got.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }.contains(fs.mountPoint),
                        "\(shell): \(fs.mountPoint) not in \(got)")
            }
        }
    }

    static let committed: [Shell: String] = [.bash: "Completions/sbtrfs.bash", .zsh: "Completions/_sbtrfs",
                                             .fish: "Completions/sbtrfs.fish"]

    /// The committed scripts complete the real tree, abbreviations included.
    static func committedScriptCompletesMain(_ shell: Shell) throws {
        let script = try String(contentsOf: Self.repo.appendingPathComponent(Self.committed[shell] ?? ""), encoding: .utf8)
        let root = CommandTree.root()
        guard case .group(let filesystem)? = root.children.first(where: { $0.name == "filesystem" }) else {
            Issue.record("no filesystem group")
            return
        }
        let (results, leaks) = try Self.complete(shell, script: script, ["sbtrfs ", "sbtrfs fi ", "sbtrfs compl "])
        #expect(leaks.isEmpty, "\(shell) leaked \(leaks)")
        guard results.count == 3 else { return }
        #expect(results[0] == root.children.filter { !$0.hidden }.map(\.name).sorted())
        #expect(results[1] == filesystem.children.filter { !$0.hidden }.map(\.name).sorted())
        #expect(results[2] == ["bash", "fish", "zsh"])
    }
}

func isBlockDevice(_ path: String) -> Bool {
    var st = stat()
    return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFBLK
}

func isDirectory(_ path: String) -> Bool {
    var st = stat()
    return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
}
