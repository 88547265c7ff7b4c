#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CBtrfs

/// Every subvolume of a filesystem as `btrfs subvolume list` sees it: the root tree's ROOT_ITEM and
/// ROOT_BACKREF items, plus each one's path inside its parent. Paths are bytes, as on disk.
public struct SubvolumeListing {
    /// One subvolume (btrfs-progs' `struct root_info`).
    public struct Entry {
        /// The subvolume's tree id.
        public var id: UInt64
        /// Key offset of the ROOT_ITEM: the creating transid for snapshots, 0 for plain subvolumes.
        public var rootOffset: UInt64 = 0
        public var flags: UInt64 = 0
        /// The subvolume whose directory holds this one; 0 when unreachable (deleted).
        public var parentID: UInt64 = 0
        public var dirID: UInt64 = 0
        public var generation: UInt64 = 0
        public var otransid: UInt64 = 0
        /// Creation time, seconds.
        public var otime: Int64 = 0
        var uuidWords: (UInt64, UInt64) = (0, 0)
        var parentUUIDWords: (UInt64, UInt64) = (0, 0)
        var receivedUUIDWords: (UInt64, UInt64) = (0, 0)
        /// Name in the parent directory.
        public var name: [UInt8] = []
        /// Path inside the parent subvolume up to and including this one's name; nil until looked up.
        public var pathInParent: [UInt8]? = nil
        /// The listing path (btrfs-progs' full_path), set by `resolvePaths`.
        public var path: [UInt8] = []
        /// btrfs-progs' top_id: the parent's id once resolved, 0 for a deleted subvolume.
        public var topLevel: UInt64 = 0
        public var isDeleted = false

        /// An entry with only its id.
        public init(id: UInt64) { self.id = id }

        /// Its UUID, parent UUID and received UUID, and whether each is set.
        public var uuid: BtrfsUUID { BtrfsUUID(words: uuidWords) }
        public var parentUUID: BtrfsUUID { BtrfsUUID(words: parentUUIDWords) }
        public var receivedUUID: BtrfsUUID { BtrfsUUID(words: receivedUUIDWords) }
        public var hasUUID: Bool { uuidWords != (0, 0) }
        public var hasParentUUID: Bool { parentUUIDWords != (0, 0) }
        public var hasReceivedUUID: Bool { receivedUUIDWords != (0, 0) }
        /// The 16 bytes of a UUID field, in disk order, for fast formatting.
        public func uuidBytes(_ which: UUIDField) -> (UInt64, UInt64) {
            switch which {
            case .uuid: return uuidWords
            case .parent: return parentUUIDWords
            case .received: return receivedUUIDWords
            }
        }
        /// Whether the subvolume is read-only.
        public var isReadOnly: Bool { flags & SubvolumeInfo.readOnlyFlag != 0 }
    }

    /// Which UUID to look subvolumes up by.
    public enum UUIDField { case uuid, parent, received }

    /// Entries in increasing id order.
    public var entries: [Entry]
    /// Index of each id in `entries`.
    var index: [UInt64: Int]
    /// Id of the subvolume the listing was asked from.
    public var topID: UInt64
    /// True when read from the root tree (all subvolumes, deleted ones too); false when gathered by
    /// libbtrfsutil's unprivileged iterator (only those below `topID` the caller may reach).
    public var privileged: Bool
    /// Kernel calls made (searches and lookups), for benchmarks.
    public var ioctlCount: Int
    /// Unprivileged: the path of the subvolume root the walk started at.
    public var rootPath: String? = nil

    /// The entry of tree `id`, nil when there is none.
    public func entry(id: UInt64) -> Entry? { index[id].map { entries[$0] } }

    /// A listing of `entries` (in increasing id order), e.g. made by hand for tests.
    public init(entries: [Entry], topID: UInt64, privileged: Bool) {
        var index: [UInt64: Int] = [:]
        for (i, e) in entries.enumerated() { index[e.id] = i }
        self.init(entries: entries, index: index, topID: topID, privileged: privileged, ioctlCount: 0)
    }

    init(entries: [Entry], index: [UInt64: Int], topID: UInt64, privileged: Bool, ioctlCount: Int,
         rootPath: String? = nil) {
        self.entries = entries
        self.index = index
        self.topID = topID
        self.privileged = privileged
        self.ioctlCount = ioctlCount
        self.rootPath = rootPath
    }
}

extension BtrfsUUID {
    init(words: (UInt64, UInt64)) {
        var bytes = [UInt8](repeating: 0, count: 16)
        withUnsafeBytes(of: words.0) { for i in 0..<8 { bytes[i] = $0[i] } }
        withUnsafeBytes(of: words.1) { for i in 0..<8 { bytes[8 + i] = $0[i] } }
        self.init(bytes: bytes)
    }
}

extension FileSystem {
    /// Lists every subvolume from the root tree in one TREE_SEARCH_V2 pass, then resolves each one's
    /// directory with one INO_LOOKUP per distinct (parent, directory) — none for subvolumes in their
    /// parent's top directory. Needs CAP_SYS_ADMIN (EPERM otherwise).
    public func listSubvolumesFromRootTree(bufferSize: Int = 256 << 10) throws -> SubvolumeListing {
        var entries: [SubvolumeListing.Entry] = []
        var index: [UInt64: Int] = [:]
        // Generous: untouched capacity costs no page faults, and growth copies would.
        entries.reserveCapacity(1 << 15)
        var directories = SubvolumeDirectories(fs: self)
        let searches = try forEachRootTreeEntry(bufferSize: bufferSize) { entry in
            try directories.placeInParent(&entry)
            index[entry.id] = entries.count
            entries.append(entry)
        }
        return SubvolumeListing(entries: entries, index: index, topID: try subvolumeID(),
                                privileged: true, ioctlCount: searches + directories.calls + 1, rootPath: nil)
    }

    /// Lists the subvolumes below the one `self` is the root of, as far as the caller may reach, through
    /// libbtrfsutil's iterator (GET_SUBVOL_ROOTREF, INO_LOOKUP_USER, GET_SUBVOL_INFO): the path for a normal user.
    public func listSubvolumesWithIterator() throws -> SubvolumeListing {
        let top = try subvolumeID()
        let iterator = try SubvolumeIterator(self)
        var entries: [SubvolumeListing.Entry] = []
        while let (relative, info) = try iterator.nextInfo() {
            var e = SubvolumeListing.Entry(id: info.id)
            e.parentID = info.parentID
            e.dirID = info.dirID
            e.flags = info.flags
            e.generation = info.generation
            e.otransid = info.otransid
            e.otime = info.otime.seconds
            // Not in GET_SUBVOL_INFO: a snapshot is recognised by its parent UUID.
            e.rootOffset = info.parentUUID.isZero ? 0 : info.otransid
            e.uuidWords = info.uuid.words
            e.parentUUIDWords = info.parentUUID.words
            e.receivedUUIDWords = info.receivedUUID.words
            e.name = Array(relative.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).last ?? [])
            // Relative to the top: the whole path for children of the top, and for deeper ones the
            // part below their parent is found when paths are resolved.
            e.pathInParent = relative
            entries.append(e)
        }
        entries.sort { $0.id < $1.id }
        var index: [UInt64: Int] = [:]
        for (i, e) in entries.enumerated() { index[e.id] = i }
        return SubvolumeListing(entries: entries, index: index, topID: top, privileged: false, ioctlCount: 0, rootPath: path)
    }
}

struct DirKey: Hashable {
    var tree: UInt64
    var dir: UInt64
}

extension BtrfsUUID {
    var words: (UInt64, UInt64) {
        var w: (UInt64, UInt64) = (0, 0)
        withUnsafeMutableBytes(of: &w) { raw in for (i, b) in bytes.prefix(16).enumerated() { raw[i] = b } }
        return w
    }
}

extension SubvolumeListing {
    /// The unprivileged listing for `path`: the subvolumes below it that the caller can reach, with
    /// paths relative to the subvolume containing `path` (as btrfs-progs prints them). When `path` is a
    /// directory inside a subvolume, the walk starts at that subvolume's root, found through "..".
    public static func unprivileged(path: String) throws -> SubvolumeListing {
        let real = try SystemCall.realPath(path).get { .cannotAccess(path: path, errno: $0) }
        var st = try SystemCall.stat(real).get { .cannotAccess(path: real, errno: $0) }
        let device = st.st_dev
        var root = real
        // Each subvolume has its own device number; its top directory is inode 256.
        var steps = 0
        while st.st_ino != Subvolume.firstFreeID {
            steps += 1
            guard steps < 4096, root != "/" else { throw BtrfsError.notDirectory(path: real) }
            let up = root.lastIndex(of: "/").map { String(root[..<$0]) } ?? "/"
            root = up.isEmpty ? "/" : up
            st = try SystemCall.stat(root).get { .cannotAccess(path: root, errno: $0) }
            guard st.st_dev == device else {
                throw BtrfsError.invalidArgument("'\(real)' is not below the root of its subvolume")
            }
        }
        var listing = try FileSystem(path: root, requireDirectory: true).listSubvolumesWithIterator()
        listing.rootPath = root
        guard root != real else { return listing }
        // Keep only what lies under `path`.
        var prefix = Array(real.pathBytes.dropFirst(root == "/" ? 1 : root.pathByteCount + 1))
        prefix.append(UInt8(ascii: "/"))
        listing.entries.removeAll { !($0.pathInParent ?? []).starts(with: prefix) }
        listing.index = [:]
        for (i, e) in listing.entries.enumerated() { listing.index[e.id] = i }
        return listing
    }
}
