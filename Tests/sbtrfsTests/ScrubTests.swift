import Foundation
import Testing
import TestRig
import Btrfs

/// scrub on real filesystems. The status file is progs' own, so `btrfs scrub status` and
/// `sbtrfs scrub status` must print the same bytes from it, whichever tool ran the scrub; a
/// damaged mirror must be found and repaired with progs' counters and exit status.
@Suite(.needsRig, .needsTool("/usr/bin/btrfs", "/bin/btrfs", what: "btrfs-progs"))
struct ScrubTests {
    /// Writes a marked file, then overwrites 64 KiB of its data on the images given (one copy
    /// each), without reading it back (a read would repair it).
    static func corrupt(_ scratch: ScrubFixture, images: [String]) throws {
        let located = try Rig.overwriteMarker("SBTRFS-SCRUB-MARK-", in: images, random: true)
        try #require(located.status == 0, "\(located)")
        try Rig.sh("echo 3 > /proc/sys/vm/drop_caches")
    }

    typealias ScrubFixture = ScratchFS

    static func writeMarked(_ mnt: String) throws {
        let written = try Rig.python("""
            import sys
            block = b'SBTRFS-SCRUB-MARK-' + bytes(range(256)) * 15
            with open(sys.argv[1], 'wb') as f:
                f.write((block * 300)[:1 << 20])
            """, args: [mnt + "/victim"])
        try #require(written.status == 0, "\(written)")
        try Rig.sh("sync")
    }

    /// The -B report without what depends on the clock (start time, duration, rate) or on chunks
    /// allocated between two runs (the total: scrub marks block groups read-only).
    static func timeless(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.hasPrefix("Scrub started:") && !$0.hasPrefix("Scrub resumed:") && !$0.hasPrefix("Duration:")
                && !$0.hasPrefix("Rate:") && !$0.hasPrefix("Total to scrub:") }
            .joined(separator: "\n")
    }

    /// Both tools' status of the same status file, in every form.
    static func statusesMatch(_ target: String) throws {
        for options in [[], ["-d"], ["-R"], ["-dR"], ["--raw"], ["--si", "-d"], ["--kbytes"]] {
            try expectSameAsProgs(["scrub", "status"] + options + [target])
        }
    }

    /// The same for a device operand: stdout and status only, since progs scans every block
    /// device for it and reports the loop devices of tests running beside this one.
    /// "Total to scrub" is the space used now, which a commit between two runs moves: progs'
    /// text is taken on both sides of ours.
    static func deviceStatusesMatch(_ device: String) throws {
        for options in [[], ["-d"], ["-dR"]] {
            let args = ["scrub", "status"] + options + [device]
            let before = try Rig.run(["btrfs"] + args), ours = try Rig.sbtrfs(args), after = try Rig.run(["btrfs"] + args)
            #expect(ours.status == before.status && ours.stderr.isEmpty, "\(args): \(ours)")
            expectSameAsEither(ours.stdout, before.stdout, after.stdout, "\(args)")
        }
    }

    /// `ours` is one of two texts progs printed around it (else the difference from the first).
    static func expectSameAsEither(_ ours: String, _ first: String, _ second: String, _ label: String) {
        if ours != second { expectSameText(ours, first, label) }
    }

    @Test func repairsAMirrorAsProgs() throws {
        try Rig.withFilesystem(FSSpec(deviceSizes: [1 << 30, 3 << 29], data: "raid1", metadata: "raid1")) { scratch in
            let mnt = scratch.mountPoint
            try Self.writeMarked(mnt)
            // One copy damaged: found, corrected, status 0 with progs' warning.
            try Self.corrupt(scratch, images: [scratch.images[0]])
            let ours = try Rig.sbtrfs(["scrub", "start", "-B", mnt])
            #expect(ours.status == 0, "\(ours)")
            #expect(ours.stderr == "WARNING: errors detected during scrubbing, corrected\n", "\(ours)")
            #expect(ours.stdout.contains("  Corrected:      ") && !ours.stdout.contains("  Corrected:      0\n"), "\(ours)")
            try Self.statusesMatch(mnt)
            try Self.deviceStatusesMatch(scratch.devices[1])

            try Self.corrupt(scratch, images: [scratch.images[0]])
            let theirs = try Rig.run(["btrfs", "scrub", "start", "-B", mnt])
            #expect(theirs.status == ours.status && theirs.stderr == ours.stderr)
            expectSameText(Self.timeless(ours.stdout), Self.timeless(theirs.stdout), "scrub start -B")
            try Self.statusesMatch(mnt)

            // Both copies damaged: uncorrectable, status 3 and progs' error; per device and raw.
            try Self.corrupt(scratch, images: scratch.images)
            // Read-only scrubs, so the damage stays; progs runs before and after ours, since a commit
            // between runs can move the raw counters of what was scrubbed.
            let badProgs = try Rig.run(["btrfs", "scrub", "start", "-B", "-d", "-R", "-r", mnt])
            let bad = try Rig.sbtrfs(["scrub", "start", "-B", "-d", "-R", "-r", mnt])
            let badProgsAgain = try Rig.run(["btrfs", "scrub", "start", "-B", "-d", "-R", "-r", mnt])
            #expect(bad.status == 3 && badProgs.status == 3, "\(bad)\n\(badProgs)")
            #expect(bad.stderr == badProgs.stderr && bad.stderr.contains("ERROR: there are uncorrectable errors"))
            Self.expectSameAsEither(Self.timeless(bad.stdout), Self.timeless(badProgs.stdout),
                                    Self.timeless(badProgsAgain.stdout), "scrub start -B -d -R -r")
            try Self.statusesMatch(mnt)
        }
    }

    @Test func backgroundCancelResumeAndStatusAsProgs() throws {
        try Rig.withFilesystem(FSSpec(deviceSize: 1 << 30)) { scratch in
            let mnt = scratch.mountPoint
            try Rig.sh("head -c 24000000 /dev/urandom > \(mnt)/data && sync")
            let show = try Rig.run(["btrfs", "filesystem", "show", mnt]).stdout
            let fsid = show.range(of: "uuid: ").map { String(show[$0.upperBound...].prefix(36)) } ?? ""
            let limit = "/sys/fs/btrfs/\(fsid)/devinfo/1/scrub_speed_max"
            try #require(FileManager.default.fileExists(atPath: limit), "no \(limit)")
            try Rig.sh("echo 4m > \(limit)")

            // Nothing to resume and nothing to cancel yet.
            try expectSameAsProgs(["scrub", "cancel", mnt])
            let started = try Self.startInBackground([Rig.sbtrfsPath, "scrub", "start", mnt])
            #expect(started.status == 0 && started.stderr.isEmpty, "\(started)")
            #expect(started.stdout.hasPrefix("scrub started on \(mnt), fsid \(fsid) (pid="), "\(started)")
            try Self.waitForRecord(fsid: fsid, field: "finished:0", started: true)
            try expectSameAsProgs(["scrub", "status", mnt])
            // Started again while it runs: progs' refusal.
            try expectSameAsProgs(["scrub", "start", mnt])
            let cancel = try Rig.sbtrfs(["scrub", "cancel", mnt])
            #expect(cancel.status == 0 && cancel.stdout == "scrub cancelled\n", "\(cancel)")
            try Self.waitForRecord(fsid: fsid, field: "canceled:1")
            try Self.statusesMatch(mnt)

            try Rig.sh("echo 0 > \(limit)")
            let resumed = try Rig.sbtrfs(["scrub", "resume", "-B", mnt])
            #expect(resumed.status == 0, "\(resumed)")
            #expect(resumed.stdout.hasPrefix("scrub done for \(fsid)\n") && resumed.stdout.contains("Status:           finished"),
                    "\(resumed)")
            // The file adds the earlier run: status says resumed.
            try Self.statusesMatch(mnt)
            #expect(try Rig.sbtrfs(["scrub", "status", mnt]).stdout.contains("Scrub resumed:"))
            try expectSameAsProgs(["scrub", "resume", mnt])

            // The other way round: progs scrubs in the background, sbtrfs reads its file.
            let progs = try Self.startInBackground(["btrfs", "scrub", "start", mnt])
            #expect(progs.status == 0, "\(progs)")
            try Self.waitForRecord(fsid: fsid, field: "finished:1")
            try Self.statusesMatch(mnt)
        }
    }

    /// Runs a command that leaves a scrub running in a child: through python with close_fds and
    /// output in files, so no descriptor of the test runner keeps it waiting for the child's end.
    static func startInBackground(_ argv: [String]) throws -> ProcessResult {
        let r = try Rig.python("""
            import subprocess, sys, tempfile
            with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
                p = subprocess.run(sys.argv[1:], stdin=subprocess.DEVNULL, stdout=out, stderr=err, close_fds=True)
                out.seek(0); err.seek(0)
                sys.stdout.buffer.write(out.read()); sys.stderr.buffer.write(err.read())
                sys.exit(p.returncode)
            """, args: argv)
        return r
    }

    /// Waits (up to 20 s) until the status file's line carries `field` (and, with `started`, a
    /// start time: the scrub's first progress report, so the kernel runs it).
    static func waitForRecord(fsid: String, field: String, started: Bool = false) throws {
        for _ in 0..<200 {
            let text = (try? String(contentsOfFile: "/var/lib/btrfs/scrub.status.\(fsid)", encoding: .utf8)) ?? ""
            if text.contains("|" + field) && (!started || (text.contains("|t_start:") && !text.contains("|t_start:0|"))) {
                // The writer exits right after its last write.
                usleep(200_000)
                return
            }
            usleep(100_000)
        }
        Issue.record("status file never showed \(field)")
    }

    @Test func refusedAsProgs() throws {
        try Rig.withFilesystem(FSSpec(deviceSize: 512 << 20)) { scratch in
            let mnt = scratch.mountPoint
            for args in [["scrub", "start"], ["scrub", "start", "-x", mnt], ["scrub", "start", mnt, mnt],
                         ["scrub", "start", "/nonexistent"], ["scrub", "start", "-B", "/dev/null"],
                         ["scrub", "status"], ["scrub", "status", "-x", mnt], ["scrub", "status", "/proc"],
                         ["scrub", "cancel"], ["scrub", "cancel", "-x", mnt], ["scrub", "resume", "-B", "/nonexistent"],
                         ["scrub", "status", mnt], ["scrub", "status", "-d", scratch.devices[0]]] {
                try expectSameAsProgs(args)
            }
        }
    }
}

/// The status file format on its own: what progs writes reads back, odd lines are skipped.
struct ScrubStatusFileTests {
    @Test func roundTripAndOddLines() {
        var record = ScrubRecord(fsid: "0a1b2c3d-0000-4000-8000-123456789abc", devid: 3)
        record.progress.dataBytesScrubbed = 123_456
        record.progress.correctedErrors = 7
        record.progress.lastPhysical = UInt64(Int64.max)
        record.stats.tStart = 1_700_000_000
        record.stats.duration = 61
        record.stats.finished = 1
        let bytes = ScrubStatusFile.encode([record])
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.hasPrefix("scrub status:1\n0a1b2c3d-0000-4000-8000-123456789abc:3|data_extents_scrubbed:0|"))
        #expect(text.hasSuffix("|t_start:1700000000|t_resumed:0|duration:61|canceled:0|finished:1\n"))
        let decoded = ScrubStatusFile.decode(bytes)
        #expect(decoded.records == [record] && decoded.invalid.isEmpty && decoded.failure == nil)

        #expect(ScrubStatusFile.decode([]).failure == .empty)
        #expect(ScrubStatusFile.decode(Array("scrub status:2\n".utf8)).failure == .unsupportedVersion)
        let odd = ScrubStatusFile.decode(Array("scrub status:1\nnot-a-uuid:1|x:1\n\(text.split(separator: "\n")[1])|bogus:5\n".utf8))
        #expect(odd.records.count == 1 && odd.invalid.count == 2 && odd.records.first?.progress.correctedErrors == 7)
    }
}
