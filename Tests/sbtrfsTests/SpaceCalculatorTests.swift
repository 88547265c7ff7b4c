import Foundation
import Testing
import TestRig

/// `sbtrfs filesystem space-calculator` against python-btrfs's btrfs-space-calculator.
@Suite struct SpaceCalculatorTests {
    static let cases: [[String]] = [
        ["-m", "raid1", "-d", "raid5", "1TiB", "2TB", "500G"],
        ["-m", "raid1", "-d", "raid1", "-M", "-r", "5", "1TiB", "2TB"],
        ["-m", "raid1", "-d", "raid1", "-M", "1TiB", "2TB", "300GiB"],
        ["-m", "raid6", "-d", "raid6", "1T", "2T", "3T", "4T", "5G"],
        ["-m", "raid10", "-d", "raid10", "1T", "2T", "3T", "4T", "5T"],
        ["-m", "raid1c3", "-d", "raid0", "-r", "30", "100G", "10G", "40G", "7G"],
        ["-m", "dup", "-d", "dup", "20G"],
        ["-m", "dup", "-d", "single", "60GiB"],
        ["-m", "single", "-d", "single", "50G", "51G"],
        ["-m", "raid1c4", "-d", "raid5", "-r", "1", "10G", "20G", "30G", "40G"],   // the smallest ratio taken
        ["-m", "raid1", "-d", "raid1", "-r", "2", "10G", "20G", "30G"],
        ["-m", "raid0", "-d", "raid0", "3", "3", "3"],
        ["-m", "raid1", "-d", "raid1", "100000", "300000"],
        ["-m", "raid1", "-d", "raid10", "8TiB", "8TiB", "4TiB", "4TiB", "2TiB", "1TiB"],
        ["-m", "raid5", "-d", "raid6", "--ratio", "1000", "3TB", "3TB", "4TB", "6TB"],
        ["-m", "single", "-d", "single", "1"],
        ["-m", "raid1", "2G", "4G", "-d", "raid1"],   // an option after the sizes, as argparse takes it
        ["-m", "raid1", "-d", "raid1", "1T", "1T", "0"],
        ["-m", "raid10", "-d", "raid10", "1T", "2T", "3T", "4T", "5T", "6T", "7T"],
        ["-m", "raid6", "-d", "raid5"] + (1...20).map { "\($0)00G" },
        ["-m", "dup", "-d", "single", "51GiB"],   // metadata stripes grow to 1 GiB above 50 GiB
        ["-m", "raid1c3", "-d", "raid1c4", "1T", "1T", "1T", "1T", "1T"],
        ["-m", "raid1", "-d", "raid1", "-r", "100000", "10G", "10G"],
        ["-M", "-m", "single", "-d", "single", "5T"],
        ["-m", "raid0", "-d", "raid0", "-r", "7", "3T", "2T", "1T", "500G", "1G", "1"],
        ["--metadata=raid1", "--data=raid0", "2T", "3T"],
        ["-m", "raid1", "-d", "raid1", "--", "1T", "2T"],
    ]

    @Test(arguments: cases)
    func matchesPython(_ args: [String]) throws {
        let theirs = try Rig.run(["/usr/bin/btrfs-space-calculator"] + args)
        let ours = try Rig.sbtrfs(["filesystem", "space-calculator"] + args)
        #expect(theirs.status == 0, "\(theirs)")
        #expect(ours.status == 0, "\(ours)")
        #expect(!theirs.stdout.isEmpty)
        expectSameText(ours.stdout, theirs.stdout, "space-calculator \(args)")
    }

    /// Layouts that cannot exist, unknown profiles and malformed sizes: one ERROR line, exit 1, no output.
    @Test(arguments: [
        (["-m", "raid1", "-d", "raid1", "1TiB"], "raid1 needs at least 2 devices"),
        (["-m", "raid6", "-d", "raid6", "1T", "1T"], "raid6 needs at least 3 devices"),
        (["-m", "raid1", "-d", "raid10", "1T", "1T", "1T"], "raid10 needs at least 4 devices"),
        (["-m", "raid1c4", "-d", "single", "1T", "1T", "1T"], "raid1c4 needs at least 4 devices"),
        (["-m", "raid1", "-d", "raid1", "1T", "0"], "raid1 needs at least 2 devices"),
        (["-m", "foo", "-d", "raid1", "1T"], "unknown profile 'foo'"),
        (["-m", "raid1", "-d", "RAID1", "1T", "1T"], "unknown profile 'RAID1'"),
        (["-m", "raid1", "-d", "raid1", "1T", "1x"], "invalid device size '1x'"),
        (["-m", "raid1", "-d", "raid1", "1T", "1.5G"], "invalid device size '1.5G'"),
        (["-m", "raid1", "-d", "raid1", "1T", "20EiB"], "invalid device size '20EiB'"),
        (["-m", "raid1", "-d", "raid1", "4EiB", "5EiB"], "too large"),
        (["-m", "raid1", "-d", "raid1", "-r", "x", "1T", "1T"], "invalid ratio 'x'"),
        (["-m", "raid1", "-d", "raid1", "-r", "0", "1T", "1T"], "invalid ratio '0': must be at least 1"),
        (["-m", "raid1", "-d", "raid1", "-r", "-1", "1T", "1T"], "invalid ratio '-1': must be at least 1"),
        (["-m", "raid1c4", "-d", "raid5", "-r", "-3", "10G", "20G", "30G", "40G"], "invalid ratio '-3': must be at least 1"),
        (["-m", "raid1", "-d", "raid1", "-M", "--ratio=0", "1T", "1T"], "invalid ratio '0'"),
        (["-m", "dup", "-d", "raid1", "-M", "1T", "1T"], "metadata and data profile need to be identical"),
        (["-d", "raid1", "1T", "1T"], "metadata profile is required"),
    ])
    func rejectsBadInput(_ args: [String], _ message: String) throws {
        let ours = try Rig.sbtrfs(["filesystem", "space-calculator"] + args)
        #expect(ours.status == 1, "\(ours)")
        #expect(ours.stdout.isEmpty)
        #expect(ours.stderr.hasPrefix("ERROR: "), "\(ours.stderr)")
        #expect(ours.stderr.split(separator: "\n").count == 1, "\(ours.stderr)")
        #expect(ours.stderr.contains(message), "\(ours.stderr)")
    }

    /// The JSON document carries python's numbers: compare with FsUsage built by python-btrfs.
    @Test func jsonMatchesPythonModel() throws {
        let args = ["-m", "raid1", "-d", "raid5", "-r", "50", "1TiB", "2TB", "500G"]
        let ours = try Rig.sbtrfs(["--format", "json", "filesystem", "space-calculator"] + args)
        #expect(ours.status == 0, "\(ours)")
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(ours.stdoutBytes)) as? [String: Any])
        let calc = try #require(doc["space-calculator"] as? [String: Any])
        let py = try Rig.python("""
            import btrfs, sys
            sys.argv = ['x'] + sys.argv[1:]
            exec(open('/usr/bin/btrfs-space-calculator').read().replace("if __name__ == '__main__':", "if False:"))
            sizes = [btrfs.utils.parse_pretty_size(s) for s in ['1TiB', '2TB', '500G']]
            fs = FakeFileSystem(sizes, False, btrfs.BLOCK_GROUP_RAID1, btrfs.BLOCK_GROUP_RAID5)
            u = btrfs.fs_usage.FsUsage(fs, data_metadata_ratio=50, target_profile_metadata=btrfs.BLOCK_GROUP_RAID1,
                                       target_profile_data=btrfs.BLOCK_GROUP_RAID5)
            print(u.total, u.estimated_full_allocatable_virtual_metadata, u.estimated_full_allocatable_virtual_data,
                  u.unallocatable_hard, *[u.dev_usage[d].unallocatable_hard for d in sorted(u.dev_usage)])
            """)
        #expect(py.status == 0, "\(py)")
        let devices = try #require(calc["devices"] as? [[String: Any]])
        let mine = [calc["total"], calc["virtual-metadata"], calc["virtual-data"], calc["unallocatable"]]
            .map { "\(($0 as? NSNumber)?.int64Value ?? -1)" }
            + devices.map { "\(($0["unallocatable"] as? NSNumber)?.int64Value ?? -1)" }
        #expect(mine.joined(separator: " ") + "\n" == py.stdout)
        #expect(calc["data-metadata-ratio"] as? Int == 50)
    }
}
