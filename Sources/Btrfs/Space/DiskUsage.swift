#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// One line of `btrfs filesystem du`: a file, a directory or an argument.
public struct DiskUsageLine {
    /// The path as progs builds it: the argument, then `/name` per level.
    public var path: [UInt8]
    public var total: UInt64
    public var exclusive: UInt64
    /// The argument's shared bytes counted once (its lines only; nil prints `-`).
    public var setShared: UInt64?
}

/// What `btrfs filesystem du` reports, from bulk reads instead of a FIEMAP per file.
///
/// A file's Total is the sum of the lengths FIEMAP would report for its extents (holes, inline
/// and delalloc extents left out): `num_bytes` of each file extent item. Its shared part is the
/// items whose extent FIEMAP marks shared; the kernel decides that from the extent's back
/// references (ExtentRefIndex: two or more make it shared) and, with one, from whether the tree
/// blocks above the file's leaf are shared with a snapshot. A leaf written after the
/// subvolume's last snapshot cannot be; a file with an extent in an older leaf is asked of the
/// kernel by FIEMAP, as progs does, so the answer stays the kernel's. Set shared is the length
/// of the union of the shared extents' disk ranges under the argument, as FIEMAP places them
/// (compressed: from the extent's start, for the item's uncompressed length).
public final class DiskUsage {
    let summarize: Bool
    let subvolumes = SubvolumeMap()
    var walks: [(argument: String, walk: DiskUsageWalk)] = []
    var indexes: [FileExtentIndex?] = []
    var lastSnapshots: [UInt64] = []
    var extentRefs: [ExtentRefIndex?] = []

    /// A walker; `summarize` keeps only the totals (du -s).
    public init(summarize: Bool) {
        self.summarize = summarize
    }

    /// Walks every argument, then reads the extents of all files met in bulk.
    public func prepare(arguments: [String]) throws {
        for argument in arguments {
            var walk = DiskUsageWalk(subvolumes: subvolumes)
            try walk.walk(argument: argument)
            walks.append((argument, walk))
        }
        var inodes = [[UInt64]](repeating: [], count: subvolumes.trees.count)
        for (_, walk) in walks {
            for case .file(_, let tree, let ino) in walk.events { inodes[tree].append(ino) }
        }
        var addresses = [[UInt64]](repeating: [], count: subvolumes.filesystems.count)
        for (i, tree) in subvolumes.trees.enumerated() {
            let fs = subvolumes.filesystems[tree.filesystem]
            var list = inodes[i]
            list.sort()
            do {
                // Both read before either is kept: a tree with no files needs no search for its
                // index, so a normal user's EPERM can come from the second, and the arrays must
                // stay one entry per tree.
                let index = try FileExtentIndex(fs, tree: tree.subvolume, inodes: list.uniqued())
                let lastSnapshot = try DiskUsage.lastSnapshot(fs, subvolume: tree.subvolume)
                indexes.append(index)
                lastSnapshots.append(lastSnapshot)
                for record in index.records where !record.isInline && !record.isHole {
                    addresses[tree.filesystem].append(record.diskBytenr)
                }
            } catch BtrfsError.system(let e, _, _) where e == EPERM {
                // Tree searches need root; a normal user gets progs' way, FIEMAP per file.
                indexes.append(nil)
                lastSnapshots.append(0)
            }
        }
        for (i, fs) in subvolumes.filesystems.enumerated() {
            var list = addresses[i]
            list.sort()
            extentRefs.append(list.isEmpty ? nil : try ExtentRefIndex(fs, addresses: list.uniqued()))
        }
    }

    /// ROOT_ITEM.last_snapshot: the generation of the subvolume's last snapshot.
    static func lastSnapshot(_ fs: FileSystem, subvolume: UInt64) throws -> UInt64 {
        let search = TreeSearch(tree: ObjectID.rootTree.rawValue,
                                min: Key(subvolume, ItemType.rootItem.rawValue, 0),
                                max: Key(subvolume, ItemType.rootItem.rawValue, .max), limit: 1)
        var cursor = fs.search(search)
        guard let item = try cursor.next() else { return 0 }
        return try RootItem(key: item.key, reader: item.reader(context: "ROOT_ITEM")).lastSnapshot
    }

    /// One argument's lines in progs' order; its warnings and its error through `message`.
    /// Returns false when progs reports that it cannot check the argument's space.
    public func report(argument number: Int, line: (DiskUsageLine) -> Void,
                       warning: (String) -> Void) -> Int32? {
        let (argument, walk) = walks[number]
        var path: [UInt8] = []
        var lengths: [Int] = []
        var sums: [(total: UInt64, shared: UInt64)] = []
        var intervals: [(start: UInt64, last: UInt64)] = []
        var failure: Int32?
        func push(_ name: Range<Int>) {
            lengths.append(path.count)
            if !path.isEmpty && path.last != UInt8(ascii: "/") { path.append(UInt8(ascii: "/")) }
            path.append(contentsOf: walk.names[name])
        }
        for event in walk.events {
            switch event {
            case .file(let name, let tree, let ino):
                push(name)
                let top = sums.isEmpty
                let (total, shared) = fileSpace(tree: tree, ino: ino, path: path, collect: !top,
                                                intervals: &intervals, warning: warning)
                if top {
                    line(DiskUsageLine(path: path, total: total, exclusive: total &- shared, setShared: shared))
                } else {
                    sums[sums.count - 1].total &+= total
                    sums[sums.count - 1].shared &+= shared
                    if !summarize { line(DiskUsageLine(path: path, total: total, exclusive: total &- shared)) }
                }
                path.removeSubrange((lengths.popLast() ?? 0)...)
            case .enter(let name):
                push(name)
                sums.append((0, 0))
            case .leave(let failed):
                let sum = sums.popLast() ?? (0, 0)
                if !failed {
                    if sums.isEmpty {
                        line(DiskUsageLine(path: path, total: sum.total, exclusive: sum.total &- sum.shared,
                                           setShared: DiskUsage.unionLength(&intervals)))
                    } else {
                        sums[sums.count - 1].total &+= sum.total
                        sums[sums.count - 1].shared &+= sum.shared
                        if !summarize {
                            line(DiskUsageLine(path: path, total: sum.total, exclusive: sum.total &- sum.shared))
                        }
                    }
                }
                path.removeSubrange((lengths.popLast() ?? 0)...)
            case .warning(let name, let e):
                warning("cannot access '\(String(pathBytes: walk.names[name]))': \(errnoText(e))\n")
            case .failed(let e):
                failure = e
            }
        }
        _ = argument
        return failure
    }

    /// count_shared_bytes: the length of the union of the closed ranges (emptied on the way).
    static func unionLength(_ intervals: inout [(start: UInt64, last: UInt64)]) -> UInt64 {
        intervals.sort { $0.start < $1.start || ($0.start == $1.start && $0.last < $1.last) }
        var total: UInt64 = 0
        var index = 0
        while index < intervals.count {
            let start = intervals[index].start
            var last = intervals[index].last
            index += 1
            while index < intervals.count && intervals[index].start <= last {
                last = max(last, intervals[index].last)
                index += 1
            }
            total &+= last &- start &+ 1
        }
        intervals.removeAll(keepingCapacity: true)
        return total
    }
}
