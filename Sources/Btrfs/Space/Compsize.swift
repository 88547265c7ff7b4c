#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// compsize's totals: per compression type (the byte stored in the item, 0…255, and 256 for
/// preallocated extents) the bytes on disk, uncompressed and referenced, and the counts of its
/// "Processed …" line.
public struct CompsizeTotals: Sendable, Equatable {
    /// Index of prealloc extents in the per-type arrays (after the 256 compression types), and the arrays'
    /// length.
    public static let preallocType = 256
    public static let typeCount = 257
    /// Bytes per compression type: on disk, uncompressed, referenced by files.
    public var disk = [UInt64](repeating: 0, count: CompsizeTotals.typeCount)
    public var uncompressed = [UInt64](repeating: 0, count: CompsizeTotals.typeCount)
    public var referenced = [UInt64](repeating: 0, count: CompsizeTotals.typeCount)
    /// Counts of files, extents, references and inline extents.
    public var files: UInt64 = 0
    public var extents: UInt64 = 0
    public var refs: UInt64 = 0
    public var inline: UInt64 = 0

    /// All totals zero.
    public init() {}

    /// compsize's name of a type: none, zlib, lzo, zstd, prealloc, else `?N`.
    public static func typeName(_ type: Int) -> String {
        if type == preallocType { return "prealloc" }
        if let byte = UInt8(exactly: type), let name = CompressionType.knownName(byte) { return name }
        return "?\(type)"
    }
}

/// A condition on which compsize stops at once (its `die`): the message, without a newline.
public struct CompsizeError: Error, CustomStringConvertible, Sendable {
    /// What went wrong, as compsize words it.
    public var message: String
    /// The message.
    public var description: String { message }
}

/// compsize 1.5 over a walk of paths: it visits what compsize visits, in its order (readdir
/// order, directories entered where they are met), but asks the kernel per directory, not per
/// file. The walk records (subvolume, inode) per regular file; `totals()` then reads the file
/// extent items of all of them in bulk (FileExtentIndex) and replays compsize's accounting in
/// the walk's order, so the first reference of an extent decides its type exactly as there.
public final class Compsize {
    let oneFileSystem: Bool
    let warn: (String) -> Void
    let subvolumes = SubvolumeMap()
    /// Each regular file met: index into `subvolumes.trees` and inode number.
    var visits: [(tree: Int32, ino: UInt64)] = []
    /// A path per tree, for messages about its search.
    var treePaths: [Int: String] = [:]
    var path: [UInt8] = []
    /// Arguments that do not exist (compsize passes over them in silence).
    public private(set) var missing: [String] = []

    /// A walker; `oneFileSystem` stays on one filesystem (compsize -x), `warning` receives compsize's
    /// warnings.
    public init(oneFileSystem: Bool, warning: @escaping (String) -> Void) {
        self.oneFileSystem = oneFileSystem
        self.warn = warning
    }

    /// Walks one argument (do_recursive_search with no parent device).
    public func add(path argument: String) throws {
        path = PathBytes.encode(argument)
        try visit(argument.withPathCString { Compsize.openEntry(AT_FDCWD, $0) }, parentDevice: nil, top: argument)
    }

    /// compsize's open of a path met: not following a symbolic link. The errno on failure.
    static func openEntry(_ dirfd: CInt, _ name: UnsafePointer<CChar>) -> Result<CInt, SystemError> {
        SystemCall.value { openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK | O_CLOEXEC) }
    }

    var pathString: String { String(pathBytes: path) }

    /// What compsize does with a path it has just opened (or failed to).
    func visit(_ opened: Result<CInt, SystemError>, parentDevice: UInt64?, top: String? = nil) throws {
        let fd: CInt
        switch opened {
        case .success(let descriptor): fd = descriptor
        case .failure(let failure):
            let e = failure.rawValue
            switch e {
            case ELOOP, ENXIO, ENODEV, ENOMEDIUM:
                return
            case ENOENT:
                if let top { missing.append(top) }
                return
            case EACCES:
                warn("\(pathString): \(errnoText(e))")
                return
            default:
                throw CompsizeError(message: "open(\"\(pathString)\"): \(errnoText(e))")
            }
        }
        let st: stat
        switch SystemCall.fstat(fd) {
        case .success(let answer): st = answer
        case .failure(let e):
            close(fd)
            throw CompsizeError(message: "stat(\"\(pathString)\"): \(errnoText(e.rawValue))")
        }
        let device = UInt64(st.st_dev)
        if oneFileSystem, let parentDevice, parentDevice != device {
            close(fd)
            return
        }
        switch st.st_mode & S_IFMT {
        case S_IFDIR:
            let tree = try subvolumes.tree(owning: fd, device: device, inode: UInt64(st.st_ino), path: pathString)
            let stream: DirectoryStream
            switch DirectoryStream.adopting(fd) {
            case .success(let opened): stream = opened
            case .failure(let e):
                close(fd)
                throw CompsizeError(message: "opendir(\"\(pathString)\"): \(errnoText(e.rawValue))")
            }
            defer { stream.close() }
            let base = path.count
            let separator = path.last != UInt8(ascii: "/")
            _ = try stream.forEach { name, type, ino in
                guard type == DT_DIR || type == DT_REG || type == DT_UNKNOWN else { return }
                path.removeSubrange(base...)
                if separator { path.append(UInt8(ascii: "/")) }
                path.append(contentsOf: name)
                if type == DT_REG {
                    // Not opened: d_ino and the directory's subvolume are what fstat would say.
                    try file(tree: tree, ino: ino)
                } else {
                    // d_name is NUL-terminated where the name ends.
                    let child = name.withMemoryRebound(to: CChar.self) { chars in
                        chars.baseAddress.map { Compsize.openEntry(stream.fd, $0) } ?? .failure(SystemError(ENOENT))
                    }
                    try visit(child, parentDevice: device)
                }
            }
            path.removeSubrange(base...)
        case S_IFREG:
            let tree = try subvolumes.tree(owning: fd, device: device, inode: UInt64(st.st_ino), path: pathString)
            close(fd)
            try file(tree: tree, ino: UInt64(st.st_ino))
        default:
            close(fd)
        }
    }

    func file(tree: Int?, ino: UInt64) throws {
        guard let tree else {
            throw CompsizeError(message: "\(pathString): Not btrfs (or SEARCH_V2 unsupported).")
        }
        if treePaths[tree] == nil { treePaths[tree] = pathString }
        visits.append((Int32(truncatingIfNeeded: tree), ino))
    }

    /// Reads the file extent items of every file met and adds them up as compsize does.
    public func totals() throws -> CompsizeTotals {
        var totals = CompsizeTotals()
        let indexes = try loadIndexes()
        var seen = PairSet(capacity: visits.count)
        for (tree, ino) in visits {
            totals.files &+= 1
            let index = indexes[Int(tree)]
            guard let position = index.position(of: ino) else { continue }
            for record in index.extents(at: position) {
                try Compsize.add(record, to: &totals, seen: &seen) { "\(self.treePaths[Int(tree)] ?? "") (inode \(ino))" }
            }
        }
        return totals
    }

    func loadIndexes() throws -> [FileExtentIndex] {
        var inodes = [[UInt64]](repeating: [], count: subvolumes.trees.count)
        for (tree, ino) in visits { inodes[Int(tree)].append(ino) }
        return try subvolumes.trees.enumerated().map { i, tree in
            var list = inodes[i]
            list.sort()
            list = list.uniqued()
            do {
                return try FileExtentIndex(subvolumes.filesystems[tree.filesystem], tree: tree.subvolume, inodes: list)
            } catch let error as BtrfsError {
                let where_ = treePaths[i] ?? subvolumes.filesystems[tree.filesystem].path
                if case .notBtrfs = error {
                    throw CompsizeError(message: "\(where_): Not btrfs (or SEARCH_V2 unsupported).")
                }
                throw CompsizeError(message: "\(where_): SEARCH_V2: \(errnoText(error.errno ?? EIO))")
            }
        }
    }

    /// parse_file_extent_item: one item's share of the totals.
    static func add(_ record: FileExtentRecord, to totals: inout CompsizeTotals, seen: inout PairSet,
                    path: () -> String) throws {
        if record.isInline {
            let type = Int(record.compression)
            totals.disk[type] &+= UInt64(record.itemSize) &- UInt64(FileExtentItem.headerSize)
            totals.uncompressed[type] &+= record.ramBytes
            totals.referenced[type] &+= record.ramBytes
            totals.inline &+= 1
            return
        }
        let type = record.isPrealloc ? CompsizeTotals.preallocType : Int(record.compression)
        guard record.itemSize == UInt32(FileExtentItem.size) else {
            throw CompsizeError(message: "\(path()): Regular extent's header not 53 bytes (\(record.itemSize)) long?!?")
        }
        if record.diskBytenr == 0 { return }
        guard record.diskBytenr & 4095 == 0 else {
            throw CompsizeError(message: "\(path()): Extent not 4K-aligned at \(record.diskBytenr)?!?")
        }
        if seen.insert(0, record.diskBytenr >> 12) {
            totals.disk[type] &+= record.diskNumBytes
            totals.uncompressed[type] &+= record.ramBytes
            totals.extents &+= 1
        }
        totals.referenced[type] &+= record.numBytes
        totals.refs &+= 1
    }
}

extension Array where Element: Equatable {
    /// The sorted array without repeats.
    func uniqued() -> [Element] {
        var out: [Element] = []
        out.reserveCapacity(count)
        for value in self where out.last != value { out.append(value) }
        return out
    }
}
