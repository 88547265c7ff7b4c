import Foundation
import Testing
import TestRig

/// The quota metrics against `btrfs qgroup show` on the same filesystem.
@Suite(.needsRig) struct MetricsQuotaTests {
    /// `btrfs qgroup show --raw -r -e`: per qgroup id, referenced, exclusive, max referenced, max
    /// exclusive ("none" when unset) and the path.
    static func progsQgroups(_ mnt: String) throws -> [String: [String]] {
        let r = try Rig.run(["btrfs", "qgroup", "show", "--raw", "-r", "-e", mnt])
        #expect(r.status == 0, "\(r)")
        var rows: [String: [String]] = [:]
        for line in r.stdout.split(separator: "\n").dropFirst(2) {
            let cells = line.split(separator: " ", maxSplits: 5, omittingEmptySubsequences: true)
                .map { $0.trimmingCharacters(in: .whitespaces) }
            if cells.count == 6 { rows[cells[0]] = Array(cells.dropFirst()) }
        }
        return rows
    }

    @Test func qgroupsMatchProgs() throws {
        try Rig.withFilesystem(FSSpec(deviceSize: 1 << 30)) { scratch in
            let mnt = scratch.mountPoint
            let before = try MetricsScrubTests.metrics(mnt)
            #expect(MetricsTests.value(before, "sbtrfs_quota_enabled", [:]) == 0)
            #expect(!before.contains { $0.name.hasPrefix("sbtrfs_qgroup_") })

            try Rig.sh("""
                btrfs quota enable \(mnt) && btrfs -q subvolume create \(mnt)/a && mkdir \(mnt)/dir \
                && btrfs -q subvolume create \(mnt)/dir/b && head -c 3000000 /dev/urandom > \(mnt)/a/f \
                && cp --reflink=always \(mnt)/a/f \(mnt)/dir/b/f && head -c 1000000 /dev/urandom > \(mnt)/dir/b/g \
                && btrfs qgroup limit 100M \(mnt)/a && btrfs qgroup limit -e 50M \(mnt)/dir/b \
                && btrfs qgroup create 1/7 \(mnt) && btrfs qgroup limit 200M 1/7 \(mnt) \
                && sync && btrfs quota rescan -w \(mnt) >/dev/null && sync
                """)
            let progs = try Self.progsQgroups(mnt)
            let samples = try MetricsScrubTests.metrics(mnt)
            #expect(try Self.progsQgroups(mnt) == progs, "settled")
            #expect(progs.count == 4, "\(progs)")
            #expect(MetricsTests.value(samples, "sbtrfs_quota_enabled", [:]) == 1)
            #expect(MetricsTests.value(samples, "sbtrfs_quota_inconsistent", [:]) == 0)
            #expect(MetricsTests.value(samples, "sbtrfs_quota_rescan_running", [:]) == 0)
            for (id, row) in progs {
                let level0 = id.hasPrefix("0/")
                let labels = ["qgroupid": id, "path": level0 ? row[4] : ""]
                #expect(MetricsTests.value(samples, "sbtrfs_qgroup_referenced_bytes", labels) == Double(row[0]), "\(id) \(row)")
                #expect(MetricsTests.value(samples, "sbtrfs_qgroup_exclusive_bytes", labels) == Double(row[1]), "\(id)")
                for (kind, cell) in [("referenced", row[2]), ("exclusive", row[3])] {
                    let ours = MetricsTests.value(samples, "sbtrfs_qgroup_limit_bytes", labels.merging(["kind": kind]) { a, _ in a })
                    #expect(ours == (cell == "none" ? nil : Double(cell)), "\(id) \(kind)")
                }
            }
            // The files share extents: referenced counts them in both, exclusive in neither.
            let a = try #require(progs.first { $0.value[4] == "a" }?.value)
            #expect(Double(a[0]) ?? 0 > Double(a[1]) ?? 0)
            #expect(progs.values.contains { $0[4] == "dir/b" })

            // A normal user: the switch from sysfs, no qgroup numbers (the quota tree needs root).
            let user = try Rig.sbtrfs(["filesystem", "metrics", mnt], asUser: "nobody")
            let userSamples = try MetricsTests.parse(user.stdoutBytes)
            #expect(MetricsTests.value(userSamples, "sbtrfs_quota_enabled", [:]) == 1)
            #expect(!userSamples.contains { $0.name.hasPrefix("sbtrfs_qgroup_") })
        }
    }
}
