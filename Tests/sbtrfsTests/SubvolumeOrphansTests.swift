import Foundation
import Testing
import TestRig
@testable import sbtrfs
import Btrfs

/// `subvolume orphan-cleaner-progress` against python-btrfs' btrfs-orphan-cleaner-progress.
@Suite(.serialized) struct SubvolumeOrphansTests {
    /// Runs a never-ending reporter for a moment, then interrupts it as a user would.
    func interrupted(_ argv: [String]) throws -> ProcessResult {
        try Rig.run(["/bin/sh", "-c", "timeout -s INT 3 \"$@\"; echo \"status $?\"", "sh"] + argv)
    }

    @Test(.needsRig) func orphanCleanerProgressMatchesPythonBtrfs() throws {
        try Rig.withFilesystem(FSSpec(deviceSize: 1 << 30)) { fs in
            let m = fs.mountPoint
            let theirsEmpty = try interrupted(["/usr/bin/btrfs-orphan-cleaner-progress", m])
            let oursEmpty = try interrupted([Rig.sbtrfsPath, "subvolume", "orphan-cleaner-progress", m])
            expectSameText(oursEmpty.stdout, theirsEmpty.stdout, "orphan-cleaner-progress \(m)")
            expectSameText(oursEmpty.stderr, theirsEmpty.stderr, "orphan-cleaner-progress \(m) stderr")
            // Errors: python prints OSError text on stdout or `Error: …` on stderr, exit 1; sbtrfs
            // one ERROR line with the same reason on stderr, nothing on stdout, exit 1.
            for target in ["/nonexistent-sbtrfs", "/proc"] {
                let theirs = try interrupted(["/usr/bin/btrfs-orphan-cleaner-progress", target])
                let ours = try interrupted([Rig.sbtrfsPath, "subvolume", "orphan-cleaner-progress", target])
                expectOneErrorLine(ours, like: theirs, "orphan-cleaner-progress \(target)")
            }
            // A deleted subvolume left uncleaned (read-only remount): one orphan to clean.
            try SubvolumeFixture.leaveDeletedSubvolume(fs)
            let theirs = try interrupted(["/usr/bin/btrfs-orphan-cleaner-progress", m])
            let ours = try interrupted([Rig.sbtrfsPath, "subvolume", "orphan-cleaner-progress", m])
            #expect(theirs.stdout.hasPrefix("1 orphans left to clean\n"), "\(theirs.stdout)")
            expectSameText(ours.stdout, theirs.stdout, "orphan-cleaner-progress with an orphan")
            let asUser = try Rig.run(["/bin/sh", "-c", "timeout -s INT 3 \"$@\"; echo \"status $?\"", "sh",
                                      Rig.sbtrfsPath, "subvolume", "orphan-cleaner-progress", m], asUser: "nobody")
            let theirsAsUser = try Rig.run(["/bin/sh", "-c", "timeout -s INT 3 \"$@\"; echo \"status $?\"", "sh",
                                            "/usr/bin/btrfs-orphan-cleaner-progress", m], asUser: "nobody")
            expectOneErrorLine(asUser, like: theirsAsUser, "as nobody")
        }
    }

    /// `ours` failed as `theirs` (the python program) did, with its words on one ERROR line.
    func expectOneErrorLine(_ ours: ProcessResult, like theirs: ProcessResult, _ what: String,
                            sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(theirs.stdout.hasSuffix("status 1\n"), "\(what): python \(theirs)", sourceLocation: sourceLocation)
        #expect(ours.stdout == "status 1\n", "\(what): \(ours)", sourceLocation: sourceLocation)
        let lines = ours.stderr.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].hasPrefix("ERROR: "), "\(what): \(ours)", sourceLocation: sourceLocation)
        // The reason python gave: its first line without the `[Errno N] ` / `Error: ` prefix and
        // the path; its hint's first sentence.
        let said = String((theirs.stderr.isEmpty ? theirs.stdout : theirs.stderr).split(separator: "\n").first ?? "")
        var reason = said.replacingOccurrences(of: "Error: ", with: "")
        if let bracket = reason.range(of: "] ") { reason = String(reason[bracket.upperBound...]) }
        reason = String(reason.split(separator: ":").first ?? "")
        #expect(!reason.isEmpty && ours.stderr.contains(reason), "\(what): \(ours) vs \(theirs)",
                sourceLocation: sourceLocation)
    }

    /// drop_progress keys print as python-btrfs prints keys.
    @Test func keyTextMatchesPythonBtrfs() throws {
        let keys: [Key] = [Key(257, 1, 0), Key(300, 108, 4096), Key(UInt64(bitPattern: -5), 48, 259),
                           Key(256, 132, .max), Key(5, 132, 2), Key(1, 216, 1), Key(0, 246, (1 << 48) + 5),
                           Key(.max, 255, .max), Key(0, 242, 7), Key(0x1234, 251, 0xabcdef), Key(0, 249, 1),
                           Key(256, 228, 0), Key(7, 204, 9), Key(UInt64(bitPattern: -9), 84, 17), Key(260, 7, 3)]
        let script = """
            import btrfs, sys
            for arg in sys.argv[1:]:
                o, t, f = map(int, arg.split(','))
                print(btrfs.ctree.Key(o, t, f))
            """
        let r = try Rig.python(script, args: keys.map { "\($0.objectID),\($0.type),\($0.offset)" })
        #expect(r.status == 0, "\(r.stderr)")
        expectSameText(keys.map(pythonKeyText).joined(separator: "\n") + "\n", r.stdout, "key text")
    }
}
