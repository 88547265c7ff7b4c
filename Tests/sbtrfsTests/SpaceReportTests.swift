import Foundation
import Testing
import TestRig
import Btrfs

/// `filesystem usage`, `device usage`, `device stats` and `filesystem usage-report` next to
/// btrfs-progs 6.2 and python-btrfs on filesystems of 1 to 4 devices of unequal sizes.
@Suite(.needsRig) struct SpaceReportTests {
    static let specs: [FSSpec] = [
        FSSpec(deviceSize: 1 << 30, data: "single", metadata: "dup"),
        FSSpec(deviceSize: 768 << 20, data: "dup", metadata: "dup"),
        FSSpec(deviceSizes: [1 << 30, 3 << 29], data: "raid1", metadata: "raid1", label: "sbtrfs-space"),
        FSSpec(deviceSizes: [1 << 30, 3 << 29], data: "raid0", metadata: "raid1"),
        FSSpec(deviceSizes: [768 << 20, 1 << 30, 3 << 29], data: "raid5", metadata: "raid1c3"),
        FSSpec(deviceSizes: [768 << 20, 1 << 30, 1 << 30, 3 << 29], data: "raid6", metadata: "raid10"),
        FSSpec(deviceSizes: [1 << 30, 1 << 30, 3 << 29, 2 << 30], data: "raid10", metadata: "raid1c4"),
        FSSpec(deviceSizes: [1 << 30, 3 << 29, 2 << 30], data: "raid1c3", metadata: "raid6"),
        FSSpec(deviceSizes: [1 << 30, 3 << 29], mixed: true, label: "mixed label"),
        FSSpec(deviceSizes: [768 << 20, 1 << 30, 3 << 29], data: "raid5", metadata: "raid5", mixed: true),
    ]

    /// The same command line through sbtrfs and btrfs: stdout, stderr and status all equal.
    static let progsCommands: [[String]] = [
        ["filesystem", "usage"], ["filesystem", "usage", "-T"], ["filesystem", "usage", "--raw"],
        ["filesystem", "usage", "-T", "--si"], ["filesystem", "usage", "-k"], ["filesystem", "usage", "-T", "-b"],
        ["device", "usage"], ["device", "usage", "--iec", "-g"], ["device", "usage", "-b"],
        ["device", "stats"], ["device", "stats", "-c"], ["device", "stats", "-T"],
        ["--format", "json", "device", "stats"], ["-q", "filesystem", "usage", "-T"], ["-q", "device", "stats", "-T"],
        ["-q", "device", "usage"],
    ]

    static func populate(_ mnt: String) throws {
        try Rig.sh("head -c 120000000 /dev/urandom > \(mnt)/big && mkdir \(mnt)/d && "
                   + "for i in $(seq 300); do echo $i > \(mnt)/d/$i; done && sync")
    }

    /// A sprout on a seed device: both reports leave the seed out as progs does (progs asks
    /// sysfs's devinfo/N/fsid; sbtrfs takes DEV_INFO's fsid where the kernel fills it in).
    @Test func seedDeviceIsLeftOut() throws {
        try Rig.withFilesystem(FSSpec()) { scratch in
            let mnt = scratch.mountPoint
            let seed = scratch.devices[0]
            try Rig.sh("head -c 30000000 /dev/urandom > \(mnt)/f && umount \(mnt) && btrfstune -S 1 \(seed) "
                       + "&& mount -o ro \(seed) \(mnt)")
            try Rig.withSpareDevices([1 << 30]) { spares in
                try Rig.sh("btrfs -q device add -f \(spares[0]) \(mnt) && mount -o remount,rw \(mnt) "
                           + "&& echo x > \(mnt)/g && sync")
                let fs = try FileSystem(path: mnt)
                let fsid = try fs.fsInfo().fsid
                let devices = try fs.devInfos()
                #expect(devices.count == 2, "\(devices)")
                if devices.allSatisfy({ $0.fsid != nil }) {  // kernel 6.3 and later
                    #expect(devices.filter { $0.fsid != fsid }.count == 1, "\(devices)")
                }
                for command in [["filesystem", "usage"], ["filesystem", "usage", "-T"], ["device", "usage"]] {
                    try expectSameAsProgs(command + [mnt])
                }
                let ours = try Rig.sbtrfs(["device", "usage", mnt]).stdout
                #expect(!ours.contains("\(seed), ID:") && ours.contains("\(spares[0]), ID:"), "\(ours)")
            }
        }
    }

    @Test(arguments: specs)
    func matchesProgsAndPython(spec: FSSpec) throws {
        try Rig.withFilesystem(spec) { scratch in
            let mnt = scratch.mountPoint
            try Self.populate(mnt)
            for command in Self.progsCommands {
                let quiet = command.first == "-q" && command.last != "-T"
                #expect((try Rig.run(["btrfs"] + command + [mnt]).stdout.isEmpty) == quiet, "\(command)")
                try expectSameAsProgs(command + [mnt])
            }
            // Several paths: progs separates them with a blank line.
            for command in [["filesystem", "usage"], ["device", "usage"]] {
                try expectSameAsProgs(command + [mnt, mnt + "/d"])
            }
            // A device instead of the mount point.
            // progs scans every block device's superblock here and may complain on stderr about
            // devices of other filesystems (being torn down elsewhere): stdout and status only.
            for device in scratch.devices {
                for command in [["device", "stats", device], ["--format", "json", "device", "stats", "-c", device]] {
                    let ours = try Rig.sbtrfs(command)
                    let theirs = try Rig.run(["btrfs"] + command)
                    expectSameText(ours.stdout, theirs.stdout, "\(command)")
                    #expect(ours.status == theirs.status && ours.stderr.isEmpty, "\(command): \(ours)")
                }
            }
            // filesystem show, found by mount point, device, uuid (prefix) and label.
            let uuid = try Rig.run(["findmnt", "-n", "-o", "UUID", mnt]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            var searches = [[mnt], [mnt + "/"], [scratch.devices.last ?? ""], [uuid], [String(uuid.prefix(8))],
                            ["--raw", mnt], ["-m", "--si", uuid], [mnt, "--kbytes"]]
            if let label = spec.label { searches.append([label]) }
            for search in searches {
                let theirs = try Rig.run(["btrfs", "filesystem", "show"] + search)
                #expect(theirs.status == 0 && theirs.stdout.contains(uuid), "\(search): \(theirs)")
                if scratch.devices.contains(search[0]) {
                    // A device: progs scans all superblocks and may complain about others' devices.
                    let ours = try Rig.sbtrfs(["filesystem", "show"] + search)
                    expectSameText(ours.stdout, theirs.stdout, "filesystem show \(search)")
                    #expect(ours.status == 0 && ours.stderr.isEmpty)
                } else {
                    try expectSameAsProgs(["filesystem", "show"] + search)
                }
            }
            try Self.compareUsageReport(mnt, mixed: spec.mixed)
        }
    }

    /// btrfs-usage-report's text. On a mixed filesystem python-btrfs 13 dies with an
    /// AttributeError after "Target profiles:" (printing the error on stdout, exit 1); up to there
    /// the text must agree, and the rest is what it meant to print.
    static func compareUsageReport(_ mnt: String, mixed: Bool) throws {
        // The oracle runs before and after ours (a transaction may commit between runs).
        var ours = try Rig.sbtrfs(["filesystem", "usage-report", mnt])
        var theirs = try Rig.run(["/usr/bin/btrfs-usage-report", mnt])
        for _ in 0..<3 where !mixed && ours.stdout != theirs.stdout {
            ours = try Rig.sbtrfs(["filesystem", "usage-report", mnt])
            theirs = try Rig.run(["/usr/bin/btrfs-usage-report", mnt])
        }
        #expect(ours.status == 0, "\(ours)")
        if !mixed {
            #expect(theirs.status == 0, "\(theirs)")
            expectSameText(ours.stdout, theirs.stdout, "usage-report")
            return
        }
        #expect(theirs.status == 1)
        var expected = theirs.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(expected.removeLast() == "")
        let error = expected.removeLast()
        #expect(error.contains("has no attribute 'target_profile_data_metadata_str'"), "\(theirs)")
        let mine = ours.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        expectSameLines(Array(mine.prefix(expected.count)), expected, "usage-report (mixed) up to python's crash")
        let free = try Rig.python("""
            import btrfs, sys
            u = btrfs.FileSystem(sys.argv[1]).usage()
            print("| {: <12} {: <12}".format('Data+Metadata', btrfs.utils.space_profile_description(u.target_profile_mixed)))
            print("| {: <12} {: <12}".format('Data+Metadata', btrfs.utils.pretty_size(u.free_mixed)))
            """, args: [mnt])
        let lines = free.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 2 && mine.contains(lines[0]) && mine.contains(lines[1]), "\(free)\n\(ours.stdout)")
    }

    /// JSON: valid documents whose numbers are the oracles' numbers.
    @Test func jsonCarriesTheNumbers() throws {
        try Rig.withFilesystem(FSSpec(deviceSizes: [768 << 20, 1 << 30, 3 << 29], data: "raid5", metadata: "raid1")) { scratch in
            let mnt = scratch.mountPoint
            try Self.populate(mnt)
            let py = try Rig.python("""
                import btrfs, sys
                fs = btrfs.FileSystem(sys.argv[1])
                u = fs.usage()
                print(sum(d.total_bytes for d in fs.devices()))
                print(' '.join('%d:%d' % (s.flags, s.total_bytes) for s in fs.space_info() if s.flags != 1 << 49))
                print(u.free_data, u.free_metadata, u.unallocatable_hard, u.unallocatable_soft, u.allocatable_left)
                """, args: [mnt])
            #expect(py.status == 0, "\(py)")
            let expected = py.stdout.split(separator: "\n").map(String.init)

            let usage = try Rig.sbtrfs(["--format", "json", "filesystem", "usage", mnt])
            #expect(usage.status == 0, "\(usage)")
            let doc = try #require(try JSONSerialization.jsonObject(with: Data(usage.stdoutBytes)) as? [String: Any])
            let entry = try #require((doc["filesystem-usage"] as? [[String: Any]])?.first)
            let overall = try #require(entry["overall"] as? [String: Any])
            #expect("\((overall["device-size"] as? NSNumber)?.int64Value ?? -1)" == expected[0])
            #expect(overall["data-ratio"] is NSNumber)
            let spaces = try #require(entry["spaces"] as? [[String: Any]])
            #expect(spaces.count == expected[1].split(separator: " ").count)
            let sizes = Set(spaces.map { ($0["size"] as? NSNumber)?.int64Value ?? -1 })
            let pySizes = Set(expected[1].split(separator: " ").compactMap { Int64($0.split(separator: ":")[1]) })
            #expect(sizes == pySizes)
            let devices = try #require(entry["devices"] as? [[String: Any]])
            #expect(devices.count == scratch.devices.count)

            let report = try Rig.sbtrfs(["--format", "json", "filesystem", "usage-report", mnt])
            let rdoc = try #require(try JSONSerialization.jsonObject(with: Data(report.stdoutBytes)) as? [String: Any])
            let r = try #require(rdoc["usage-report"] as? [String: Any])
            let free = try #require(r["free"] as? [String: Any])
            let mine = [free["data"], free["metadata"], r["unallocatable-hard"], r["unallocatable-soft"], r["allocatable-left"]]
                .map { "\(($0 as? NSNumber)?.int64Value ?? -1)" }.joined(separator: " ")
            #expect(mine == expected[2])

            let devUsage = try Rig.sbtrfs(["--format", "json", "device", "usage", mnt])
            let ddoc = try #require(try JSONSerialization.jsonObject(with: Data(devUsage.stdoutBytes)) as? [String: Any])
            #expect((ddoc["device-usage"] as? [[String: Any]])?.count == 1)
        }
    }

    /// Half-converted: data in single and raid1 ("Multiple profiles",
    /// progs' warnings, two columns per type; python-btrfs's target is the last chunk's profile).
    @Test func multipleProfilesMatchProgsAndPython() throws {
        try Rig.withFilesystem(FSSpec(deviceSizes: [1 << 30, 3 << 29, 1 << 30], data: "single", metadata: "dup")) { scratch in
            let mnt = scratch.mountPoint
            try Rig.sh("for i in 1 2 3; do head -c 150000000 /dev/urandom > \(mnt)/f$i; sync; done")
            try Rig.sh("btrfs balance start -dconvert=raid1,limit=1 -mconvert=raid1,limit=1 \(mnt) > /dev/null")
            try Rig.sh("sync")
            let df = try Rig.run(["btrfs", "filesystem", "df", mnt]).stdout
            try #require(df.contains("Data, single") && df.contains("Data, RAID1"), "not half-converted: \(df)")
            for command in Self.progsCommands + [["filesystem", "usage", "-T", "--raw"]] {
                try expectSameAsProgs(command + [mnt])
            }
            try Self.compareUsageReport(mnt, mixed: false)
            let ours = try Rig.sbtrfs(["filesystem", "usage", mnt]).stdout
            #expect(ours.contains("Multiple profiles:\t\t       yes\t(data"), "\(ours)")
        }
    }
}
