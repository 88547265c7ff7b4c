import Btrfs

// `sbtrfs filesystem metrics`: Prometheus text exposition for node_exporter's textfile
// collector. By default only what node_exporter's own btrfs collector lacks, under `sbtrfs_`
// (the two coexist on one host); `--node-exporter-names` adds node_exporter's `node_btrfs_*`
// families for hosts whose btrfs collector is off (FilesystemMetricsFamilies.swift).
extension FilesystemCommands {
    static let metrics = Command(
        "metrics", synopsis: ["[options] <path> [<path>...]", "[options] --all"],
        summary: "Print Prometheus metrics of filesystems (for node_exporter's textfile collector)",
        description: ["sbtrfs_* metrics node_exporter's btrfs collector lacks: estimated free and unallocatable",
                      "space, balance and scrub state, scrub errors, qgroup usage and limits, subvolume count.",
                      "Estimates, qgroups, subvolume counts and scrub records need root."],
        options: [OptionSpec("a", "all", help: "every mounted btrfs filesystem"),
                  OptionSpec("o", "output", value: .file, valueName: "file",
                             help: "write to <file> atomically (temporary file, fsync, rename) instead of stdout"),
                  OptionSpec(nil, "node-exporter-names",
                             help: "also print node_exporter's node_btrfs_* metrics (for hosts whose btrfs collector is off)")],
        operands: [OperandSpec("path", .path, optional: true, repeating: true)], supportsJSON: true,
        permutesOperands: true, run: runMetrics)

    @Sendable static func runMetrics(_ invocation: Invocation) throws -> Int32 {
        if !invocation.has("all") { try invocation.checkArgcMin(1) }
        var snapshots = [MetricsSnapshot]()
        func read(_ path: String) throws {
            // A filesystem mounted twice (subvolume mounts) is read once.
            let fs = try FileSystem(path: path)
            let fsid = try fs.fsInfo().fsid
            if !snapshots.contains(where: { $0.uuid == fsid }) { snapshots.append(try MetricsSnapshot(fs)) }
        }
        for path in invocation.operands { try read(path) }
        if invocation.has("all") {
            // A mount can go between reading the mount table and opening it: the others are still
            // reported (the timer's file stays fresh), with a warning for the one that failed.
            for mount in try MountedFilesystems.all() {
                do {
                    try read(mount.mountPoint)
                } catch let error as BtrfsError {
                    invocation.context.warning("skipping \(mount.mountPoint): \(error.description)")
                }
            }
        }
        let families = metricFamilies(snapshots, nodeExporterNames: invocation.has("node-exporter-names"))
        // With -o the whole exposition is built first: a file is replaced only once complete.
        let output = invocation.value("output")
        let out = output == nil ? invocation.out : OutputStream.capture()
        if invocation.format == .json {
            writeJSON(families, withheld: snapshots, to: out)
        } else {
            // A comment (the exposition format ignores it) says what a normal user did not get.
            for s in snapshots where !s.withheld.isEmpty {
                out.line("# sbtrfs: \(s.uuid): left out, root only: \(s.withheld.joined(separator: ", "))")
            }
            writeExposition(families, to: out)
        }
        if let output {
            out.flush()
            try AtomicFile.write(out.captured, to: output)
        }
        return 0
    }

    static func writeExposition(_ families: [MetricFamily], to out: OutputStream) {
        for family in families where !family.samples.isEmpty {
            out.line("# HELP \(family.name) \(escapeHelp(family.help))")
            out.line("# TYPE \(family.name) \(family.type)")
            for sample in family.samples {
                let labels = sample.labels.map { "\($0.0)=\"\(escapeLabel($0.1))\"" }.joined(separator: ",")
                out.line("\(family.name){\(labels)} \(promValue(sample.value))")
            }
        }
    }

    static func writeJSON(_ families: [MetricFamily], withheld snapshots: [MetricsSnapshot], to out: OutputStream) {
        var json = JSONWriter(out: out, style: .native)
        json.start()
        // What the kernel gives root only, per filesystem (empty lists for root).
        json.beginGroup("withheld", .map)
        for s in snapshots {
            json.beginGroup(s.uuid.description, .array)
            for part in s.withheld { json.listValue(part) }
            json.endGroup()
        }
        json.endGroup()
        json.beginGroup("metrics", .array)
        for family in families {
            for sample in family.samples {
                json.beginGroup(nil, .map)
                json.string("name", family.name)
                json.string("type", family.type)
                json.beginGroup("labels", .map)
                for (key, value) in sample.labels { json.string(key, value) }
                json.endGroup()
                json.number("value", sample.value)
                json.endGroup()
            }
        }
        json.endGroup()
        json.end()
    }

    /// The exposition format's escaping: backslash and newline everywhere, the double quote
    /// too in label values (HELP text keeps it).
    static func escapeLabel(_ s: String) -> String { escape(s, quote: true) }

    static func escapeHelp(_ s: String) -> String { escape(s, quote: false) }

    static func escape(_ s: String, quote: Bool) -> String {
        var out = ""
        for c in s.unicodeScalars {
            switch c {
            case "\\": out += "\\\\"
            case "\"" where quote: out += "\\\""
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// Integers as integers, others in Swift's shortest round-trip form; Prometheus's spellings of infinities and NaN.
    static func promValue(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v > 0 ? "+Inf" : "-Inf" }
        if v == v.rounded(), abs(v) < 9.007_199_254_740_992e15 { return String(Int64(v)) }
        return v.description
    }
}
