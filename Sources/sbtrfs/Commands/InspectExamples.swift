#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Btrfs

/// python-btrfs's example programs show_metadata_tree_sizes, show_free_space_fragmentation and
/// show_block_group_data_extent_filenames as commands: the same text, and native JSON.
extension InspectCommands {
    // MARK: tree-sizes

    static let treeSizes = Command(
        "tree-sizes", synopsis: ["<path>"], summary: "Show the size of each metadata tree, per level",
        description: ["As python-btrfs's example show_metadata_tree_sizes: tree blocks counted from the",
                      "extent tree, subvolume trees together as FS_TREE."],
        operands: [OperandSpec("path", .path)], supportsJSON: true, run: runTreeSizes)

    /// The trees the python program lists, in its order, and their names.
    static let listedTrees: [(id: UInt64, name: String)] = [
        (1, "ROOT_TREE"), (2, "EXTENT_TREE"), (3, "CHUNK_TREE"), (4, "DEV_TREE"), (5, "FS_TREE"), (7, "CSUM_TREE"),
        (8, "QUOTA_TREE"), (9, "UUID_TREE"), (10, "FREE_SPACE_TREE"), (ObjectID.dataRelocTree.rawValue, "DATA_RELOC_TREE"),
    ]

    @Sendable static func runTreeSizes(_ invocation: Invocation) throws -> Int32 {
        let fs = try FileSystem(path: invocation.operands[0])
        let nodesize = UInt64(try fs.fsInfo().nodesize)
        var counts: [UInt64: [UInt64: UInt64]] = [:]  // tree -> level -> blocks
        for tree in listedTrees { counts[tree.id] = [:] }
        for chunk in fs.chunks() {
            let chunk = try chunk.get()
            guard chunk.type & (BlockGroupFlags.metadata | BlockGroupFlags.system) != 0 else { continue }
            guard let group = try? fs.blockGroup(vaddr: chunk.vaddr, length: chunk.length) else { continue }
            for record in fs.extents(minVaddr: group.vaddr, maxVaddr: group.vaddr &+ group.length &- 1, loadMetadataRefs: true) {
                let record = try record.get()
                let tree: UInt64
                let level: UInt64
                switch record {
                case .extent(let e):
                    guard e.flags & ExtentItem.flagTreeBlock != 0, let info = e.treeBlockInfo else {
                        throw CommandExit.error("expected metadata but got \(Item.extent(e))")
                    }
                    tree = metadataRoot(refs: e.refs, shared: !e.sharedBlockRefs.isEmpty, first: e.treeBlockRefs.first?.root)
                    level = UInt64(info.level)
                case .metadata(let m):
                    tree = metadataRoot(refs: m.refs, shared: !m.sharedBlockRefs.isEmpty, first: m.treeBlockRefs.first?.root)
                    level = m.skinnyLevel
                }
                counts[tree, default: [:]][level, default: 0] += 1
            }
        }
        // python-btrfs's table has no row for other trees (a block group tree, a log tree): it
        // stops with a KeyError there; they get a row of their own here.
        let rows = counts.keys.sorted().map { id in
            (id: id, name: listedTrees.first { $0.id == id }?.name ?? ObjectID(id).name?.description ?? "\(id)",
             levels: counts[id] ?? [:])
        }
        if invocation.format == .json {
            var json = JSONWriter(out: invocation.out, style: .native)
            json.start()
            json.beginGroup("tree-sizes", .array)
            for row in rows {
                json.beginGroup(nil, .map)
                json.string("tree", row.name)
                json.number("id", row.id)
                json.number("bytes", nodesize &* row.levels.values.reduce(0, &+))
                json.beginGroup("levels", .map)
                for level in row.levels.keys.sorted() { json.number("\(level)", row.levels[level] ?? 0) }
                json.endGroup()
                json.endGroup()
            }
            json.endGroup()
            json.end()
            return 0
        }
        for row in rows {
            var line = row.name + String(repeating: " ", count: max(0, 16 - row.name.count)) + " "
            let size = PythonFormat.prettySize(nodesize &* row.levels.values.reduce(0, &+))
            line += String(repeating: " ", count: max(0, 10 - size.count)) + size
            for level in row.levels.keys.sorted() {
                let count = "\(row.levels[level] ?? 0)"
                line += " \(level)(" + String(repeating: " ", count: max(0, 6 - count.count)) + count + ")"
            }
            invocation.out.line(line)
        }
        return 0
    }

    /// The python program's _get_metadata_root: shared blocks and subvolume trees count as FS_TREE.
    static func metadataRoot(refs: UInt64, shared: Bool, first: UInt64?) -> UInt64 {
        let fsTree = ObjectID.fsTree.rawValue
        if refs > 1 || shared { return fsTree }
        guard let root = first else { return fsTree }
        if root >= ObjectID.firstFree.rawValue && root <= ObjectID.lastFree.rawValue { return fsTree }
        return root
    }

    // MARK: free-space-fragmentation

    static let freeSpaceFragmentation = Command(
        "free-space-fragmentation", synopsis: ["[<min_score>] <path>"],
        summary: "Show data block groups whose free space is fragmented",
        description: ["As python-btrfs's example show_free_space_fragmentation: a score per data block",
                      "group from the sizes of its free space extents (default minimum score 250)."],
        operands: [OperandSpec("min_score", .number, optional: true), OperandSpec("path", .path)],
        supportsJSON: true, run: runFreeSpaceFragmentation)

    @Sendable static func runFreeSpaceFragmentation(_ invocation: Invocation) throws -> Int32 {
        var minScore: Int64 = 250
        if invocation.operands.count == 2 {
            let text = invocation.operands[0]
            let negative = text.hasPrefix("-")
            guard let score = parsePythonInt(negative ? String(text.dropFirst()) : text),
                  let value = Int64(exactly: score) else {
                throw CommandExit.error("invalid minimum score '\(text)'")
            }
            minScore = negative ? -value : value
        }
        let fs = try FileSystem(path: invocation.operands[invocation.operands.count - 1])
        let nodesize = UInt64(try fs.fsInfo().nodesize)
        let json = invocation.format == .json
        let out = invocation.out
        var hasTree = true
        do { var probe = try fs.freeSpaceExtents(minVaddr: 0, maxVaddr: 0); _ = try probe.next() } catch { hasTree = false }
        var writer = JSONWriter(out: out, style: .native)
        if json {
            writer.start()
            writer.beginGroup("free-space-fragmentation", .map)
            writer.number("min-score", minScore)
            writer.bool("free-space-tree", hasTree)
            writer.beginGroup("block-groups", .array)
        } else {
            out.line("Showing all block groups with free space fragmentation score >= \(minScore)")
            if !hasTree {
                out.line("No Free Space Tree (space_cache=v2) found!")
                out.line("Falling back to using the extent tree to determine free space extents.")
            }
        }
        var badChunks = 0
        for chunk in fs.chunks() {
            let chunk = try chunk.get()
            guard chunk.type & BlockGroupFlags.data != 0 else { continue }
            guard let group = try? fs.blockGroup(vaddr: chunk.vaddr, length: chunk.length) else { continue }
            let minVaddr = group.vaddr
            let maxVaddr = group.vaddr &+ group.length &- 1
            let lengths = hasTree ? try freeSpaceTreeLengths(fs, minVaddr, maxVaddr)
                                  : try extentTreeGapLengths(fs, minVaddr, maxVaddr, nodesize: nodesize)
            // The python program's arithmetic, in its order, in doubles.
            let log2Length = log2(Double(group.length))
            let halfWidth = (log2Length - 11) / 2
            let shift = (log2Length + 11) / 2
            var score = 0.0
            for length in lengths { score += 1 - abs((log2(Double(length)) - shift) / halfWidth) }
            guard score >= Double(minScore) else { continue }
            badChunks += 1
            let shown = Int64(exactly: score.rounded(.towardZero)) ?? 0
            if json {
                writer.beginGroup(nil, .map)
                writer.number("vaddr", chunk.vaddr)
                writer.number("length", chunk.length)
                writer.number("used-pct", group.usedPercent)
                writer.number("free-space-fragments", UInt64(lengths.count))
                writer.number("score", shown)
                writer.endGroup()
            } else {
                out.line("vaddr \(chunk.vaddr) length \(chunk.length) used_pct \(group.usedPercent) free space fragments \(lengths.count) score \(shown)")
            }
        }
        if json {
            writer.endGroup()
            writer.endGroup()
            writer.end()
        } else if badChunks == 0 {
            out.line("No block groups found with free space fragmentation score >= \(minScore)")
        }
        return 0
    }

    static func freeSpaceTreeLengths(_ fs: FileSystem, _ minVaddr: UInt64, _ maxVaddr: UInt64) throws -> [UInt64] {
        var lengths: [UInt64] = []
        for extent in try fs.freeSpaceExtents(minVaddr: minVaddr, maxVaddr: maxVaddr) {
            let extent = try extent.get()
            lengths.append(extent.length)
        }
        return lengths
    }

    /// The python program's fallback without a free space tree: the gaps between extents.
    static func extentTreeGapLengths(_ fs: FileSystem, _ minVaddr: UInt64, _ maxVaddr: UInt64, nodesize: UInt64) throws -> [UInt64] {
        var lengths: [UInt64] = []
        var end = minVaddr
        for record in fs.extents(minVaddr: minVaddr, maxVaddr: maxVaddr) {
            let record = try record.get()
            let start: UInt64
            let next: UInt64
            switch record {
            case .extent(let e): start = e.vaddr; next = e.vaddr &+ e.length
            case .metadata(let m): start = m.vaddr; next = m.vaddr &+ nodesize
            }
            if start > end { lengths.append(start - end) }
            end = next
        }
        if end < maxVaddr { lengths.append(maxVaddr &+ 1 &- end) }
        return lengths
    }

    // MARK: block-group-files

    static let blockGroupFiles = Command(
        "block-group-files", synopsis: ["<vaddr> <path>"], summary: "List the files using each data extent of a block group",
        description: ["As python-btrfs's example show_block_group_data_extent_filenames: every data extent",
                      "of the block group starting at <vaddr>, and the inodes using it (LOGICAL_INO_V2)."],
        operands: [OperandSpec("vaddr", .number), OperandSpec("path", .path)], supportsJSON: true,
        run: runBlockGroupFiles)

    @Sendable static func runBlockGroupFiles(_ invocation: Invocation) throws -> Int32 {
        guard let vaddr = parseDecimalU64(invocation.operands[0]) else {
            throw CommandExit.error("invalid vaddr '\(invocation.operands[0])'")
        }
        let fs = try FileSystem(path: invocation.operands[1])
        let group = try fs.blockGroup(vaddr: vaddr)
        let json = invocation.format == .json
        let out = invocation.out
        var writer = JSONWriter(out: out, style: .native)
        if json {
            writer.start()
            writer.beginGroup("block-group-files", .map)
            writer.number("vaddr", group.vaddr)
            writer.number("length", group.length)
            writer.number("used", group.used)
            writer.beginGroup("extents", .array)
        } else {
            out.line(Item.blockGroup(group).description)
        }
        var paths: [LogicalInoRef: [UInt8]?] = [:]
        for record in fs.extents(minVaddr: vaddr, maxVaddr: vaddr &+ group.length &- 1) {
            let record = try record.get()
            guard case .extent(let extent) = record, extent.flags & ExtentItem.flagData != 0 else { continue }
            let found = try fs.logicalInoAll(extent.vaddr, ignoreOffset: true)
            if json {
                writer.beginGroup(nil, .map)
                writer.number("vaddr", extent.vaddr)
                writer.number("length", extent.length)
                writer.number("refs", extent.refs)
                writer.beginGroup("inodes", .array)
            } else {
                out.line(Item.extent(extent).description)
            }
            for ref in found.refs {
                let key = LogicalInoRef(inum: ref.inum, offset: 0, root: ref.root)
                let isSubvolume = ref.root == ObjectID.fsTree.rawValue
                    || (ref.root >= ObjectID.firstFree.rawValue && ref.root <= ObjectID.lastFree.rawValue)
                var path: [UInt8]? = nil
                if isSubvolume {
                    if let known = paths[key] { path = known } else {
                        path = try inodePath(fs, root: ref.root, inum: ref.inum)
                        paths[key] = .some(path)
                    }
                }
                if json {
                    writer.beginGroup(nil, .map)
                    writer.number("root", ref.root)
                    writer.number("inode", ref.inum)
                    writer.number("offset", ref.offset)
                    // The path itself, not python's text for it (the one JSON rule for its bytes).
                    writer.string("path", path.map { String(pathBytes: $0) })
                    writer.endGroup()
                } else if isSubvolume {
                    out.line("    root \(ref.root) inode \(ref.inum) offset \(ref.offset) path \(path.map(PythonText.embeddedText) ?? "None")")
                } else {
                    out.line("    root \(ref.root) inode \(ref.inum) offset \(ref.offset)")
                }
            }
            if json {
                writer.endGroup()
                writer.bool("complete", found.bytesMissing == 0)
                writer.endGroup()
            } else if found.bytesMissing > 0 {
                out.line("    [... remainder can't be shown; too many items for buffer size]")
            }
        }
        if json {
            writer.endGroup()
            writer.endGroup()
            writer.end()
        }
        return 0
    }

    /// The inode's first path in its subvolume (INO_LOOKUP, without the trailing '/'); nil when
    /// the inode is gone. The text prints it as python-btrfs does (PythonText.embeddedText).
    static func inodePath(_ fs: FileSystem, root: UInt64, inum: UInt64) throws -> [UInt8]? {
        do {
            var path = try fs.inoLookup(tree: root, objectid: inum).path
            if !path.isEmpty { path.removeLast() }
            return path
        } catch let e as BtrfsError where e.errno == ENOENT {
            return nil
        }
    }
}
