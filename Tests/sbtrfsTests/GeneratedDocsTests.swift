import Foundation
import Testing
import TestRig
@testable import sbtrfs

/// What is generated from the command tree stays in step with it: the committed completion
/// scripts, the man pages (a section per command, converted by scdoc), `help --full`, and what
/// `make install-docs` / `make uninstall` put where.
struct GeneratedDocsTests {
    static let repo = CompletionShellTests.repo

    /// Token paths of every visible command, e.g. ["filesystem", "df"].
    static func visibleLeaves(_ group: Group) -> [[String]] { commandPaths(group, visibleOnly: true) }

    @Test func committedCompletionsAreCurrent() throws {
        let model = CompletionModel(root: CommandTree.root())
        let generated = [("Completions/sbtrfs.bash", BashCompletion.script(model)),
                         ("Completions/_sbtrfs", ZshCompletion.script(model)),
                         ("Completions/sbtrfs.fish", FishCompletion.script(model))]
        for (file, text) in generated {
            let committed = try String(contentsOf: Self.repo.appendingPathComponent(file), encoding: .utf8)
            #expect(committed == text, "\(file) is stale: run `make completions` and commit it")
        }
    }

    @Test func everyCommandHasAManSection() {
        let root = CommandTree.root()
        let pages = ManPage.pages(root)
        var sections: [[String]] = []
        for page in pages {
            for line in page.source.split(separator: "\n") where line.hasPrefix("## \(Tool.name) ") {
                sections.append(line.dropFirst(3).split(separator: " ").dropFirst().map(String.init))
            }
        }
        let leaves = Self.visibleLeaves(root)
        #expect(sections.sorted { $0.joined(separator: " ") < $1.joined(separator: " ") }
                == leaves.sorted { $0.joined(separator: " ") < $1.joined(separator: " ") })
        // One page per visible top-level group and per top-level command but help and version
        // (btrfs-send(8) in progs), plus sbtrfs(8).
        let own = root.children.filter { !$0.hidden }.compactMap { child -> String? in
            switch child {
            case .group(let group): return "\(Tool.name)-\(group.name)"
            case .command(let command): return ["help", "version"].contains(command.name) ? nil : "\(Tool.name)-\(command.name)"
            }
        }
        #expect(pages.map(\.name) == [Tool.name] + own)
    }

    /// Each command's section names every option a user can type (hidden ones aside).
    @Test func everyOptionIsInItsManSection() {
        let root = CommandTree.root()
        let text = ManPage.pages(root).map(\.source).joined()
        for leaf in Self.visibleLeaves(root) {
            guard let command = Self.command(at: leaf, in: root) else {
                Issue.record("no command \(leaf)")
                continue
            }
            let heading = "## \(Tool.name) \(leaf.joined(separator: " "))\n"
            guard let start = text.range(of: heading) else {
                Issue.record("no section for \(leaf)")
                continue
            }
            let rest = text[start.upperBound...]
            let section = rest.range(of: "\n## ").map { rest[..<$0.lowerBound] } ?? rest
            for option in command.allOptions where !option.hidden {
                let spellings = [option.short.map { "-\($0)" }, option.long.map { "--\($0)" }].compactMap { $0 }
                for spelling in spellings {
                    #expect(section.contains(ManPage.escape(spelling)), "\(leaf): \(spelling) not in its man section")
                }
            }
        }
    }

    static func command(at path: [String], in group: Group) -> Command? {
        guard let first = path.first, let child = group.children.first(where: { $0.name == first }) else { return nil }
        switch child {
        case .command(let command): return path.count == 1 ? command : nil
        case .group(let sub): return command(at: Array(path.dropFirst()), in: sub)
        }
    }

    /// `help --full` lists exactly the commands the man pages document.
    @Test func helpFullListsTheSameCommands() throws {
        let root = CommandTree.root()
        let leaves = Set(Self.visibleLeaves(root).map { $0.joined(separator: " ") })
        let output = try Rig.sbtrfs(["help", "--full"])
        #expect(output.status == 0)
        var listed = Set<String>()
        for line in output.stdout.split(separator: "\n") where line.hasPrefix("    \(Tool.name) ") {
            let words = line.dropFirst(4).split(separator: " ").dropFirst().map(String.init)
            let matches = (0...words.count).map { words.prefix($0).joined(separator: " ") }.filter(leaves.contains)
            if let longest = matches.last { listed.insert(longest) } else { Issue.record("not a command: \(line)") }
        }
        #expect(listed == leaves)
    }

    /// scdoc converts every page; each command is a subsection and the hand-written prose is in.
    @Test(.needsTool("/usr/bin/scdoc", what: "scdoc")) func manPagesConvert() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("sbtrfs-man-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        let build = try Rig.run(["sh", Self.repo.appendingPathComponent("scripts/build-man.sh").path,
                                 Rig.sbtrfsPath, out.path])
        #expect(build.status == 0 && build.stderr.isEmpty, "\(build)")
        let root = CommandTree.root()
        for page in ManPage.pages(root) {
            let roff = try String(contentsOf: out.appendingPathComponent(page.name + ".8"), encoding: .utf8)
            #expect(roff.contains(".SH NAME") && roff.contains(".SH COMMANDS"), "\(page.name)")
            #expect(!roff.contains("@PROSE@"), "\(page.name)")
            let prose = Self.repo.appendingPathComponent("Docs/man/\(page.name).scd")
            if FileManager.default.fileExists(atPath: prose.path) {
                #expect(roff.contains(".SH DESCRIPTION"), "\(page.name): prose not inserted")
            }
        }
        let all = try FileManager.default.contentsOfDirectory(atPath: out.path)
            .map { try String(contentsOf: out.appendingPathComponent($0), encoding: .utf8) }.joined()
        for leaf in Self.visibleLeaves(root) {
            #expect(all.contains(".SS \(Tool.name) \(leaf.joined(separator: " "))\n"), "\(leaf)")
        }
    }

    /// `make install-docs` puts completions, man pages and docs under DESTDIR/PREFIX; `make uninstall`
    /// removes every file again.
    @Test(.needsTool("/usr/bin/scdoc", what: "scdoc")) func installHonoursDestdirAndUninstallRemovesAll() throws {
        let dest = FileManager.default.temporaryDirectory.appendingPathComponent("sbtrfs-dest-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dest) }
        let vars = ["DESTDIR=\(dest.path)", "PREFIX=/opt/sb", "MAN_BIN=\(Rig.sbtrfsPath)"]
        let install = try Rig.run(["make", "-s", "-C", Self.repo.path, "install-docs"] + vars)
        #expect(install.status == 0, "\(install)")
        let pages = ManPage.pages(CommandTree.root()).map { "share/man/man8/\($0.name).8" }
        let docs = Self.repo.appendingPathComponent("Docs")
        let guides = try FileManager.default.contentsOfDirectory(atPath: docs.path).filter { $0.hasSuffix(".md") }
            .map { "share/doc/sbtrfs/\($0)" }
        let rules = try FileManager.default.contentsOfDirectory(atPath: docs.appendingPathComponent("prometheus").path)
            .filter { $0.hasSuffix(".yml") }.map { "share/doc/sbtrfs/prometheus/\($0)" }
        let expected = ["share/bash-completion/completions/sbtrfs", "share/zsh/site-functions/_sbtrfs",
                        "share/fish/vendor_completions.d/sbtrfs.fish", "share/doc/sbtrfs/README.md"] + pages + guides + rules
        #expect(Self.files(under: dest).sorted() == expected.map { "opt/sb/" + $0 }.sorted())
        let bash = try String(contentsOf: dest.appendingPathComponent("opt/sb/share/bash-completion/completions/sbtrfs"),
                              encoding: .utf8)
        #expect(bash == BashCompletion.script(CompletionModel(root: CommandTree.root())))
        let uninstall = try Rig.run(["make", "-s", "-C", Self.repo.path, "uninstall"] + vars)
        #expect(uninstall.status == 0, "\(uninstall)")
        #expect(Self.files(under: dest).isEmpty)
    }

    /// Docs/DIFFERENCES.md stays one table: every row has its five cells, each filled in.
    @Test func differencesTableIsWellFormed() throws {
        let text = try String(contentsOf: Self.repo.appendingPathComponent("Docs/DIFFERENCES.md"), encoding: .utf8)
        // `\|` inside a cell is a literal bar.
        let rows = text.components(separatedBy: "\n").filter { $0.hasPrefix("|") }
            .map { $0.replacingOccurrences(of: "\\|", with: "/") }
        #expect(rows.count >= 4)
        for row in rows where !row.hasPrefix("|---") {
            let cells = row.split(separator: "|", omittingEmptySubsequences: false).dropFirst().dropLast()
                .map { $0.trimmingCharacters(in: .whitespaces) }
            #expect(cells.count == 5 && !cells.contains(""), "malformed row: \(row)")
        }
    }

    /// Regular files below `dir`, relative to it.
    static func files(under dir: URL) -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: dir.path) else { return [] }
        var found: [String] = []
        while let path = walker.nextObject() as? String {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: dir.appendingPathComponent(path).path, isDirectory: &isDir),
               !isDir.boolValue {
                found.append(path)
            }
        }
        return found
    }
}
