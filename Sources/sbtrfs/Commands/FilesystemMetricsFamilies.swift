import Btrfs

/// The metric families of `filesystem metrics`. Two sets:
/// - node_exporter's btrfs collector's own (`node_btrfs_*`: allocation, devices, error counters,
///   global reserve, commit statistics), with its names, labels and HELP text. node_exporter's
///   collector is on by default and a name it exports twice is a gather error on every scrape,
///   so these come only with `--node-exporter-names`, for hosts whose collector is off.
/// - what sbtrfs adds (`sbtrfs_*`), always: python-btrfs's estimates, balance, scrub, quotas,
///   subvolumes. Docs/Metrics.md lists them and where each value comes from.
extension Filesystem {
    struct MetricFamily {
        var name: String
        var type: String
        var help: String
        var samples: [(labels: [(String, String)], value: Double)] = []
    }

    /// Families in the order first added, each with the samples of every filesystem.
    struct MetricFamilies {
        private var byName: [String: MetricFamily] = [:]
        private var order: [String] = []

        mutating func add(_ name: String, _ type: String, _ help: String, _ labels: [(String, String)], _ value: Double) {
            if byName[name] == nil {
                byName[name] = MetricFamily(name: name, type: type, help: help)
                order.append(name)
            }
            byName[name]?.samples.append((labels, value))
        }

        var all: [MetricFamily] { order.compactMap { byName[$0] } }
    }

    static func metricFamilies(_ snapshots: [MetricsSnapshot], nodeExporterNames: Bool) -> [MetricFamily] {
        var families = MetricFamilies()
        for s in snapshots {
            if nodeExporterNames { addNodeExporterFamilies(s, to: &families) }
        }
        for s in snapshots { addSbtrfsFamilies(s, to: &families) }
        return families.all
    }

    /// The device labels node_exporter gives: the device node's last component and the device UUID.
    static func deviceLabels(_ d: MetricsSnapshot.Device) -> [(String, String)] {
        [("device", d.path.split(separator: "/").last.map(String.init) ?? d.path), ("btrfs_dev_uuid", d.uuid.description)]
    }

    /// node_exporter's btrfs collector (collector/btrfs_linux.go), name for name and HELP for HELP.
    static func addNodeExporterFamilies(_ s: MetricsSnapshot, to families: inout MetricFamilies) {
        func add(_ name: String, _ type: String, _ help: String, _ labels: [(String, String)], _ value: Double) {
            families.add("node_btrfs_" + name, type, help, labels, value)
        }
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
            let device = [fs] + deviceLabels(d)
            add("device_size_bytes", "gauge", "Size of a device that is part of the filesystem.", device, Double(d.totalBytes))
            add("device_unused_bytes", "gauge", "Unused bytes unused on a device that is part of the filesystem.",
                device, Double(d.totalBytes &- d.bytesUsed))
            if let stats = d.stats {
                let values = [("write", stats.writeErrs), ("read", stats.readErrs), ("flush", stats.flushErrs),
                              ("corruption", stats.corruptionErrs), ("generation", stats.generationErrs)]
                for (type, value) in values {
                    add("device_errors_total", "counter", "Errors reported for the device", [fs, ("type", type)] + deviceLabels(d), Double(value))
                }
            }
        }
    }

    /// What node_exporter does not export, under sbtrfs's own prefix.
    static func addSbtrfsFamilies(_ s: MetricsSnapshot, to families: inout MetricFamilies) {
        func add(_ name: String, _ type: String, _ help: String, _ labels: [(String, String)], _ value: Double) {
            families.add("sbtrfs_" + name, type, help, labels, value)
        }
        let fs = ("uuid", s.uuid.description)
        add("info", "gauge", "A btrfs filesystem sbtrfs reports on (always 1), with its label.", [fs, ("label", s.label)], 1)
        if let u = s.usage {
            let help = "Estimated virtual bytes left for use (python-btrfs's free estimate): unused space in allocated chunks plus what new chunks in the unallocated space would hold, given the current profiles."
            if u.mixedGroups {
                add("free_estimated_bytes", "gauge", help, [fs, ("block_group_type", "mixed")], Double(u.freeMixed))
            } else {
                add("free_estimated_bytes", "gauge", help, [fs, ("block_group_type", "data")], Double(u.freeData))
                add("free_estimated_bytes", "gauge", help, [fs, ("block_group_type", "metadata")], Double(u.freeMetadata))
            }
            let unHelp = "Raw device bytes no chunk can be allocated in (python-btrfs): kind=soft because allocations are unbalanced (a balance reclaims it), kind=hard because device sizes differ, kind=reclaimable the part of soft a balance gets back."
            add("unallocatable_bytes", "gauge", unHelp, [fs, ("kind", "soft")], Double(u.unallocatableSoft))
            add("unallocatable_bytes", "gauge", unHelp, [fs, ("kind", "hard")], Double(u.unallocatableHard))
            add("unallocatable_bytes", "gauge", unHelp, [fs, ("kind", "reclaimable")], Double(u.unallocatableReclaimable))
            add("allocatable_left_bytes", "gauge", "Raw device bytes still allocatable to chunks of the current profiles (python-btrfs).",
                [fs], Double(u.allocatableLeft))
        }
        for d in s.devices {
            if let soft = d.unallocatableSoft, let hard = d.unallocatableHard {
                let help = "Raw bytes of one device no chunk can be allocated in (python-btrfs): kind=soft because allocations are unbalanced, kind=hard because device sizes differ."
                add("device_unallocatable_bytes", "gauge", help, [fs] + deviceLabels(d) + [("kind", "soft")], Double(soft))
                add("device_unallocatable_bytes", "gauge", help, [fs] + deviceLabels(d) + [("kind", "hard")], Double(hard))
            }
        }
        if let balance = s.balance {
            add("balance_running", "gauge", "Whether a balance is running (1) or not (0); a paused one is not running (sysfs exclusive_operation).",
                [fs], balance == .running ? 1 : 0)
            add("balance_paused", "gauge", "Whether a balance is paused (1) or not (0) (sysfs exclusive_operation).",
                [fs], balance == .paused ? 1 : 0)
        }
    }
}
