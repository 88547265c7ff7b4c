/// struct btrfs_free_space_info: per block group header of the free space tree
/// (key (vaddr FREE_SPACE_INFO length)).
public struct FreeSpaceInfo: Hashable, Sendable {
    /// The item's key; how many free extents (or bitmaps) describe the block group; flags
    /// (`flagUsingBitmaps`).
    public var key: Key
    public var extentCount: UInt32
    public var flags: UInt32
    /// The block group's virtual address and length in bytes (the key's objectid and offset).
    public var vaddr: UInt64 { key.objectID }
    public var length: UInt64 { key.offset }
    /// BTRFS_FREE_SPACE_USING_BITMAPS: the block group's free space is in FREE_SPACE_BITMAP items.
    public static let flagUsingBitmaps: UInt32 = 1

    /// Parses the item bytes; throws `BtrfsError.truncated` when they are short.
    public init(key: Key, reader: ItemReader) throws {
        var r = reader
        r.context = "FREE_SPACE_INFO"
        try r.check(at: 0, length: 8)
        self.key = key
        extentCount = try r.readU32()
        flags = try r.readU32()
    }
}

/// A range of free space; as an item (key (vaddr FREE_SPACE_EXTENT length)) it has no data,
/// and bitmaps unpack into it.
public struct FreeSpaceExtent: Hashable, Sendable {
    /// Start (virtual address) and length of the free range, in bytes.
    public var vaddr: UInt64
    public var length: UInt64
    /// A range from its start and length.
    public init(vaddr: UInt64, length: UInt64) { self.vaddr = vaddr; self.length = length }
    /// The FREE_SPACE_EXTENT item's range (its key's objectid and offset).
    public init(key: Key) { self.init(vaddr: key.objectID, length: key.offset) }
}

/// FREE_SPACE_BITMAP (key (vaddr FREE_SPACE_BITMAP length)): one bit per sector, set = free.
public struct FreeSpaceBitmap: Hashable, Sendable {
    /// The item's key and the bitmap bytes.
    public var key: Key
    public var bitmap: [UInt8]
    /// The range the bitmap covers: virtual address and length in bytes.
    public var vaddr: UInt64 { key.objectID }
    public var length: UInt64 { key.offset }

    /// Takes the item bytes as the bitmap.
    public init(key: Key, reader: ItemReader) throws {
        self.key = key
        bitmap = try reader.getBytes(at: 0, length: reader.count)
    }

    /// The free ranges, as python-btrfs's `unpack(sectorsize)`: runs of set bits, least
    /// significant bit first in each byte.
    public func unpack(sectorSize: UInt64) -> [FreeSpaceExtent] {
        var out: [FreeSpaceExtent] = []
        bitmap.withUnsafeBytes { b in
            FreeSpaceBitmap.forEachRange(b, start: vaddr, sectorSize: sectorSize) { out.append($0) }
        }
        return out
    }

    /// Calls `body` with each run of set bits, without allocating.
    public static func forEachRange(_ bitmap: UnsafeRawBufferPointer, start: UInt64, sectorSize: UInt64,
                                    _ body: (FreeSpaceExtent) throws -> Void) rethrows {
        var offset = start
        var inRun = false
        var runStart: UInt64 = 0
        for byte in bitmap {
            // Whole bytes that do not change the state are skipped at once.
            if (byte == 0 && !inRun) || (byte == 0xff && inRun) {
                offset &+= 8 &* sectorSize
                continue
            }
            for bit in 0..<8 {
                let set = (byte >> UInt8(bit)) & 1 == 1
                if set && !inRun { runStart = offset; inRun = true }
                else if !set && inRun { try body(FreeSpaceExtent(vaddr: runStart, length: offset &- runStart)); inRun = false }
                offset &+= sectorSize
            }
        }
        if inRun { try body(FreeSpaceExtent(vaddr: runStart, length: offset &- runStart)) }
    }
}
