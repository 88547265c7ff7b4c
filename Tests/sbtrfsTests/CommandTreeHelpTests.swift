import Foundation
import Testing
import TestRig
@testable import sbtrfs

/// Every command in the tree prints `--help` as btrfs-progs prints the same command's, so a
/// command added by anyone is checked without writing a test for it. Commands progs does not
/// have (sbtrfs-only) are skipped, as is `version` (its summary names sbtrfs).
@Suite(.needsTool("/usr/bin/btrfs", "/bin/btrfs", what: "btrfs-progs"))
struct CommandTreeHelpTests {
    /// The token path of every leaf, e.g. ["filesystem", "df"].
    static func leaves(_ group: Group) -> [[String]] { commandPaths(group, visibleOnly: false) }

    @Test func everyCommandsHelpMatchesProgs() throws {
        var compared = 0
        for path in Self.leaves(CommandTree.root()) where path != ["version"] {
            let theirs = try Rig.run(["btrfs"] + path + ["--help"])
            guard theirs.status == 0 else { continue }
            let ours = try Rig.sbtrfs(path + ["--help"])
            #expect(ours.status == 0, "\(path)")
            expectSameText(Self.withoutNewerOptions(ours.stdout), asSbtrfs(theirs.stdout), "\(path.joined(separator: " ")) --help")
            compared += 1
        }
        #expect(compared >= 2)
    }

    /// Every group's `--help`: its usage lines and summary as progs', and the commands sbtrfs has
    /// listed as progs lists them, in progs' order.
    @Test func groupListingsFollowProgs() throws {
        var compared = 0
        for case .group(let group) in CommandTree.root().children {
            let theirs = try Rig.run(["btrfs", group.name, "--help"])
            guard theirs.status == 0 else { continue }
            let progs = asSbtrfs(theirs.stdout)
            let ours = try Rig.sbtrfs([group.name, "--help"]).stdout
            let head = { (text: String) in text.components(separatedBy: "\n\n").first ?? "" }
            #expect(head(ours) == head(progs), "\(group.name) usage lines")
            #expect(ours.hasSuffix("\n\n" + group.summary + "\n") && progs.hasSuffix("\n\n" + group.summary + "\n"),
                    "\(group.name) summary")
            var position = progs.startIndex
            for entry in ours.components(separatedBy: "\n    sbtrfs ").dropFirst() {
                if try !Self.progsHas(entry) { continue }
                let block = "\n    sbtrfs " + (entry.components(separatedBy: "\n\n").first ?? entry)
                guard let found = progs.range(of: block, range: position..<progs.endIndex) else {
                    Issue.record("\(group.name): not in progs' listing, or out of progs' order:\(block)")
                    continue
                }
                position = found.upperBound
                compared += 1
            }
        }
        #expect(compared >= 1)
    }

    /// Whether progs has the command a listing block starts with ("filesystem usage-report <path>…"):
    /// sbtrfs-only commands have nothing to compare with.
    static func progsHas(_ block: String) throws -> Bool {
        let words = block.prefix { $0 != "\n" }.split(separator: " ").prefix { $0.allSatisfy { $0.isLetter || $0 == "-" } }
        return try Rig.run(["btrfs"] + words.prefix(2).map(String.init) + ["--help"]).status == 0
    }

    /// Help lines of options newer than progs 6.2 (taken from a later progs, word for word), which
    /// 6.2's help cannot show: `filesystem defragment -L` (progs 6.14).
    static let newerOptionLabels = ["    -L|--level level "]

    /// `text` without the help lines of `newerOptionLabels` (each with its wrapped continuation).
    static func withoutNewerOptions(_ text: String) -> String {
        var kept: [Substring] = []
        var dropping = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if newerOptionLabels.contains(where: { line.hasPrefix($0) }) {
                dropping = true
                continue
            }
            if dropping && line.hasPrefix(String(repeating: " ", count: 30)) { continue }
            dropping = false
            kept.append(line)
        }
        return kept.joined(separator: "\n")
    }

    /// The same texts inside `help --full`, where progs indents them as a listing.
    @Test func fullListingBlocksMatchProgs() throws {
        let theirs = asSbtrfs(try Rig.run(["btrfs", "help", "--full"]).stdout)
        let ours = Self.withoutNewerOptions(try Rig.sbtrfs(["help", "--full"]).stdout)
        var compared = 0
        for block in ours.components(separatedBy: "\n\n    sbtrfs ").dropFirst() where !block.hasPrefix("version\n") {
            if try !Self.progsHas(block) { continue }
            let text = "\n\n    sbtrfs " + (block.components(separatedBy: "\n\nUse --help").first ?? block)
            #expect(theirs.contains(text + "\n\n"), "block not in progs' help --full:\(text)")
            compared += 1
        }
        #expect(compared >= 2)
    }
}
