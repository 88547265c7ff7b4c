#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CBtrfs

/// What a send needs to know of its subvolumes, found as btrfs-progs finds it: the mount a path
/// belongs to, a subvolume's flags, and subvolumes by UUID through the UUID tree.

/// progs' find_mount_root: the mount holding `path` (the longest mount point it is under, the
/// last one listed on a tie), or why there is none.
public enum MountRoot: Equatable, Sendable {
    /// The mount is btrfs; its mount point, resolved with realpath.
    case btrfs(String)
    /// The mount holding the path is another filesystem.
    case notBtrfs
}

extension MountedFilesystems {
    /// The mount `path` (an absolute real path) is under, as progs' find_mount_root: the path must
    /// open (errno otherwise), every mount of /proc/self/mounts counts, of any type.
    public static func mountRoot(of path: String) -> Result<MountRoot, SystemError> {
        switch SystemCall.open(path, O_RDONLY | SB_O_NOATIME | O_CLOEXEC) {
        case .failure(let e): return .failure(e)
        case .success(let fd): close(fd)
        }
        let table: [UInt8]
        switch fileContents(mountTable) {
        case .failure(let e): return .failure(e)
        case .success(let read): table = read
        }
        let target = path.pathBytes
        var best: (point: [UInt8], btrfs: Bool)?
        for line in table.split(separator: 0x0A) {
            let fields = line.split(separator: 0x20, omittingEmptySubsequences: false)
            guard fields.count >= 3 else { continue }
            let point = MountPath.unescape(fields[1])
            guard isInDirectory(point, target), point.count >= (best?.point.count ?? 0) else { continue }
            best = (point, Array(fields[2]) == Array("btrfs".utf8))
        }
        guard let best else { return .failure(SystemError(ENOENT)) }
        guard best.btrfs else { return .success(.notBtrfs) }
        return SystemCall.realPath(String(pathBytes: best.point)).map { .btrfs($0) }
    }

    /// progs' path_is_in_dir: `directory` is `path` or one of its dirname(3) ancestors.
    static func isInDirectory(_ directory: [UInt8], _ path: [UInt8]) -> Bool {
        let slash = UInt8(ascii: "/")
        var current = path
        while current != directory {
            if current == [slash] { return false }
            current = dirname(current)
        }
        return true
    }

    /// dirname(3) on bytes: trailing slashes and the last component go; "." for a bare name.
    static func dirname(_ path: [UInt8]) -> [UInt8] {
        let slash = UInt8(ascii: "/")
        var p = path[...]
        while p.count > 1, p.last == slash { p = p.dropLast() }
        guard let cut = p.lastIndex(of: slash) else { return [UInt8(ascii: ".")] }
        var head = p[..<cut]
        while head.count > 1, head.last == slash { head = head.dropLast() }
        return head.isEmpty ? [slash] : Array(head)
    }
}

extension FileSystem {
    /// BTRFS_IOC_SUBVOL_GETFLAGS: the flags of the subvolume this descriptor is in
    /// (`BTRFS_SUBVOL_RDONLY`), as progs asks before a send.
    public func subvolumeFlags() throws -> UInt64 {
        // (BTRFS_SUBVOL_RDONLY is bit 1 here; the root item's own read-only bit is bit 0.)
        var flags: UInt64 = 0
        try descriptor.ioctl(SB_IOC_SUBVOL_GETFLAGS, &flags, name: "get subvolume flags")
        return flags
    }

    /// BTRFS_SUBVOL_RDONLY among `subvolumeFlags()`.
    public static let subvolumeReadOnlyFlag = UInt64(BTRFS_SUBVOL_RDONLY)

    /// The subvolume whose UUID (or, with `received`, received UUID) is `uuid`, from the UUID tree:
    /// the first id its item lists (progs' btrfs_uuid_tree_lookup_any), nil when there is none.
    public func subvolumeID(uuid: BtrfsUUID, received: Bool = false) throws -> UInt64? {
        let type: ItemType = received ? .uuidKeyReceivedSubvol : .uuidKeySubvol
        let key = Key(uuid.high.byteSwapped, type.rawValue, uuid.low.byteSwapped)
        var cursor = search(TreeSearch(tree: ObjectID.uuidTree.rawValue, min: key, max: key, limit: 1))
        guard let item = try cursor.next() else { return nil }
        return try UUIDTreeItem(key: item.key, reader: item.reader()).subvolIDs.first
    }
}
