/// fs-verity items (subvolume trees, key (ino VERITY_DESC_ITEM|VERITY_MERKLE_ITEM offset)):
/// at offset 0 of VERITY_DESC the struct btrfs_verity_descriptor_item, elsewhere raw bytes.
public struct VerityItem: Hashable, Sendable {
    /// struct btrfs_verity_descriptor_item: size, reserved[2], encryption.
    public static let descriptorSize = 25
    /// The item's key.
    public var key: Key
    /// Descriptor header (VERITY_DESC offset 0): descriptor size and encryption.
    public var descriptorSize: UInt64?
    /// The descriptor's encryption byte (VERITY_DESC offset 0 only).
    public var encryption: UInt8?
    /// The item bytes (empty for the descriptor item, whose fields are above).
    public var bytes: [UInt8]
    /// Whether this is a Merkle tree item (VERITY_MERKLE_ITEM).
    public var isMerkle: Bool { key.itemType == .verityMerkleItem }

    /// Parses the item bytes; throws `BtrfsError.truncated` when they are short.
    public init(key: Key, reader: ItemReader) throws {
        self.key = key
        if key.itemType == .verityDescItem && key.offset == 0 {
            var r = reader
            r.context = "VERITY_DESC_ITEM"
            try r.check(at: 0, length: VerityItem.descriptorSize)
            descriptorSize = try r.readU64()
            try r.skip(16)
            encryption = try r.readU8()
            bytes = []
        } else {
            bytes = try reader.getBytes(at: 0, length: reader.count)
        }
    }
}
