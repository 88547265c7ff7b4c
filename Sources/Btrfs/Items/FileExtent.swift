/// struct btrfs_file_extent_item: a piece of a file (subvolume trees, key (ino EXTENT_DATA file offset)).
/// Inline extents carry their (maybe compressed) bytes after the 21-byte header.
public struct FileExtentItem: Hashable, Sendable {
    /// Bytes before an inline extent's data, and sizeof(struct btrfs_file_extent_item).
    public static let headerSize = 21
    public static let size = 53
    /// The item's key, then struct btrfs_file_extent_item's header: generation, decoded size in bytes,
    /// `COMPRESS_*`, encryption and other encoding (0), and the type (`typeInline`, `typeRegular`,
    /// `typePrealloc`).
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

    /// BTRFS_FILE_EXTENT_INLINE, _REG and _PREALLOC.
    public static let typeInline: UInt8 = 0
    public static let typeRegular: UInt8 = 1
    public static let typePrealloc: UInt8 = 2

    /// The file's inode number and the file offset in bytes (the key's objectid and offset); whether the
    /// data is inline.
    public var objectid: UInt64 { key.objectID }
    public var logicalOffset: UInt64 { key.offset }
    public var isInline: Bool { type == FileExtentItem.typeInline }

    /// Parses the item bytes; throws `BtrfsError.truncated` when they are short.
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
