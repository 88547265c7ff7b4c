#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CBtrfs

/// Subvolume operations by path, through libbtrfsutil. Each throws `BtrfsError.util` with
/// libbtrfsutil's text and the errno it left.
public enum Subvolume {
    /// The top-level subvolume's id (BTRFS_FS_TREE_OBJECTID).
    public static let topLevelID: UInt64 = 5
    /// First and last ids a subvolume can have.
    public static let firstFreeID: UInt64 = 256
    public static let lastFreeID: UInt64 = UInt64(bitPattern: -256)

    /// Throws unless `path` is the root of a subvolume (`.notSubvolume` / `.notBtrfs` codes).
    public static func checkIsSubvolume(_ path: String) throws {
        try utilCall(path: path) { path.withPathCString { btrfs_util_is_subvolume($0) } }
    }

    /// The id of the subvolume containing `path`.
    public static func id(of path: String) throws -> UInt64 {
        var id: UInt64 = 0
        try utilCall(path: path) { path.withPathCString { p in btrfs_util_subvolume_id(p, &id) } }
        return id
    }

    /// Creates subvolume `path`, optionally adding it to qgroups.
    public static func create(_ path: String, qgroups: [UInt64] = []) throws {
        try withQgroupInherit(qgroups, path: path) { inherit in
            try utilCall(path: path) { path.withPathCString { p in btrfs_util_create_subvolume(p, 0, nil, inherit) } }
        }
    }

    /// Snapshots subvolume `source` as `destination` (the new subvolume's full path).
    public static func snapshot(_ source: String, to destination: String, readOnly: Bool = false,
                                recursive: Bool = false, qgroups: [UInt64] = []) throws {
        var flags: Int32 = 0
        if readOnly { flags |= BTRFS_UTIL_CREATE_SNAPSHOT_READ_ONLY }
        if recursive { flags |= BTRFS_UTIL_CREATE_SNAPSHOT_RECURSIVE }
        try withQgroupInherit(qgroups, path: destination) { inherit in
            try utilCall(path: destination) { source.withPathCString { s in destination.withPathCString { d in btrfs_util_create_snapshot(s, d, flags, nil, inherit) } } }
        }
    }

    /// Deletes subvolume `path` (and those beneath it when `recursive`).
    public static func delete(_ path: String, recursive: Bool = false) throws {
        let flags: Int32 = recursive ? BTRFS_UTIL_DELETE_SUBVOLUME_RECURSIVE : 0
        try utilCall(path: path) { path.withPathCString { p in btrfs_util_delete_subvolume(p, flags) } }
    }

    /// Sets the default subvolume of the filesystem at `path`; id 0 means the subvolume at `path`.
    public static func setDefault(_ path: String, id: UInt64) throws {
        try utilCall(path: path) { path.withPathCString { p in btrfs_util_set_default_subvolume(p, id) } }
    }

    /// Whether the subvolume at `path` is read-only.
    public static func isReadOnly(_ path: String) throws -> Bool {
        var ro = false
        try utilCall(path: path) { path.withPathCString { p in btrfs_util_get_subvolume_read_only(p, &ro) } }
        return ro
    }

    /// Makes the subvolume at `path` read-only or read-write.
    public static func setReadOnly(_ path: String, _ readOnly: Bool) throws {
        try utilCall(path: path) { path.withPathCString { p in btrfs_util_set_subvolume_read_only(p, readOnly) } }
    }

    static func withQgroupInherit<R>(_ qgroups: [UInt64], path: String,
                                     _ body: (OpaquePointer?) throws -> R) throws -> R {
        if qgroups.isEmpty { return try body(nil) }
        var inherit: OpaquePointer? = nil
        try utilCall(path: path) { btrfs_util_create_qgroup_inherit(0, &inherit) }
        defer { btrfs_util_destroy_qgroup_inherit(inherit) }
        for group in qgroups {
            try utilCall(path: path) { btrfs_util_qgroup_inherit_add_group(&inherit, group) }
        }
        return try body(inherit)
    }
}

extension FileSystem {
    /// The id of the subvolume the descriptor is in (INO_LOOKUP of the top directory; no privilege needed).
    public func subvolumeID() throws -> UInt64 {
        var id: UInt64 = 0
        try utilCall(path: path) { btrfs_util_subvolume_id_fd(descriptor.rawValue, &id) }
        return id
    }

    /// Information about subvolume `id`, or about the subvolume the descriptor is the root of when `id` is 0
    /// (then it works unprivileged, through GET_SUBVOL_INFO).
    public func subvolumeInfo(id: UInt64 = 0) throws -> SubvolumeInfo {
        var info = btrfs_util_subvolume_info()
        try utilCall(path: path) { btrfs_util_subvolume_info_fd(descriptor.rawValue, id, &info) }
        return SubvolumeInfo(info)
    }

    /// Whether subvolume `id` still exists (libbtrfsutil: SUBVOLUME_NOT_FOUND means gone).
    public func subvolumeExists(id: UInt64) throws -> Bool {
        do {
            try utilCall(path: path) { btrfs_util_subvolume_info_fd(descriptor.rawValue, id, nil) }
            return true
        } catch let error as BtrfsError where error.utilCode == .subvolumeNotFound {
            return false
        }
    }

    /// Path of subvolume `id` relative to the top level (root only: INO_LOOKUP).
    public func subvolumePath(id: UInt64) throws -> [UInt8] {
        var raw: UnsafeMutablePointer<CChar>? = nil
        try utilCall(path: path) { btrfs_util_subvolume_path_fd(descriptor.rawValue, id, &raw) }
        defer { free(raw) }
        guard let raw else { return [] }
        return Array(UnsafeRawBufferPointer(start: raw, count: strlen(raw)))
    }

    /// The default subvolume's id.
    public func defaultSubvolume() throws -> UInt64 {
        var id: UInt64 = 0
        try utilCall(path: path) { btrfs_util_get_default_subvolume_fd(descriptor.rawValue, &id) }
        return id
    }

    /// Makes subvolume `id` the default (0: the subvolume the descriptor is in).
    public func setDefaultSubvolume(id: UInt64) throws {
        try utilCall(path: path) { btrfs_util_set_default_subvolume_fd(descriptor.rawValue, id) }
    }

    /// Deletes the subvolume named `name` in the directory the descriptor is open on.
    public func deleteSubvolume(named name: String, recursive: Bool = false) throws {
        let flags: Int32 = recursive ? BTRFS_UTIL_DELETE_SUBVOLUME_RECURSIVE : 0
        try utilCall(path: path) { name.withPathCString { btrfs_util_delete_subvolume_fd(descriptor.rawValue, $0, flags) } }
    }

    /// Deletes subvolume `id` (SNAP_DESTROY_V2 by id; the descriptor is any path on the filesystem).
    public func deleteSubvolume(id: UInt64) throws {
        try utilCall(path: path) { btrfs_util_delete_subvolume_by_id_fd(descriptor.rawValue, id) }
    }

    /// Ids of subvolumes deleted but not yet cleaned up (orphan items of the root tree; root only).
    public func deletedSubvolumes() throws -> [UInt64] {
        var ids: UnsafeMutablePointer<UInt64>? = nil
        var count = 0
        try utilCall(path: path) { btrfs_util_deleted_subvolumes_fd(descriptor.rawValue, &ids, &count) }
        defer { free(ids) }
        guard let ids else { return [] }
        return Array(UnsafeBufferPointer(start: ids, count: count))
    }

    /// Commits the current transaction and waits for it (SYNC).
    public func sync() throws {
        try utilCall(path: path) { btrfs_util_sync_fd(descriptor.rawValue) }
    }

    /// Starts a commit of the current transaction, returning its transid (START_SYNC).
    public func startSync() throws -> UInt64 {
        var transid: UInt64 = 0
        try utilCall(path: path) { btrfs_util_start_sync_fd(descriptor.rawValue, &transid) }
        return transid
    }

    /// Waits for transaction `transid` to be committed (WAIT_SYNC; 0 = the current one).
    public func waitSync(transid: UInt64) throws {
        try utilCall(path: path) { btrfs_util_wait_sync_fd(descriptor.rawValue, transid) }
    }

    /// Read-only flag of the subvolume the descriptor is the root of.
    public func isSubvolumeReadOnly() throws -> Bool {
        var ro = false
        try utilCall(path: path) { btrfs_util_get_subvolume_read_only_fd(descriptor.rawValue, &ro) }
        return ro
    }

    /// Sets or clears the read-only flag of the subvolume the descriptor is the root of.
    public func setSubvolumeReadOnly(_ readOnly: Bool) throws {
        try utilCall(path: path) { btrfs_util_set_subvolume_read_only_fd(descriptor.rawValue, readOnly) }
    }

    /// Clears the received UUID, stransid and times (SET_RECEIVED_SUBVOL with zeros), as
    /// `property set -f ro false` does on a received subvolume.
    public func clearReceivedUUID() throws {
        _ = try setReceivedSubvol(uuid: .zero, stransid: 0, stime: TimeSpec(sec: 0, nsec: 0))
    }
}
