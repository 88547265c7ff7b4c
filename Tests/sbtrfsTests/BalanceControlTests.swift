import Foundation
import Testing
import TestRig

/// `balance status/pause/resume/cancel` while a balance runs, from other processes, against
/// btrfs-progs on the same filesystem; and refusals, each leaving the chunk tree as it was.
@Suite(.needsRig, .needsTool("/usr/bin/btrfs", "/bin/btrfs", what: "btrfs-progs"))
struct BalanceControlTests {
    typealias Background = BalanceFixture.Background

    /// Waits until `status` reports a running balance; its output then.
    static func waitUntilRunning(_ mnt: String) throws -> ProcessResult? {
        var seen: ProcessResult?
        _ = try Background.poll {
            let r = try Rig.sbtrfs(["balance", "status", mnt])
            if r.status == 1 && r.stdout.contains("is running") { seen = r }
            return seen != nil
        }
        return seen
    }

    /// `N out of about M chunks balanced (K considered), P% left` as progs prints it.
    static func countsLine(_ text: String) -> Bool {
        text.split(separator: "\n").contains { line in
            line.range(of: #"^\d+ out of about \d+ chunks balanced \(\d+ considered\), +(\d+|nan|-?inf)% left$"#,
                       options: .regularExpression) != nil
        }
    }

    @Test func statusPauseResumeCancelFromOtherProcesses() throws {
        try Rig.withFilesystem(FSSpec(deviceSize: 1 << 30)) { fs in
            let mnt = fs.mountPoint
            try BalanceFixture.slowToRelocate(mnt)
            // Nothing running: every command as progs, status 0 and 2.
            for args in [["balance", "status", mnt], ["balance", "pause", mnt], ["balance", "cancel", mnt],
                         ["balance", "resume", mnt], ["balance", "status", "-v", mnt]] {
                try expectSameAsProgs(args)
            }
            let none = try Rig.sbtrfs(["--format", "json", "balance", "status", mnt])
            #expect(none.status == 0 && none.stdout.contains("\"state\": \"none\""), "\(none)")

            // Started by sbtrfs, watched by both, paused by btrfs-progs.
            let start = try Background([Rig.sbtrfsPath, "balance", "start", "--full-balance", mnt])
            let running = try Self.waitUntilRunning(mnt)
            try #require(running != nil, "the balance was never seen running: \(start.stdout)\(start.stderr)")
            #expect(running!.stdout.hasPrefix("Balance on '\(mnt)' is running\n") && Self.countsLine(running!.stdout))
            let progsRunning = try Rig.run(["btrfs", "balance", "status", mnt])
            #expect(progsRunning.status == 1 && Self.countsLine(progsRunning.stdout), "\(progsRunning)")
            let pause = try Rig.run(["btrfs", "balance", "pause", mnt])
            #expect(pause.status == 0, "\(pause)")
            #expect(start.wait() == 0)
            #expect(start.stderr == "balance paused by user\n" && start.stdout.isEmpty, "\(start.stdout)\(start.stderr)")

            // Paused: the same bytes as progs, -v's dump of the filters too; JSON has the numbers.
            for args in [["balance", "status", mnt], ["balance", "status", "-v", mnt], ["-v", "balance", "status", mnt],
                         ["balance", "status", mnt, "-v"], ["balance", "start", "-dusage=5", mnt]] {
                try expectSameAsProgs(args)
            }
            let text = try Rig.run(["btrfs", "balance", "status", mnt]).stdout
            let json = try Rig.sbtrfs(["--format", "json", "balance", "status", mnt])
            #expect(json.status == 1)
            let document = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
            let status = document?["balance-status"] as? [String: Any]
            #expect(status?["state"] as? String == "paused")
            let numbers = ["completed", "expected", "considered"].map { (status?[$0] as? NSNumber)?.uint64Value }
            #expect(text.contains("\(numbers[0] ?? 0) out of about \(numbers[1] ?? 0) chunks balanced (\(numbers[2] ?? 0) considered)"),
                    "\(json.stdout) vs \(text)")

            // Resumed by btrfs-progs, cancelled by sbtrfs: how progs' resume ends.
            let progsResume = try Background(["btrfs", "balance", "resume", mnt])
            _ = try Self.waitUntilRunning(mnt)
            let cancel = try Rig.sbtrfs(["balance", "cancel", mnt])
            #expect(cancel.status == 0 && cancel.stderr.isEmpty, "\(cancel)")
            let progsResumeStatus = progsResume.wait()
            try expectSameAsProgs(["balance", "status", mnt])

            // The same again with the roles swapped: ours resumes, progs cancels; same ending.
            let again = try Background(["btrfs", "balance", "start", "--full-balance", mnt])
            _ = try Self.waitUntilRunning(mnt)
            let ourPause = try Rig.sbtrfs(["balance", "pause", mnt])
            #expect(ourPause.status == 0 && ourPause.stdout.isEmpty && ourPause.stderr.isEmpty, "\(ourPause)")
            again.wait()
            let ourResume = try Background([Rig.sbtrfsPath, "balance", "resume", mnt])
            _ = try Self.waitUntilRunning(mnt)
            #expect(try Rig.run(["btrfs", "balance", "cancel", mnt]).status == 0)
            #expect(ourResume.wait() == progsResumeStatus)
            #expect(ourResume.stderr == asSbtrfs(progsResume.stderr) && ourResume.stdout == progsResume.stdout,
                    "ours: \(ourResume.stdout)\(ourResume.stderr) progs: \(progsResume.stdout)\(progsResume.stderr)")
            try expectSameAsProgs(["balance", "status", mnt])

            // --background returns at once; the balance runs on, and ends.
            let background = try Rig.sbtrfs(["balance", "start", "--bg", "-dusage=100", mnt])
            #expect(background.status == 0 && background.stdout.isEmpty && background.stderr.isEmpty, "\(background)")
            #expect(try Background.poll(seconds: 60) { try Rig.sbtrfs(["balance", "status", mnt]).status == 0 })
        }
    }

    /// Every refusal: the same answer as progs on the same filesystem, and no chunk moved.
    @Test func refusalsChangeNothing() throws {
        try Rig.withFilesystem(FSSpec(devices: 2, deviceSize: 1 << 30, data: "raid1", metadata: "raid1")) { fs in
            let mnt = fs.mountPoint
            try BalanceFixture.writeFiles(mnt, count: 40, size: 1 << 20)
            try Rig.sh("sync")
            let before = try BalanceFixture.chunkTree(mnt)
            // Each ends in the mount point unless it names another path or none.
            let refused: [[String]] = [
                ["-dusage=101"], ["-dusage=abc"], ["-dusage="], ["-dusage"], ["-dfoo=1"], ["-dprofiles=raid7"],
                ["-dprofiles="], ["-dconvert=bogus"], ["-dconvert="], ["-ddevid=0"], ["-ddevid=x"],
                ["-ddrange=5..5"], ["-ddevid=1,drange=10..5"], ["-dsoft"], ["-ddrange=0..10"], ["-sconvert=single"],
                ["-s"], ["-dlimit=5..3"], ["-dlimit=x"], ["-dstripes=x"], ["-dstripes=1"], ["-dvrange=.."],
                ["-dvrange=9..1"], ["-dusage=..200,limit=99999999999..", "-v"],
                // The kernel's refusals: less redundancy without -f, profiles the devices cannot hold.
                ["-mconvert=single"], ["-mconvert=raid0"], ["-dconvert=raid1c3"], ["-dconvert=raid6", "-f"],
                ["-dconvert=raid1c4,soft"],
                // Arguments.
                ["--bogus"], ["-x"], ["-dusage=5", "--full-balance=1"], ["--bg=1"],
            ]
            let wrongPaths: [[String]] = [
                [], ["-dusage=5", mnt, mnt], ["-dusage=5", "/nonexistent"], ["-dusage=5", "/proc"],
                ["-dusage=5", mnt + "/f1"], ["-dusage=5"],
            ]
            for args in refused.map({ $0 + [mnt] }) + wrongPaths {
                let full = ["balance", "start"] + args
                try expectSameAsProgs(full)
                let ours = try Rig.sbtrfs(full)
                #expect(ours.status != 0, "\(args): \(ours)")
                #expect(try BalanceFixture.chunkTree(mnt) == before, "\(args) changed the chunk tree")
            }
            for args in [["balance", "pause", "-x", mnt], ["balance", "cancel", mnt, mnt], ["balance", "resume"],
                         ["balance", "status"], ["balance", "status", "--bogus", mnt], ["balance", "status", "/nonexistent"],
                         ["balance", "status", "/proc"], ["balance", "pause", "/nonexistent"], ["balance", "/nonexistent"],
                         ["balance", "status"], ["balance", "start"], ["balance", "--full-balance", "/proc"]] {
                try expectSameAsProgs(args)
                #expect(try BalanceFixture.chunkTree(mnt) == before, "\(args) changed the chunk tree")
            }
            // A full balance without filters warns and counts down; Ctrl-C during it stops
            // everything, as in progs.
            for tool in [["btrfs"], [Rig.sbtrfsPath]] {
                let run = try Background(tool + ["balance", "start", mnt])
                #expect(try Background.poll(seconds: 5) { run.stdout.hasSuffix("Use Ctrl-C to stop it.\n10") })
                run.send(SIGINT)
                #expect(run.wait() == 128 + SIGINT)
                #expect(run.stdout.hasPrefix("WARNING:\n\n\tFull balance without filters requested."), "\(run.stdout)")
            }
            #expect(try BalanceFixture.chunkTree(mnt) == before, "an interrupted countdown changed the chunk tree")
        }
    }
}
