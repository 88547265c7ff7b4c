/// struct btrfs_extent_item (key (vaddr EXTENT_ITEM length)) with its inline backrefs, and the
/// skinny struct btrfs_metadata_item (key (vaddr METADATA_ITEM level)); both in the extent tree.
public struct ExtentItem: Hashable, Sendable {
    /// sizeof(struct btrfs_extent_item) before its inline refs, in bytes.
    public static let size = 24
    /// The item's key, then reference count, generation and flags (`flagData`, `flagTreeBlock`,
    /// `flagFullBackref`) of struct btrfs_extent_item.
    public var key: Key
    public var refs: UInt64
    public var generation: UInt64
    public var flags: UInt64
    /// Present for a tree block extent (non-skinny metadata) when metadata refs were loaded.
    public var treeBlockInfo: TreeBlockInfo?
    /// The inline (and, when loaded, keyed) backrefs by kind, as python-btrfs's lists.
    public var extentDataRefs: [ExtentDataRef] = []
    public var sharedDataRefs: [SharedDataRef] = []
    public var treeBlockRefs: [TreeBlockRef] = []
    public var sharedBlockRefs: [SharedBlockRef] = []
    /// Simple-quota owner roots (EXTENT_OWNER_REF inline refs); python-btrfs does not know them.
    public var ownerRefs: [UInt64] = []
    /// Which backref lists were loaded, as python-btrfs only sets them when asked.
    public var dataRefsLoaded = false
    public var metadataRefsLoaded = false

    /// The extent's virtual address and length in bytes (the key's objectid and offset).
    public var vaddr: UInt64 { key.objectID }
    public var length: UInt64 { key.offset }

    /// BTRFS_EXTENT_FLAG_DATA, _TREE_BLOCK and _FULL_BACKREF.
    public static let flagData: UInt64 = 1
    public static let flagTreeBlock: UInt64 = 2
    public static let flagFullBackref: UInt64 = 1 << 8

    /// Parses the item; python-btrfs reads data refs only for flags == DATA and metadata refs
    /// only when TREE_BLOCK is set, and so does this.
    public init(key: Key, reader: ItemReader, loadDataRefs: Bool = true, loadMetadataRefs: Bool = true) throws {
        var r = reader
        r.context = "EXTENT_ITEM"
        self.key = key
        refs = try r.readU64()
        generation = try r.readU64()
        flags = try r.readU64()
        if flags == ExtentItem.flagData && loadDataRefs {
            dataRefsLoaded = true
            for ref in InlineRefIterator(reader: r, data: true) {
                let ref = try ref.get()
                append(ref)
            }
        } else if flags & ExtentItem.flagTreeBlock != 0 && loadMetadataRefs {
            metadataRefsLoaded = true
            treeBlockInfo = try TreeBlockInfo(reader: &r)
            for ref in InlineRefIterator(reader: r, data: false) {
                let ref = try ref.get()
                append(ref)
            }
        }
    }

    /// Every inline backref, in python-btrfs's attribute order (`InlineRef.pythonGroup`).
    public var inlineRefs: [InlineRef] {
        extentDataRefs.map(InlineRef.extentData) + sharedDataRefs.map(InlineRef.sharedData)
            + treeBlockRefs.map(InlineRef.treeBlock) + sharedBlockRefs.map(InlineRef.sharedBlock)
            + ownerRefs.map { InlineRef.extentOwner(root: $0) }
    }

    mutating func append(_ ref: InlineRef) {
        switch ref {
        case .extentData(let d): extentDataRefs.append(d)
        case .sharedData(let s): sharedDataRefs.append(s)
        case .treeBlock(let t): treeBlockRefs.append(t)
        case .sharedBlock(let s): sharedBlockRefs.append(s)
        case .extentOwner(let root): ownerRefs.append(root)
        }
    }
}

/// struct btrfs_tree_block_info: first key and level of a tree block (non-skinny metadata extents).
public struct TreeBlockInfo: Hashable, Sendable {
    /// sizeof(struct btrfs_tree_block_info) in bytes.
    public static let size = 18
    /// The first key in the block, and the block's level (0 is a leaf).
    public var key: Key
    public var level: UInt8

    /// Reads it at the reader's offset and moves past it; throws when short.
    public init(reader r: inout ItemReader) throws {
        try r.check(at: r.offset, length: TreeBlockInfo.size)
        key = try r.readDiskKey()
        level = try r.readU8()
    }
}

/// METADATA_ITEM (skinny metadata, key (vaddr METADATA_ITEM level)): a tree block's extent item without a
/// tree_block_info.
public struct MetaDataItem: Hashable, Sendable {
    /// The item's key, reference count, generation, flags, and the inline backrefs (loaded when
    /// `refsLoaded`).
    public var key: Key
    public var refs: UInt64
    public var generation: UInt64
    public var flags: UInt64
    public var treeBlockRefs: [TreeBlockRef] = []
    public var sharedBlockRefs: [SharedBlockRef] = []
    public var ownerRefs: [UInt64] = []
    public var refsLoaded = false

    /// The tree block's virtual address (the key objectid).
    public var vaddr: UInt64 { key.objectID }
    /// Tree level (the key offset).
    public var skinnyLevel: UInt64 { key.offset }

    /// Parses the item; `loadRefs` false skips the inline backrefs. Throws `BtrfsError.truncated` on short
    /// bytes.
    public init(key: Key, reader: ItemReader, loadRefs: Bool = true) throws {
        var r = reader
        r.context = "METADATA_ITEM"
        self.key = key
        refs = try r.readU64()
        generation = try r.readU64()
        flags = try r.readU64()
        if loadRefs {
            refsLoaded = true
            for ref in InlineRefIterator(reader: r, data: false) {
                let ref = try ref.get()
                guard append(ref) else { throw BtrfsError.malformed(what: "data backref in METADATA_ITEM \(key)") }
            }
        }
    }

    /// Every inline backref, in python-btrfs's attribute order (`InlineRef.pythonGroup`).
    public var inlineRefs: [InlineRef] {
        treeBlockRefs.map(InlineRef.treeBlock) + sharedBlockRefs.map(InlineRef.sharedBlock)
            + ownerRefs.map { InlineRef.extentOwner(root: $0) }
    }

    /// Files a backref under its list; false for a data ref, which a metadata extent cannot have.
    mutating func append(_ ref: InlineRef) -> Bool {
        switch ref {
        case .treeBlock(let t): treeBlockRefs.append(t)
        case .sharedBlock(let s): sharedBlockRefs.append(s)
        case .extentOwner(let root): ownerRefs.append(root)
        case .extentData, .sharedData: return false
        }
        return true
    }
}

/// One inline backref of an extent item.
public enum InlineRef: Hashable, Sendable {
    case treeBlock(TreeBlockRef)
    case sharedBlock(SharedBlockRef)
    case extentData(ExtentDataRef)
    case sharedData(SharedDataRef)
    case extentOwner(root: UInt64)

    /// Which of python-btrfs's ExtentItem ref lists holds it, in attribute order: 0 extent data
    /// or tree block refs, 1 shared data or shared block refs, 2 owner refs.
    public var pythonGroup: Int {
        switch self {
        case .extentData, .treeBlock: return 0
        case .sharedData, .sharedBlock: return 1
        case .extentOwner: return 2
        }
    }
}

/// Walks the inline refs after an extent item's fixed part without allocating.
public struct InlineRefIterator: ThrowingCursor {
    var reader: ItemReader
    /// Data extent (extent/shared data refs) or tree block (tree/shared block refs).
    let data: Bool

    /// Walks the refs from the reader's offset; `data` tells which ref types to expect.
    public init(reader: ItemReader, data: Bool) {
        self.reader = reader
        self.data = data
    }

    /// The next inline ref, nil after the last; throws on an unknown ref type or short bytes.
    public mutating func next() throws -> InlineRef? {
        guard reader.remaining > 0 else { return nil }
        let type = try reader.readU8()
        switch (ItemType(type), data) {
        case (.extentOwnerRef, _):
            return .extentOwner(root: try reader.readU64())
        case (.extentDataRef, true):
            return .extentData(try ExtentDataRef(key: nil, reader: &reader))
        case (.sharedDataRef, true):
            let parent = try reader.readU64()
            let count = try reader.readU32()
            return .sharedData(SharedDataRef(key: nil, parent: parent, count: count))
        case (.treeBlockRef, false):
            return .treeBlock(TreeBlockRef(key: nil, root: try reader.readU64()))
        case (.sharedBlockRef, false):
            return .sharedBlock(SharedBlockRef(key: nil, parent: try reader.readU64()))
        default:
            throw BtrfsError.malformed(what: "unexpected inline ref type \(type) in \(reader.context)")
        }
    }
}

/// struct btrfs_extent_data_ref: a file's reference to a data extent; `key` nil when inline.
public struct ExtentDataRef: Hashable, Sendable {
    /// sizeof(struct btrfs_extent_data_ref) in bytes.
    public static let size = 28
    /// The keyed item's key (EXTENT_DATA_REF, hash offset), nil when inline; then the file's tree, inode
    /// and the file offset minus the extent offset, and how many references it makes.
    public var key: Key?
    public var root: UInt64
    public var objectid: UInt64
    public var offset: UInt64
    public var count: UInt32

    /// Reads the ref at the reader's offset and moves past it; throws when short.
    public init(key: Key?, reader r: inout ItemReader) throws {
        try r.check(at: r.offset, length: ExtentDataRef.size)
        self.key = key
        root = try r.readU64()
        objectid = try r.readU64()
        offset = try r.readU64()
        count = try r.readU32()
    }

    /// The keyed item (EXTENT_DATA_REF); throws when short.
    public init(key: Key, reader: ItemReader) throws {
        var r = reader
        r.context = "EXTENT_DATA_REF"
        try self.init(key: key, reader: &r)
    }
}

/// struct btrfs_shared_data_ref: a data extent referenced by a tree block (parent); `key` nil when inline.
public struct SharedDataRef: Hashable, Sendable {
    /// The keyed item's key, nil when inline; the parent tree block's vaddr; the reference count.
    public var key: Key?
    public var parent: UInt64
    public var count: UInt32

    /// A ref from its fields.
    public init(key: Key?, parent: UInt64, count: UInt32) {
        self.key = key
        self.parent = parent
        self.count = count
    }

    /// The keyed form: parent in the key offset, count in the item.
    public init(key: Key, reader: ItemReader) throws {
        var r = reader
        r.context = "SHARED_DATA_REF"
        self.init(key: key, parent: key.offset, count: try r.readU32())
    }
}

/// A tree block's reference from a tree root; `key` nil when inline.
public struct TreeBlockRef: Hashable, Sendable {
    /// The keyed item's key (vaddr TREE_BLOCK_REF root), nil when inline, and the referring tree.
    public var key: Key?
    public var root: UInt64
    /// A ref from its fields.
    public init(key: Key?, root: UInt64) { self.key = key; self.root = root }
    /// The keyed form: the root is the key offset.
    public init(key: Key) { self.init(key: key, root: key.offset) }
}

/// A tree block's reference from a parent block (full backref); `key` nil when inline.
public struct SharedBlockRef: Hashable, Sendable {
    /// The keyed item's key (vaddr SHARED_BLOCK_REF parent), nil when inline, and the parent block's vaddr.
    public var key: Key?
    public var parent: UInt64
    /// A ref from its fields.
    public init(key: Key?, parent: UInt64) { self.key = key; self.parent = parent }
    /// The keyed form: the parent is the key offset.
    public init(key: Key) { self.init(key: key, parent: key.offset) }
}
