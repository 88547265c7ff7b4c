/// RAID_STRIPE (raid stripe tree 12, key (vaddr RAID_STRIPE length)): btrfs_raid_stride entries.
public struct RaidStripeItem: Hashable, Sendable {
    /// struct btrfs_raid_stride: where one copy of the range lives.
    public struct Stride: Hashable, Sendable {
        /// The device and the physical byte offset on it.
        public var devid: UInt64
        public var physical: UInt64
    }
    /// The item's key and its strides, one per device holding the range.
    public var key: Key
    public var strides: [Stride]
    /// The range's virtual address and length in bytes.
    public var vaddr: UInt64 { key.objectID }
    public var length: UInt64 { key.offset }

    /// Parses the item bytes; throws `BtrfsError.truncated` when they are short.
    public init(key: Key, reader: ItemReader) throws {
        var r = reader
        r.context = "RAID_STRIPE"
        guard r.count % 16 == 0 else { throw BtrfsError.malformed(what: "RAID stripe item of \(r.count) bytes") }
        self.key = key
        strides = []
        while r.remaining > 0 { strides.append(Stride(devid: try r.readU64(), physical: try r.readU64())) }
    }
}
