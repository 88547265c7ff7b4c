/// Quota tree items (tree 8). python-btrfs leaves these unparsed.

/// struct btrfs_qgroup_status_item (key (0 QGROUP_STATUS 0)).
public struct QgroupStatusItem: Hashable, Sendable {
    /// The item's key, then struct btrfs_qgroup_status_item's fields: version, generation, flags
    /// (BTRFS_QGROUP_STATUS_FLAG_*), rescan progress (an objectid).
    public var key: Key
    public var version: UInt64
    public var generation: UInt64
    public var flags: UInt64
    public var rescan: UInt64
    /// Simple quotas only (the item is 40 bytes then); nil for the 32-byte form.
    public var enableGen: UInt64?

    /// Parses the item bytes; throws `BtrfsError.truncated` when they are short.
    public init(key: Key, reader: ItemReader) throws {
        var r = reader
        r.context = "QGROUP_STATUS"
        self.key = key
        version = try r.readU64()
        generation = try r.readU64()
        flags = try r.readU64()
        rescan = try r.readU64()
        enableGen = r.remaining >= 8 ? try r.readU64() : nil
    }
}

/// struct btrfs_qgroup_info_item (key (0 QGROUP_INFO qgroupid)).
public struct QgroupInfoItem: Hashable, Sendable {
    /// The item's key, then struct btrfs_qgroup_info_item's fields: generation, referenced and exclusive
    /// bytes, each also compressed.
    public var key: Key
    public var generation: UInt64
    public var rfer: UInt64
    public var rferCmpr: UInt64
    public var excl: UInt64
    public var exclCmpr: UInt64
    /// The qgroup id (level << 48 | subvolume id), the key offset.
    public var qgroupid: UInt64 { key.offset }

    /// Parses the item bytes; throws `BtrfsError.truncated` when they are short.
    public init(key: Key, reader: ItemReader) throws {
        var r = reader
        r.context = "QGROUP_INFO"
        try r.check(at: 0, length: 40)
        self.key = key
        generation = try r.readU64()
        rfer = try r.readU64()
        rferCmpr = try r.readU64()
        excl = try r.readU64()
        exclCmpr = try r.readU64()
    }
}

/// struct btrfs_qgroup_limit_item (key (0 QGROUP_LIMIT qgroupid)).
public struct QgroupLimitItem: Hashable, Sendable {
    /// The item's key, then struct btrfs_qgroup_limit_item's fields: which limits are set
    /// (BTRFS_QGROUP_LIMIT_*), and the limits and reservations in bytes.
    public var key: Key
    public var flags: UInt64
    public var maxRfer: UInt64
    public var maxExcl: UInt64
    public var rsvRfer: UInt64
    public var rsvExcl: UInt64
    /// The qgroup id (level << 48 | subvolume id), the key offset.
    public var qgroupid: UInt64 { key.offset }

    /// Parses the item bytes; throws `BtrfsError.truncated` when they are short.
    public init(key: Key, reader: ItemReader) throws {
        var r = reader
        r.context = "QGROUP_LIMIT"
        try r.check(at: 0, length: 40)
        self.key = key
        flags = try r.readU64()
        maxRfer = try r.readU64()
        maxExcl = try r.readU64()
        rsvRfer = try r.readU64()
        rsvExcl = try r.readU64()
    }
}

/// QGROUP_RELATION (key (member QGROUP_RELATION parent) and the reverse): no data.
public struct QgroupRelationItem: Hashable, Sendable {
    /// The item's key; `src` and `dst` are its two qgroup ids.
    public var key: Key
    public var src: UInt64 { key.objectID }
    public var dst: UInt64 { key.offset }
    /// The relation its key names.
    public init(key: Key) { self.key = key }
}

/// A qgroup id printed as level/subvolid.
public func qgroupIDString(_ id: UInt64) -> String {
    let b = TextBuffer(capacity: 24)
    Key.writeQgroup(id, to: b)
    return b.text
}
