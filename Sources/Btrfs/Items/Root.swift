/// struct btrfs_root_item: a tree's root node and, for subvolumes, their identity and times
/// (root tree, key (tree id ROOT_ITEM 0 or snapshot transid)).
public struct RootItem: Hashable, Sendable {
    /// Up to and including level (offsetof generation_v2): what kernels before 3.6 wrote.
    public static let legacySize = 239
    /// Through rtime (python-btrfs's struct); the kernel adds 64 reserved bytes (439 in all).
    public static let size = 375
    /// The item's key, then struct btrfs_root_item's fields in its order (bytenr the root node's vaddr,
    /// times as `TimeSpec`, flags `flagReadOnly`).
    public var key: Key
    public var inode: InodeItem
    public var generation: UInt64
    public var rootDirid: UInt64
    public var bytenr: UInt64
    public var byteLimit: UInt64
    public var bytesUsed: UInt64
    public var lastSnapshot: UInt64
    public var flags: UInt64
    public var refs: UInt32
    public var dropProgress: Key
    public var dropLevel: UInt8
    public var level: UInt8
    /// False for a legacy (239 byte) item: the fields below are then zero.
    public var hasV2Fields: Bool
    /// The fields kernels since 3.6 write: UUIDs, transids and times of change, creation, send and receive.
    public var generationV2: UInt64 = 0
    public var uuid: BtrfsUUID = .zero
    public var parentUUID: BtrfsUUID = .zero
    public var receivedUUID: BtrfsUUID = .zero
    public var ctransid: UInt64 = 0
    public var otransid: UInt64 = 0
    public var stransid: UInt64 = 0
    public var rtransid: UInt64 = 0
    public var ctime = TimeSpec(sec: 0, nsec: 0)
    public var otime = TimeSpec(sec: 0, nsec: 0)
    public var stime = TimeSpec(sec: 0, nsec: 0)
    public var rtime = TimeSpec(sec: 0, nsec: 0)

    /// The tree's id (the key objectid).
    public var objectid: UInt64 { key.objectID }
    /// BTRFS_ROOT_SUBVOL_RDONLY.
    public static let flagReadOnly: UInt64 = 1
    /// sizeof(struct btrfs_root_item) with the kernel's reserved tail: btrfs-progs' lister takes
    /// times and UUIDs only from items this long.
    public static let kernelSize = 439

    /// Byte offsets in struct btrfs_root_item (packed, little-endian), for readers that pick a few
    /// fields straight from the item bytes instead of parsing all of it (the root-tree subvolume lister).
    public enum Offset {
        /// Offsets of generation, flags, drop_progress, uuid, parent_uuid, received_uuid, otransid and
        /// otime.
        public static let generation = 160
        public static let flags = 208
        public static let dropProgress = 220
        public static let uuid = 247
        public static let parentUUID = 263
        public static let receivedUUID = 279
        public static let otransid = 303
        public static let otime = 339
    }

    /// Parses a legacy or a full item; throws `BtrfsError.truncated` when even the legacy part is short.
    public init(key: Key, reader: ItemReader) throws {
        var r = reader
        r.context = "ROOT_ITEM"
        try r.check(at: 0, length: RootItem.legacySize)
        self.key = key
        inode = try InodeItem(key: nil, reader: &r)
        generation = try r.readU64()
        rootDirid = try r.readU64()
        bytenr = try r.readU64()
        byteLimit = try r.readU64()
        bytesUsed = try r.readU64()
        lastSnapshot = try r.readU64()
        flags = try r.readU64()
        refs = try r.readU32()
        dropProgress = try r.readDiskKey()
        dropLevel = try r.readU8()
        level = try r.readU8()
        hasV2Fields = r.count >= RootItem.size
        guard hasV2Fields else { return }
        generationV2 = try r.readU64()
        uuid = try r.readUUID()
        parentUUID = try r.readUUID()
        receivedUUID = try r.readUUID()
        ctransid = try r.readU64()
        otransid = try r.readU64()
        stransid = try r.readU64()
        rtransid = try r.readU64()
        ctime = try TimeSpec(reader: &r)
        otime = try TimeSpec(reader: &r)
        stime = try TimeSpec(reader: &r)
        rtime = try TimeSpec(reader: &r)
    }
}

/// struct btrfs_root_ref: where a subvolume sits in its parent. ROOT_REF is keyed
/// (parent ROOT_REF child), ROOT_BACKREF (child ROOT_BACKREF parent); same bytes.
public struct RootRef: Hashable, Sendable {
    /// sizeof(struct btrfs_root_ref): the name follows.
    public static let size = 18
    /// The item's key, then struct btrfs_root_ref's fields: the directory holding the subvolume, its index
    /// there, the name's length and bytes.
    public var key: Key
    public var dirid: UInt64
    public var sequence: UInt64
    public var nameLen: UInt16
    public var name: [UInt8]

    /// Whether this is the ROOT_BACKREF form.
    public var isBackref: Bool { key.itemType == .rootBackref }
    /// The containing tree.
    public var parentTree: UInt64 { isBackref ? key.offset : key.objectID }
    /// The subvolume's tree.
    public var tree: UInt64 { isBackref ? key.objectID : key.offset }

    /// Parses the item bytes; throws `BtrfsError.truncated` when they are short.
    public init(key: Key, reader: ItemReader) throws {
        let v = try RootRefView(reader: reader)
        self.key = key
        dirid = v.dirid
        sequence = v.sequence
        nameLen = v.nameLen
        name = Array(v.name)
    }
}

/// A root ref whose name is a view into the item bytes.
public struct RootRefView {
    /// struct btrfs_root_ref's fields; `name` points into the item bytes.
    public var dirid: UInt64
    public var sequence: UInt64
    public var nameLen: UInt16
    public var name: UnsafeRawBufferPointer

    init(dirid: UInt64, sequence: UInt64, nameLen: UInt16, name: UnsafeRawBufferPointer) {
        self.dirid = dirid; self.sequence = sequence; self.nameLen = nameLen; self.name = name
    }

    /// `context` names the item in errors (ROOT_REF or ROOT_BACKREF: the same bytes).
    public init(reader: ItemReader, context: String = "ROOT_REF") throws {
        var r = reader
        r.context = context
        dirid = try r.readU64()
        sequence = try r.readU64()
        nameLen = try r.readU16()
        name = try r.slice(at: r.offset, length: Int(nameLen))
    }
}

/// ORPHAN_ITEM: something to clean up; in the root tree (ORPHAN ORPHAN_ITEM tree id) a
/// deleted subvolume, in a subvolume tree (ORPHAN ORPHAN_ITEM ino) an unlinked inode.
public struct OrphanItem: Hashable, Sendable {
    /// The item's key, (ORPHAN ORPHAN_ITEM objectid); the item has no data.
    public var key: Key
    /// What is orphaned (the key offset).
    public var objectid: UInt64 { key.offset }
    /// The orphan its key names.
    public init(key: Key) { self.key = key }
}

/// ROOT_BACKREF holds a struct btrfs_root_ref keyed from the child's side.
public typealias RootBackref = RootRef

extension RootRef {
    /// The ref as a view of its name, as the text renderers read it from bytes.
    func withView<R>(_ body: (RootRefView) throws -> R) rethrows -> R {
        try name.withUnsafeBytes { try body(RootRefView(dirid: dirid, sequence: sequence, nameLen: nameLen, name: $0)) }
    }
}
