#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CBtrfs

extension FileSystem {
    /// Every subvolume of the root tree, resolved as `listSubvolumesFromRootTree` followed by
    /// `resolvePaths(stopAt:)` would (path, topLevel, isDeleted), handed to `body` one at a time in id
    /// order. Memory stays bounded by the distinct directories holding subvolumes and the distinct
    /// nested parents, not by the number of subvolumes: the entry handed over is reused, so `body`
    /// must copy what it keeps. Needs CAP_SYS_ADMIN (EPERM from the first search, before any entry).
    /// Returns the number of kernel calls made.
    @discardableResult
    public func forEachSubvolume(stopAt: UInt64, bufferSize: Int = 64 << 10,
                                 _ body: (SubvolumeListing.Entry) throws -> Void) throws -> Int {
        var resolver = SubvolumePathResolver(fs: self, stopAt: stopAt)
        let searches = try forEachRootTreeEntry(bufferSize: bufferSize) { entry in
            try resolver.resolve(&entry)
            try body(entry)
        }
        return searches + resolver.calls
    }

    /// The root tree's ROOT_ITEM and ROOT_BACKREF items merged into one entry per subvolume id,
    /// before any path is known, handed to `body` in id order (the entry is reused). The one scan
    /// behind both `forEachSubvolume` and `listSubvolumesFromRootTree`. Returns the searches made.
    func forEachRootTreeEntry(bufferSize: Int,
                              _ body: (inout SubvolumeListing.Entry) throws -> Void) throws -> Int {
        let rootItem: UInt8 = 132, rootBackref: UInt8 = 144
        // Two ranges, not one from the top level to the last id: in compound key order the top
        // level's ROOT_REF items (one per subvolume below it) lie between them, and copying them
        // out only to drop them was a third of the items (100k subvolumes: 30% of the kernel's time
        // is copy_to_user).
        let ranges = [(Key(Subvolume.topLevelID, rootItem, 0), Key(Subvolume.topLevelID, rootBackref, .max)),
                      (Key(Subvolume.firstFreeID, rootItem, 0), Key(Subvolume.lastFreeID, rootBackref, .max))]
        var entry = SubvolumeListing.Entry(id: 0)
        var pending = false
        var calls = 0
        for (min, max) in ranges {
            var search = TreeSearch(tree: 1, min: min, max: max)
            search.bufferSize = bufferSize
            var cursor = self.search(search)
            // Items come in key order, so all of one id's items are together: an entry is complete
            // when the next id starts. Compound key ranges also return other types between the bounds.
            while let item = try cursor.next() {
                let key = item.key
                guard key.type == rootBackref || key.type == rootItem else { continue }
                if !pending || entry.id != key.objectID {
                    if pending { try body(&entry) }
                    entry.reset(id: key.objectID)
                    pending = true
                }
                if key.type == rootBackref {
                    try entry.merge(backref: item, offset: key.offset)
                } else {
                    try entry.merge(rootItem: item.reader(context: "ROOT_ITEM"), offset: key.offset)
                }
            }
            calls += cursor.calls
        }
        if pending { try body(&entry) }
        return calls
    }
}

extension SubvolumeListing.Entry {
    /// Empty again for the next id, keeping the arrays' storage.
    mutating func reset(id: UInt64) {
        self.id = id
        rootOffset = 0; flags = 0; parentID = 0; dirID = 0; generation = 0; otransid = 0; otime = 0
        uuidWords = (0, 0); parentUUIDWords = (0, 0); receivedUUIDWords = (0, 0)
        name.removeAll(keepingCapacity: true)
        pathInParent = nil
        // Not kept: resolve shares the path-in-parent's storage (or a constant) rather than copying.
        path = []
        topLevel = 0
        isDeleted = false
    }

    /// A ROOT_BACKREF's fields; as btrfs-progs' add_root, a field is overwritten only by a non-zero value.
    mutating func merge(backref item: SearchItem, offset: UInt64) throws {
        let ref = try RootRefView(reader: item.reader(), context: "ROOT_BACKREF")
        if ref.name.count != 0 {
            name.removeAll(keepingCapacity: true)
            name.append(contentsOf: ref.name)
        }
        if offset != 0 { parentID = offset }
        if ref.dirid != 0 { dirID = ref.dirid }
    }

    /// A few fields at RootItem's offsets, not a whole RootItem: this runs once per subvolume.
    mutating func merge(rootItem r: ItemReader, offset: UInt64) throws {
        let generation: UInt64 = try r.getInteger(at: RootItem.Offset.generation)
        let flags: UInt64 = try r.getInteger(at: RootItem.Offset.flags)
        var otransid: UInt64 = 0
        var otime: Int64 = 0
        var uuid: (UInt64, UInt64) = (0, 0), parent = uuid, received = uuid
        if r.count >= RootItem.kernelSize {
            otime = try r.getInteger(at: RootItem.Offset.otime)
            otransid = try r.getInteger(at: RootItem.Offset.otransid)
            uuid = try uuidWordsAt(r, RootItem.Offset.uuid)
            parent = try uuidWordsAt(r, RootItem.Offset.parentUUID)
            received = try uuidWordsAt(r, RootItem.Offset.receivedUUID)
        }
        if offset != 0 { rootOffset = offset }
        if flags != 0 { self.flags = flags }
        if generation != 0 { self.generation = generation }
        if otransid != 0 { self.otransid = otransid }
        if self.otransid == 0 && offset != 0 { self.otransid = offset }
        if otime != 0 { self.otime = otime }
        uuidWords = uuid
        parentUUIDWords = parent
        receivedUUIDWords = received
    }
}

func uuidWordsAt(_ r: ItemReader, _ at: Int) throws -> (UInt64, UInt64) {
    // Raw bytes in disk order: loaded native, stored back native, so the bytes round-trip.
    (UInt64(littleEndian: try r.getInteger(at: at)), UInt64(littleEndian: try r.getInteger(at: at + 8)))
}

/// The listing path of one subvolume at a time, as `SubvolumeListing.resolvePaths` builds it from a whole
/// listing: a subvolume's directory inside its parent by one INO_LOOKUP per distinct (parent, directory),
/// and the path of a parent other than the stop or the top level from that parent's own ROOT_BACKREF,
/// searched once per distinct parent. Both caches grow with directories and parents, not subvolumes.
struct SubvolumePathResolver {
    let fs: FileSystem
    let stopAt: UInt64
    private var directories: SubvolumeDirectories
    private var searches = 0
    /// A nested parent's (parentID, pathInParent), nil when it has no reachable backref (deleted).
    private var parents: [UInt64: (parentID: UInt64, part: [UInt8])?] = [:]
    /// Kernel calls made: lookups and the parents' searches.
    var calls: Int { directories.calls + searches }

    init(fs: FileSystem, stopAt: UInt64) {
        self.fs = fs
        self.stopAt = stopAt
        directories = SubvolumeDirectories(fs: fs)
    }

    /// Sets pathInParent (or parentID 0 when the directory is gone), path, topLevel and isDeleted.
    mutating func resolve(_ e: inout SubvolumeListing.Entry) throws {
        try directories.placeInParent(&e)
        let r = try SubvolumeListing.resolvedPath(id: e.id, parentID: e.parentID, pathInParent: e.pathInParent,
                                                  stopAt: stopAt) { try parent($0) }
        e.path = r.path
        e.topLevel = r.topLevel
        e.isDeleted = r.isDeleted
    }

    /// A parent subvolume's own place, from its ROOT_BACKREF items, once per parent.
    private mutating func parent(_ id: UInt64) throws -> (parentID: UInt64, part: [UInt8])? {
        if let cached = parents[id] { return cached }
        let rootBackref: UInt8 = 144
        var cursor = fs.search(TreeSearch(tree: 1, min: Key(id, rootBackref, 0), max: Key(id, rootBackref, .max)))
        var p = SubvolumeListing.Entry(id: id)
        while let item = try cursor.next() {
            if item.key.type == rootBackref { try p.merge(backref: item, offset: item.key.offset) }
        }
        searches += cursor.calls
        try directories.placeInParent(&p)
        var found: (parentID: UInt64, part: [UInt8])? = nil
        if p.parentID != 0, let part = p.pathInParent { found = (p.parentID, part) }
        parents[id] = .some(found)
        return found
    }
}

/// Where each subvolume sits inside its parent: its name below the parent's top directory, or the
/// directory's path (one INO_LOOKUP per distinct (parent, directory), cached) followed by its name.
struct SubvolumeDirectories {
    let fs: FileSystem
    private(set) var calls = 0
    /// Directory path inside a tree, ending in '/' when not empty; nil when the directory is gone.
    private var paths: [DirKey: [UInt8]?] = [:]
    /// The last directory asked for: subvolumes made one after another mostly share one, and
    /// hashing the key per subvolume was a few percent of a listing's user time.
    private var last: (key: DirKey, path: [UInt8]?)?
    private var lookup = btrfs_ioctl_ino_lookup_args()

    init(fs: FileSystem) { self.fs = fs }

    /// Sets `e.pathInParent`, or `e.parentID` to 0 when its directory is gone (btrfs-progs then
    /// treats the subvolume as deleted). Nothing to do for an entry without a parent.
    mutating func placeInParent(_ e: inout SubvolumeListing.Entry) throws {
        guard e.parentID != 0 else { return }
        if e.dirID == Subvolume.firstFreeID {
            e.pathInParent = e.name
        } else if let prefix = try directory(tree: e.parentID, dir: e.dirID) {
            // The kernel ends a non-empty directory path with '/'.
            e.pathInParent = prefix + e.name
        } else {
            e.parentID = 0
        }
    }

    /// INO_LOOKUP of a directory, once per (tree, directory).
    private mutating func directory(tree: UInt64, dir: UInt64) throws -> [UInt8]? {
        let key = DirKey(tree: tree, dir: dir)
        if let last, last.key == key { return last.path }
        if let cached = paths[key] {
            last = (key, cached)
            return cached
        }
        lookup.treeid = tree
        lookup.objectid = dir
        calls += 1
        let e = fs.descriptor.ioctlErrno(SB_IOC_INO_LOOKUP, &lookup)
        let prefix: [UInt8]?
        if e == ENOENT {
            prefix = nil
        } else if e != 0 {
            throw BtrfsError.system(errno: e, call: "failed to lookup path for root \(tree)", path: fs.path)
        } else {
            prefix = withUnsafeBytes(of: lookup.name) { raw in
                Array(raw.prefix(raw.firstIndex(of: 0) ?? raw.count))
            }
        }
        paths[key] = prefix
        last = (key, prefix)
        return prefix
    }
}
