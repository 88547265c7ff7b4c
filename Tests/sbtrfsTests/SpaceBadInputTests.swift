import Foundation
import Testing
import TestRig

/// Wrong paths, options and counts: the same messages and status as btrfs-progs.
@Suite(.needsRig) struct SpaceBadInputTests {
    @Test func errorsMatchProgs() throws {
        try Rig.withFilesystem(FSSpec()) { scratch in
            let mnt = scratch.mountPoint
            try Rig.sh("echo x > \(mnt)/file && sync")
            let cases: [[String]] = [
                ["filesystem", "usage"], ["filesystem", "usage", "/nonexistent"], ["filesystem", "usage", "/proc"],
                ["filesystem", "usage", "-x", mnt], ["filesystem", "usage", mnt + "/file"],
                ["device", "usage"], ["device", "usage", "/nonexistent"], ["device", "usage", "-x", mnt],
                ["device", "usage", "/proc"],
                ["device", "stats"], ["device", "stats", mnt, mnt], ["device", "stats", "/nonexistent"],
                ["device", "stats", "/proc"], ["device", "stats", "-q", mnt], ["device", "stats", mnt + "/file"],
                ["filesystem", "show", ""], ["filesystem", "show", "-x"], ["filesystem", "show", mnt, mnt],
                ["--format", "json", "filesystem", "df", "/nonexistent"],
            ]
            for args in cases { try expectSameAsProgs(args) }
            // Our own commands: one ERROR line, status 1, nothing on stdout.
            for args in [["filesystem", "usage-report", "/proc"], ["filesystem", "metrics", "/nonexistent"],
                         ["filesystem", "usage-report"], ["filesystem", "metrics", "/proc"]] {
                let r = try Rig.sbtrfs(args)
                #expect(r.status == 1 && r.stdout.isEmpty, "\(args): \(r)")
                #expect(r.stderr.split(separator: "\n").count == 1, "\(args): \(r)")
            }
        }
    }
}
