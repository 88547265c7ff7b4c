/// A btrfs key: (objectid, type, offset), ordered as the kernel orders tree items.
public struct Key: Hashable, Comparable, Sendable {
    /// The three parts: objectid, item type (BTRFS_*_KEY; `itemType` wraps it) and offset.
    public var objectID: UInt64
    public var type: UInt8
    public var offset: UInt64

    /// A key from its three parts (python-btrfs `Key(objectid, type, offset)`).
    @inlinable
    public init(_ objectID: UInt64, _ type: UInt8, _ offset: UInt64) {
        self.objectID = objectID
        self.type = type
        self.offset = offset
    }

    /// The smallest and the largest key (python-btrfs prints the largest parts as -1).
    public static let min = Key(0, 0, 0)
    public static let max = Key(UInt64.max, UInt8.max, UInt64.max)

    /// Tree order: objectid, then type, then offset.
    @inlinable
    public static func < (a: Key, b: Key) -> Bool {
        if a.objectID != b.objectID { return a.objectID < b.objectID }
        if a.type != b.type { return a.type < b.type }
        return a.offset < b.offset
    }

    /// The key right after this one (offset + 1, carrying into type and objectid), nil after the max.
    @inlinable
    public var successor: Key? {
        if offset != .max { return Key(objectID, type, offset &+ 1) }
        if type != .max { return Key(objectID, type &+ 1, 0) }
        if objectID != .max { return Key(objectID &+ 1, 0, 0) }
        return nil
    }
}
