import Foundation
import Testing
import TestRig

/// `replace start`, `status` and `cancel` against btrfs-progs 6.2: the same lines and statuses
/// on twin filesystems for start and its refusals, the same status text as progs reads on the
/// same filesystem (never started, finished, canceled, and running), data unchanged.
@Suite(.needsRig, .needsTool("/usr/bin/btrfs", "/bin/btrfs", what: "btrfs-progs"))
struct ReplaceTests {
    typealias Twin = DeviceAdminTests.Twin

    @Test func startStatusAndRefusalsAsProgs() throws {
        try DeviceAdminTests.withTwins(FSSpec(deviceSize: 768 << 20), spares: [768 << 20, 512 << 20, 768 << 20]) { theirs, ours in
            let sum = try DeviceAdminTests.checksum(ours.fs.mountPoint + "/data")
            for twin in [theirs, ours] { _ = try Rig.run(["mkfs.btrfs", "-q", "-f", twin.spares[2]]) }
            try expectSameAsProgs(["replace", "status", ours.fs.mountPoint])
            try expectSameAsProgs(["replace", "status", "-1", ours.fs.mountPoint])
            try expectSameAsProgs(["replace", "cancel", ours.fs.mountPoint])
            let before = try DeviceAdminTests.layout(ours)
            for args in [["replace", "start", "1", "$S2", "$M"], ["replace", "start", "-f", "1", "$D0", "$M"],
                         ["replace", "start", "-B", "1", "$S1", "$M"], ["replace", "start", "7", "$S0", "$M"],
                         ["replace", "start", "$X", "$S0", "$M"], ["replace", "start", "1", "$X", "$M"],
                         ["replace", "start", "1", "/dev/null", "$M"], ["replace", "start", "1", "$S0", "$X"],
                         ["replace", "start", "1", "$S0", "/proc"], ["replace", "start", "1", "$S0"],
                         ["replace", "start", "-x", "1", "$S0", "$M"], ["replace", "status", "$X"], ["replace", "cancel", "/proc"],
                         ["device", "replace", "start", "1", "$S2", "$M"]] {
                try DeviceAdminTests.expectSame(args, theirs, ours)
            }
            #expect(try DeviceAdminTests.layout(ours) == before, "a refused replace changed the filesystem")
            // The replace, by devid in the foreground, then by device path through the alias.
            for args in [["replace", "start", "-B", "1", "$S0", "$M"], ["filesystem", "show", "$M"],
                         ["device", "replace", "start", "-B", "-f", "$S0", "$S2", "$M"], ["filesystem", "show", "$M"]] {
                try DeviceAdminTests.expectSame(args, theirs, ours)
            }
            for fs in [theirs.fs, ours.fs] {
                try expectSameAsProgs(["replace", "status", fs.mountPoint])
                try expectSameAsProgs(["replace", "status", "-1", fs.mountPoint])
                try expectSameAsProgs(["device", "replace", "status", fs.mountPoint])
            }
            #expect(try DeviceAdminTests.checksum(ours.fs.mountPoint + "/data") == sum)
            // JSON: the same facts, numbers as numbers.
            let json = try Rig.sbtrfs(["--format", "json", "replace", "status", ours.fs.mountPoint])
            let document = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
            let status = document?["replace-status"] as? [String: Any]
            #expect(status?["state"] as? String == "finished" && status?["progress-percent"] as? Double == 100
                    && status?["write-errors"] as? Int == 0 && status?["time-started"] is Int, "\(json)")
        }
    }

    /// A replace long enough to be seen running (preallocated extents are copied too): in the
    /// background, its running status in progs' form, canceled by sbtrfs, the canceled status as
    /// progs reads it; then again, with `status` following it to the end as progs does
    /// (backspaces over each running line), and -B stopped by SIGINT (exit 130, replace canceled).
    @Test func runningStatusAndCancel() throws {
        try Rig.withFilesystem(FSSpec(deviceSize: 3 << 30)) { fs in
            try Rig.withSpareDevices([3 << 30]) { spares in
                let m = fs.mountPoint
                try Rig.sh("fallocate -l 600M \(m)/big && head -c 1M /dev/urandom > \(m)/small && sync")
                let sum = try DeviceAdminTests.checksum(m + "/small")
                let running = #/[0-9]+\.[0-9]% done, 0 write errs, 0 uncorr\. read errs/#
                let started = try Rig.sbtrfs(["replace", "start", "1", spares[0], m])
                #expect(started.status == 0 && started.stderr.isEmpty, "\(started)")
                // The daemon may not have reached the kernel yet.
                var ours = "Never started\n"
                for _ in 0..<100 where ours == "Never started\n" {
                    ours = try Rig.sbtrfs(["replace", "status", "-1", m]).stdout
                    if ours == "Never started\n" { usleep(20_000) }
                }
                let theirs = try Rig.run(["btrfs", "replace", "status", "-1", m]).stdout
                #expect(ours.dropLast().wholeMatch(of: running) != nil && theirs.dropLast().wholeMatch(of: running) != nil,
                        "not running: \(ours) \(theirs)")
                let canceled = try Rig.sbtrfs(["replace", "cancel", m])
                #expect(canceled.status == 0, "\(canceled)")
                try expectSameAsProgs(["replace", "status", m])
                #expect(try Rig.run(["btrfs", "replace", "status", m]).stdout.contains(", canceled on "))
                try expectSameAsProgs(["replace", "cancel", m])
                // Followed to the end: each running line taken back with as many backspaces.
                // (progs' daemon keeps the test runner's descriptors open, so Rig.run would wait for
                // its end: sbtrfs's daemon closes them.)
                let again = try Rig.sbtrfs(["replace", "start", "-f", "1", spares[0], m])
                #expect(again.status == 0, "\(again)")
                let followed = try Rig.sbtrfs(["replace", "status", m])
                let final = try Rig.run(["btrfs", "replace", "status", "-1", m]).stdout
                var rest = Substring(followed.stdout)
                var steps = 0
                while let line = try running.prefixMatch(in: rest) {
                    let back = String(repeating: "\u{8}", count: line.output.utf8.count)
                    rest = rest[line.range.upperBound...]
                    #expect(rest.hasPrefix(back))
                    rest = rest.dropFirst(back.count)
                    steps += 1
                }
                #expect(steps >= 1 && String(rest) == final && final.contains(", finished on "), "\(followed)")
                // -B interrupted: canceled, exit 130, the filesystem as it was.
                let show = try Rig.run(["btrfs", "filesystem", "show", m]).stdout
                let pid = try Rig.spawn([Array(Rig.sbtrfsPath.utf8), Array("replace".utf8), Array("start".utf8), Array("-B".utf8),
                                         Array("-f".utf8), Array("1".utf8), Array(fs.devices[0].utf8), Array(m.utf8)],
                                        stdout: fs.directory + "/out", stderr: fs.directory + "/err")
                var seen = false
                for _ in 0..<100 where !seen {
                    usleep(50_000)
                    seen = try Rig.run(["btrfs", "replace", "status", "-1", m]).stdout.contains("% done")
                }
                kill(pid, SIGINT)
                var status: Int32 = 0
                waitpid(pid, &status, 0)
                #expect(seen && (status >> 8) & 0xFF == 130, "status \(status)")
                let after = try Rig.run(["btrfs", "replace", "status", "-1", m]).stdout
                let err = (try? String(contentsOfFile: fs.directory + "/err", encoding: .utf8)) ?? ""
                #expect(after.contains(", canceled on "), "\(after) \(err)")
                #expect(try Rig.run(["btrfs", "filesystem", "show", m]).stdout == show)
                #expect(try DeviceAdminTests.checksum(m + "/small") == sum)
            }
        }
    }
}
