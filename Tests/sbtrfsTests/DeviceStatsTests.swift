import Foundation
import Testing
import TestRig

/// Device error counters that are not zero (a corrupted raid1 mirror read back), `-c`, `-z`,
/// and the reports as a normal user.
@Suite(.needsRig) struct DeviceStatsTests {
    /// Writes a marked file on a raid1 of two devices, overwrites 64 KiB of it on the first
    /// image and reads it until the kernel counts corruption errors (raid1 picks the mirror by pid).
    /// (The reads repair the damaged copy.)
    static func corruptMirror(_ scratch: ScratchFS) throws {
        try damageMirror(scratch)
        let mnt = scratch.mountPoint
        var corrupted = false
        for _ in 0..<12 where !corrupted {
            try Rig.sh("echo 3 > /proc/sys/vm/drop_caches; cat \(mnt)/victim > /dev/null")
            let stats = try Rig.run(["btrfs", "device", "stats", "-c", mnt])
            corrupted = stats.status == 64
        }
        try #require(corrupted, "no corruption error after reading the damaged mirror")
    }

    /// Writes the marked file and overwrites 64 KiB of its copy on the first image, without
    /// reading it back (a read would repair it from the other mirror).
    static func damageMirror(_ scratch: ScratchFS) throws {
        let mnt = scratch.mountPoint
        // A marked 1 MiB file, not compressed, not inline.
        let written = try Rig.python("""
            import sys
            block = b'SBTRFS-CORRUPTION-MARK-' + bytes(range(256)) * 15
            with open(sys.argv[1], 'wb') as f:
                f.write((block * 300)[:1 << 20])
            """, args: [mnt + "/victim"])
        try #require(written.status == 0, "writing the marked file: \(written.stderr)")
        try Rig.sh("sync")
        // Find the marker on the first image and overwrite 64 KiB of that mirror's copy.
        let located = try Rig.overwriteMarker("SBTRFS-CORRUPTION-MARK-", in: [scratch.images[0]])
        #expect(located.status == 0, "\(located)")
    }

    /// Overwrites the file's data on one mirror's image, drops caches and reads the file until
    /// the kernel notices (raid1 picks the mirror by pid), then compares with progs.
    @Test func corruptionCountersMatchProgs() throws {
        try Rig.withFilesystem(FSSpec(deviceSizes: [1 << 30, 3 << 29], data: "raid1", metadata: "raid1")) { scratch in
            let mnt = scratch.mountPoint
            try Self.corruptMirror(scratch)

            for command in [["device", "stats"], ["device", "stats", "-c"], ["--format", "json", "device", "stats"],
                            ["--format", "json", "device", "stats", "--check"]] {
                let ours = try Rig.sbtrfs(command + [mnt])
                let theirs = try Rig.run(["btrfs"] + command + [mnt])
                expectSameText(ours.stdout, theirs.stdout, "\(command)")
                #expect(ours.status == theirs.status, "\(command)")
            }
            let check = try Rig.sbtrfs(["device", "stats", "-c", scratch.devices[0]])
            #expect(check.status == 64)
            #expect(check.stdout.contains(".corruption_errs  ") && !check.stdout.contains(".corruption_errs  0\n"))

            // The metrics carry the same counter.
            let statsJSON = try Rig.run(["btrfs", "--format", "json", "device", "stats", scratch.devices[0]])
            let statsDoc = try JSONSerialization.jsonObject(with: Data(statsJSON.stdoutBytes)) as? [String: Any]
            let entry = try #require((statsDoc?["device-stats"] as? [[String: Any]])?.first)
            let corruption = try #require(Double(entry["corruption_errs"] as? String ?? ""))
            #expect(corruption > 0)
            let metrics = try MetricsTests.parse(try Rig.sbtrfs(["filesystem", "metrics", "--node-exporter-names", mnt]).stdoutBytes)
            let device = String(scratch.devices[0].split(separator: "/").last ?? "")
            #expect(MetricsTests.value(metrics, "node_btrfs_device_errors_total", ["type": "corruption", "device": device]) == corruption)

            try Self.expectStatsAsPythonForUser(mnt)

            // -T: each counter in its own column (progs 6.2 repeats the last one).
            let table = try Rig.sbtrfs(["device", "stats", "-T", mnt]).stdout.split(separator: "\n")
            let row = try #require(table.first { $0.contains(scratch.devices[0]) })
            let cells = row.split(separator: " ")
            #expect(cells.count == 7 && cells[5] != "0" && cells[6] == "0", "\(row)")

            // -z prints what was there, then everything is zero, for progs too.
            let before = try Rig.run(["btrfs", "device", "stats", mnt])
            let reset = try Rig.sbtrfs(["device", "stats", "-z", "-c", mnt])
            expectSameText(reset.stdout, before.stdout, "device stats -z")
            #expect(reset.status == 64)
            let after = try Rig.run(["btrfs", "device", "stats", "-c", mnt])
            #expect(after.status == 0, "\(after)")
            let oursAfter = try Rig.sbtrfs(["device", "stats", "-c", mnt])
            expectSameText(oursAfter.stdout, after.stdout, "after reset")
            #expect(oursAfter.status == 0)
        }
    }

    /// A normal user's `device stats PATH`, field by field against python-btrfs's library run as
    /// the same user. python-btrfs 13 cannot list the devices then (`FileSystem.devices()` searches
    /// the chunk tree: EPERM), so the script walks FS_INFO's devids with `dev_info` and asks
    /// `dev_stats` for each, as sbtrfs does.
    static func expectStatsAsPythonForUser(_ mnt: String) throws {
        let script = """
            import btrfs, errno, json, sys
            fs = btrfs.FileSystem(sys.argv[1])
            try:
                list(fs.devices())
                refused = 0
            except OSError as e:
                refused = e.errno
            rows = []
            for devid in range(1, fs.fs_info().max_id + 1):
                try:
                    d = fs.dev_info(devid)
                except OSError as e:
                    if e.errno == errno.ENODEV:
                        continue
                    raise
                s = fs.dev_stats(devid)
                rows.append({'device': d.path, 'devid': str(devid), 'write_io_errs': str(s.write_errs),
                             'read_io_errs': str(s.read_errs), 'flush_io_errs': str(s.flush_errs),
                             'corruption_errs': str(s.corruption_errs), 'generation_errs': str(s.generation_errs)})
            print(json.dumps({'refused': refused, 'rows': rows}))
            """
        let python = try Rig.run(["/usr/bin/python3", "-c", script, mnt], asUser: "nobody")
        try #require(python.status == 0, "\(python)")
        let expected = try #require(try JSONSerialization.jsonObject(with: Data(python.stdoutBytes)) as? [String: Any])
        #expect(expected["refused"] as? Int == Int(EPERM), "python-btrfs's devices() as a normal user: \(python.stdout)")
        let rows = try #require(expected["rows"] as? [[String: String]])
        #expect(rows.contains { $0["corruption_errs"] != "0" }, "the counters under test are not all zero")
        let ours = try Rig.sbtrfs(["--format", "json", "device", "stats", mnt], asUser: "nobody")
        #expect(ours.status == 0 && ours.stderr.isEmpty, "\(ours)")
        let doc = try JSONSerialization.jsonObject(with: Data(ours.stdoutBytes)) as? [String: Any]
        let mine = try #require(doc?["device-stats"] as? [[String: String]])
        #expect(mine == rows, "sbtrfs as nobody \(mine)\npython-btrfs as nobody \(rows)")
    }

    /// As a normal user progs warns and prints what it can. Here every RAID5 chunk spans every
    /// device, so the device totals settle the split and we print root's overall figures and
    /// device sizes, with the real device slack (progs 6.2 takes sysfs's sector count for bytes
    /// when it cannot open the device), and more per device (UnprivilegedUsageTests).
    @Test func normalUserGetsRootsFiguresOnRaid5() throws {
        try Rig.withFilesystem(FSSpec(deviceSizes: [768 << 20, 1 << 30, 3 << 29], data: "raid5", metadata: "raid1")) { scratch in
            let mnt = scratch.mountPoint
            try Rig.sh("head -c 30000000 /dev/urandom > \(mnt)/f && sync")
            let commands: [[String]] = [["filesystem", "usage"], ["filesystem", "usage", "-T"], ["device", "usage"],
                                        ["filesystem", "usage", "--raw", "-T"]]
            // Device nodes readable by everyone: progs sizes them right, and the output must be identical.
            try Rig.sh("chmod o+r " + scratch.devices.joined(separator: " "))
            var readable: [[String]: String] = [:]
            for command in commands {
                let ours = try Rig.sbtrfs(command + [mnt], asUser: "nobody")
                let theirs = try Rig.run(["btrfs"] + command + [mnt])  // progs as root
                // filesystem usage: the Overall block and the profile headers; device usage: each
                // device's name, size and slack (progs' per-device figures are what we add to).
                let blocks = { (text: String) in text.components(separatedBy: "\n\n").filter { !$0.isEmpty } }
                let kept = { (text: String) -> [String] in
                    command[0] == "device"
                        ? blocks(text).flatMap { $0.split(separator: "\n").prefix(3).map(String.init) }
                        : [blocks(text).first ?? ""] + (command.contains("-T") ? [] : blocks(text).dropFirst().compactMap {
                            $0.split(separator: "\n").first.map(String.init) }.filter { $0.contains("Size:") })
                }
                #expect(kept(ours.stdout) == kept(theirs.stdout), "\(command) as nobody\n\(ours.stdout)\nprogs as root:\n\(theirs.stdout)")
                #expect(ours.stderr.contains("WARNING: cannot read detailed chunk info"))
                #expect(!ours.stderr.contains("RAID5/6 chunks need root"), "\(ours.stderr)")
                #expect(ours.status == theirs.status)
                readable[command] = ours.stdout
            }
            // Not readable: we fall back to sysfs and print the same; progs slips.
            try Rig.sh("chmod o-r " + scratch.devices.joined(separator: " "))
            for command in commands {
                let ours = try Rig.sbtrfs(command + [mnt], asUser: "nobody")
                expectSameText(ours.stdout, readable[command] ?? "", "\(command) as nobody without device access")
                #expect(!ours.stdout.contains("16.00EiB"))
            }
            // filesystem show: progs prints nothing for a normal user; we print what root sees.
            let show = try Rig.sbtrfs(["filesystem", "show", mnt], asUser: "nobody")
            let rootShow = try Rig.run(["btrfs", "filesystem", "show", mnt])
            #expect(rootShow.status == 0 && rootShow.stdout.contains("devid"))
            expectSameText(show.stdout, rootShow.stdout, "filesystem show as nobody")
            #expect(show.status == 0)
            // device stats: progs searches the chunk tree and fails for a normal user; the kernel
            // answers DEV_INFO and GET_DEV_STATS, so we print what progs prints as root.
            let progsRefused = try Rig.run(["btrfs", "device", "stats", mnt], asUser: "nobody")
            #expect(progsRefused.status == 1, "progs 6.2 refuses: \(progsRefused)")
            for options in [[], ["-T"], ["-c"]] {
                let stats = try Rig.sbtrfs(["device", "stats"] + options + [mnt], asUser: "nobody")
                let progsAsRoot = try Rig.run(["btrfs", "device", "stats"] + options + [mnt])
                expectSameText(stats.stdout, progsAsRoot.stdout, "device stats \(options) as nobody")
                #expect(stats.status == progsAsRoot.status && stats.stderr.isEmpty, "\(stats)")
            }
            // Commands that need root fail as python-btrfs fails: nothing on stdout, status 1.
            let report = try Rig.sbtrfs(["filesystem", "usage-report", mnt], asUser: "nobody")
            let pyReport = try Rig.run(["/usr/bin/btrfs-usage-report", mnt], asUser: "nobody")
            #expect(report.status == 1 && pyReport.status == 1)
            #expect(report.stdout.isEmpty && pyReport.stdout.isEmpty)
            #expect(report.stderr.hasPrefix("ERROR: ") && report.stderr.split(separator: "\n").count == 1, "\(report.stderr)")
        }
    }

    /// A raid1 mounted degraded with one device missing: "Device missing", "missing" paths,
    /// MISSING in show, devid:N in stats, as progs and python-btrfs print them.
    @Test func degradedFilesystemMatchesProgs() throws {
        try Rig.withFilesystem(FSSpec(deviceSizes: [1 << 30, 3 << 29], data: "raid1", metadata: "raid1")) { scratch in
            let mnt = scratch.mountPoint
            try Rig.sh("head -c 40000000 /dev/urandom > \(mnt)/f && sync && umount \(mnt)")
            // Forgetting the devices (not detaching them: the rig owns the loop devices) leaves the
            // kernel only the one named at mount.
            for device in scratch.devices { _ = try Rig.run(["btrfs", "device", "scan", "--forget", device]) }
            try Rig.sh("mount -t btrfs -o degraded \(scratch.devices[0]) \(mnt)")
            let show = try Rig.run(["btrfs", "filesystem", "show", mnt])
            try #require(show.stdout.contains("MISSING"), "not degraded: \(show)")
            for command: [String] in [["filesystem", "usage"], ["filesystem", "usage", "-T"], ["device", "usage"],
                                      ["device", "stats"], ["--format", "json", "device", "stats"],
                                      ["filesystem", "show"], ["filesystem", "show", "--raw"]] {
                try expectSameAsProgs(command + [mnt])
            }
            try expectShowJSONAgreesWithProgsText(mnt)
            let ours = try Rig.sbtrfs(["filesystem", "usage-report", mnt])
            let theirs = try Rig.run(["/usr/bin/btrfs-usage-report", mnt])
            #expect(theirs.status == 0, "\(theirs)")
            expectSameText(ours.stdout, theirs.stdout, "usage-report, degraded")
            let metrics = try MetricsTests.parse(try Rig.sbtrfs(["filesystem", "metrics", "--node-exporter-names", mnt]).stdoutBytes)
            #expect(metrics.filter { $0.name == "node_btrfs_device_size_bytes" }.count == 2)
        }
    }

    /// `--format json filesystem show` tells each device as progs' `--raw` text does: devid, size,
    /// used, path, and whether it is MISSING (then size 0 used 0).
    func expectShowJSONAgreesWithProgsText(_ mnt: String) throws {
        let text = try Rig.run(["btrfs", "filesystem", "show", "--raw", mnt])
        var expected: [[String]] = []
        for line in text.stdout.split(separator: "\n") where line.hasPrefix("\tdevid") {
            // `devid N size S used U path P` or, missing, `… path P MISSING` (P may be empty).
            var rest = String(line)
            let missing = rest.hasSuffix(" MISSING")
            if missing { rest = String(rest.dropLast(" MISSING".count)) }
            let parts = rest.components(separatedBy: " path ")
            try #require(parts.count == 2, "\(line)")
            let f = parts[0].split(separator: " ").map(String.init)
            try #require(f.count == 6, "\(line)")
            expected.append([f[1], f[3], f[5], parts[1], missing ? "true" : "false"])
        }
        let json = try Rig.sbtrfs(["--format", "json", "filesystem", "show", mnt])
        let object = try JSONSerialization.jsonObject(with: Data(json.stdoutBytes)) as? [String: Any]
        let filesystems = object?["filesystem-show"] as? [[String: Any]] ?? []
        try #require(filesystems.count == 1, "\(json)")
        let devices = (filesystems[0]["devices"] as? [[String: Any]] ?? []).map { d in
            ["\(d["devid"] ?? "")", "\(d["size"] ?? "")", "\(d["used"] ?? "")", "\(d["path"] ?? "")",
             (d["missing"] as? Bool) == true ? "true" : "false"]
        }
        #expect(expected.contains { $0[4] == "true" }, "\(text)")
        #expect(devices == expected, "JSON \(json.stdout)\nprogs \(text.stdout)")
    }
}
