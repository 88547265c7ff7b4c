#if canImport(Glibc)
import Glibc
#endif

/// Everything the Prometheus metrics of one filesystem are made of, read in one go: what
/// node_exporter's btrfs collector reports (allocation per type and profile, devices, error
/// counters, global reserve, commit statistics) and what it lacks (python-btrfs's estimated free
/// and unallocatable space, balance and scrub state, scrub errors, qgroups, subvolume counts).
public struct MetricsSnapshot: Sendable {
    /// One SPACE_INFO row with sysfs's extra numbers.
    public struct Space: Sendable {
        /// "data", "metadata", "system" or "mixed".
        public var type: String
        /// The profile as sysfs names it: "single", "dup", "raid1", …
        public var mode: String
        public var totalBytes: UInt64
        public var usedBytes: UInt64
        /// Raw bytes per virtual byte (parity included when the chunks could be read).
        public var ratio: Double
    }

    /// One device: id, path, UUID, size and bytes allocated in bytes, error counters (nil when unreadable).
    public struct Device: Sendable {
        /// The device's fields.
        public var devid: UInt64
        public var path: String
        public var uuid: BtrfsUUID
        public var totalBytes: UInt64
        public var bytesUsed: UInt64
        public var stats: DevStats?
        /// From python-btrfs's model (root only).
        public var unallocatableSoft: Int?
        public var unallocatableHard: Int?
    }

    /// sysfs commit_stats: commits since mount and their durations in milliseconds.
    public struct CommitStats: Sendable {
        /// The counters as sysfs names them.
        public var commits: UInt64
        public var lastCommitMs: UInt64
        public var maxCommitMs: UInt64
        public var totalCommitMs: UInt64
    }

    /// The filesystem's UUID, label, global block reserve in bytes, and SPACE_INFO rows.
    public var uuid: BtrfsUUID
    public var label: String
    public var globalReserveBytes: UInt64
    public var spaces: [Space]
    /// sysfs allocation/<type>/bytes_reserved, per type.
    public var reserved: [(type: String, bytes: UInt64)]
    public var devices: [Device]
    public var commitStats: CommitStats?
    /// Whether a balance runs, is paused, or there is none.
    public enum BalanceState: Sendable { case none, running, paused }
    /// From sysfs exclusive_operation ("balance", "balance paused"); nil when the kernel does not tell.
    public var balance: BalanceState?
    /// python-btrfs's usage model; nil without the privileges a tree search needs.
    public var usage: FsUsage?
    /// Devices with a scrub record or a running scrub.
    public var scrub: [ScrubDevice] = []
    /// Whether a scrub runs on the filesystem; nil when the kernel cannot be asked (not root).
    public var scrubRunning: Bool?
    /// nil without the privileges a tree search needs.
    public var subvolumes: SubvolumeCounts?
    /// nil when quotas were never enabled and cannot be asked about.
    public var quota: Quota?
    /// What the kernel gives root only and was left out (a normal user): "estimates", "scrub state",
    /// "subvolume counts", "qgroups".
    public var withheld: [String] = []

    typealias F = BlockGroupFlags

    /// Reads one filesystem. Parts that need root are left out for a normal user.
    public init(_ fs: FileSystem) throws {
        let info = try fs.fsInfo()
        uuid = info.fsid
        label = String(decoding: (try? fs.label()) ?? [], as: UTF8.self)
        let spaceInfos = try fs.spaceInfo()
        globalReserveBytes = spaceInfos.first { $0.flags & F.globalReserve != 0 }?.totalBytes ?? 0
        var model: FsUsage?
        var refusedModel = false
        do {
            model = try FsUsage(source: FsUsage.Source(fs, spaces: spaceInfos))
        } catch BtrfsError.system(let code, _, _) where code == EPERM {
            model = nil
            refusedModel = true
        }
        // Estimates cut short (exabytes of devices) are left out rather than reported wrong.
        if model?.simulationTruncated == true { model = nil }
        let usage = model
        self.usage = model
        let devInfos = try fs.devInfos(maxID: info.maxID)
        let deduced = model == nil
            ? DeviceAllocation.deduce(spaces: spaceInfos, devices: devInfos.map { ($0.devid, $0.bytesUsed) }) : nil
        spaces = spaceInfos.filter { $0.flags & F.globalReserve == 0 }.map { s in
            let type: String
            switch s.flags & F.typeMask {
            case F.data: type = "data"
            case F.metadata: type = "metadata"
            case F.system: type = "system"
            case F.mixed: type = "mixed"
            default: type = "unknown"
            }
            let attrs = RaidAttributes(flags: s.flags)
            var ratio = Double(attrs.ncopies)
            if let raw = usage?.rawSpaceUsage.first(where: { $0.flags == s.flags }), s.totalBytes > 0 {
                ratio = Double(raw.allocated) / Double(s.totalBytes)
            } else if let raw = deduced?.rawBytes(flags: s.flags), s.totalBytes > 0 {
                // Without the chunks: RAID5/6's parity where the device totals settle it.
                ratio = Double(raw) / Double(s.totalBytes)
            } else if attrs.nparity > 0, devInfos.count > attrs.nparity {
                ratio = Double(devInfos.count) / Double(devInfos.count - attrs.nparity)
            }
            return Space(type: type, mode: attrs.raidName, totalBytes: s.totalBytes, usedBytes: s.usedBytes, ratio: ratio)
        }
        let sysfs = Sysfs(fsid: info.fsid)
        reserved = ["data", "metadata", "system"].compactMap { type in
            sysfs.number("allocation/\(type)/bytes_reserved").map { (type, $0) }
        }
        devices = devInfos.map { d in
            let model = usage?.device(d.devid)
            return Device(devid: d.devid, path: d.path, uuid: d.uuid, totalBytes: d.totalBytes, bytesUsed: d.bytesUsed,
                          stats: try? fs.devStats(devid: d.devid),
                          unallocatableSoft: model?.unallocatableSoft, unallocatableHard: model?.unallocatableHard)
        }
        if let text = sysfs.text("commit_stats") {
            var values: [String: UInt64] = [:]
            for line in text.split(separator: "\n") {
                let parts = line.split(separator: " ")
                if parts.count == 2, let v = UInt64(parts[1]) { values[String(parts[0])] = v }
            }
            if let commits = values["commits"] {
                commitStats = CommitStats(commits: commits, lastCommitMs: values["last_commit_ms"] ?? 0,
                                          maxCommitMs: values["max_commit_ms"] ?? 0, totalCommitMs: values["total_commit_ms"] ?? 0)
            }
        }
        (scrub, scrubRunning) = Self.readScrub(fs, fsid: info.fsid, devids: devInfos.map(\.devid))
        if model == nil && refusedModel { withheld.append("estimates") }
        if scrubRunning == nil { withheld.append("scrub state") }
        let listing = try Self.listSubvolumes(fs)
        subvolumes = listing.map(Self.countSubvolumes)
        if listing == nil { withheld.append("subvolume counts") }
        quota = try Self.readQuota(fs, sysfs: sysfs, subvolumes: listing)
        if quota?.enabled == true && quota?.qgroups == nil { withheld.append("qgroups") }
        balance = sysfs.exclusiveOperation.map {
            switch $0 {
            case "balance": return .running
            case "balance paused": return .paused
            default: return BalanceState.none
            }
        }
    }
}
