import Foundation
import Testing
import TestRig

/// `filesystem metrics`: parsed by prometheus_client's text parser, values checked against
/// python-btrfs on the same filesystems.
@Suite(.needsRig) struct MetricsTests {
    /// Parses stdin with prometheus_client and prints `family type sample {labels} value` lines;
    /// exits non-zero (with the parser's error) when the exposition is not valid.
    static let parser = """
        import sys, json
        from prometheus_client.parser import text_string_to_metric_families
        text = sys.stdin.read()
        for family in text_string_to_metric_families(text):
            for s in family.samples:
                print(family.name, family.type, s.name, json.dumps(s.labels, sort_keys=True), repr(float(s.value)))
        """

    /// What python-btrfs says about the filesystem, keyed like the samples we expect.
    static let oracle = """
        import btrfs, sys
        fs = btrfs.FileSystem(sys.argv[1])
        u = fs.usage()
        for s in fs.space_info():
            if s.flags == 1 << 49:
                print('global_rsv', s.total_bytes)
            else:
                print('size', btrfs.utils.block_group_type_str(s.flags).lower(),
                      btrfs.volumes._raid_attrs(s.flags).raid_name, s.total_bytes, s.used_bytes)
        for d in fs.devices():
            i = fs.dev_info(d.devid)
            st = fs.dev_stats(d.devid)
            print('dev', i.path.split('/')[-1], i.total_bytes, i.total_bytes - i.bytes_used, st.corruption_errs,
                  u.dev_usage[d.devid].unallocatable_hard)
        if fs.mixed_groups():
            print('free mixed', u.free_mixed)
        else:
            print('free data', u.free_data)
            print('free metadata', u.free_metadata)
        print('unallocatable', u.unallocatable_soft, u.unallocatable_hard, u.unallocatable_reclaimable)
        """

    struct Sample { var family: String; var type: String; var name: String; var labels: [String: String]; var value: Double }

    /// The samples of an exposition (also used by the corruption test).
    static func parse(_ exposition: [UInt8]) throws -> [Sample] {
        let r = try Rig.python(parser, stdin: exposition)
        #expect(r.status == 0, "prometheus_client rejected the exposition: \(r)")
        return try r.stdout.split(separator: "\n").map { line in
            let parts = line.split(separator: " ", maxSplits: 3).map(String.init)
            let rest = parts[3]
            let cut = try #require(rest.range(of: "} ", options: .backwards))
            let labels = try JSONSerialization.jsonObject(with: Data(rest[..<cut.upperBound].dropLast().utf8)) as? [String: String]
            return Sample(family: parts[0], type: parts[1], name: parts[2], labels: labels ?? [:],
                          value: Double(rest[cut.upperBound...]) ?? .nan)
        }
    }

    static func value(_ samples: [Sample], _ name: String, _ labels: [String: String]) -> Double? {
        samples.first { sample in sample.name == name && labels.allSatisfy { k, v in sample.labels[k] == v } }?.value
    }

    @Test(arguments: [
        FSSpec(deviceSizes: [768 << 20, 1 << 30, 3 << 29], data: "raid5", metadata: "raid1", label: "metrics \"test\""),
        FSSpec(deviceSizes: [1 << 30, 3 << 29], mixed: true),
        FSSpec(deviceSize: 1 << 30, data: "single", metadata: "dup"),
    ])
    func parsesAndMatchesPython(spec: FSSpec) throws {
        try Rig.withFilesystem(spec) { scratch in
            let mnt = scratch.mountPoint
            try Rig.sh("head -c 40000000 /dev/urandom > \(mnt)/f && sync")
            let ours = try Rig.sbtrfs(["filesystem", "metrics", "--node-exporter-names", mnt, mnt])
            #expect(ours.status == 0, "\(ours)")
            let samples = try Self.parse(ours.stdoutBytes)
            // By default only the sbtrfs_ families, the same samples.
            let plain = try Rig.sbtrfs(["filesystem", "metrics", mnt])
            let plainSamples = try Self.parse(plain.stdoutBytes)
            #expect(!plainSamples.isEmpty && plainSamples.allSatisfy { $0.name.hasPrefix("sbtrfs_") })
            #expect(NodeExporterTests.keyed(plainSamples) == NodeExporterTests.keyed(samples.filter { $0.name.hasPrefix("sbtrfs_") }))
            let uuid = try Rig.run(["findmnt", "-n", "-o", "UUID", mnt]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(samples.allSatisfy { $0.labels["uuid"] == uuid }, "one filesystem, named once")
            #expect(Self.value(samples, "node_btrfs_info", ["label": spec.label ?? ""]) == 1)
            let py = try Rig.python(Self.oracle, args: [mnt])
            #expect(py.status == 0, "\(py)")
            #expect(py.stdout.split(separator: "\n").count >= 6, "\(py)")
            for line in py.stdout.split(separator: "\n") {
                let f = line.split(separator: " ").map(String.init)
                switch f[0] {
                case "global_rsv":
                    #expect(Self.value(samples, "node_btrfs_global_rsv_size_bytes", [:]) == Double(f[1]))
                case "size":
                    let type = f[1] == "data|metadata" ? "mixed" : f[1]
                    let labels = ["block_group_type": type, "mode": f[2]]
                    #expect(Self.value(samples, "node_btrfs_size_bytes", labels) == Double(f[3]), "\(line)")
                    #expect(Self.value(samples, "node_btrfs_used_bytes", labels) == Double(f[4]), "\(line)")
                case "dev":
                    let device = ["device": f[1]]
                    #expect(Self.value(samples, "node_btrfs_device_size_bytes", device) == Double(f[2]))
                    #expect(Self.value(samples, "node_btrfs_device_unused_bytes", device) == Double(f[3]))
                    #expect(Self.value(samples, "node_btrfs_device_errors_total", device.merging(["type": "corruption"]) { a, _ in a }) == Double(f[4]))
                    #expect(Self.value(samples, "sbtrfs_device_unallocatable_bytes", device.merging(["kind": "hard"]) { a, _ in a }) == Double(f[5]))
                case "free":
                    #expect(Self.value(samples, "sbtrfs_free_estimated_bytes", ["block_group_type": f[1]]) == Double(f[2]), "\(line)")
                case "unallocatable":
                    for (kind, text) in zip(["soft", "hard"], f.dropFirst()) {
                        #expect(Self.value(samples, "sbtrfs_unallocatable_bytes", ["kind": kind]) == Double(text))
                    }
                    #expect(Self.value(samples, "sbtrfs_unallocatable_reclaimable_bytes", [:]) == Double(f[3]))
                default:
                    Issue.record("unexpected oracle line \(line)")
                }
            }
            #expect(Self.value(samples, "sbtrfs_balance_running", [:]) == 0)
            #expect(samples.contains { $0.family == "node_btrfs_device_errors" && $0.type == "counter" })

            // As a normal user: still valid, without the estimates that need a tree search.
            let user = try Rig.sbtrfs(["filesystem", "metrics", "--node-exporter-names", mnt], asUser: "nobody")
            #expect(user.status == 0, "\(user)")
            let userSamples = try Self.parse(user.stdoutBytes)
            #expect(!userSamples.contains { $0.name == "sbtrfs_free_estimated_bytes" })
            #expect(userSamples.contains { $0.name == "node_btrfs_device_errors_total" })
            #expect(Self.value(userSamples, "node_btrfs_global_rsv_size_bytes", [:]) == Self.value(samples, "node_btrfs_global_rsv_size_bytes", [:]))

            // JSON: the same samples.
            let json = try Rig.sbtrfs(["--format", "json", "filesystem", "metrics", "--node-exporter-names", mnt])
            let doc = try #require(try JSONSerialization.jsonObject(with: Data(json.stdoutBytes)) as? [String: Any])
            #expect((doc["metrics"] as? [[String: Any]])?.count == samples.count)
        }
    }

    /// sbtrfs_balance_running follows a real balance: 1 while `btrfs balance status` says one
    /// runs (checked before and after our read), 0 once it is done.
    @Test func balanceRunningFollowsABalance() throws {
        try Rig.withFilesystem(FSSpec(deviceSize: 3 << 30)) { scratch in
            let mnt = scratch.mountPoint
            try Rig.sh("head -c 900000000 /dev/urandom > \(mnt)/f && sync")
            func running() throws -> Bool { try Rig.run(["btrfs", "balance", "status", mnt]).status == 1 }
            func metric() throws -> Double? {
                Self.value(try Self.parse(try Rig.sbtrfs(["filesystem", "metrics", mnt]).stdoutBytes), "sbtrfs_balance_running", [:])
            }
            #expect(try metric() == 0)
            let balance = Process()
            balance.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            balance.arguments = ["btrfs", "balance", "start", "-d", "--full-balance", mnt]
            balance.standardOutput = FileHandle.nullDevice
            balance.standardError = FileHandle.nullDevice
            try balance.run()
            defer { if balance.isRunning { balance.waitUntilExit() } }
            var caught = false
            var seen: [String] = []
            for _ in 0..<200 where !caught {
                let before = try running()
                let value = try metric()
                if seen.count < 20 { seen.append("\(before):\(value.map { "\($0)" } ?? "nil")") }
                if before, try running() {
                    #expect(value == 1)
                    caught = true
                }
            }
            #expect(caught, "never saw the balance running: \(seen)")
            balance.waitUntilExit()
            #expect(balance.terminationStatus == 0)
            #expect(try !running())
            #expect(try metric() == 0)
        }
    }
}
