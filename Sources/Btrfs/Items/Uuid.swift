/// UUID tree items (tree 9): UUID_KEY_SUBVOL and UUID_KEY_RECEIVED_SUBVOL map a subvolume's
/// (received) UUID, split little-endian over key objectid and offset, to subvolume ids.
public struct UUIDTreeItem: Hashable, Sendable {
    /// The item's key and the subvolume ids it lists.
    public var key: Key
    public var subvolIDs: [UInt64]
    /// Whether the key is a received UUID (UUID_KEY_RECEIVED_SUBVOL).
    public var isReceived: Bool { key.itemType == .uuidKeyReceivedSubvol }

    /// The UUID the key encodes (btrfs_uuid_to_key in reverse).
    public var uuid: BtrfsUUID {
        BtrfsUUID(high: key.objectID.byteSwapped, low: key.offset.byteSwapped)
    }

    /// Parses the item's list of u64 subvolume ids; throws when its length is not a multiple of 8.
    public init(key: Key, reader: ItemReader) throws {
        var r = reader
        r.context = "UUID_KEY"
        guard r.count % 8 == 0 else { throw BtrfsError.malformed(what: "UUID item of \(r.count) bytes") }
        self.key = key
        subvolIDs = []
        while r.remaining > 0 { subvolIDs.append(try r.readU64()) }
    }
}
