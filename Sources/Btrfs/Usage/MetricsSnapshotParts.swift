#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

extension MetricsSnapshot {
    /// The last (or current) scrub of one device.
    public struct ScrubDevice: Sendable {
        /// The device id.
        public var devid: UInt64
        /// btrfs-progs' record of it (/var/lib/btrfs/scrub.status.<fsid>); nil when it has none.
        public var record: ScrubRecord?
        /// The kernel's counters while a scrub runs on the device (root only).
        public var live: ScrubProgress?
        /// btrfs-progs' word for it in `scrub status`: running (a scrub runs on any device of the
        /// filesystem, as btrfs-progs asks the kernel), else aborted, finished or interrupted from
        /// the record; nil without a record or a running scrub.
        public var status: String?

        /// The counters: the kernel's live ones while the device is scrubbed, else the record's.
        public var counters: ScrubProgress? { live ?? record?.progress }
    }

    /// Subvolumes as `btrfs subvolume list` sees them (root only).
    public struct SubvolumeCounts: Sendable {
        /// Subvolumes and snapshots `subvolume list` lists (the top level not counted).
        public var subvolumes: Int
        /// Of those, snapshots (`-s`: made by a snapshot ioctl).
        public var snapshots: Int
        /// Of those, read-only ones (`-r`).
        public var readOnly: Int
        /// Deleted subvolumes the cleaner has not dropped yet (`-d`).
        public var deleted: Int
    }

    /// Reads btrfs-progs' scrub record file and asks the kernel which devices a scrub runs on.
    /// `running` is nil when the kernel cannot be asked (EPERM for a normal user).
    static func readScrub(_ fs: FileSystem, fsid: BtrfsUUID, devids: [UInt64]) -> (devices: [ScrubDevice], running: Bool?) {
        let fsidText = fsid.description
        var records: [ScrubRecord] = []
        if case .success(let bytes?) = ScrubStatusFile.read(fsid: fsidText) {
            records = ScrubStatusFile.decode(bytes).records.filter { $0.fsid == fsidText }
        }
        var live: [UInt64: ScrubProgress] = [:]
        var asked = true
        for devid in devids {
            do {
                live[devid] = try fs.scrubProgress(devid: devid)
            } catch let e as BtrfsError where e.errno == ENOTCONN {
                continue
            } catch {
                asked = false
                break
            }
        }
        let running = asked ? !live.isEmpty : nil
        let devices = devids.compactMap { devid -> ScrubDevice? in
            // Of a device named twice the last line counts.
            let record = records.last { $0.devid == devid }
            guard record != nil || live[devid] != nil else { return nil }
            let status: String?
            if running == true {
                status = "running"
            } else if let record {
                status = record.stats.canceled != 0 ? "aborted" : record.stats.finished != 0 ? "finished" : "interrupted"
            } else {
                status = nil
            }
            return ScrubDevice(devid: devid, record: record, live: live[devid], status: status)
        }
        return (devices, running)
    }

    /// The subvolume listing from the root tree, paths resolved as `btrfs subvolume list` does;
    /// nil without the privileges a tree search needs.
    static func listSubvolumes(_ fs: FileSystem) throws -> SubvolumeListing? {
        var listing: SubvolumeListing
        do {
            listing = try fs.listSubvolumesFromRootTree()
        } catch BtrfsError.system(let code, _, _) where code == EPERM {
            return nil
        }
        try listing.resolvePaths(stopAt: 0)
        return listing
    }

    static func countSubvolumes(_ listing: SubvolumeListing) -> SubvolumeCounts {
        let live = listing.entries.filter { !$0.isDeleted && $0.id != Subvolume.topLevelID }
        return SubvolumeCounts(subvolumes: live.count, snapshots: live.filter { $0.rootOffset != 0 }.count,
                               readOnly: live.filter(\.isReadOnly).count,
                               deleted: listing.entries.filter(\.isDeleted).count)
    }

    /// Quotas: whether they are on and consistent, from sysfs (any user) or the quota tree's status
    /// item; the qgroups from the quota tree (root only), level-0 ones named by their subvolume's path.
    public struct Quota: Sendable {
        /// Whether quotas are on.
        public var enabled: Bool
        /// The numbers need a rescan (BTRFS_QGROUP_STATUS_FLAG_INCONSISTENT); nil when unknown.
        public var inconsistent: Bool?
        /// A rescan runs (BTRFS_QGROUP_STATUS_FLAG_RESCAN); nil when unknown (not root).
        public var rescanRunning: Bool?
        /// nil when the quota tree cannot be read (not root).
        public var qgroups: [QgroupSample]?
    }

    /// One qgroup's id and bytes (referenced, exclusive).
    public struct QgroupSample: Sendable {
        /// The qgroup id (level << 48 | subvolume id).
        public var id: UInt64
        /// Level 0: the subvolume's path as `btrfs qgroup show` prints it (`<toplevel>` for 5); empty
        /// for higher levels and for a qgroup whose subvolume is gone.
        public var path: String
        public var referenced: UInt64
        public var exclusive: UInt64
        /// Set limits only (BTRFS_QGROUP_LIMIT_MAX_RFER / MAX_EXCL).
        public var maxReferenced: UInt64?
        public var maxExclusive: UInt64?
    }

    static func readQuota(_ fs: FileSystem, sysfs: Sysfs, subvolumes: SubvolumeListing?) throws -> Quota? {
        let flag = { (name: String) in sysfs.number("qgroups/\(name)").map { $0 != 0 } }
        var listing: QgroupListing?
        var asked = true
        do {
            listing = try fs.qgroupListing(resolvePaths: false)
        } catch BtrfsError.system(let code, _, _) where code == EPERM {
            asked = false
        }
        let statusFlags = listing?.status?.flags
        guard let enabled = sysfs.quotasEnabled ?? (asked ? listing != nil : nil) else { return nil }
        var quota = Quota(enabled: enabled, inconsistent: flag("inconsistent") ?? statusFlags.map { $0 & 4 != 0 },
                          rescanRunning: statusFlags.map { $0 & 2 != 0 })
        guard let listing else { return quota }
        quota.qgroups = listing.qgroups.map { q in
            var path = ""
            if q.level == 0 {
                if q.subvolumeID == Subvolume.topLevelID {
                    path = "<toplevel>"
                } else if let entry = subvolumes?.entry(id: q.subvolumeID), !entry.isDeleted {
                    path = String(decoding: entry.path, as: UTF8.self)
                }
            }
            return QgroupSample(id: q.id, path: path, referenced: q.referenced, exclusive: q.exclusive,
                                maxReferenced: q.limitFlags & 1 != 0 ? q.maxReferenced : nil,
                                maxExclusive: q.limitFlags & 2 != 0 ? q.maxExclusive : nil)
        }
        return quota
    }
}
