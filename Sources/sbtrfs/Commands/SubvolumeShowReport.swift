#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Btrfs

/// A failure `subvolume show` reports as one `ERROR:` line, worded as btrfs-progs 6.2 words it.
struct ProgsError: Error {
    var message: String
    init(_ message: String) { self.message = message }
    /// error_btrfs_util's wording of a libbtrfsutil failure.
    init(_ error: Error) {
        message = errorText(error, .util)
    }
}

/// Everything `subvolume show` prints, gathered first so text and JSON print the same facts.
struct SubvolumeShowReport {
    var info: SubvolumeInfo
    /// Path from the top level (btrfs_util_subvolume_path).
    var path: [UInt8]
    /// Paths from the top level of the subvolumes whose parent UUID is this one's UUID.
    var snapshots: [[UInt8]]
    var quota: QgroupUsage?
    /// Unprivileged, the snapshot list holds only those below the mount the caller can reach.
    var snapshotsComplete: Bool
    var warnings: [String] = []

    /// Name: the last component of the path, `<FS_TREE>` for the top level.
    var name: [UInt8] {
        if info.id == Subvolume.topLevelID { return Array("<FS_TREE>".utf8) }
        return Array(path.split(separator: UInt8(ascii: "/")).last ?? [])
    }

    /// Gathers the report for `path`, optionally for subvolume `rootID` or `uuid` looked up from it.
    static func gather(path: String, rootID: UInt64?, uuid: BtrfsUUID?) throws -> SubvolumeShowReport {
        let fullPath: String
        switch SystemCall.realPath(path) {
        case .success(let resolved): fullPath = resolved
        case .failure(let e): throw ProgsError("cannot find real path for '\(path)': \(errorText(e))")
        }
        let fs: FileSystem
        do { fs = try FileSystem(path: fullPath) } catch BtrfsError.notBtrfs {
            // progs opens any file and lets libbtrfsutil refuse it.
            throw ProgsError("\(UtilErrorCode.notBtrfs.message): \(errnoText(EINVAL))")
        } catch { throw ProgsError("can't access '\(fullPath)'") }

        var info: SubvolumeInfo
        var subvolPath: [UInt8]
        var mount: MountPath? = nil  // read from the mount table once, when needed
        if let uuid {
            var found: (path: [UInt8], info: SubvolumeInfo)? = nil
            do {
                let iterator = try SubvolumeIterator(fs, top: Subvolume.topLevelID)
                while let next = try iterator.nextInfo() {
                    if next.info.uuid == uuid {
                        found = next
                        break
                    }
                }
            } catch { throw ProgsError(error) }
            guard let found else { throw ProgsError("can't find uuid '\(uuid)' on '\(fullPath)'") }
            (subvolPath, info) = found
        } else {
            do { info = try fs.subvolumeInfo(id: rootID ?? 0) } catch { throw ProgsError(error) }
            do {
                subvolPath = try fs.subvolumePath(id: info.id)
            } catch let e as BtrfsError where e.errno == EPERM && rootID == nil {
                // Unprivileged: the path is known from the mount table, since `path` is the subvolume's root.
                do {
                    let resolved = try MountPath.resolve(fullPath)
                    mount = resolved
                    subvolPath = resolved.pathFromTop
                } catch { throw ProgsError(e) }
            } catch { throw ProgsError(error) }
        }

        var report = SubvolumeShowReport(info: info, path: subvolPath, snapshots: [], quota: nil, snapshotsComplete: true)
        if !info.receivedUUID.isZero && !info.isReadOnly {
            report.warnings.append("the subvolume is read-write and has received_uuid set,\n"
                + "\t don't use it for incremental send. Please see section\n"
                + "\t 'SUBVOLUME FLAGS' in manual page btrfs-subvolume for\n"
                + "\t further information.")
        }
        do {
            report.snapshots = try snapshots(of: info.uuid, fs)
        } catch let e as BtrfsError where e.errno == EPERM {
            report.snapshots = (try? unprivilegedSnapshots(of: info.uuid, mount ?? MountPath.resolve(fullPath))) ?? []
            report.snapshotsComplete = false
        } catch { throw ProgsError(error) }
        do {
            report.quota = try fs.qgroupUsage(qgroupID: info.id)
        } catch let e as BtrfsError where e.errno == EPERM {
            // Unprivileged the quota tree cannot be read: the section is left out.
            report.quota = nil
        } catch {
            throw ProgsError("quota query failed: \(errorText(error, .strerrorOrDescription))")
        }
        return report
    }

    /// Every subvolume from the top level whose parent UUID is `uuid`, in the iterator's pre-order.
    static func snapshots(of uuid: BtrfsUUID, _ fs: FileSystem) throws -> [[UInt8]] {
        let iterator = try SubvolumeIterator(fs, top: Subvolume.topLevelID)
        var result: [[UInt8]] = []
        while let (path, info) = try iterator.nextInfo() {
            if info.parentUUID == uuid { result.append(path) }
        }
        return result
    }

    /// Unprivileged: the snapshots reachable below the mounted subvolume, with paths from the top level.
    static func unprivilegedSnapshots(of uuid: BtrfsUUID, _ mount: MountPath) throws -> [[UInt8]] {
        let fs = try FileSystem(path: String(pathBytes: mount.mountPoint))
        let iterator = try SubvolumeIterator(fs)
        var prefix = Array(mount.mountRoot.drop { $0 == UInt8(ascii: "/") })
        if !prefix.isEmpty { prefix.append(UInt8(ascii: "/")) }
        var result: [[UInt8]] = []
        while let (relative, info) = try iterator.nextInfo() {
            if info.parentUUID == uuid { result.append(prefix + relative) }
        }
        return result
    }
}

extension SubvolumeShowReport {
    /// The text of btrfs-progs 6.2's `subvolume show`, except that "Send time" shows the send time
    /// (6.2 repeats the creation time there).
    func renderText(size: (UInt64) -> String) -> [UInt8] {
        var out: [UInt8] = []
        func line(_ s: String) { out.append(contentsOf: s.utf8); out.append(10) }
        func uuidText(_ u: BtrfsUUID) -> String { u.isZero ? "-" : u.description }
        func timeText(_ t: TimeSpec) -> String {
            t.seconds != 0 ? localTimeText(t.seconds, format: "%Y-%m-%d %X %z") : "-"
        }
        if info.id == Subvolume.topLevelID { line("/") } else { out.append(contentsOf: path); out.append(10) }
        out.append(contentsOf: "\tName: \t\t\t".utf8); out.append(contentsOf: name); out.append(10)
        line("\tUUID: \t\t\t\(uuidText(info.uuid))")
        line("\tParent UUID: \t\t\(uuidText(info.parentUUID))")
        line("\tReceived UUID: \t\t\(uuidText(info.receivedUUID))")
        line("\tCreation time: \t\t\(timeText(info.otime))")
        line("\tSubvolume ID: \t\t\(info.id)")
        line("\tGeneration: \t\t\(info.generation)")
        line("\tGen at creation: \t\(info.otransid)")
        line("\tParent ID: \t\t\(info.parentID)")
        line("\tTop level ID: \t\t\(info.parentID)")
        line("\tFlags: \t\t\t\(info.isReadOnly ? "readonly" : "-")")
        line("\tSend transid: \t\t\(info.stransid)")
        line("\tSend time: \t\t\(timeText(info.stime))")
        line("\tReceive transid: \t\(info.rtransid)")
        line("\tReceive time: \t\t\(timeText(info.rtime))")
        line("\tSnapshot(s):")
        for snapshot in snapshots {
            out.append(contentsOf: "\t\t\t\t".utf8); out.append(contentsOf: snapshot); out.append(10)
        }
        if let quota {
            line("\tQuota group:\t\t0/\(info.id)")
            line("\t  Limit referenced:\t\(quota.maxReferenced == 0 ? "-" : size(quota.maxReferenced))")
            line("\t  Limit exclusive:\t\(quota.maxExclusive == 0 ? "-" : size(quota.maxExclusive))")
            line("\t  Usage referenced:\t\(size(quota.referenced))")
            line("\t  Usage exclusive:\t\(size(quota.exclusive))")
        }
        return out
    }
}
