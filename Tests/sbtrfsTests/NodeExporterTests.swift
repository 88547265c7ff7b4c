import Btrfs
import Foundation
import Testing
import TestRig

/// `filesystem metrics` in a real node_exporter (Debian's prometheus-node-exporter, its btrfs
/// collector on, as by default): the file sbtrfs writes is scraped over HTTP without a
/// gather error, and with `--node-exporter-names` sbtrfs stands in for a collector turned off.
@Suite(.needsRig, .needsTool(NodeExporter.binary, what: "prometheus-node-exporter"),
       .needsTool("/usr/bin/promtool", what: "promtool (Debian package prometheus)"))
struct NodeExporterTests {
    typealias Sample = MetricsTests.Sample

    /// Samples keyed by name and sorted labels, for comparing two expositions.
    static func keyed(_ samples: [Sample]) -> [String: Double] {
        var out: [String: Double] = [:]
        for s in samples {
            out[s.name + "{" + s.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",") + "}"] = s.value
        }
        return out
    }

    static func expectCleanLog(_ log: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(!log.contains("error gathering metrics"), "node_exporter log:\n\(log)", sourceLocation: sourceLocation)
        #expect(!log.contains("was collected before"), sourceLocation: sourceLocation)
    }

    /// `promtool check metrics` (its linter) accepts the exposition.
    static func expectPromtoolAccepts(_ exposition: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let r = try Rig.run(["promtool", "check", "metrics"], stdin: exposition)
        #expect(r.status == 0, "promtool check metrics: \(r)", sourceLocation: sourceLocation)
    }

    @Test func coexistsWithNodeExportersBtrfsCollector() throws {
        let spec = FSSpec(deviceSizes: [1 << 30, 3 << 29], data: "raid1", metadata: "raid1", label: "ne \"q\" \\ x")
        try Rig.withFilesystem(spec) { scratch in
            let mnt = scratch.mountPoint
            try Rig.sh("head -c 30000000 /dev/urandom > \(mnt)/f && sync")
            let uuid = try Rig.run(["findmnt", "-n", "-o", "UUID", mnt]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            // Quotas, a limit, a scrub record and a subvolume, so that every sbtrfs_ family is in the scrape.
            defer { MetricsScrubTests.removeScrubRecords(uuid) }
            try Rig.sh("""
                btrfs quota enable \(mnt) && btrfs -q subvolume create \(mnt)/sub && btrfs qgroup limit 1G \(mnt)/sub \
                && sync && btrfs quota rescan -w \(mnt) >/dev/null && btrfs scrub start -B \(mnt) >/dev/null && sync
                """)
            // The library's view just before sbtrfs writes the file (and after, in case a commit fell between).
            let libraryBefore = try #require(try MetricsSnapshot(FileSystem(path: mnt)).usage)

            // Default names, next to node_exporter's own btrfs collector.
            let dir = scratch.directory + "/textfile"
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: false)
            let written = try Rig.sbtrfs(["filesystem", "metrics", "-o", dir + "/sbtrfs.prom", mnt])
            #expect(written.status == 0 && written.stdout.isEmpty && written.stderr.isEmpty, "\(written)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["sbtrfs.prom"])
            let fileBytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: dir + "/sbtrfs.prom")))
            try Self.expectPromtoolAccepts(fileBytes)
            let ours = try MetricsTests.parse(fileBytes)
            #expect(!ours.isEmpty && ours.allSatisfy { $0.name.hasPrefix("sbtrfs_") && $0.labels["uuid"] == uuid })

            let exporter = try NodeExporter.start(textfileDirectory: dir, filesystem: uuid)
            let scraped = try MetricsTests.parse(try exporter.scrape())
            Self.expectCleanLog(exporter.stop())
            #expect(MetricsTests.value(scraped, "node_textfile_scrape_error", [:]) == 0)
            // node_exporter's collector did see this filesystem: both sets are in one scrape.
            #expect(MetricsTests.value(scraped, "node_btrfs_info", ["uuid": uuid, "label": spec.label ?? ""]) == 1)
            let scrapedByKey = Self.keyed(scraped)
            for (key, value) in Self.keyed(ours) {
                #expect(scrapedByKey[key] == value, "\(key) scraped as \(scrapedByKey[key].map { "\($0)" } ?? "nothing")")
            }

            // The values are the library's.
            let libraryAfter = try #require(try MetricsSnapshot(FileSystem(path: mnt)).usage)
            let fs = ["uuid": uuid]
            func expectLibrary(_ name: String, _ labels: [String: String], _ value: (FsUsage) -> Int,
                               sourceLocation: SourceLocation = #_sourceLocation) {
                let scrapedValue = MetricsTests.value(scraped, name, fs.merging(labels) { a, _ in a })
                #expect(scrapedValue == Double(value(libraryBefore)) || scrapedValue == Double(value(libraryAfter)),
                        "\(name) \(labels): scraped \(String(describing: scrapedValue)), library \(value(libraryBefore)) / \(value(libraryAfter))",
                        sourceLocation: sourceLocation)
            }
            expectLibrary("sbtrfs_free_estimated_bytes", ["block_group_type": "data"]) { $0.freeData }
            expectLibrary("sbtrfs_free_estimated_bytes", ["block_group_type": "metadata"]) { $0.freeMetadata }
            expectLibrary("sbtrfs_unallocatable_bytes", ["kind": "hard"]) { $0.unallocatableHard }
            expectLibrary("sbtrfs_unallocatable_bytes", ["kind": "soft"]) { $0.unallocatableSoft }
            expectLibrary("sbtrfs_unallocatable_reclaimable_bytes", [:]) { $0.unallocatableReclaimable }
            expectLibrary("sbtrfs_allocatable_left_bytes", [:]) { $0.allocatableLeft }
            #expect(MetricsTests.value(scraped, "sbtrfs_subvolumes", fs) == 1)
            #expect(MetricsTests.value(scraped, "sbtrfs_balance_running", fs) == 0)

            // --node-exporter-names with the collector off: sbtrfs gives what the collector gave.
            let dir2 = scratch.directory + "/textfile2"
            try FileManager.default.createDirectory(atPath: dir2, withIntermediateDirectories: false)
            let written2 = try Rig.sbtrfs(["filesystem", "metrics", "--node-exporter-names", "-o", dir2 + "/sbtrfs.prom", mnt])
            #expect(written2.status == 0, "\(written2)")
            try Self.expectPromtoolAccepts([UInt8](try Data(contentsOf: URL(fileURLWithPath: dir2 + "/sbtrfs.prom"))))
            let exporter2 = try NodeExporter.start(textfileDirectory: dir2, filesystem: uuid, btrfsCollector: false)
            let scraped2 = try MetricsTests.parse(try exporter2.scrape())
            Self.expectCleanLog(exporter2.stop())
            #expect(MetricsTests.value(scraped2, "node_textfile_scrape_error", [:]) == 0)
            // node_exporter 1.5 has no commit statistics; newer ones do, and they move anyway.
            func collectorSamples(_ samples: [Sample]) -> [String: Double] {
                Self.keyed(samples.filter { $0.name.hasPrefix("node_btrfs_") && !$0.name.contains("commit") && $0.labels["uuid"] == uuid })
            }
            let fromCollector = collectorSamples(scraped), fromSbtrfs = collectorSamples(scraped2)
            #expect(fromCollector.count >= 20)
            #expect(fromSbtrfs == fromCollector)

            // The alerting rules name only metrics these scrapes have.
            let exported = Set((scraped + scraped2).map(\.family) + (scraped + scraped2).map(\.name))
            let referenced = try PrometheusRulesTests.referencedMetrics()
            #expect(referenced.subtracting(exported).isEmpty, "rules name metrics nobody exports: \(referenced.subtracting(exported))")
        }
    }

    /// -o replaces the file by rename (a reader never sees a part of it); a directory that cannot
    /// be written or a full filesystem is one ERROR line, a non-zero status and no stray file.
    @Test func outputFileIsReplacedAtomically() throws {
        try Rig.withFilesystem(FSSpec(deviceSize: 1 << 30)) { scratch in
            let mnt = scratch.mountPoint
            let dir = scratch.directory + "/out"
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: false)
            let file = dir + "/sbtrfs.prom"
            try Rig.sh("echo old > \(file)")
            let before = try FileManager.default.attributesOfItem(atPath: file)[.systemFileNumber] as? Int
            let stdout = try Rig.sbtrfs(["filesystem", "metrics", mnt])
            let r = try Rig.sbtrfs(["filesystem", "metrics", "--output", file, mnt])
            #expect(r.status == 0, "\(r)")
            let attributes = try FileManager.default.attributesOfItem(atPath: file)
            #expect(attributes[.systemFileNumber] as? Int != before, "replaced by rename, not rewritten in place")
            #expect((attributes[.posixPermissions] as? Int) == 0o644, "node_exporter reads it as another user")
            #expect([UInt8](try Data(contentsOf: URL(fileURLWithPath: file))) == stdout.stdoutBytes)
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["sbtrfs.prom"])

            // Readers racing 15 writes only ever see a whole file.
            let reader = Process()
            reader.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
            reader.arguments = ["-c", """
                import sys, time
                bad, reads, end = 0, 0, time.time() + 30
                while time.time() < end:
                    try:
                        data = open(sys.argv[1], 'rb').read()
                    except FileNotFoundError:
                        bad += 1; continue
                    reads += 1
                    if data != open(sys.argv[2], 'rb').read(): bad += 1
                    import os
                    if os.path.exists(sys.argv[3]): break
                print(reads, bad)
                """, file, scratch.directory + "/expected", scratch.directory + "/stop"]
            try Data(stdout.stdoutBytes).write(to: URL(fileURLWithPath: scratch.directory + "/expected"))
            let pipe = Pipe()
            reader.standardOutput = pipe
            try reader.run()
            for _ in 0..<15 {
                #expect(try Rig.sbtrfs(["filesystem", "metrics", "-o", file, mnt]).status == 0)
            }
            try Rig.sh("touch \(scratch.directory)/stop")
            reader.waitUntilExit()
            let counts = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).split(separator: " ")
            #expect(counts.count == 2 && counts.last?.hasPrefix("0") == true && counts.first != "0", "reads, partial reads: \(counts)")

            // A directory the user cannot write: one ERROR line, the old file untouched, nothing beside it.
            chmod(dir, 0o755)
            let denied = try Rig.sbtrfs(["filesystem", "metrics", "-o", file, mnt], asUser: "nobody")
            #expect(denied.status == 1)
            #expect(denied.stdout.isEmpty)
            #expect(denied.stderr == "ERROR: cannot write '\(file)': Permission denied\n")
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["sbtrfs.prom"])
            #expect([UInt8](try Data(contentsOf: URL(fileURLWithPath: file))) == stdout.stdoutBytes)

            // A directory that does not exist.
            let missing = try Rig.sbtrfs(["filesystem", "metrics", "-o", dir + "/no/such.prom", mnt])
            #expect(missing.status == 1 && missing.stderr == "ERROR: cannot write '\(dir)/no/such.prom': No such file or directory\n")

            // A full filesystem (a one-page tmpfs): the write fails, the temporary file goes.
            let full = scratch.directory + "/full"
            try FileManager.default.createDirectory(atPath: full, withIntermediateDirectories: false)
            try Rig.sh("mount -t tmpfs -o size=4k tmpfs \(full)")
            defer { _ = try? Rig.run(["umount", full]) }
            let enospc = try Rig.sbtrfs(["filesystem", "metrics", "--node-exporter-names", "-o", full + "/sbtrfs.prom", mnt])
            #expect(enospc.status == 1)
            #expect(enospc.stderr == "ERROR: cannot write '\(full)/sbtrfs.prom': No space left on device\n")
            #expect(try FileManager.default.contentsOfDirectory(atPath: full).isEmpty)
        }
    }
}
