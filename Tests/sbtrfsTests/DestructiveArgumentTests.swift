import Foundation
import Testing
import TestRig

/// Destructive commands touch nothing when their arguments are wrong. `device stats -z` resets
/// the error counters: with counters that are not zero (a corrupted mirror read back), every
/// malformed invocation must fail and leave them exactly as they were.
@Suite(.needsRig) struct DestructiveArgumentTests {
    @Test func deviceStatsResetLeavesCountersOnBadArguments() throws {
        try Rig.withFilesystem(FSSpec(deviceSizes: [1 << 30, 3 << 29], data: "raid1", metadata: "raid1")) { scratch in
            let mnt = scratch.mountPoint
            try DeviceStatsTests.corruptMirror(scratch)
            let before = try Rig.run(["btrfs", "device", "stats", "-c", mnt])
            try #require(before.status == 64, "\(before)")
            let bad: [[String]] = [
                ["device", "stats", "-z", "--bogus", mnt],
                ["device", "stats", "-z", "-x", mnt],
                ["device", "stats", "-zx", mnt],
                ["device", "stats", "--reset=1", mnt],
                ["device", "stats", "--rese", mnt, "--check=yes"],
                ["device", "stats", "-z", mnt, mnt],
                ["device", "stats", "-z", mnt, "extra"],
                ["device", "stats", "-z"],
                ["device", "stats", "-z", "/nonexistent"],
                ["device", "stats", "-z", "/"],
                ["device", "stats", "-z", "/dev/null"],
                ["device", "stats", "-z", mnt + "/victim"],
                ["device", "stats", "-z", ""],
                ["--format", "bogus", "device", "stats", "-z", mnt],
                ["--bogus", "device", "stats", "-z", mnt],
                ["--log", "bogus", "device", "stats", "-z", mnt],
                ["--format", "json", "device", "stats", "-z", mnt, "--bogus"],
                ["device", "stat", "-z", "--", "-z", mnt],
                ["device", "stats", "-z", "-T", "-c", "--", mnt, "x"],
            ]
            for args in bad {
                let ours = try Rig.sbtrfs(args)
                // 129: an unknown global option, as progs.
                #expect(ours.status != 0 && (ours.status < 128 || ours.status == 129), "\(args): \(ours)")
                #expect(!ours.stderr.isEmpty, "\(args): nothing on stderr")
                let now = try Rig.run(["btrfs", "device", "stats", "-c", mnt])
                #expect(now.stdout == before.stdout && now.status == 64, "\(args) reset the counters:\n\(now.stdout)")
            }
            // The good invocation does reset them: the check above can see a reset.
            let reset = try Rig.sbtrfs(["device", "stats", "-z", mnt])
            #expect(reset.status == 0, "\(reset)")
            let after = try Rig.run(["btrfs", "device", "stats", "-c", mnt])
            #expect(after.status == 0 && after.stdout != before.stdout, "\(after)")
        }
    }
}
