import CBtrfs

/// The few chunk-tree items and block group bits the usage reports need, parsed here so the
/// Usage model stands on its own. To be unified with the general item model (Items/) later.
public enum UsageItems {
    /// Block group type and profile bits (btrfs_tree.h `BTRFS_BLOCK_GROUP_*`).
    public enum Flags {
        public static let data: UInt64 = 1 << 0
        public static let system: UInt64 = 1 << 1
        public static let metadata: UInt64 = 1 << 2
        public static let raid0: UInt64 = 1 << 3
        public static let raid1: UInt64 = 1 << 4
        public static let dup: UInt64 = 1 << 5
        public static let raid10: UInt64 = 1 << 6
        public static let raid5: UInt64 = 1 << 7
        public static let raid6: UInt64 = 1 << 8
        public static let raid1c3: UInt64 = 1 << 9
        public static let raid1c4: UInt64 = 1 << 10
        public static let typeMask: UInt64 = data | system | metadata
        public static let profileMask: UInt64 = raid0 | raid1 | dup | raid10 | raid5 | raid6 | raid1c3 | raid1c4
        public static let mixed: UInt64 = data | metadata
        /// The "single" marker of balance args and extended profiles.
        public static let availAllocBitSingle: UInt64 = 1 << 48
        /// The artificial space info row of the global block reserve.
        public static let globalReserve: UInt64 = 1 << 49
    }

    /// One stripe of a chunk: where on which device a copy (or a slice) of the chunk lives.
    public struct Stripe: Hashable, Sendable {
        public var devid: UInt64
        public var offset: UInt64
        public var devUUID: UUID
    }

    /// A CHUNK_ITEM of the chunk tree (`btrfs_chunk` + its stripes): a range of the
    /// virtual address space and the device extents that store it.
    public struct Chunk: Hashable, Sendable {
        /// Start of the chunk in the virtual address space (the key offset).
        public var vaddr: UInt64
        public var length: UInt64
        public var owner: UInt64
        public var stripeLen: UInt64
        /// Block group type and profile bits.
        public var type: UInt64
        public var ioAlign: UInt32
        public var ioWidth: UInt32
        public var sectorSize: UInt32
        public var numStripes: UInt16
        public var subStripes: UInt16
        public var stripes: [Stripe]

        static let fixedSize = 48
        static let stripeSize = 32

        public init(key: Key, reader: ItemReader) throws {
            var r = reader
            r.context = "chunk"
            vaddr = key.offset
            length = try r.readU64()
            owner = try r.readU64()
            stripeLen = try r.readU64()
            type = try r.readU64()
            ioAlign = try r.readU32()
            ioWidth = try r.readU32()
            sectorSize = try r.readU32()
            numStripes = try r.readU16()
            subStripes = try r.readU16()
            guard numStripes > 0 else { throw BtrfsError.malformed(what: "chunk \(key.offset) without stripes") }
            var stripes = [Stripe]()
            stripes.reserveCapacity(Int(numStripes))
            for _ in 0..<Int(numStripes) {
                let devid = try r.readU64()
                let offset = try r.readU64()
                stripes.append(Stripe(devid: devid, offset: offset, devUUID: try r.readUUID()))
            }
            self.stripes = stripes
        }
    }

    /// A DEV_ITEM of the chunk tree (`btrfs_dev_item`): one device as the filesystem records it.
    public struct DevItem: Hashable, Sendable {
        public var devid: UInt64
        public var totalBytes: UInt64
        /// Bytes allocated to device extents.
        public var bytesUsed: UInt64
        public var ioAlign: UInt32
        public var ioWidth: UInt32
        public var sectorSize: UInt32
        public var type: UInt64
        public var generation: UInt64
        public var startOffset: UInt64
        public var devGroup: UInt32
        public var seekSpeed: UInt8
        public var bandwidth: UInt8
        public var uuid: UUID
        public var fsid: UUID

        public init(key: Key, reader: ItemReader) throws {
            var r = reader
            r.context = "dev item"
            devid = try r.readU64()
            totalBytes = try r.readU64()
            bytesUsed = try r.readU64()
            ioAlign = try r.readU32()
            ioWidth = try r.readU32()
            sectorSize = try r.readU32()
            type = try r.readU64()
            generation = try r.readU64()
            startOffset = try r.readU64()
            devGroup = try r.readU32()
            seekSpeed = try r.readU8()
            bandwidth = try r.readU8()
            uuid = try r.readUUID()
            fsid = try r.readUUID()
        }

        /// A device that is not on disk: the space calculator's input.
        public init(devid: UInt64, totalBytes: UInt64, bytesUsed: UInt64 = 0) {
            self.devid = devid
            self.totalBytes = totalBytes
            self.bytesUsed = bytesUsed
            ioAlign = 0; ioWidth = 0; sectorSize = 0; type = 0; generation = 0; startOffset = 0
            devGroup = 0; seekSpeed = 0; bandwidth = 0; uuid = .zero; fsid = .zero
        }
    }

    static let chunkTree: UInt64 = 3
    static let firstChunkTreeObjectID: UInt64 = 256
    static let devItemsObjectID: UInt64 = 1
    static let chunkItemKey: UInt8 = 228
    static let devItemKey: UInt8 = 216

    /// Every chunk, in virtual address order (needs CAP_SYS_ADMIN: tree search).
    public static func chunks(_ fs: FileSystem) throws -> [Chunk] {
        var result = [Chunk]()
        try fs.forEachItem(TreeSearch(tree: chunkTree, min: Key(firstChunkTreeObjectID, chunkItemKey, 0),
                                      max: Key(firstChunkTreeObjectID, chunkItemKey, .max))) { item in
            result.append(try Chunk(key: item.key, reader: item.reader(context: "chunk")))
        }
        return result
    }

    /// Every device item, in devid order (needs CAP_SYS_ADMIN: tree search).
    public static func devItems(_ fs: FileSystem) throws -> [DevItem] {
        var result = [DevItem]()
        try fs.forEachItem(TreeSearch(tree: chunkTree, min: Key(devItemsObjectID, devItemKey, 1),
                                      max: Key(devItemsObjectID, devItemKey, .max))) { item in
            result.append(try DevItem(key: item.key, reader: item.reader(context: "dev item")))
        }
        return result
    }

    /// The incompat feature bits (GET_FEATURES), for python-btrfs's `mixed_groups()`.
    public static func incompatFlags(_ fs: FileSystem) throws -> UInt64 {
        var flags = btrfs_ioctl_feature_flags()
        try fs.descriptor.ioctl(SB_IOC_GET_FEATURES, &flags, name: "get features")
        return flags.incompat_flags
    }

    /// True when data and metadata share block groups (incompat MIXED_GROUPS).
    public static func mixedGroups(_ fs: FileSystem) throws -> Bool {
        try incompatFlags(fs) & (1 << 2) != 0
    }
}
