import CBtrfs

/// What libbtrfsutil knows of one subvolume (`struct btrfs_util_subvolume_info`).
public struct SubvolumeInfo: Hashable, Sendable {
    /// The subvolume's tree id.
    public var id: UInt64
    /// The subvolume holding this one's directory entry; 0 for the top level or a deleted subvolume.
    public var parentID: UInt64
    /// Inode of the directory in the parent that holds the entry.
    public var dirID: UInt64
    /// Root item flags (`BTRFS_ROOT_SUBVOL_RDONLY`, …).
    public var flags: UInt64
    public var uuid: BtrfsUUID
    public var parentUUID: BtrfsUUID
    public var receivedUUID: BtrfsUUID
    public var generation: UInt64
    public var ctransid: UInt64
    public var otransid: UInt64
    public var stransid: UInt64
    public var rtransid: UInt64
    public var ctime: TimeSpec
    public var otime: TimeSpec
    public var stime: TimeSpec
    public var rtime: TimeSpec

    /// BTRFS_ROOT_SUBVOL_RDONLY.
    public static let readOnlyFlag: UInt64 = 1 << 0

    /// Whether the subvolume is read-only.
    public var isReadOnly: Bool { flags & SubvolumeInfo.readOnlyFlag != 0 }

    init(_ c: btrfs_util_subvolume_info) {
        func makeUUID<T>(_ tuple: T) -> BtrfsUUID { BtrfsUUID(bytes: withUnsafeBytes(of: tuple) { Array($0.prefix(16)) }) }
        func time(_ t: timespec) -> TimeSpec {
            TimeSpec(sec: UInt64(bitPattern: Int64(t.tv_sec)), nsec: UInt32(truncatingIfNeeded: t.tv_nsec))
        }
        id = c.id
        parentID = c.parent_id
        dirID = c.dir_id
        flags = c.flags
        self.uuid = makeUUID(c.uuid)
        parentUUID = makeUUID(c.parent_uuid)
        receivedUUID = makeUUID(c.received_uuid)
        generation = c.generation
        ctransid = c.ctransid
        otransid = c.otransid
        stransid = c.stransid
        rtransid = c.rtransid
        ctime = time(c.ctime)
        otime = time(c.otime)
        stime = time(c.stime)
        rtime = time(c.rtime)
    }
}
