/// RAID_STRIPE (raid stripe tree 12, key (vaddr RAID_STRIPE length)): btrfs_raid_stride entries.
public struct RaidStripeItem: Hashable, Sendable {
    public struct Stride: Hashable, Sendable {
        public var devid: UInt64
        public var physical: UInt64
    }
    public var key: Key
    public var strides: [Stride]
    public var vaddr: UInt64 { key.objectID }
    public var length: UInt64 { key.offset }

    public init(key: Key, reader: ItemReader) throws {
        var r = reader
        r.context = "RAID_STRIPE"
        guard r.count % 16 == 0 else { throw BtrfsError.malformed(what: "RAID stripe item of \(r.count) bytes") }
        self.key = key
        strides = []
        while r.remaining > 0 { strides.append(Stride(devid: try r.readU64(), physical: try r.readU64())) }
    }
}
