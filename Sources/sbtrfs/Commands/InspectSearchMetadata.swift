#if canImport(Glibc)
import Glibc
#endif
import Btrfs

/// `inspect-internal search-metadata`: python-btrfs's btrfs-search-metadata, same sub-commands,
/// same options, the same bytes on stdout for everything python-btrfs parses.
struct SearchMetadata {
    enum Format: String, CaseIterable { case keys, short, long, json }
    enum Preset: String, CaseIterable {
        case chunks, block_groups, dev_extents, file, inode, devices, orphans, dump
        case block_group_contents, block_group_free_space
    }

    /// A message for `Error: ...` on stderr, as the python program prints its Bork.
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    var format: Format = .short
    var preset: Preset
    var path: String
    var tree: String?
    var inum: UInt64?
    var minKey: String?
    var maxKey: String?
    var vaddr: UInt64?
    /// Unparsed types in python-btrfs's words, for byte comparison of whole streams in tests.
    var unparsedAsPython = false

    /// Runs the search, writing into `out`; `flush` is called whenever the buffer is worth writing.
    func run(out: TextBuffer, flush: @escaping (TextBuffer) throws -> Void) throws {
        let fs: FileSystem
        do { fs = try FileSystem(path: path) } catch let e as BtrfsError {
            throw translate(e)
        }
        var printer = SearchMetadataPrinter(format: format, out: out, flush: flush, csumSize: fs.csumSize())
        printer.unparsedAsPython = unparsedAsPython
        do {
            _ = try fs.topLevel()   // the python program's permission canary
            try emit(fs, &printer)
            try printer.finish()
        } catch let e as BtrfsError {
            try printer.finish()
            throw translate(e)
        }
    }

    func translate(_ e: BtrfsError) -> Error {
        pythonBtrfsHint(e).map { Failure(description: $0) } ?? e
    }

    /// The tree option read as python-btrfs's parse_tree_name; its ValueError is the program's Bork.
    static func treeID(_ text: String?) throws -> UInt64 {
        do { return try ObjectID.parseTreeName(text ?? "") } catch { throw Failure(description: "\(error)") }
    }

    func emit(_ fs: FileSystem, _ p: inout SearchMetadataPrinter) throws {
        switch preset {
        case .chunks:
            try p.search(fs, tree: 3, min: Key(.firstChunkTree, .chunkItem, 0), max: Key(.firstChunkTree, .chunkItem, .max))
        case .devices:
            try p.search(fs, tree: 3, min: Key(.devItems, .devItem, 1), max: Key(.devItems, .devItem, .max))
        case .dev_extents:
            try p.search(fs, tree: 4, min: Key(1, 0, 0), max: Key(.max, 255, .max))
        case .block_groups:
            for bg in fs.blockGroups() {
                let bg = try bg.get()
                try p.blockGroup(bg)
            }
        case .orphans:
            try p.search(fs, tree: 1, min: Key(.orphan, .orphanItem, 0), max: Key(.orphan, .orphanItem, .max))
        case .file:
            let st: stat
            switch SystemCall.fstat(fs.descriptor.rawValue) {
            case .success(let answer): st = answer
            case .failure(let e): throw BtrfsError.system(errno: e.rawValue, call: "fstat", path: path)
            }
            let inum = UInt64(st.st_ino)
            let tree = try fs.inoLookup(objectid: inum).tree
            try p.search(fs, tree: tree, min: Key(inum, 0, 0), max: Key(inum, 255, .max))
        case .inode:
            let tree = try SearchMetadata.treeID(self.tree)
            let inum = self.inum ?? 0
            let k = Key(inum, .inodeItem, 0)
            var count = 0
            try fs.forEachItem(TreeSearch(tree: tree, min: k, max: k)) { _ in count += 1 }
            guard count == 1 else { throw Failure(description: "No inode \(inum) found in tree \(tree)") }
            try p.search(fs, tree: tree, min: Key(inum, 0, 0), max: Key(inum, 255, .max))
        case .dump:
            let tree = try SearchMetadata.treeID(self.tree)
            let min = try minKey.map { try Key(parsing: $0) } ?? .min
            let max = try maxKey.map { try Key(parsing: $0) } ?? .max
            do {
                try p.search(fs, tree: tree, min: min, max: max, readAhead: true)
            } catch let e as BtrfsError where e.errno == ENOENT {
                throw Failure(description: "Tree \(tree) does not exist")
            }
        case .block_group_contents:
            let start = vaddr ?? 0
            let bg = try fs.blockGroup(vaddr: start)
            let (last, overflow) = start.addingReportingOverflow(bg.length &- 1)
            try p.search(fs, tree: 2, min: Key(start, 0, 0), max: Key(overflow ? .max : last, 255, .max), readAhead: true)
        case .block_group_free_space:
            do {
                let c: FreeSpaceCursor
                if let start = vaddr {
                    let bg = try fs.blockGroup(vaddr: start)
                    let (last, overflow) = start.addingReportingOverflow(bg.length &- 1)
                    c = try fs.freeSpaceExtents(minVaddr: start, maxVaddr: overflow ? .max : last)
                } else {
                    c = try fs.freeSpaceExtents()
                }
                for e in c { try p.freeSpaceExtent(try e.get()) }
            } catch let e as BtrfsError where e.errno == ENOENT {
                throw Failure(description: "No Free Space Tree? To show free space you need space_cache=v2.")
            }
        }
    }
}

/// What the python-btrfs programs print for the errors their scripts catch themselves: no
/// permission for the kernel API, or not a mounted btrfs; nil for any other error. One line
/// (python's EPERM text has two), as every error of the tool.
func pythonBtrfsHint(_ e: BtrfsError) -> String? {
    switch e.errno {
    case EPERM?: return "Insufficient permissions to use the btrfs kernel API. Hint: Try running the script as root user."
    case ENOTTY?: return "Unable to retrieve data. Hint: Not a mounted btrfs file system?"
    default: break
    }
    if case .notBtrfs = e { return "Unable to retrieve data. Hint: Not a mounted btrfs file system?" }
    return nil
}
