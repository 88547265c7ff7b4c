import Foundation
import Testing
import TestRig

/// The scrub and subvolume metrics against btrfs-progs on the same filesystem: `btrfs scrub status
/// -d -R` (which reads the same record file and asks the kernel the same question) and
/// `btrfs subvolume list`.
@Suite(.needsRig) struct MetricsScrubTests {
    typealias Sample = MetricsTests.Sample

    /// btrfs-progs' scrub records of the filesystem are removed after the test (progs never does).
    static func removeScrubRecords(_ uuid: String) {
        for name in ["scrub.status.\(uuid)", "scrub.progress.\(uuid)", "scrub.status.\(uuid)_tmp"] {
            try? FileManager.default.removeItem(atPath: "/var/lib/btrfs/" + name)
        }
    }

    static func uuid(_ mnt: String) throws -> String {
        try Rig.run(["findmnt", "-n", "-o", "UUID", mnt]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// `btrfs scrub status -d -R`: per device id, its `Status:` word and the raw counters.
    static func progsScrubStatus(_ mnt: String) throws -> [UInt64: [String: String]] {
        let r = try Rig.run(["btrfs", "scrub", "status", "-d", "-R", mnt])
        #expect(r.status == 0, "\(r)")
        var devices: [UInt64: [String: String]] = [:]
        var current: UInt64?
        for line in r.stdout.split(separator: "\n") {
            if line.hasPrefix("Scrub device "), let open = line.range(of: "(id "), let close = line.range(of: ")", range: open.upperBound..<line.endIndex) {
                current = UInt64(line[open.upperBound..<close.lowerBound])
                if let current { devices[current] = [:] }
            } else if let current, let colon = line.firstIndex(of: ":") {
                let key = line[..<colon].trimmingCharacters(in: .whitespaces)
                devices[current]?[key] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
        }
        return devices
    }

    static func metrics(_ mnt: String) throws -> [Sample] {
        let r = try Rig.sbtrfs(["filesystem", "metrics", mnt])
        #expect(r.status == 0, "\(r)")
        return try MetricsTests.parse(r.stdoutBytes)
    }

    /// A scrub that repairs a corrupted raid1 mirror: every counter, the state and the start time
    /// are what btrfs-progs reads from the same record.
    @Test func scrubRecordMatchesProgs() throws {
        try Rig.withFilesystem(FSSpec(deviceSizes: [1 << 30, 3 << 29], data: "raid1", metadata: "raid1")) { scratch in
            let mnt = scratch.mountPoint
            let uuid = try Self.uuid(mnt)
            defer { Self.removeScrubRecords(uuid) }
            let before = try Self.metrics(mnt)
            #expect(MetricsTests.value(before, "sbtrfs_scrub_running", [:]) == 0)
            #expect(!before.contains { $0.name.hasPrefix("sbtrfs_scrub_") && $0.name != "sbtrfs_scrub_running" }, "no record, no scrub samples")

            try DeviceStatsTests.damageMirror(scratch)
            _ = try Rig.run(["btrfs", "scrub", "start", "-B", mnt])
            let samples = try Self.metrics(mnt)
            let progs = try Self.progsScrubStatus(mnt)
            #expect(progs.count == 2, "\(progs)")
            let record = try String(contentsOfFile: "/var/lib/btrfs/scrub.status.\(uuid)", encoding: .utf8)
            var corrected = 0.0
            for (devid, fields) in progs {
                let device = try #require(try Rig.run(["btrfs", "filesystem", "show", mnt]).stdout.split(separator: "\n")
                    .first { $0.contains("devid    \(devid) ") }?.split(separator: "/").last.map(String.init))
                let labels = ["uuid": uuid, "device": device]
                func with(_ extra: [String: String]) -> [String: String] { labels.merging(extra) { a, _ in a } }
                #expect(MetricsTests.value(samples, "sbtrfs_scrub_status", with(["status": try #require(fields["Status"])])) == 1, "\(fields)")
                #expect(samples.filter { $0.name == "sbtrfs_scrub_status" && $0.labels["device"] == device && $0.value == 1 }.count == 1)
                #expect(MetricsTests.value(samples, "sbtrfs_scrub_scrubbed_bytes", with(["type": "data"])) == Double(fields["data_bytes_scrubbed"] ?? ""))
                #expect(MetricsTests.value(samples, "sbtrfs_scrub_scrubbed_bytes", with(["type": "tree"])) == Double(fields["tree_bytes_scrubbed"] ?? ""))
                for type in ["read", "csum", "verify", "super", "malloc"] {
                    #expect(MetricsTests.value(samples, "sbtrfs_scrub_errors", with(["type": type])) == Double(fields["\(type)_errors"] ?? ""), "\(type)")
                }
                #expect(MetricsTests.value(samples, "sbtrfs_scrub_uncorrectable_errors", labels) == Double(fields["uncorrectable_errors"] ?? ""))
                let fixed = try #require(MetricsTests.value(samples, "sbtrfs_scrub_corrected_errors", labels))
                #expect(fixed == Double(fields["corrected_errors"] ?? ""))
                corrected += fixed
                // The start time and duration are the record's own numbers (progs prints them as local time).
                let line = try #require(record.split(separator: "\n").first { $0.hasPrefix("\(uuid):\(devid)|") })
                let values = Dictionary(line.split(separator: "|").dropFirst().map { field -> (String, String) in
                    let kv = field.split(separator: ":", maxSplits: 1)
                    return (String(kv[0]), String(kv.count > 1 ? kv[1] : ""))
                }) { a, _ in a }
                #expect(MetricsTests.value(samples, "sbtrfs_scrub_last_start_timestamp_seconds", labels) == Double(values["t_start"] ?? ""))
                #expect(MetricsTests.value(samples, "sbtrfs_scrub_last_duration_seconds", labels) == Double(values["duration"] ?? ""))
            }
            #expect(corrected > 0, "the scrub repaired the damaged mirror")
            #expect(MetricsTests.value(samples, "sbtrfs_scrub_running", [:]) == 0)
        }
    }

    /// While a (throttled) scrub runs, sbtrfs_scrub_running and the running state follow the kernel
    /// as `btrfs scrub status` reports it; after a cancel the state is progs' "aborted".
    @Test func scrubRunningThenAborted() throws {
        try Rig.withFilesystem(FSSpec(deviceSize: 1 << 30)) { scratch in
            let mnt = scratch.mountPoint
            let uuid = try Self.uuid(mnt)
            defer { Self.removeScrubRecords(uuid) }
            try Rig.sh("head -c 200000000 /dev/urandom > \(mnt)/f && sync")
            // 10 MiB/s: the scrub takes 20 s unless cancelled.
            try Rig.sh("echo 10485760 > /sys/fs/btrfs/\(uuid)/devinfo/1/scrub_speed_max")
            func progsStatus() throws -> String {
                try Rig.run(["btrfs", "scrub", "status", mnt]).stdout.split(separator: "\n")
                    .first { $0.hasPrefix("Status:") }.map { $0.dropFirst("Status:".count).trimmingCharacters(in: .whitespaces) } ?? ""
            }
            // btrfs-progs 6.2 shows a running scrub by its ETA (the kernel answered SCRUB_PROGRESS).
            func progsRunning() throws -> Bool { try Rig.run(["btrfs", "scrub", "status", mnt]).stdout.contains("\nTime left:") }
            // In the foreground (-B) in a process of its own: a backgrounded progs scrub keeps the
            // rig's output files open until it ends.
            let scrub = Process()
            scrub.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            scrub.arguments = ["btrfs", "scrub", "start", "-B", mnt]
            scrub.standardOutput = FileHandle.nullDevice
            scrub.standardError = FileHandle.nullDevice
            try scrub.run()
            defer { if scrub.isRunning { _ = try? Rig.run(["btrfs", "scrub", "cancel", mnt]); scrub.waitUntilExit() } }
            var caught = false
            for _ in 0..<30 where !caught {
                let before = try progsRunning()
                let samples = try Self.metrics(mnt)
                if before, try progsRunning() {
                    #expect(MetricsTests.value(samples, "sbtrfs_scrub_running", [:]) == 1)
                    #expect(MetricsTests.value(samples, "sbtrfs_scrub_status", ["status": "running"]) == 1)
                    caught = true
                } else {
                    usleep(100_000)
                }
            }
            let status = try Rig.run(["btrfs", "scrub", "status", mnt])
            #expect(caught, "never saw the scrub running: \(status)")
            _ = try Rig.run(["btrfs", "scrub", "cancel", mnt])
            var aborted = false
            for _ in 0..<50 where !aborted {
                aborted = try progsStatus() == "aborted"
                if !aborted { usleep(100_000) }
            }
            scrub.waitUntilExit()
            #expect(aborted)
            let after = try Self.metrics(mnt)
            #expect(MetricsTests.value(after, "sbtrfs_scrub_running", [:]) == 0)
            #expect(MetricsTests.value(after, "sbtrfs_scrub_status", ["status": "aborted"]) == 1)
            #expect(MetricsTests.value(after, "sbtrfs_scrub_status", ["status": "running"]) == 0)
        }
    }

    /// sbtrfs_subvolumes, _snapshots, _subvolumes_readonly, _subvolumes_deleted_pending count what
    /// `btrfs subvolume list` (plain, -s, -r, -d) lists.
    @Test func subvolumeCountsMatchProgs() throws {
        try Rig.withFilesystem(FSSpec(deviceSize: 1 << 30)) { scratch in
            let mnt = scratch.mountPoint
            try Rig.sh("""
                btrfs -q subvolume create \(mnt)/a && btrfs -q subvolume create \(mnt)/b && mkdir \(mnt)/d \
                && btrfs -q subvolume create \(mnt)/d/c && btrfs -q subvolume create \(mnt)/a/nested \
                && btrfs -q subvolume snapshot \(mnt)/a \(mnt)/snap-a && btrfs -q subvolume snapshot -r \(mnt)/b \(mnt)/d/snap-b \
                && btrfs -q subvolume delete \(mnt)/d/c && btrfs property set \(mnt)/b ro true
                """)
            func progsCount(_ option: [String]) throws -> Double {
                Double(try Rig.run(["btrfs", "subvolume", "list"] + option + [mnt]).stdout.split(separator: "\n").count)
            }
            let expected: [(String, [String])] = [("sbtrfs_subvolumes", []), ("sbtrfs_snapshots", ["-s"]),
                                                  ("sbtrfs_subvolumes_readonly", ["-r"]), ("sbtrfs_subvolumes_deleted_pending", ["-d"])]
            var matched = false
            var seen: [String] = []
            for _ in 0..<3 where !matched {
                // The cleaner may drop the deleted one between two runs: progs before and after ours.
                let before = try expected.map { try progsCount($0.1) }
                let samples = try Self.metrics(mnt)
                let ours = expected.map { MetricsTests.value(samples, $0.0, [:]) ?? -1 }
                let after = try expected.map { try progsCount($0.1) }
                matched = ours == before || ours == after
                seen.append("ours \(ours), progs \(before) then \(after)")
            }
            #expect(matched, "\(seen)")
            #expect(try progsCount([]) == 5 && progsCount(["-s"]) == 2 && progsCount(["-r"]) == 2)

            // A normal user cannot search the root tree: no counts rather than wrong ones.
            let user = try Rig.sbtrfs(["filesystem", "metrics", mnt], asUser: "nobody")
            #expect(user.status == 0, "\(user)")
            #expect(!(try MetricsTests.parse(user.stdoutBytes)).contains { $0.name.hasPrefix("sbtrfs_subvolumes") || $0.name == "sbtrfs_scrub_running" })
        }
    }
}
