/// struct btrfs_file_extent_item: a piece of a file (subvolume trees, key (ino EXTENT_DATA file offset)).
/// Inline extents carry their (maybe compressed) bytes after the 21-byte header.
public struct FileExtentItem: Hashable, Sendable {
    public static let headerSize = 21
    public static let size = 53
    public var key: Key
    public var generation: UInt64
    public var ramBytes: UInt64
    public var compression: UInt8
    public var encryption: UInt8
    public var otherEncoding: UInt16
    public var type: UInt8
    /// Regular and prealloc extents only (zero for inline).
    public var diskBytenr: UInt64 = 0
    public var diskNumBytes: UInt64 = 0
    public var offset: UInt64 = 0
    public var numBytes: UInt64 = 0
    /// Inline extents only: bytes of data stored in the item.
    public var inlineEncodedNbytes: Int = 0

    public static let typeInline: UInt8 = 0
    public static let typeRegular: UInt8 = 1
    public static let typePrealloc: UInt8 = 2

    public var objectid: UInt64 { key.objectID }
    public var logicalOffset: UInt64 { key.offset }
    public var isInline: Bool { type == FileExtentItem.typeInline }

    public init(key: Key, reader: ItemReader) throws {
        var r = reader
        r.context = "EXTENT_DATA"
        self.key = key
        generation = try r.readU64()
        ramBytes = try r.readU64()
        compression = try r.readU8()
        encryption = try r.readU8()
        otherEncoding = try r.readU16()
        type = try r.readU8()
        if type != FileExtentItem.typeInline {
            diskBytenr = try r.readU64()
            diskNumBytes = try r.readU64()
            offset = try r.readU64()
            numBytes = try r.readU64()
        } else {
            inlineEncodedNbytes = r.count &- FileExtentItem.headerSize
        }
    }
}
