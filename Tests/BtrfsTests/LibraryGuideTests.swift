import Foundation
import Testing
import TestRig
import Btrfs

// The examples of Docs/LIBRARY.md, compiled here: every ```swift block of the guide must equal,
// in order, one region between `// guide:` and `// end guide` below (a test checks it), and the
// examples run against btrfs-progs and python-btrfs on a real filesystem.

// guide: open
/// The filesystem's identity and its devices, one line each.
func describeFilesystem(at path: String) throws -> [String] {
    let fs = try FileSystem(path: path)
    let info = try fs.fsInfo()
    var lines = ["fsid \(info.fsid) devices \(info.numDevices) nodesize \(info.nodesize)"]
    for device in try fs.devInfos() {
        lines.append("devid \(device.devid) \(device.path) size \(device.totalBytes)")
    }
    return lines
}
// end guide

// guide: space
/// `btrfs filesystem df`, line for line.
func spaceLines(at path: String) throws -> [String] {
    let fs = try FileSystem(path: path)
    return try fs.spaceInfo().map { space in
        let total = prettySize(space.totalBytes, mode: .default)
        let used = prettySize(space.usedBytes, mode: .default)
        return "\(ProfileNames.typeName(space.flags)), \(ProfileNames.profileName(space.flags)):"
            + " total=\(total), used=\(used)"
    }
}
// end guide

// guide: search
/// One chunk: where it starts in the logical address space, how long it is, its type and profile.
struct ChunkSummary: Hashable {
    var start: UInt64
    var length: UInt64
    var flags: UInt64
}

/// Every chunk, from the chunk tree (tree 3): items (256, CHUNK_ITEM, start).
func chunks(at path: String) throws -> [ChunkSummary] {
    let chunkTree: UInt64 = 3, firstChunkTree: UInt64 = 256, chunkItem: UInt8 = 228
    let fs = try FileSystem(path: path)
    let search = TreeSearch(tree: chunkTree, min: Key(firstChunkTree, chunkItem, 0),
                            max: Key(firstChunkTree, chunkItem, .max))
    var result: [ChunkSummary] = []
    for item in fs.search(search) {
        let item = try item.get()   // the kernel call behind this step may have failed
        // struct btrfs_chunk: length, owner, stripe_len, type, ...; every read is bounds-checked.
        var reader = item.reader(context: "chunk \(item.key.offset)")
        let length = try reader.readU64()
        try reader.skip(16)   // owner, stripe_len
        let flags = try reader.readU64()
        result.append(ChunkSummary(start: item.key.offset, length: length, flags: flags))
    }
    return result
}
// end guide

// guide: usage
/// Bytes allocated to chunks of each type and profile: what SPACE_INFO reports as total.
func allocatedBytes(at path: String) throws -> [UInt64: UInt64] {
    var allocated: [UInt64: UInt64] = [:]
    for chunk in try chunks(at: path) {
        allocated[chunk.flags, default: 0] &+= chunk.length
    }
    return allocated
}
// end guide

// guide: items
/// Block groups from fullest to emptiest, as `(start, percent used)`: typed items
/// (`BlockGroupItem`) from the library's walks instead of bytes.
func blockGroupsByUsage(at path: String) throws -> [(vaddr: UInt64, percent: UInt64)] {
    let groups = try FileSystem(path: path).blockGroups().collect().map { (vaddr: $0.vaddr, percent: $0.usedPercent) }
    return groups.sorted { $0.percent > $1.percent }
}

/// The names in the top directory of the top-level subvolume (tree 5, inode 256), from its
/// DIR_INDEX items: bytes, decoded without loss.
func topDirectoryNames(at path: String) throws -> [String] {
    let fs = try FileSystem(path: path)
    var names: [String] = []
    for entry in fs.directoryEntries(tree: ObjectID.fsTree.rawValue, dir: ObjectID.firstFree.rawValue) {
        names.append(String(pathBytes: try entry.get().name))
    }
    return names
}
// end guide

// guide: fsusage
/// python-btrfs's usage model (btrfs.fs_usage.FsUsage): raw bytes, the estimated virtual space
/// left for data, and what can never be allocated because the devices differ in size.
func usageSummary(at path: String) throws -> String {
    let usage = try FsUsage(try FileSystem(path: path))
    return "total \(usage.total) allocated \(usage.allocated) free_data \(usage.freeData)"
        + " unallocatable_hard \(usage.unallocatableHard)"
}
// end guide

// guide: whouses
/// The paths of the files whose data uses the extent starting at `logical`, in the subvolume
/// whose root is `path`: `btrfs inspect-internal logical-resolve -o` for that subvolume.
func filesUsing(logical: UInt64, in path: String) throws -> [String] {
    let fs = try FileSystem(path: path)
    let tree = try fs.inoLookup().tree
    var paths: [String] = []
    // LOGICAL_INO_V2, its buffer grown until every reference fits; INO_PATHS for each inode.
    for ref in try fs.logicalInoAll(logical, ignoreOffset: true).refs where ref.root == tree {
        for name in try fs.inoPaths(ref.inum).paths { paths.append(path + "/" + String(pathBytes: name)) }
    }
    return paths
}
// end guide

// guide: heatmap
/// btrfs-heatmap's picture of a filesystem as PNG bytes: every device end to end along a
/// Hilbert curve, each dev extent shaded by how full its block group is.
func heatmapPNG(at path: String, order: Int? = nil) throws -> [UInt8] {
    let fs = try FileSystem(path: path)
    var grid = try fs.heatmapPhysical(HeatmapOptions(order: order, size: order))
    grid.finish()  // settles the last pixel (btrfs-heatmap does it when writing)
    return try PNGEncoder.encode(pixels: grid.pixels, width: grid.width, height: grid.height,
                                 scale: 1 << (grid.size - grid.order))
}
// end guide

// guide: balance
/// `btrfs balance start -dlimit=..COUNT`: relocate at most `count` data block groups; how many
/// the kernel relocated, of how many it looked at.
func relocateData(at path: String, count: UInt32) throws -> (relocated: UInt64, considered: UInt64) {
    let fs = try FileSystem(path: path)
    let progress = try fs.balance(BalanceRequest(dataArgs: BalanceArgs(limitMax: count)))
    return (progress.completed, progress.considered)
}
// end guide

@Suite struct LibraryGuideTests {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The code blocks of the guide.
    static func guideBlocks() throws -> [String] {
        let text = try String(contentsOf: repo.appendingPathComponent("Docs/LIBRARY.md"), encoding: .utf8)
        var blocks: [String] = []
        var current: [String]?
        for line in text.components(separatedBy: "\n") {
            if current == nil, line == "```swift" {
                current = []
            } else if let lines = current, line == "```" {
                blocks.append(lines.joined(separator: "\n"))
                current = nil
            } else {
                current?.append(line)
            }
        }
        return blocks
    }

    /// The regions between the guide markers of this file, then of LibraryExamplesTests.swift.
    static func testRegions() throws -> [String] {
        let here = URL(fileURLWithPath: #filePath)
        let text = try [here, here.deletingLastPathComponent().appendingPathComponent("LibraryExamplesTests.swift")]
            .map { try String(contentsOf: $0, encoding: .utf8) }.joined(separator: "\n")
        var regions: [String] = []
        var current: [String]?
        for line in text.components(separatedBy: "\n") {
            if line.hasPrefix("// guide: ") {
                current = []
            } else if line == "// end guide", let lines = current {
                regions.append(lines.joined(separator: "\n"))
                current = nil
            } else {
                current?.append(line)
            }
        }
        return regions
    }

    @Test func guideShowsTheCompiledCode() throws {
        let blocks = try Self.guideBlocks()
        let regions = try Self.testRegions()
        #expect(regions.count >= 16)
        #expect(blocks == regions, "Docs/LIBRARY.md's swift blocks differ from LibraryGuideTests.swift's guide regions")
    }

    @Test(.needsRig) func examplesAgreeWithTheOracles() throws {
        try Rig.withFilesystem(FSSpec(devices: 2, deviceSize: 768 << 20, data: "raid1", metadata: "raid1")) { fs in
            try Rig.sh("dd if=/dev/urandom of=\(fs.mountPoint)/f bs=1M count=40 status=none && sync")
            // open: python-btrfs sees the same identity and devices.
            let py = try Rig.python("""
                import btrfs, sys
                fs = btrfs.FileSystem(sys.argv[1])
                i = fs.fs_info()
                print("fsid {} devices {} nodesize {}".format(i.fsid, i.num_devices, i.nodesize))
                for d in fs.devices():
                    di = fs.dev_info(d.devid)
                    print("devid {} {} size {}".format(di.devid, di.path, di.total_bytes))
                """, args: [fs.mountPoint])
            #expect(try describeFilesystem(at: fs.mountPoint).joined(separator: "\n") + "\n" == py.stdout)

            // space: byte for byte what btrfs-progs prints.
            let df = try Rig.run(["btrfs", "filesystem", "df", fs.mountPoint])
            #expect(try spaceLines(at: fs.mountPoint).joined(separator: "\n") + "\n" == df.stdout)

            // search: python-btrfs's chunk list.
            let pyChunks = try Rig.python("""
                import btrfs, sys
                for c in btrfs.FileSystem(sys.argv[1]).chunks():
                    print(c.vaddr, c.length, c.type)
                """, args: [fs.mountPoint])
            let ours = try chunks(at: fs.mountPoint).map { "\($0.start) \($0.length) \($0.flags)\n" }.joined()
            #expect(ours == pyChunks.stdout)

            // usage: chunk lengths add up to SPACE_INFO's totals, type by type.
            let allocated = try allocatedBytes(at: fs.mountPoint)
            let globalReserve: UInt64 = 1 << 49
            let spaces = try FileSystem(path: fs.mountPoint).spaceInfo().filter { $0.flags & globalReserve == 0 }
            #expect(!spaces.isEmpty)
            for space in spaces {
                #expect(allocated[space.flags] == space.totalBytes, "flags \(space.flags)")
            }
            #expect(allocated.count == spaces.count)
        }
    }

    /// items: block groups as python-btrfs sees them; the directory as the filesystem lists it.
    @Test(.needsRig) func typedItemsAgreeWithPythonAndTheDirectory() throws {
        try Rig.withFilesystem(FSSpec()) { fs in
            try Rig.sh("""
                cd \(fs.mountPoint) && mkdir a b && echo x > 'c d' && \
                dd if=/dev/urandom of=big bs=1M count=20 status=none && sync
                """)
            let py = try Rig.python("""
                import btrfs, sys
                fs = btrfs.FileSystem(sys.argv[1])
                for chunk in fs.chunks():
                    bg = fs.block_group(chunk.vaddr, chunk.length)
                    print(bg.vaddr, bg.used_pct)
                """, args: [fs.mountPoint])
            let ours = try blockGroupsByUsage(at: fs.mountPoint)
            #expect(ours.sorted { $0.vaddr < $1.vaddr }.map { "\($0.vaddr) \($0.percent)\n" }.joined() == py.stdout)
            #expect(zip(ours, ours.dropFirst()).allSatisfy { $0.percent >= $1.percent })
            let listed = try FileManager.default.contentsOfDirectory(atPath: fs.mountPoint).sorted()
            #expect(try topDirectoryNames(at: fs.mountPoint).sorted() == listed)
            #expect(listed == ["a", "b", "big", "c d"])
        }
    }

    /// fsusage: python-btrfs's FsUsage on unequal devices (so unallocatable_hard is not 0).
    @Test(.needsRig) func usageModelAgreesWithPython() throws {
        let spec = FSSpec(devices: 2, deviceSizes: [768 << 20, 1536 << 20], data: "raid1", metadata: "raid1")
        try Rig.withFilesystem(spec) { fs in
            try Rig.sh("dd if=/dev/urandom of=\(fs.mountPoint)/f bs=1M count=30 status=none && sync")
            let py = try Rig.python("""
                import btrfs, sys
                u = btrfs.fs_usage.FsUsage(btrfs.FileSystem(sys.argv[1]))
                print("total {} allocated {} free_data {} unallocatable_hard {}".format(
                    u.total, u.allocated, u.free_data, u.unallocatable_hard))
                """, args: [fs.mountPoint])
            #expect(try usageSummary(at: fs.mountPoint) + "\n" == py.stdout)
            #expect(!py.stdout.hasSuffix("unallocatable_hard 0\n"), "\(py)")
        }
    }

    /// whouses: the same paths btrfs-progs' logical-resolve prints for a file, its reflink and a hard link.
    @Test(.needsRig, .needsTool("/usr/bin/btrfs", what: "btrfs-progs")) func filesUsingAgreesWithProgs() throws {
        try Rig.withFilesystem(FSSpec(deviceSize: 256 << 20)) { fs in
            let m = fs.mountPoint
            try Rig.sh("cd '\(m)' && head -c 200000 /dev/urandom > f && cp --reflink=always f g && ln f h && sync")
            let vaddr = try ResolveFixture.dataExtents(m).first?.vaddr ?? 0
            let progs = try Rig.run(["btrfs", "inspect-internal", "logical-resolve", "-o", "\(vaddr)", m])
            #expect(progs.status == 0 && progs.stdout.split(separator: "\n").count == 3, "\(progs)")
            #expect(try filesUsing(logical: vaddr, in: m).map { $0 + "\n" }.joined() == progs.stdout)
        }
    }

    /// The heatmap example draws btrfs-heatmap's pixels.
    @Test(.needsRig, .needsTool("/usr/bin/btrfs-heatmap", what: "btrfs-heatmap")) func heatmapIsBtrfsHeatmaps() throws {
        try Rig.withFilesystem(FSSpec(devices: 2, deviceSize: 768 << 20, data: "raid1", metadata: "raid1")) { fs in
            try Rig.sh("dd if=/dev/urandom of=\(fs.mountPoint)/f bs=1M count=40 status=none && sync")
            let ours = fs.directory + "/ours.png", theirs = fs.directory + "/theirs.png"
            FileManager.default.createFile(atPath: ours, contents: Data(try heatmapPNG(at: fs.mountPoint, order: 6)))
            try Rig.sh("btrfs-heatmap -q --order 6 --size 6 -o \(theirs) \(fs.mountPoint)")
            let oracle = Self.repo.appendingPathComponent("Tests/Oracles/heatmap.py").path
            let digests = try Rig.run(["/usr/bin/python3", oracle, "pixels", ours, theirs]).stdout.split(separator: "\n")
            #expect(digests.count == 2 && digests.first == digests.last && !(digests.first ?? "").hasPrefix("undecodable"),
                    "\(digests)")
        }
    }

    /// balance: the counts btrfs-progs reports for the same filter on a twin filesystem.
    @Test(.needsRig) func balanceAgreesWithProgsOnATwin() throws {
        let populate = { (mnt: String) in
            // Each file on disk before the next: the twins allocate alike.
            try Rig.sh("for i in 1 2 3 4 5 6; do dd if=/dev/urandom of=\(mnt)/f$i bs=1M count=12 conv=fsync status=none; done; sync")
        }
        try Rig.withFilesystem(FSSpec()) { a in
            try Rig.withFilesystem(FSSpec()) { b in
                try populate(a.mountPoint)
                try populate(b.mountPoint)
                // The kernel considers every chunk; a busy machine may give the twins one more.
                let chunks = { (mnt: String) throws -> Int in
                    try FileSystem(path: mnt).chunks().collect().count
                }
                let (countA, countB) = (try chunks(a.mountPoint), try chunks(b.mountPoint))
                let progs = try Rig.run(["btrfs", "balance", "start", "-dlimit=..2", a.mountPoint])
                let (relocated, considered) = try relocateData(at: b.mountPoint, count: 2)
                #expect(progs.stdout == "Done, had to relocate \(relocated) out of \(countA) chunks\n", "\(progs)")
                #expect(considered == UInt64(countB) && relocated == 2)
            }
        }
    }
}
