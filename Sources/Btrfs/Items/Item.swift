/// Any tree item, parsed by its key type as python-btrfs's `classify` does; a type this library
/// does not know (or bytes it cannot place) stays `.raw`, never an error.
public enum Item: Hashable, Sendable {
    case inode(InodeItem)
    case inodeRef(InodeRefList)
    case inodeExtref(InodeExtrefList)
    /// DIR_ITEM or XATTR_ITEM.
    case dirItem(DirItemList)
    case dirIndex(DirIndex)
    case fileExtent(FileExtentItem)
    case root(RootItem)
    /// ROOT_REF or ROOT_BACKREF.
    case rootRef(RootRef)
    case orphan(OrphanItem)
    case extent(ExtentItem)
    case metadata(MetaDataItem)
    case treeBlockRef(TreeBlockRef)
    case sharedBlockRef(SharedBlockRef)
    case extentDataRef(ExtentDataRef)
    case sharedDataRef(SharedDataRef)
    case blockGroup(BlockGroupItem)
    case freeSpaceInfo(FreeSpaceInfo)
    case freeSpaceExtent(Key)
    case freeSpaceBitmap(FreeSpaceBitmap)
    case devExtent(DevExtent)
    case devItem(DevItem)
    case chunk(Chunk)
    case extentCsum(ExtentCsumItem)
    case uuid(UUIDTreeItem)
    case qgroupStatus(QgroupStatusItem)
    case qgroupInfo(QgroupInfoItem)
    case qgroupLimit(QgroupLimitItem)
    case qgroupRelation(QgroupRelationItem)
    case devStats(DevStatsItem)
    case balance(BalanceItem)
    case devReplace(DevReplaceItem)
    case raidStripe(RaidStripeItem)
    case verity(VerityItem)
    case dirLog(DirLogItem)
    /// STRING_ITEM bytes.
    case string(RawItem)
    /// A type nobody parses (python-btrfs's UnknownItem).
    case raw(RawItem)

    /// Parses `reader`'s bytes as the item `key` names. `csumSize` sizes EXTENT_CSUM items
    /// (FsInfo.csumSize). Truncated or garbled bytes throw.
    public init(key: Key, reader: ItemReader, csumSize: Int = 4) throws {
        switch key.itemType {
        case .inodeItem: self = .inode(try InodeItem(key: key, reader: reader))
        case .inodeRef: self = .inodeRef(try InodeRefList(key: key, reader: reader))
        case .inodeExtref: self = .inodeExtref(try InodeExtrefList(key: key, reader: reader))
        case .xattrItem, .dirItem: self = .dirItem(try DirItemList(key: key, reader: reader))
        case .orphanItem: self = .orphan(OrphanItem(key: key))
        case .dirLogItem, .dirLogIndex: self = .dirLog(try DirLogItem(key: key, reader: reader))
        case .dirIndex: self = .dirIndex(try DirIndex(key: key, reader: reader))
        case .extentData: self = .fileExtent(try FileExtentItem(key: key, reader: reader))
        case .extentCsum: self = .extentCsum(try ExtentCsumItem(key: key, reader: reader, csumSize: csumSize))
        case .rootItem: self = .root(try RootItem(key: key, reader: reader))
        case .rootRef, .rootBackref: self = .rootRef(try RootRef(key: key, reader: reader))
        case .extentItem: self = .extent(try ExtentItem(key: key, reader: reader))
        case .metadataItem: self = .metadata(try MetaDataItem(key: key, reader: reader))
        case .treeBlockRef: self = .treeBlockRef(TreeBlockRef(key: key))
        case .extentDataRef: self = .extentDataRef(try ExtentDataRef(key: key, reader: reader))
        case .sharedBlockRef: self = .sharedBlockRef(SharedBlockRef(key: key))
        case .sharedDataRef: self = .sharedDataRef(try SharedDataRef(key: key, reader: reader))
        case .blockGroupItem: self = .blockGroup(try BlockGroupItem(key: key, reader: reader))
        case .freeSpaceInfo: self = .freeSpaceInfo(try FreeSpaceInfo(key: key, reader: reader))
        case .freeSpaceExtent: self = .freeSpaceExtent(key)
        case .freeSpaceBitmap: self = .freeSpaceBitmap(try FreeSpaceBitmap(key: key, reader: reader))
        case .devExtent: self = .devExtent(try DevExtent(key: key, reader: reader))
        case .devItem: self = .devItem(try DevItem(key: key, reader: reader))
        case .chunkItem: self = .chunk(try Chunk(key: key, reader: reader))
        case .raidStripe: self = .raidStripe(try RaidStripeItem(key: key, reader: reader))
        case .qgroupStatus: self = .qgroupStatus(try QgroupStatusItem(key: key, reader: reader))
        case .qgroupInfo: self = .qgroupInfo(try QgroupInfoItem(key: key, reader: reader))
        case .qgroupLimit: self = .qgroupLimit(try QgroupLimitItem(key: key, reader: reader))
        case .qgroupRelation: self = .qgroupRelation(QgroupRelationItem(key: key))
        case .temporaryItem where key.objectID == ObjectID.balance.rawValue:
            self = .balance(try BalanceItem(key: key, reader: reader))
        case .persistentItem where key.objectID == ObjectID.devStats.rawValue:
            self = .devStats(try DevStatsItem(key: key, reader: reader))
        case .devReplace: self = .devReplace(try DevReplaceItem(key: key, reader: reader))
        case .uuidKeySubvol, .uuidKeyReceivedSubvol: self = .uuid(try UUIDTreeItem(key: key, reader: reader))
        case .verityDescItem, .verityMerkleItem: self = .verity(try VerityItem(key: key, reader: reader))
        case .stringItem: self = .string(RawItem(key: key, bytes: try reader.getBytes(at: 0, length: reader.count)))
        default: self = .raw(RawItem(key: key, bytes: try reader.getBytes(at: 0, length: reader.count)))
        }
    }

    /// The item's key.
    public var key: Key {
        switch self {
        case .inode(let i): return i.key ?? Key.min
        case .inodeRef(let i): return i.key
        case .inodeExtref(let i): return i.key
        case .dirItem(let i): return i.key
        case .dirIndex(let i): return i.key
        case .fileExtent(let i): return i.key
        case .root(let i): return i.key
        case .rootRef(let i): return i.key
        case .orphan(let i): return i.key
        case .extent(let i): return i.key
        case .metadata(let i): return i.key
        case .treeBlockRef(let i): return i.key ?? Key.min
        case .sharedBlockRef(let i): return i.key ?? Key.min
        case .extentDataRef(let i): return i.key ?? Key.min
        case .sharedDataRef(let i): return i.key ?? Key.min
        case .blockGroup(let i): return i.key
        case .freeSpaceInfo(let i): return i.key
        case .freeSpaceExtent(let k): return k
        case .freeSpaceBitmap(let i): return i.key
        case .devExtent(let i): return i.key
        case .devItem(let i): return i.key
        case .chunk(let i): return i.key
        case .extentCsum(let i): return i.key
        case .uuid(let i): return i.key
        case .qgroupStatus(let i): return i.key
        case .qgroupInfo(let i): return i.key
        case .qgroupLimit(let i): return i.key
        case .qgroupRelation(let i): return i.key
        case .devStats(let i): return i.key
        case .balance(let i): return i.key
        case .devReplace(let i): return i.key
        case .raidStripe(let i): return i.key
        case .verity(let i): return i.key
        case .dirLog(let i): return i.key
        case .string(let i): return i.key
        case .raw(let i): return i.key
        }
    }
}

extension SearchItem {
    /// The item parsed by its key type.
    public func parse(csumSize: Int = 4) throws -> Item {
        try Item(key: key, reader: reader(), csumSize: csumSize)
    }
}

/// An item kept as its bytes: STRING_ITEM, or a type this library does not know.
public struct RawItem: Hashable, Sendable {
    /// The item's key and its bytes as read.
    public var key: Key
    public var bytes: [UInt8]
    /// An item from its key and bytes.
    public init(key: Key, bytes: [UInt8]) { self.key = key; self.bytes = bytes }
}
