/// struct btrfs_dev_item: one device of the filesystem (chunk tree, key (DEV_ITEMS DEV_ITEM devid)).
public struct DevItem: Hashable, Sendable {
    /// sizeof(struct btrfs_dev_item) in bytes.
    public static let size = 98
    /// The item's key, (DEV_ITEMS DEV_ITEM devid); then the fields of struct btrfs_dev_item in its order
    /// (sizes in bytes; `uuid` is the device's, `fsid` the filesystem's).
    public var key: Key
    public var devid: UInt64
    public var totalBytes: UInt64
    public var bytesUsed: UInt64
    public var ioAlign: UInt32
    public var ioWidth: UInt32
    public var sectorSize: UInt32
    public var type: UInt64
    public var generation: UInt64
    public var startOffset: UInt64
    public var devGroup: UInt32
    public var seekSpeed: UInt8
    public var bandwidth: UInt8
    public var uuid: BtrfsUUID
    public var fsid: BtrfsUUID

    /// Parses the item bytes; throws `BtrfsError.truncated` when they are short.
    public init(key: Key, reader: ItemReader) throws {
        var r = reader
        r.context = "DEV_ITEM"
        try r.check(at: 0, length: DevItem.size)
        self.key = key
        devid = try r.readU64()
        totalBytes = try r.readU64()
        bytesUsed = try r.readU64()
        ioAlign = try r.readU32()
        ioWidth = try r.readU32()
        sectorSize = try r.readU32()
        type = try r.readU64()
        generation = try r.readU64()
        startOffset = try r.readU64()
        devGroup = try r.readU32()
        seekSpeed = try r.readU8()
        bandwidth = try r.readU8()
        uuid = try r.readUUID()
        fsid = try r.readUUID()
    }

    /// A device that is not on disk (the space calculator's input): only sizes, the rest zero.
    public init(devid: UInt64, totalBytes: UInt64, bytesUsed: UInt64 = 0) {
        key = Key(1, 216, devid)   // (DEV_ITEMS DEV_ITEM devid)
        self.devid = devid
        self.totalBytes = totalBytes
        self.bytesUsed = bytesUsed
        ioAlign = 0; ioWidth = 0; sectorSize = 0; type = 0; generation = 0; startOffset = 0
        devGroup = 0; seekSpeed = 0; bandwidth = 0; uuid = .zero; fsid = .zero
    }
}

/// struct btrfs_dev_extent: a range of one device given to a chunk (dev tree, key (devid DEV_EXTENT paddr)).
public struct DevExtent: Hashable, Sendable {
    /// sizeof(struct btrfs_dev_extent) in bytes.
    public static let size = 48
    /// The item's key, (devid DEV_EXTENT physical offset); then the fields of struct btrfs_dev_extent: the
    /// chunk it belongs to (tree, objectid, vaddr as chunk_offset), its length in bytes and the chunk
    /// tree's UUID.
    public var key: Key
    public var chunkTree: UInt64
    public var chunkObjectid: UInt64
    public var chunkOffset: UInt64
    public var length: UInt64
    public var chunkTreeUUID: BtrfsUUID

    /// Device ID (the key objectid).
    public var devid: UInt64 { key.objectID }
    /// Physical start on the device (the key offset).
    public var paddr: UInt64 { key.offset }
    /// Virtual address of the chunk (python-btrfs's alias of chunk_offset).
    public var vaddr: UInt64 { chunkOffset }

    /// Parses the item bytes; throws `BtrfsError.truncated` when they are short.
    public init(key: Key, reader: ItemReader) throws {
        var r = reader
        r.context = "DEV_EXTENT"
        try r.check(at: 0, length: DevExtent.size)
        self.key = key
        chunkTree = try r.readU64()
        chunkObjectid = try r.readU64()
        chunkOffset = try r.readU64()
        length = try r.readU64()
        chunkTreeUUID = try r.readUUID()
    }
}

/// PERSISTENT_ITEM (dev tree, key (DEV_STATS PERSISTENT_ITEM devid)): the error counters.
public struct DevStatsItem: Hashable, Sendable {
    /// The item's key, (DEV_STATS PERSISTENT_ITEM devid); the counters follow.
    public var key: Key
    /// write_errs, read_errs, flush_errs, corruption_errs, generation_errs (newer kernels may add more).
    public var values: [UInt64]
    /// The device the counters belong to (the key offset).
    public var devid: UInt64 { key.offset }
    /// python-btrfs's names of the counters, in `values` order.
    public static let names = ["write_errs", "read_errs", "flush_errs", "corruption_errs", "generation_errs"]

    /// Parses the counters the item holds; throws when its length is not a multiple of 8.
    public init(key: Key, reader: ItemReader) throws {
        var r = reader
        r.context = "DEV_STATS"
        guard r.count % 8 == 0 else { throw BtrfsError.malformed(what: "dev stats item of \(r.count) bytes") }
        self.key = key
        values = []
        while r.remaining > 0 { values.append(try r.readU64()) }
    }
}

/// struct btrfs_dev_replace_item (dev tree, key (0 DEV_REPLACE 0)).
public struct DevReplaceItem: Hashable, Sendable {
    /// sizeof(struct btrfs_dev_replace_item) in bytes.
    public static let size = 72
    /// The item's key, (DEV_REPLACE DEV_REPLACE 0); then the fields of struct btrfs_dev_replace_item in its
    /// order (cursors in bytes on the source device, times in seconds since the epoch).
    public var key: Key
    public var srcDevid: UInt64
    public var cursorLeft: UInt64
    public var cursorRight: UInt64
    public var contReadingFromSrcdevMode: UInt64
    public var replaceState: UInt64
    public var timeStarted: UInt64
    public var timeStopped: UInt64
    public var numWriteErrors: UInt64
    public var numUncorrectableReadErrors: UInt64

    /// Parses the item bytes; throws `BtrfsError.truncated` when they are short.
    public init(key: Key, reader: ItemReader) throws {
        var r = reader
        r.context = "DEV_REPLACE"
        try r.check(at: 0, length: DevReplaceItem.size)
        self.key = key
        srcDevid = try r.readU64(); cursorLeft = try r.readU64(); cursorRight = try r.readU64()
        contReadingFromSrcdevMode = try r.readU64(); replaceState = try r.readU64()
        timeStarted = try r.readU64(); timeStopped = try r.readU64()
        numWriteErrors = try r.readU64(); numUncorrectableReadErrors = try r.readU64()
    }
}
