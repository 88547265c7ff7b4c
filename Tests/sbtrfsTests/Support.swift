import Foundation
import Testing
import TestRig
@testable import sbtrfs

/// The token path of every command below `group`, e.g. ["filesystem", "df"]; hidden ones left
/// out when `visibleOnly`.
func commandPaths(_ group: Group, visibleOnly: Bool, prefix: [String] = []) -> [[String]] {
    group.children.filter { !visibleOnly || !$0.hidden }.flatMap { child -> [[String]] in
        switch child {
        case .group(let sub): return commandPaths(sub, visibleOnly: visibleOnly, prefix: prefix + [sub.name])
        case .command(let command): return [prefix + [command.name]]
        }
    }
}

/// progs' output with its program name as sbtrfs prints it: `btrfs` where it names the tool
/// (start of a line, after `usage: `, in listings and quoted hints), nowhere else.
func asSbtrfs(_ text: String) -> String {
    text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
        var line = String(line)
        for prefix in ["btrfs ", "btrfs:", "usage: btrfs ", "   or: btrfs ", "    btrfs ", "        btrfs "] where line.hasPrefix(prefix) {
            line = line.replacingOccurrences(of: "btrfs", with: "sbtrfs", options: .anchored,
                                             range: line.range(of: "btrfs"))
            break
        }
        return line.replacingOccurrences(of: "'btrfs ", with: "'sbtrfs ").replacingOccurrences(of: "\"btrfs ", with: "\"sbtrfs ")
    }.joined(separator: "\n")
}

/// Runs `sbtrfs args` and `btrfs args` and expects the same status, stdout and stderr (program
/// name normalised). A filesystem can change under two runs (a commit in between), so the
/// oracle runs before and after ours, and ours must equal one of them; up to 3 tries.
func expectSameAsProgs(_ args: [String], asUser: String? = nil,
                       sourceLocation: SourceLocation = #_sourceLocation) throws {
    var last: (ProcessResult, ProcessResult)?
    for _ in 0..<3 {
        let before = try Rig.run(["btrfs"] + args, asUser: asUser)
        let ours = try Rig.sbtrfs(args, asUser: asUser)
        let after = try Rig.run(["btrfs"] + args, asUser: asUser)
        for theirs in [before, after] where same(ours, theirs) { return }
        last = (ours, before)
    }
    guard let (ours, theirs) = last else { return }
    let what = "sbtrfs \(args.joined(separator: " "))\(asUser.map { " as \($0)" } ?? "")"
    #expect(ours.status == theirs.status, "\(what): status", sourceLocation: sourceLocation)
    expectSameText(ours.stdout, asSbtrfs(theirs.stdout), "\(what): stdout", sourceLocation: sourceLocation)
    expectSameText(ours.stderr, asSbtrfs(theirs.stderr), "\(what): stderr", sourceLocation: sourceLocation)
}

private func same(_ ours: ProcessResult, _ theirs: ProcessResult) -> Bool {
    ours.status == theirs.status && ours.stdout == asSbtrfs(theirs.stdout)
        && ours.stderr == asSbtrfs(theirs.stderr)
}
