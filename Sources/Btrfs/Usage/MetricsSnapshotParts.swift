#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

extension MetricsSnapshot {
    /// The last (or current) scrub of one device.
    public struct ScrubDevice: Sendable {
        public var devid: UInt64
        /// btrfs-progs' record of it (/var/lib/btrfs/scrub.status.<fsid>); nil when it has none.
        public var record: ScrubStatusRecord?
        /// The kernel's counters while a scrub runs on the device (root only).
        public var progress: ScrubProgress?
        /// btrfs-progs' word for it in `scrub status`: running (a scrub runs on any device of the
        /// filesystem, as btrfs-progs asks the kernel), else aborted, finished or interrupted from
        /// the record; nil without a record or a running scrub.
        public var status: String?

        /// The counters by btrfs-progs' names: the kernel's live ones while the device is scrubbed,
        /// else the record's.
        public var counters: [String: UInt64] {
            guard let p = progress else { return record?.values ?? [:] }
            return ["data_extents_scrubbed": p.dataExtentsScrubbed, "tree_extents_scrubbed": p.treeExtentsScrubbed,
                    "data_bytes_scrubbed": p.dataBytesScrubbed, "tree_bytes_scrubbed": p.treeBytesScrubbed,
                    "read_errors": p.readErrors, "csum_errors": p.csumErrors, "verify_errors": p.verifyErrors,
                    "no_csum": p.noCsum, "csum_discards": p.csumDiscards, "super_errors": p.superErrors,
                    "malloc_errors": p.mallocErrors, "uncorrectable_errors": p.uncorrectableErrors,
                    "corrected_errors": p.correctedErrors, "last_physical": p.lastPhysical]
        }
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

    /// Reads the scrub record file and asks the kernel which devices a scrub runs on. `running` is
    /// nil when the kernel cannot be asked (EPERM for a normal user).
    static func readScrub(_ fs: FileSystem, fsid: UUID, devids: [UInt64],
                          directory: String = ScrubStatusFile.directory) -> (devices: [ScrubDevice], running: Bool?) {
        let records = ScrubStatusFile.read(fsid: fsid, directory: directory) ?? []
        var progress: [UInt64: ScrubProgress] = [:]
        var asked = true
        for devid in devids {
            do {
                if let p = try fs.scrubProgress(devid: devid) { progress[devid] = p }
            } catch {
                asked = false
                break
            }
        }
        let running = asked ? !progress.isEmpty : nil
        let devices = devids.compactMap { devid -> ScrubDevice? in
            let record = records.first { $0.devid == devid }
            guard record != nil || progress[devid] != nil else { return nil }
            let status: String?
            if running == true {
                status = "running"
            } else if let record {
                status = record.canceled ? "aborted" : record.finished ? "finished" : "interrupted"
            } else {
                status = nil
            }
            return ScrubDevice(devid: devid, record: record, progress: progress[devid], status: status)
        }
        return (devices, running)
    }

    /// Counts from the root tree; nil without the privileges a tree search needs.
    static func countSubvolumes(_ fs: FileSystem) throws -> SubvolumeCounts? {
        var listing: SubvolumeListing
        do {
            listing = try fs.listSubvolumesFromRootTree()
        } catch BtrfsError.system(let code, _, _) where code == EPERM {
            return nil
        }
        try listing.resolvePaths(stopAt: 0)
        let live = listing.entries.filter { !$0.isDeleted && $0.id != Subvolume.topLevelID }
        return SubvolumeCounts(subvolumes: live.count, snapshots: live.filter { $0.rootOffset != 0 }.count,
                               readOnly: live.filter(\.isReadOnly).count,
                               deleted: listing.entries.filter(\.isDeleted).count)
    }
}
