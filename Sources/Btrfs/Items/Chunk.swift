/// struct btrfs_chunk: a piece of virtual address space and where its stripes live
/// (chunk tree, key (FIRST_CHUNK_TREE CHUNK_ITEM vaddr)).
public struct Chunk: Hashable, Sendable {
    /// sizeof(struct btrfs_chunk) without its stripes, in bytes.
    public static let size = 48
    /// The item's key, (FIRST_CHUNK_TREE CHUNK_ITEM vaddr); then the fields of struct btrfs_chunk in its
    /// order (length and stripe_len in bytes, owner the extent tree's id).
    public var key: Key
    public var length: UInt64
    public var owner: UInt64
    public var stripeLen: UInt64
    /// Block group flags: type and profile.
    public var type: UInt64
    public var ioAlign: UInt32
    public var ioWidth: UInt32
    public var sectorSize: UInt32
    public var numStripes: UInt16
    public var subStripes: UInt16
    public var stripes: [Stripe]

    /// Virtual address (the key offset).
    public var vaddr: UInt64 { key.offset }

    /// Parses the chunk and its stripes; throws `BtrfsError.truncated` when the bytes are short of
    /// `num_stripes` stripes.
    public init(key: Key, reader: ItemReader) throws {
        var r = reader
        r.context = "CHUNK_ITEM"
        try r.check(at: 0, length: Chunk.size)
        self.key = key
        length = try r.readU64()
        owner = try r.readU64()
        stripeLen = try r.readU64()
        type = try r.readU64()
        ioAlign = try r.readU32()
        ioWidth = try r.readU32()
        sectorSize = try r.readU32()
        numStripes = try r.readU16()
        subStripes = try r.readU16()
        // Check the whole stripe array is there before allocating for it.
        try r.check(at: r.offset, length: Int(numStripes) * Stripe.size)
        stripes = []
        stripes.reserveCapacity(Int(numStripes))
        for _ in 0..<numStripes { stripes.append(try Stripe(reader: &r)) }
    }

    /// Length, type and stripe count of a chunk item read in place, with `init(key:reader:)`'s
    /// checks (the stripes' bytes included) but without building the stripe array; each stripe's
    /// device is then `stripeDevid(in:_:)`. For sums over every chunk (the usage reports).
    public static func head(in reader: ItemReader) throws -> (length: UInt64, type: UInt64, numStripes: UInt16) {
        var r = reader
        r.context = "CHUNK_ITEM"
        try r.check(at: 0, length: Chunk.size)
        let head: (length: UInt64, type: UInt64, numStripes: UInt16) =
            (try r.getInteger(at: 0), try r.getInteger(at: 24), try r.getInteger(at: 44))   // struct btrfs_chunk
        try r.check(at: Chunk.size, length: Int(head.numStripes) * Stripe.size)
        return head
    }

    /// The device of stripe `index` of a chunk item `head(in:)` has checked.
    public static func stripeDevid(in reader: ItemReader, _ index: Int) throws -> UInt64 {
        try reader.getInteger(at: Chunk.size &+ index &* Stripe.size)
    }
}

/// struct btrfs_stripe: one device extent of a chunk.
public struct Stripe: Hashable, Sendable {
    /// sizeof(struct btrfs_stripe) in bytes.
    public static let size = 32
    /// The device, the physical byte offset on it, and the device's UUID.
    public var devid: UInt64
    public var offset: UInt64
    public var devUUID: BtrfsUUID

    /// A stripe from its fields.
    public init(devid: UInt64, offset: UInt64, devUUID: BtrfsUUID) {
        self.devid = devid
        self.offset = offset
        self.devUUID = devUUID
    }

    /// Reads one stripe at the reader's offset and moves past it; throws when short.
    public init(reader r: inout ItemReader) throws {
        devid = try r.readU64()
        offset = try r.readU64()
        devUUID = try r.readUUID()
    }
}

/// struct btrfs_block_group_item: usage of a chunk's address range (extent tree or
/// block group tree, key (vaddr BLOCK_GROUP_ITEM length)).
public struct BlockGroupItem: Hashable, Sendable {
    /// sizeof(struct btrfs_block_group_item) in bytes.
    public static let size = 24
    /// The item's key, (vaddr BLOCK_GROUP_ITEM length); then bytes used, the chunk tree's objectid
    /// (FIRST_CHUNK_TREE) and the block group flags (`BlockGroupFlags`).
    public var key: Key
    public var used: UInt64
    public var chunkObjectid: UInt64
    public var flags: UInt64

    /// The block group's virtual address and length in bytes (the key's objectid and offset).
    public var vaddr: UInt64 { key.objectID }
    public var length: UInt64 { key.offset }

    /// python-btrfs's `used_pct`: round(used * 100 / length), half to even, in exact integers.
    public var usedPercent: UInt64 {
        guard length != 0 else { return 0 }
        let product = used.multipliedFullWidth(by: 100)
        guard product.high < length else { return .max }
        let (q, r) = length.dividingFullWidth(product)
        // Compare the remainder with half the length without overflowing.
        if r > length - r || (r == length - r && q & 1 == 1) { return q &+ 1 }
        return q
    }

    /// Parses the item bytes; throws `BtrfsError.truncated` when they are short.
    public init(key: Key, reader: ItemReader) throws {
        var r = reader
        r.context = "BLOCK_GROUP_ITEM"
        try r.check(at: 0, length: BlockGroupItem.size)
        self.key = key
        used = try r.readU64()
        chunkObjectid = try r.readU64()
        flags = try r.readU64()
    }
}
