import Btrfs

/// The metric families of `filesystem metrics`. Two sets:
/// - node_exporter's btrfs collector's own (`node_btrfs_*`: allocation, devices, error counters,
///   global reserve, commit statistics), with its names, labels and HELP text. node_exporter's
///   collector is on by default and a name it exports twice is a gather error on every scrape,
///   so these come only with `--node-exporter-names`, for hosts whose collector is off.
/// - what sbtrfs adds (`sbtrfs_*`), always: python-btrfs's estimates, balance, scrub, quotas,
///   subvolumes. Docs/Metrics.md lists them and where each value comes from.
extension FilesystemCommands {
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
            let unHelp = "Raw device bytes no chunk can be allocated in (python-btrfs): kind=soft because allocations are unbalanced, kind=hard because device sizes differ."
            add("unallocatable_bytes", "gauge", unHelp, [fs, ("kind", "soft")], Double(u.unallocatableSoft))
            add("unallocatable_bytes", "gauge", unHelp, [fs, ("kind", "hard")], Double(u.unallocatableHard))
            add("unallocatable_reclaimable_bytes", "gauge", "Raw device bytes a full balance would make allocatable again (python-btrfs).",
                [fs], Double(u.unallocatableReclaimable))
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
        addScrubFamilies(s, to: &families)
        addQuotaFamilies(s, to: &families)
        if let c = s.subvolumes {
            add("subvolumes", "gauge", "Subvolumes and snapshots as `btrfs subvolume list` lists them, the top level not counted. Root only.",
                [fs], Double(c.subvolumes))
            add("snapshots", "gauge", "Snapshots among them (`btrfs subvolume list -s`). Root only.", [fs], Double(c.snapshots))
            add("subvolumes_readonly", "gauge", "Read-only subvolumes and snapshots among them (`btrfs subvolume list -r`). Root only.",
                [fs], Double(c.readOnly))
            add("subvolumes_deleted_pending", "gauge", "Deleted subvolumes the cleaner has not dropped yet (`btrfs subvolume list -d`). Root only.",
                [fs], Double(c.deleted))
        }
        if let balance = s.balance {
            add("balance_running", "gauge", "Whether a balance is running (1) or not (0); a paused one is not running (sysfs exclusive_operation).",
                [fs], balance == .running ? 1 : 0)
            add("balance_paused", "gauge", "Whether a balance is paused (1) or not (0) (sysfs exclusive_operation).",
                [fs], balance == .paused ? 1 : 0)
        }
    }

    /// The scrub of each device: btrfs-progs' record (/var/lib/btrfs/scrub.status.<fsid>), the
    /// kernel's live counters while one runs.
    static func addScrubFamilies(_ s: MetricsSnapshot, to families: inout MetricFamilies) {
        func add(_ name: String, _ type: String, _ help: String, _ labels: [(String, String)], _ value: Double) {
            families.add("sbtrfs_" + name, type, help, labels, value)
        }
        let fs = ("uuid", s.uuid.description)
        if let running = s.scrubRunning {
            add("scrub_running", "gauge", "Whether a scrub runs on the filesystem (1) or not (0), as the kernel answers BTRFS_IOC_SCRUB_PROGRESS. Root only.",
                [fs], running ? 1 : 0)
        }
        let source = "from btrfs-progs' /var/lib/btrfs/scrub.status.<fsid>, or the kernel's counters while a scrub runs"
        for scrub in s.scrub {
            guard let device = s.devices.first(where: { $0.devid == scrub.devid }) else { continue }
            let labels = [fs] + deviceLabels(device)
            if let status = scrub.status {
                for state in ["running", "finished", "aborted", "interrupted"] {
                    add("scrub_status", "gauge", "State of the device's last scrub as `btrfs scrub status` words it (1 for the current state, 0 for the others).",
                        labels + [("status", state)], status == state ? 1 : 0)
                }
            }
            if let record = scrub.record {
                if record.stats.tStart != 0 {
                    add("scrub_last_start_timestamp_seconds", "gauge", "Unix time the device's last scrub started (btrfs-progs' scrub record).",
                        labels, Double(record.stats.tStart))
                }
                add("scrub_last_duration_seconds", "gauge", "How long the device's last scrub ran, in seconds (btrfs-progs' scrub record).",
                    labels, Double(record.stats.duration))
            }
            guard let c = scrub.counters else { continue }
            for (type, bytes) in [("data", c.dataBytesScrubbed), ("tree", c.treeBytesScrubbed)] {
                add("scrub_scrubbed_bytes", "gauge", "Bytes the device's last scrub has verified, type=data or tree (metadata), \(source).",
                    labels + [("type", type)], Double(bytes))
            }
            for (type, value) in [("read", c.readErrors), ("csum", c.csumErrors), ("verify", c.verifyErrors),
                                  ("super", c.superErrors), ("malloc", c.mallocErrors)] {
                add("scrub_errors", "gauge", "Errors the device's last scrub found, by kind (type=read, csum, verify, super, malloc: btrfs_scrub_progress's counters), \(source).",
                    labels + [("type", type)], Double(value))
            }
            add("scrub_corrected_errors", "gauge", "Errors the device's last scrub repaired from a good copy, \(source).", labels, Double(c.correctedErrors))
            add("scrub_uncorrectable_errors", "gauge", "Errors the device's last scrub could not repair (data lost unless restored), \(source).",
                labels, Double(c.uncorrectableErrors))
        }
    }

    /// Quotas: the switch and its consistency (sysfs qgroups/, or the quota tree's status item),
    /// each qgroup's usage and set limits (the quota tree, as `btrfs qgroup show` reads it).
    static func addQuotaFamilies(_ s: MetricsSnapshot, to families: inout MetricFamilies) {
        func add(_ name: String, _ type: String, _ help: String, _ labels: [(String, String)], _ value: Double) {
            families.add("sbtrfs_" + name, type, help, labels, value)
        }
        guard let quota = s.quota else { return }
        let fs = ("uuid", s.uuid.description)
        add("quota_enabled", "gauge", "Whether quotas (qgroups) are enabled (1) or not (0).", [fs], quota.enabled ? 1 : 0)
        if let inconsistent = quota.inconsistent, quota.enabled {
            add("quota_inconsistent", "gauge", "Whether the qgroup numbers are inconsistent and need a rescan (1) or not (0).",
                [fs], inconsistent ? 1 : 0)
        }
        if let rescan = quota.rescanRunning {
            add("quota_rescan_running", "gauge", "Whether a quota rescan runs (1) or not (0). Root only.", [fs], rescan ? 1 : 0)
        }
        for q in quota.qgroups ?? [] {
            let labels = [fs, ("qgroupid", qgroupIDString(q.id)), ("path", q.path)]
            add("qgroup_referenced_bytes", "gauge", "Bytes the qgroup references (shared ones included), as `btrfs qgroup show` reports. Root only.",
                labels, Double(q.referenced))
            add("qgroup_exclusive_bytes", "gauge", "Bytes only the qgroup references, as `btrfs qgroup show` reports. Root only.",
                labels, Double(q.exclusive))
            let limitHelp = "The qgroup's limit, kind=referenced or exclusive; only limits that are set. Root only."
            if let max = q.maxReferenced { add("qgroup_limit_bytes", "gauge", limitHelp, labels + [("kind", "referenced")], Double(max)) }
            if let max = q.maxExclusive { add("qgroup_limit_bytes", "gauge", limitHelp, labels + [("kind", "exclusive")], Double(max)) }
        }
    }
}
