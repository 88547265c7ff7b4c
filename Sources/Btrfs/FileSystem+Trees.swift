/// python-btrfs's FileSystem helpers: typed, lazy walks over the trees. Every cursor fetches
/// items in batches through one reused search buffer; nothing loads a tree whole.

/// Typed items of a tree search, fetched in batches: `for x in cursor { let x = try x.get() }`,
/// or `while let x = try cursor.next()`.
public struct ItemCursor<Value>: ThrowingCursor {
    var inner: TreeSearchCursor
    let transform: (SearchItem) throws -> Value?

    init(_ inner: TreeSearchCursor, _ transform: @escaping (SearchItem) throws -> Value?) {
        self.inner = inner
        self.transform = transform
    }

    /// The next value; items the transform skips (nil) are passed over.
    public mutating func next() throws -> Value? {
        while let item = try inner.next() {
            if let e = try transform(item) { return e }
        }
        return nil
    }
}

extension FileSystem {
    /// Checksum size of the filesystem (4 for crc32c), for EXTENT_CSUM items.
    public func csumSize() -> Int {
        guard let info = try? fsInfo(), info.flags & FsInfo.flagCsumInfo != 0, info.csumSize > 0 else { return 4 }
        return Int(info.csumSize)
    }

    /// Every item of `tree` from `min` to `max`, parsed by type (python-btrfs `search`).
    public func items(tree: UInt64, min: Key = .min, max: Key = .max) -> ItemCursor<Item> {
        let size = csumSize()
        return ItemCursor(search(TreeSearch(tree: tree, min: min, max: max))) { try $0.parse(csumSize: size) }
    }

    /// Device items of the chunk tree.
    public func devices(minDevid: UInt64 = 1, maxDevid: UInt64 = .max) -> ItemCursor<DevItem> {
        let s = TreeSearch(tree: ObjectID.chunkTree.rawValue, min: Key(.devItems, .devItem, minDevid),
                           max: Key(.devItems, .devItem, maxDevid))
        return ItemCursor(search(s)) { try DevItem(key: $0.key, reader: $0.reader()) }
    }

    /// Chunks whose virtual address lies in [minVaddr, maxVaddr].
    public func chunks(minVaddr: UInt64 = 0, maxVaddr: UInt64 = .max, limit: Int? = nil) -> ItemCursor<Chunk> {
        ItemCursor(search(chunkSearch(minVaddr: minVaddr, maxVaddr: maxVaddr, limit: limit))) {
            try Chunk(key: $0.key, reader: $0.reader())
        }
    }

    func chunkSearch(minVaddr: UInt64 = 0, maxVaddr: UInt64 = .max, limit: Int? = nil) -> TreeSearch {
        TreeSearch(tree: ObjectID.chunkTree.rawValue, min: Key(.firstChunkTree, .chunkItem, minVaddr),
                   max: Key(.firstChunkTree, .chunkItem, maxVaddr), limit: limit)
    }

    /// Device extents of devices minDevid...maxDevid.
    public func devExtents(minDevid: UInt64 = 1, maxDevid: UInt64 = .max) -> ItemCursor<DevExtent> {
        let s = TreeSearch(tree: ObjectID.devTree.rawValue, min: Key(minDevid, 0, 0), max: Key(maxDevid, 255, .max))
        // The dev tree also holds dev stats and replace items in that range; python-btrfs would
        // misparse them, so only DEV_EXTENT items are yielded here.
        return ItemCursor(search(s)) { $0.key.itemType == .devExtent ? try DevExtent(key: $0.key, reader: $0.reader()) : nil }
    }

    /// The block group starting at `vaddr` (its length, if known, makes the search exact).
    public func blockGroup(vaddr: UInt64, length: UInt64? = nil) throws -> BlockGroupItem {
        try blockGroup(in: blockGroupTree(), vaddr: vaddr, length: length)
    }

    private func blockGroup(in tree: UInt64, vaddr: UInt64, length: UInt64?) throws -> BlockGroupItem {
        // One small item: a small buffer (the cursor grows it if ever needed).
        let s = TreeSearch(tree: tree, min: Key(vaddr, .blockGroupItem, length ?? 0),
                           max: Key(vaddr, .blockGroupItem, length ?? .max), limit: 1, bufferSize: 4096)
        var c = search(s)
        if let item = try c.next() { return try BlockGroupItem(key: item.key, reader: item.reader()) }
        throw BtrfsError.itemNotFound("No block group at vaddr \(vaddr)")
    }

    /// Where block group items live: the block group tree when the filesystem has one (python-btrfs
    /// 15 asks once, when a FileSystem is made; here on first use).
    func blockGroupTree() -> UInt64 {
        let separate: Bool
        if let known = cachedBlockGroupTree {
            separate = known
        } else {
            separate = (try? features()).map { $0.compatRO & FeatureFlags.compatROBlockGroupTree != 0 } ?? false
            cachedBlockGroupTree = separate
        }
        return separate ? ObjectID.blockGroupTree.rawValue : ObjectID.extentTree.rawValue
    }

    /// Block group items whose virtual address lies in [minVaddr, maxVaddr] (python-btrfs 15
    /// `block_groups`): straight from the block group tree when the filesystem has one, else the
    /// block group of each chunk, looked up in the extent tree (one that vanished meanwhile is
    /// skipped). `limit` counts the block group tree's items, or the chunks.
    public func blockGroups(minVaddr: UInt64 = 0, maxVaddr: UInt64 = .max, limit: Int? = nil) -> ItemCursor<BlockGroupItem> {
        let tree = blockGroupTree()  // once, not per chunk
        if tree == ObjectID.blockGroupTree.rawValue {
            let s = TreeSearch(tree: tree, min: Key(minVaddr, .blockGroupItem, 0), max: Key(maxVaddr, .blockGroupItem, .max),
                               limit: limit)
            return ItemCursor(search(s)) {
                $0.key.itemType == .blockGroupItem ? try BlockGroupItem(key: $0.key, reader: $0.reader()) : nil
            }
        }
        return ItemCursor(search(chunkSearch(minVaddr: minVaddr, maxVaddr: maxVaddr, limit: limit))) { item in
            let chunk = try Chunk(key: item.key, reader: item.reader())
            do { return try self.blockGroup(in: tree, vaddr: chunk.vaddr, length: chunk.length) } catch BtrfsError.itemNotFound {
                return nil
            }
        }
    }

    /// Extent and metadata items with, if asked, their backrefs: inline ones and the keyed
    /// ones that follow the item are gathered into it (python-btrfs `extents`).
    public func extents(minVaddr: UInt64 = 0, maxVaddr: UInt64 = .max,
                        loadDataRefs: Bool = false, loadMetadataRefs: Bool = false) -> ExtentCursor {
        let s = TreeSearch(tree: ObjectID.extentTree.rawValue, min: Key(minVaddr, 0, 0), max: Key(maxVaddr, 255, .max))
        return ExtentCursor(inner: search(s), loadDataRefs: loadDataRefs, loadMetadataRefs: loadMetadataRefs)
    }

    /// The top level subvolume (tree 5).
    public func topLevel() throws -> RootItem {
        var c = subvolumes(minID: ObjectID.fsTree.rawValue, maxID: ObjectID.fsTree.rawValue)
        guard let root = try c.next() else { throw BtrfsError.itemNotFound("No root item for tree 5") }
        return root
    }

    /// Root items of subvolumes minID...maxID.
    public func subvolumes(minID: UInt64 = ObjectID.firstFree.rawValue,
                           maxID: UInt64 = ObjectID.lastFree.rawValue) -> ItemCursor<RootItem> {
        let (minType, maxType): (UInt8, UInt8) = minID == maxID ? (ItemType.rootItem.rawValue, ItemType.rootItem.rawValue) : (0, 255)
        let s = TreeSearch(tree: ObjectID.rootTree.rawValue, min: Key(minID, minType, 0), max: Key(maxID, maxType, .max))
        return ItemCursor(search(s)) { $0.key.itemType == .rootItem ? try RootItem(key: $0.key, reader: $0.reader()) : nil }
    }

    /// Tree ids of deleted subvolumes waiting for cleanup (python-btrfs `orphan_subvol_ids`).
    public func orphanSubvolIDs() throws -> [UInt64] { try orphanSubvolumeIDs() }

    /// Free space from the free space tree, bitmaps unpacked (python-btrfs `free_space_extents`).
    public func freeSpaceExtents(minVaddr: UInt64 = 0, maxVaddr: UInt64 = .max) throws -> FreeSpaceCursor {
        let info = try fsInfo()
        let s = TreeSearch(tree: ObjectID.freeSpaceTree.rawValue, min: Key(minVaddr, 0, 0), max: Key(maxVaddr, 255, .max))
        return FreeSpaceCursor(inner: search(s), sectorSize: UInt64(info.sectorsize))
    }

    /// Whether data and metadata share block groups (INCOMPAT_MIXED_GROUPS).
    public func mixedGroups() throws -> Bool {
        try features().incompat & FeatureFlags.incompatMixedGroups != 0
    }

    /// The inode item of `inum` in `tree`, nil when there is none.
    public func inode(tree: UInt64, inum: UInt64) throws -> InodeItem? {
        let k = Key(inum, .inodeItem, 0)
        var c = search(TreeSearch(tree: tree, min: k, max: k, limit: 1))
        guard let item = try c.next() else { return nil }
        return try InodeItem(key: item.key, reader: item.reader())
    }

    /// Every item keyed under inode `inum` in `tree` (inode, refs, xattrs, dir entries, extents).
    public func inodeItems(tree: UInt64, inum: UInt64) -> ItemCursor<Item> {
        items(tree: tree, min: Key(inum, 0, 0), max: Key(inum, 255, .max))
    }

    /// The entry named `name` in directory `dir` of `tree`, found through its name hash.
    public func lookup(tree: UInt64, dir: UInt64, name: [UInt8]) throws -> DirItem? {
        let k = Key(dir, .dirItem, UInt64(Crc32c.nameHash(name)))
        for item in search(TreeSearch(tree: tree, min: k, max: k)) {
            let item = try item.get()
            for entry in try DirItemList(key: item.key, reader: item.reader()).items where entry.name == name {
                return entry
            }
        }
        return nil
    }

    /// A directory's entries in creation order (its DIR_INDEX items).
    public func directoryEntries(tree: UInt64, dir: UInt64) -> ItemCursor<DirIndex> {
        let s = TreeSearch(tree: tree, min: Key(dir, .dirIndex, 0), max: Key(dir, .dirIndex, .max))
        return ItemCursor(search(s)) { try DirIndex(key: $0.key, reader: $0.reader()) }
    }
}

/// Extent or metadata item, as `FileSystem.extents` yields them.
public enum ExtentRecord: Hashable, Sendable {
    case extent(ExtentItem)
    case metadata(MetaDataItem)

    /// The record's key.
    public var key: Key {
        switch self { case .extent(let e): e.key; case .metadata(let m): m.key }
    }
}

/// Walks the extent tree yielding each extent once its keyed backrefs have been read.
public struct ExtentCursor: ThrowingCursor {
    var inner: TreeSearchCursor
    let loadDataRefs: Bool
    let loadMetadataRefs: Bool
    var pending: ExtentRecord?

    /// The next extent or metadata item, its keyed backrefs gathered; nil at the end.
    public mutating func next() throws -> ExtentRecord? {
        while let item = try inner.next() {
            let key = item.key
            switch key.itemType {
            case .extentItem:
                let e = ExtentRecord.extent(try ExtentItem(key: key, reader: item.reader(), loadDataRefs: loadDataRefs,
                                                           loadMetadataRefs: loadMetadataRefs))
                if let done = pending { pending = e; return done }
                pending = e
            case .metadataItem:
                let m = ExtentRecord.metadata(try MetaDataItem(key: key, reader: item.reader(), loadRefs: loadMetadataRefs))
                if let done = pending { pending = m; return done }
                pending = m
            case .extentDataRef where loadDataRefs:
                try attach(.extentData(try ExtentDataRef(key: key, reader: item.reader())), key)
            case .sharedDataRef where loadDataRefs:
                try attach(.sharedData(try SharedDataRef(key: key, reader: item.reader())), key)
            case .treeBlockRef where loadMetadataRefs:
                try attach(.treeBlock(TreeBlockRef(key: key)), key)
            case .sharedBlockRef where loadMetadataRefs:
                try attach(.sharedBlock(SharedBlockRef(key: key)), key)
            case .extentDataRef, .sharedDataRef, .treeBlockRef, .sharedBlockRef, .blockGroupItem:
                continue
            default:
                throw BtrfsError.malformed(what: "unexpected item \(key) in the extent tree")
            }
        }
        defer { pending = nil }
        return pending
    }

    /// Files a keyed backref under the extent before it (a data ref only under a data extent).
    mutating func attach(_ ref: InlineRef, _ key: Key) throws {
        switch pending {
        case .extent(var e)?:
            e.append(ref)
            pending = .extent(e)
        case .metadata(var m)?:
            guard m.append(ref) else { throw orphanRef(key) }
            pending = .metadata(m)
        case nil: throw orphanRef(key)
        }
    }

    func orphanRef(_ key: Key) -> BtrfsError { .malformed(what: "backref \(key) without its extent item") }
}

/// Free space extents of the free space tree, bitmaps unpacked on the way.
public struct FreeSpaceCursor: ThrowingCursor {
    var inner: TreeSearchCursor
    let sectorSize: UInt64
    var queued: [FreeSpaceExtent] = []
    var queuedIndex = 0

    /// The next free range; nil at the end.
    public mutating func next() throws -> FreeSpaceExtent? {
        while true {
            if queuedIndex < queued.count {
                defer { queuedIndex += 1 }
                return queued[queuedIndex]
            }
            guard let item = try inner.next() else { return nil }
            switch item.key.itemType {
            case .freeSpaceExtent: return FreeSpaceExtent(key: item.key)
            case .freeSpaceBitmap:
                queued.removeAll(keepingCapacity: true)
                queuedIndex = 0
                FreeSpaceBitmap.forEachRange(item.data, start: item.key.objectID, sectorSize: sectorSize) { queued.append($0) }
            case .freeSpaceInfo: continue
            default: throw BtrfsError.malformed(what: "unexpected item \(item.key) in the free space tree")
            }
        }
    }
}
