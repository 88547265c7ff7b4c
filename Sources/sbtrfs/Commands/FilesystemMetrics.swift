import Btrfs

// `sbtrfs filesystem metrics`: Prometheus text exposition for node_exporter's textfile
// collector. Names and labels follow node_exporter's btrfs collector where it has the metric;
// the python-btrfs estimates and the balance state are additions in the same namespace.
extension Filesystem {
    static let metrics = Command(
        "metrics", synopsis: ["<path> [<path>...]"],
        summary: "Print Prometheus metrics of filesystems (for node_exporter's textfile collector)",
        description: ["Allocation per type and profile, device sizes and error counters, global reserve,",
                      "commit statistics, estimated free and unallocatable space, balance state.",
                      "Estimates need root (tree search); a normal user gets the rest."],
        operands: [OperandSpec("path", .path, repeating: true)], supportsJSON: true,
        permutesOperands: true, run: runMetrics)

    @Sendable static func runMetrics(_ invocation: Invocation) throws -> Int32 {
        var snapshots = [MetricsSnapshot]()
        for path in invocation.operands {
            let snapshot = try MetricsSnapshot(FileSystem(path: path))
            if !snapshots.contains(where: { $0.uuid == snapshot.uuid }) { snapshots.append(snapshot) }
        }
        let families = metricFamilies(snapshots)
        if invocation.format == .json {
            var json = JSONWriter(out: invocation.out, style: .native)
            json.start()
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
        } else {
            for family in families where !family.samples.isEmpty {
                invocation.out.line("# HELP \(family.name) \(escapeHelp(family.help))")
                invocation.out.line("# TYPE \(family.name) \(family.type)")
                for sample in family.samples {
                    let labels = sample.labels.map { "\($0.0)=\"\(escapeLabel($0.1))\"" }.joined(separator: ",")
                    invocation.out.line("\(family.name){\(labels)} \(promValue(sample.value))")
                }
            }
        }
        return 0
    }

    struct MetricFamily {
        var name: String
        var type: String
        var help: String
        var samples: [(labels: [(String, String)], value: Double)] = []
    }

    /// The families in a fixed order, each with the samples of every filesystem.
    static func metricFamilies(_ snapshots: [MetricsSnapshot]) -> [MetricFamily] {
        var families: [String: MetricFamily] = [:]
        var order: [String] = []
        func add(_ name: String, _ type: String, _ help: String, _ labels: [(String, String)], _ value: Double) {
            let full = "node_btrfs_" + name
            if families[full] == nil {
                families[full] = MetricFamily(name: full, type: type, help: help)
                order.append(full)
            }
            families[full]?.samples.append((labels, value))
        }
        for s in snapshots {
            let fs = ("uuid", s.uuid.description)
            add("info", "gauge", "Filesystem information", [fs, ("label", s.label)], 1)
            add("global_rsv_size_bytes", "gauge", "Size of global reserve.", [fs], Double(s.globalReserveBytes))
            if let c = s.commitStats {
                add("commits_total", "counter", "The total number of commits that have occurred.", [fs], Double(c.commits))
                add("last_commit_seconds", "gauge", "Duration of the most recent commit, in seconds.", [fs], Double(c.lastCommitMs) / 1000)
                add("max_commit_seconds", "gauge", "Duration of the slowest commit, in seconds.", [fs], Double(c.maxCommitMs) / 1000)
                add("commit_seconds_total", "counter", "Sum of the duration of all commits, in seconds.", [fs], Double(c.totalCommitMs) / 1000)
            }
            for r in s.reserved {
                add("reserved_bytes", "gauge", "Amount of space reserved for a data type", [fs, ("block_group_type", r.type)], Double(r.bytes))
            }
            for space in s.spaces {
                let labels = [fs, ("block_group_type", space.type), ("mode", space.mode)]
                add("used_bytes", "gauge", "Amount of used space by a layout/data type", labels, Double(space.usedBytes))
                add("size_bytes", "gauge", "Amount of space allocated for a layout/data type", labels, Double(space.totalBytes))
                add("allocation_ratio", "gauge", "Data allocation ratio for a layout/data type", labels, space.ratio)
            }
            for d in s.devices {
                let device = [("device", d.path.split(separator: "/").last.map(String.init) ?? d.path), ("btrfs_dev_uuid", d.uuid.description)]
                add("device_size_bytes", "gauge", "Size of a device that is part of the filesystem.", [fs] + device, Double(d.totalBytes))
                add("device_unused_bytes", "gauge", "Unused bytes unused on a device that is part of the filesystem.",
                    [fs] + device, Double(d.totalBytes &- d.bytesUsed))
                if let stats = d.stats {
                    let values = [("write", stats.writeErrs), ("read", stats.readErrs), ("flush", stats.flushErrs),
                                  ("corruption", stats.corruptionErrs), ("generation", stats.generationErrs)]
                    for (type, value) in values {
                        add("device_errors_total", "counter", "Errors reported for the device", [fs, ("type", type)] + device, Double(value))
                    }
                }
                if let soft = d.unallocatableSoft, let hard = d.unallocatableHard {
                    let help = "Bytes of a device no chunk can be allocated in (python-btrfs): soft because allocations are unbalanced, hard because device sizes differ."
                    add("device_unallocatable_bytes", "gauge", help, [fs] + device + [("kind", "soft")], Double(soft))
                    add("device_unallocatable_bytes", "gauge", help, [fs] + device + [("kind", "hard")], Double(hard))
                }
            }
            if let u = s.usage {
                let help = "Estimated virtual space left for use (python-btrfs): unused space in chunks plus what new chunks would add."
                if u.mixedGroups {
                    add("free_estimated_bytes", "gauge", help, [fs, ("block_group_type", "mixed")], Double(u.freeMixed))
                } else {
                    add("free_estimated_bytes", "gauge", help, [fs, ("block_group_type", "data")], Double(u.freeData))
                    add("free_estimated_bytes", "gauge", help, [fs, ("block_group_type", "metadata")], Double(u.freeMetadata))
                }
                let unHelp = "Raw bytes no chunk can be allocated in (python-btrfs): soft (unbalanced allocations), hard (unequal device sizes), reclaimable by a balance."
                add("unallocatable_bytes", "gauge", unHelp, [fs, ("kind", "soft")], Double(u.unallocatableSoft))
                add("unallocatable_bytes", "gauge", unHelp, [fs, ("kind", "hard")], Double(u.unallocatableHard))
                add("unallocatable_bytes", "gauge", unHelp, [fs, ("kind", "reclaimable")], Double(u.unallocatableReclaimable))
                add("allocatable_left_bytes", "gauge", "Raw bytes left to allocate before the filesystem is full, given the target profiles (python-btrfs).",
                    [fs], Double(u.allocatableLeft))
            }
            if let running = s.balanceRunning {
                add("balance_running", "gauge", "Whether a balance is running (1) or not (0).", [fs], running ? 1 : 0)
            }
        }
        return order.compactMap { families[$0] }
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
