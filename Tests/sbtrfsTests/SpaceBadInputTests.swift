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

    /// A mount point and a label that are not UTF-8: paths and names are bytes, printed and
    /// matched as progs does.
    @Test func nonUTF8PathAndLabel() throws {
        try Rig.withFilesystem(FSSpec(devices: 2, deviceSize: 1 << 30, data: "raid1", metadata: "raid1")) { scratch in
            let weird = "\(scratch.directory)/m$(printf '\\377')"
            try Rig.sh("btrfs filesystem label \(scratch.mountPoint) \"$(printf 'lab\\376l')\" && mkdir \"\(weird)\" "
                       + "&& mount --bind \(scratch.mountPoint) \"\(weird)\"")
            defer { _ = try? Rig.run(["/bin/sh", "-c", "umount \"\(weird)\"; rmdir \"\(weird)\""]) }
            let sbtrfs = Rig.sbtrfsPath
            for args in ["filesystem usage", "filesystem usage -T", "device usage", "device stats",
                         "--format json device stats", "filesystem show"] {
                for target in ["\"\(weird)\"", "\"$(printf 'lab\\376l')\""] where args == "filesystem show" || target.contains("/m") {
                    let ours = try Rig.run(["/bin/sh", "-c", "\(sbtrfs) \(args) \(target)"])
                    let theirs = try Rig.run(["/bin/sh", "-c", "btrfs \(args) \(target)"])
                    #expect(theirs.status == 0 && !theirs.stdoutBytes.isEmpty, "\(args) \(target): \(theirs)")
                    #expect(ours.stdoutBytes == theirs.stdoutBytes, "\(args) \(target)\n\(ours)\n\(theirs)")
                    #expect(ours.status == theirs.status)
                }
            }
            let report = try Rig.run(["/bin/sh", "-c", "\(sbtrfs) filesystem usage-report \"\(weird)\""])
            let pyReport = try Rig.run(["/bin/sh", "-c", "/usr/bin/btrfs-usage-report \"\(weird)\""])
            #expect(report.stdoutBytes == pyReport.stdoutBytes, "\(report)\n\(pyReport)")
        }
    }
}
