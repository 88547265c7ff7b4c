/// A key type byte (btrfs_tree.h `BTRFS_*_KEY`): an open set, so a type this library
/// does not know still round-trips, as swift-system's `Errno` keeps unknown codes.
public struct ItemType: RawRepresentable, Hashable, Sendable, Comparable {
    /// The type byte of the key.
    public var rawValue: UInt8
    /// The type with this byte, known or not.
    @inlinable public init(rawValue: UInt8) { self.rawValue = rawValue }
    /// The type with this byte, known or not.
    @inlinable public init(_ rawValue: UInt8) { self.rawValue = rawValue }
    /// Numeric order, the order of types within one objectid in a tree.
    @inlinable public static func < (a: ItemType, b: ItemType) -> Bool { a.rawValue < b.rawValue }

    /// The key types of btrfs_tree.h (`BTRFS_INODE_ITEM_KEY` …), named as python-btrfs names them
    /// (`INODE_ITEM_KEY`) in Swift case.
    public static let inodeItem = ItemType(1)
    public static let inodeRef = ItemType(12)
    public static let inodeExtref = ItemType(13)
    public static let xattrItem = ItemType(24)
    public static let verityDescItem = ItemType(36)
    public static let verityMerkleItem = ItemType(37)
    public static let orphanItem = ItemType(48)
    public static let dirLogItem = ItemType(60)
    public static let dirLogIndex = ItemType(72)
    public static let dirItem = ItemType(84)
    public static let dirIndex = ItemType(96)
    public static let extentData = ItemType(108)
    public static let extentCsum = ItemType(128)
    public static let rootItem = ItemType(132)
    public static let rootBackref = ItemType(144)
    public static let rootRef = ItemType(156)
    public static let extentItem = ItemType(168)
    public static let metadataItem = ItemType(169)
    public static let extentOwnerRef = ItemType(172)
    public static let treeBlockRef = ItemType(176)
    public static let extentDataRef = ItemType(178)
    public static let extentRefV0 = ItemType(180)
    public static let sharedBlockRef = ItemType(182)
    public static let sharedDataRef = ItemType(184)
    public static let blockGroupItem = ItemType(192)
    public static let freeSpaceInfo = ItemType(198)
    public static let freeSpaceExtent = ItemType(199)
    public static let freeSpaceBitmap = ItemType(200)
    public static let devExtent = ItemType(204)
    public static let devItem = ItemType(216)
    public static let chunkItem = ItemType(228)
    public static let raidStripe = ItemType(230)
    public static let qgroupStatus = ItemType(240)
    public static let qgroupInfo = ItemType(242)
    public static let qgroupLimit = ItemType(244)
    public static let qgroupRelation = ItemType(246)
    /// Also the legacy BALANCE_ITEM_KEY.
    public static let temporaryItem = ItemType(248)
    /// Also the legacy DEV_STATS_KEY.
    public static let persistentItem = ItemType(249)
    public static let devReplace = ItemType(250)
    public static let uuidKeySubvol = ItemType(251)
    public static let uuidKeyReceivedSubvol = ItemType(252)
    public static let stringItem = ItemType(253)

    /// The name python-btrfs prints for the type (`DIR_ITEM`), nil when it has none.
    public var name: StaticString? {
        switch rawValue {
        case 1: return "INODE_ITEM"
        case 12: return "INODE_REF"
        case 13: return "INODE_EXTREF"
        case 24: return "XATTR_ITEM"
        case 48: return "ORPHAN_ITEM"
        case 60: return "DIR_LOG_ITEM"
        case 72: return "DIR_LOG_INDEX"
        case 84: return "DIR_ITEM"
        case 96: return "DIR_INDEX"
        case 108: return "EXTENT_DATA"
        case 128: return "EXTENT_CSUM"
        case 132: return "ROOT_ITEM"
        case 144: return "ROOT_BACKREF"
        case 156: return "ROOT_REF"
        case 168: return "EXTENT_ITEM"
        case 169: return "METADATA_ITEM"
        case 176: return "TREE_BLOCK_REF"
        case 178: return "EXTENT_DATA_REF"
        case 182: return "SHARED_BLOCK_REF"
        case 184: return "SHARED_DATA_REF"
        case 192: return "BLOCK_GROUP_ITEM"
        case 198: return "FREE_SPACE_INFO"
        case 199: return "FREE_SPACE_EXTENT"
        case 200: return "FREE_SPACE_BITMAP"
        case 204: return "DEV_EXTENT"
        case 216: return "DEV_ITEM"
        case 228: return "CHUNK_ITEM"
        case 240: return "QGROUP_STATUS"
        case 242: return "QGROUP_INFO"
        case 244: return "QGROUP_LIMIT"
        case 246: return "QGROUP_RELATION"
        case 248: return "TEMPORARY_ITEM"
        case 249: return "PERSISTENT_ITEM"
        case 250: return "DEV_REPLACE"
        case 251: return "UUID_KEY_SUBVOL"
        case 252: return "UUID_KEY_RECEIVED_SUBVOL"
        case 253: return "STRING_ITEM"
        default: return nil
        }
    }

    /// The type named `name` as python-btrfs spells it (also BALANCE_ITEM / DEV_STATS are not
    /// accepted: python-btrfs's reverse map holds only the names above).
    public init?(name: String) {
        for raw in 0...255 {
            let t = ItemType(UInt8(raw))
            if let n = t.name, n.description == name { self = t; return }
        }
        return nil
    }
}

/// A key objectid (btrfs_tree.h `BTRFS_*_OBJECTID`), an open set over UInt64.
public struct ObjectID: RawRepresentable, Hashable, Sendable, Comparable {
    /// The objectid.
    public var rawValue: UInt64
    /// The objectid with this value, named or not.
    @inlinable public init(rawValue: UInt64) { self.rawValue = rawValue }
    /// The objectid with this value, named or not.
    @inlinable public init(_ rawValue: UInt64) { self.rawValue = rawValue }
    /// Numeric order (the reserved negative ids sort last, as in a tree).
    @inlinable public static func < (a: ObjectID, b: ObjectID) -> Bool { a.rawValue < b.rawValue }

    /// The tree ids and reserved objectids of btrfs_tree.h (`BTRFS_ROOT_TREE_OBJECTID` …; python-btrfs
    /// `ROOT_TREE_OBJECTID`); negative ones as the kernel's u64 wrap-around; subvolumes use
    /// `firstFree`…`lastFree`.
    public static let rootTree = ObjectID(1)
    public static let extentTree = ObjectID(2)
    public static let chunkTree = ObjectID(3)
    public static let devTree = ObjectID(4)
    public static let fsTree = ObjectID(5)
    public static let rootTreeDir = ObjectID(6)
    public static let csumTree = ObjectID(7)
    public static let quotaTree = ObjectID(8)
    public static let uuidTree = ObjectID(9)
    public static let freeSpaceTree = ObjectID(10)
    public static let blockGroupTree = ObjectID(11)
    public static let raidStripeTree = ObjectID(12)
    public static let devStats = ObjectID(0)
    public static let balance = ObjectID(UInt64(bitPattern: -4))
    public static let orphan = ObjectID(UInt64(bitPattern: -5))
    public static let treeLog = ObjectID(UInt64(bitPattern: -6))
    public static let treeLogFixup = ObjectID(UInt64(bitPattern: -7))
    public static let treeReloc = ObjectID(UInt64(bitPattern: -8))
    public static let dataRelocTree = ObjectID(UInt64(bitPattern: -9))
    public static let extentCsum = ObjectID(UInt64(bitPattern: -10))
    public static let freeSpace = ObjectID(UInt64(bitPattern: -11))
    public static let freeIno = ObjectID(UInt64(bitPattern: -12))
    public static let multiple = ObjectID(UInt64(bitPattern: -255))
    public static let firstFree = ObjectID(256)
    public static let lastFree = ObjectID(UInt64(bitPattern: -256))
    public static let firstChunkTree = ObjectID(256)
    public static let devItems = ObjectID(1)

    /// python-btrfs 15's `_key_objectid_str_map` name, nil for a plain number.
    public var name: StaticString? {
        switch rawValue {
        case 1: return "ROOT_TREE"
        case 2: return "EXTENT_TREE"
        case 3: return "CHUNK_TREE"
        case 4: return "DEV_TREE"
        case 5: return "FS_TREE"
        case 6: return "ROOT_TREE_DIR"
        case 7: return "CSUM_TREE"
        case 8: return "QUOTA_TREE"
        case 9: return "UUID_TREE"
        case 10: return "FREE_SPACE_TREE"
        case 11: return "BLOCK_GROUP_TREE"
        case UInt64(bitPattern: -4): return "BALANCE"
        case UInt64(bitPattern: -5): return "ORPHAN"
        case UInt64(bitPattern: -6): return "TREE_LOG"
        case UInt64(bitPattern: -7): return "TREE_LOG_FIXUP"
        case UInt64(bitPattern: -8): return "TREE_RELOC"
        case UInt64(bitPattern: -9): return "DATA_RELOC_TREE"
        case UInt64(bitPattern: -10): return "EXTENT_CSUM"
        case UInt64(bitPattern: -11): return "FREE_SPACE"
        case UInt64(bitPattern: -12): return "FREE_INO"
        case UInt64(bitPattern: -255): return "MULTIPLE"
        default: return nil
        }
    }

    /// The objectid for a name from python-btrfs's reverse map (plus DEV_ITEMS, DEV_STATS,
    /// FIRST_CHUNK_TREE).
    public init?(name: String) {
        switch name {
        case "DEV_ITEMS": self = .devItems; return
        case "DEV_STATS": self = .devStats; return
        case "FIRST_CHUNK_TREE": self = .firstChunkTree; return
        default: break
        }
        let all: [ObjectID] = [.rootTree, .extentTree, .chunkTree, .devTree, .fsTree, .rootTreeDir,
                               .csumTree, .quotaTree, .uuidTree, .freeSpaceTree, .blockGroupTree, .balance, .orphan,
                               .treeLog, .treeLogFixup, .treeReloc, .dataRelocTree, .extentCsum,
                               .freeSpace, .freeIno, .multiple]
        for id in all where id.name?.description == name { self = id; return }
        return nil
    }
}

extension Key {
    /// The type byte as an `ItemType`.
    @inlinable public var itemType: ItemType { ItemType(type) }
    /// A key from named parts: `Key(.rootTreeDir, .dirItem, 0)`.
    @inlinable public init(_ objectID: ObjectID, _ type: ItemType, _ offset: UInt64) {
        self.init(objectID.rawValue, type.rawValue, offset)
    }
    /// A key from an objectid number and a named type.
    @inlinable public init(_ objectID: UInt64, _ type: ItemType, _ offset: UInt64) {
        self.init(objectID, type.rawValue, offset)
    }
}
