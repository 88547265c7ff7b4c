import Foundation
import Testing
import TestRig
import Btrfs

// The python-btrfs example programs rewritten with the library, shown in Docs/LIBRARY.md's
// "python-btrfs's examples in Swift" (LibraryGuideTests checks that page against the regions
// between `// guide:` and `// end guide` here, after its own).

// guide: btrfs-fi-df-simple
/// btrfs-fi-df-simple.py: every SPACE_INFO row, printed as python-btrfs prints it.
func spaceInfoSimple(at path: String) throws -> [String] {
    try FileSystem(path: path).spaceInfo().map { "\($0)" }
}
// end guide

// guide: btrfs-fi-df
/// btrfs-fi-df.py: `btrfs fi df` in python-btrfs's words, in a unit of your choice
/// (`unit: .bytes` is its -b, `.kilo` its -k …; `binary: false` its --si).
func spaceInfoLines(at path: String, unit: PrettySizeUnit? = nil, binary: Bool = true) throws -> [String] {
    try FileSystem(path: path).spaceInfo().map { space in
        "\(PythonFormat.spaceType(space.flags)), \(PythonFormat.spaceProfile(space.flags)): "
            + "total=\(PythonFormat.prettySize(space.totalBytes, unit: unit, binary: binary)), "
            + "used=\(PythonFormat.prettySize(space.usedBytes, unit: unit, binary: binary))"
    }
}
// end guide

// guide: fs_info
/// fs_info.py: the filesystem, then each device's info and error counters.
func filesystemInfo(at path: String) throws -> [String] {
    let fs = try FileSystem(path: path)
    var lines = ["\(try fs.fsInfo())"]
    for device in fs.devices() {
        let devid = try device.get().devid
        if let info = try fs.devInfo(devid: devid) { lines.append("\(info)") }
        lines.append("\(try fs.devStats(devid: devid))")
    }
    return lines
}
// end guide

// guide: hashes
/// dir_item_name_hash.py: the offset of a name's DIR_ITEM key in its directory.
func dirItemNameHash(_ name: String) -> UInt32 {
    Crc32c.nameHash(Array(name.utf8))
}

/// inode_extref_hash.py: the offset of an INODE_EXTREF key for a name in a parent directory.
func inodeExtrefHash(parent: UInt64, name: String) -> UInt32 {
    Crc32c.extrefHash(parent: parent, name: Array(name.utf8))
}
// end guide

// guide: show_default_subvolid
/// show_default_subvolid.py: the subvolume mounted by default, from the `default` DIR_ITEM of
/// the root tree's directory (tree 1, objectid 6).
func defaultSubvolumeID(at path: String) throws -> [UInt64] {
    let fs = try FileSystem(path: path)
    let min = Key(ObjectID.rootTreeDir, .dirItem, 0), max = Key(ObjectID.rootTreeDir, .dirItem, .max)
    var ids: [UInt64] = []
    for item in fs.search(TreeSearch(tree: ObjectID.rootTree.rawValue, min: min, max: max, limit: 1)) {
        let item = try item.get()
        for entry in try DirItemList(key: item.key, reader: item.reader()).items {
            ids.append(entry.location.objectID)
        }
    }
    return ids
}
// end guide

// guide: show_orphaned_subvols
/// show_orphaned_subvols.py: deleted subvolumes whose trees the cleaner has not removed yet,
/// as Python prints its list.
func orphanedSubvolumes(at path: String) throws -> String {
    "[" + (try FileSystem(path: path).orphanSubvolIDs()).map(String.init).joined(separator: ", ") + "]"
}
// end guide

// guide: show_subvolumes
/// show_subvolumes.py: every subvolume below the top level, depth first, each with its path:
/// ROOT_REF items (tree 1) name a subvolume's children; INO_LOOKUP gives the directory each
/// child sits in.
func subvolumeTree(at path: String) throws -> [String] {
    let fs = try FileSystem(path: path)
    var lines: [String] = []
    func listInside(_ parent: UInt64, _ parentPath: String) throws {
        let min = Key(parent, .rootRef, 0), max = Key(parent, .rootRef, .max)
        var children: [(tree: UInt64, path: String)] = []
        for item in fs.search(TreeSearch(tree: ObjectID.rootTree.rawValue, min: min, max: max)) {
            let item = try item.get()
            let ref = try RootRef(key: item.key, reader: item.reader())
            let directory = try fs.inoLookup(tree: ref.parentTree, objectid: ref.dirid).path
            children.append((ref.tree, String(pathBytes: directory + ref.name)))
        }
        for child in children {
            lines.append("ID \(child.tree) parent \(parent) path \(parentPath)/\(child.path)")
            try listInside(child.tree, parentPath + "/" + child.path)
        }
    }
    try listInside(ObjectID.fsTree.rawValue, "")
    return lines
}
// end guide

// guide: show_metadata_tree_sizes
/// show_metadata_tree_sizes.py: tree blocks counted per tree and level from the extent tree's
/// metadata items; blocks of subvolume trees, and shared ones, count as FS_TREE.
func metadataTreeSizes(at path: String) throws -> [String] {
    let fs = try FileSystem(path: path)
    let nodesize = UInt64(try fs.nodesize)
    // The trees python-btrfs's example lists, each with a row even when empty.
    var counts: [UInt64: [UInt64: UInt64]] = [:]   // tree -> level -> blocks
    for tree: ObjectID in [.rootTree, .extentTree, .chunkTree, .devTree, .fsTree, .csumTree, .quotaTree, .uuidTree,
                           .freeSpaceTree, .dataRelocTree] { counts[tree.rawValue] = [:] }
    func owner(refs: UInt64, shared: Bool, first: UInt64?) -> UInt64 {
        guard refs <= 1, !shared, let root = first,
              root < ObjectID.firstFree.rawValue || root > ObjectID.lastFree.rawValue else { return ObjectID.fsTree.rawValue }
        return root
    }
    for chunk in fs.chunks() {
        let chunk = try chunk.get()
        guard chunk.type & (BlockGroupFlags.metadata | BlockGroupFlags.system) != 0 else { continue }
        let group = try fs.blockGroup(vaddr: chunk.vaddr, length: chunk.length)
        for record in fs.extents(minVaddr: group.vaddr, maxVaddr: group.vaddr + group.length - 1, loadMetadataRefs: true) {
            switch try record.get() {
            case .extent(let e):
                guard let info = e.treeBlockInfo else { continue }   // a data extent
                let tree = owner(refs: e.refs, shared: !e.sharedBlockRefs.isEmpty, first: e.treeBlockRefs.first?.root)
                counts[tree, default: [:]][UInt64(info.level), default: 0] += 1
            case .metadata(let m):
                let tree = owner(refs: m.refs, shared: !m.sharedBlockRefs.isEmpty, first: m.treeBlockRefs.first?.root)
                counts[tree, default: [:]][m.skinnyLevel, default: 0] += 1
            }
        }
    }
    func padded(_ text: String, _ width: Int, right: Bool) -> String {
        let pad = String(repeating: " ", count: Swift.max(0, width - text.count))
        return right ? pad + text : text + pad
    }
    return counts.keys.sorted().map { tree in
        let levels = counts[tree] ?? [:]
        let name = ObjectID(tree).name.map { "\($0)" } ?? "\(tree)"
        let size = PythonFormat.prettySize(nodesize * levels.values.reduce(0, +))
        let perLevel = levels.keys.sorted().map { "\($0)(\(padded("\(levels[$0] ?? 0)", 6, right: true)))" }
        return ([padded(name, 16, right: false), padded(size, 10, right: true)] + perLevel).joined(separator: " ")
    }
}
// end guide

// guide: show_free_space_fragmentation
/// show_free_space_fragmentation.py: data block groups whose free space is cut into many
/// middle-sized pieces, scored as the example does (free space from the free space tree).
func freeSpaceFragmentation(at path: String, minScore: Int = 250) throws -> [String] {
    let fs = try FileSystem(path: path)
    var lines = ["Showing all block groups with free space fragmentation score >= \(minScore)"]
    var badChunks = 0
    for chunk in fs.chunks() {
        let chunk = try chunk.get()
        guard chunk.type & BlockGroupFlags.data != 0 else { continue }
        let group = try fs.blockGroup(vaddr: chunk.vaddr, length: chunk.length)
        let log2Length = log2(Double(group.length))
        let halfWidth = (log2Length - 11) / 2, shift = (log2Length + 11) / 2
        var fragments = 0
        var score = 0.0
        for extent in try fs.freeSpaceExtents(minVaddr: group.vaddr, maxVaddr: group.vaddr + group.length - 1) {
            fragments += 1
            score += 1 - abs((log2(Double(try extent.get().length)) - shift) / halfWidth)
        }
        if score >= Double(minScore) {
            badChunks += 1
            lines.append("vaddr \(chunk.vaddr) length \(chunk.length) used_pct \(group.usedPercent) "
                         + "free space fragments \(fragments) score \(Int(score))")
        }
    }
    if badChunks == 0 { lines.append("No block groups found with free space fragmentation score >= \(minScore)") }
    return lines
}
// end guide

// guide: file_dedupe_range
/// file_dedupe_range.py: share `length` bytes of `source` from `offset` with each destination
/// (file, offset) where the contents are the same; the kernel's answer for each.
func dedupe(source: String, offset: UInt64, length: UInt64, into destinations: [(path: String, offset: UInt64)]) throws -> [String] {
    let fs = try FileSystem(path: source)
    var opened: [FileSystem] = []   // each destination's descriptor, open until the call is done
    var infos: [FileDedupeRangeInfo] = []
    for destination in destinations {
        let file = try FileSystem(path: destination.path)
        opened.append(file)
        infos.append(FileDedupeRangeInfo(destination: file.descriptor.rawValue, destOffset: destination.offset))
    }
    try fs.dedupeRange(sourceOffset: offset, length: length, destinations: &infos)
    return zip(destinations, infos).map { "dest \($0.0.path) \($0.1)" }
}
// end guide

// guide: set_received_uuid
/// set_received_uuid.py: mark a subvolume as received (what `btrfs receive` does at its end),
/// showing its root item's received fields before and after.
func setReceived(uuid: BtrfsUUID, stransid: UInt64, stime: TimeSpec, subvolume path: String) throws -> [String] {
    let fs = try FileSystem(path: path)
    let tree = try fs.inoLookup().tree
    func fields(_ title: String) throws -> [String] {
        guard let root = try fs.subvolumes(minID: tree, maxID: tree).collect().first else { return [] }
        return [title, "  subvol_id: \(root.key.objectID)", "  received_uuid: \(root.receivedUUID)",
                "  stime: \(root.stime)", "  stransid: \(root.stransid)", "  rtime: \(root.rtime)",
                "  rtransid: \(root.rtransid)", ""]
    }
    var lines = try fields("Current subvolume information:")
    lines += ["Setting received subvolume...", ""]
    _ = try fs.setReceivedSubvol(uuid: uuid, stransid: stransid, stime: stime)
    lines += try fields("Resulting subvolume information:")
    return lines
}
// end guide

// guide: show_block_group_data_extent_filenames
/// show_block_group_data_extent_filenames.py: the block group at `vaddr`, each data extent in
/// it, and every inode using the extent (LOGICAL_INO_V2, ignoring the offset), with its path when
/// it lives in a subvolume (INO_LOOKUP; `None` when the inode is gone).
func blockGroupFilenames(vaddr: UInt64, at path: String) throws -> [String] {
    let fs = try FileSystem(path: path)
    let group = try fs.blockGroup(vaddr: vaddr)
    var lines = ["\(group)"]
    var paths: [LogicalInoRef: String] = [:]   // keyed by root and inode (offset 0)
    func pathText(root: UInt64, inum: UInt64) throws -> String {
        let key = LogicalInoRef(inum: inum, offset: 0, root: root)
        if let known = paths[key] { return known }
        var text = "None"
        do {
            let found = try fs.inoLookup(tree: root, objectid: inum).path
            text = PythonText.embeddedText(Array(found.dropLast()))   // without the trailing '/'
        } catch let error as BtrfsError where error.errno == ENOENT {}
        paths[key] = text
        return text
    }
    for record in fs.extents(minVaddr: vaddr, maxVaddr: vaddr + group.length - 1) {
        guard case .extent(let extent) = try record.get(), extent.flags & ExtentItem.flagData != 0 else { continue }
        lines.append("\(extent)")
        let found = try fs.logicalInoAll(extent.vaddr, ignoreOffset: true)
        for inode in found.refs {
            let inSubvolume = inode.root == ObjectID.fsTree.rawValue
                || (ObjectID.firstFree.rawValue...ObjectID.lastFree.rawValue).contains(inode.root)
            let head = "    root \(inode.root) inode \(inode.inum) offset \(inode.offset)"
            lines.append(inSubvolume ? head + " path " + (try pathText(root: inode.root, inum: inode.inum)) : head)
        }
        if found.bytesMissing > 0 { lines.append("    [... remainder can't be shown; too many items for buffer size]") }
    }
    return lines
}
// end guide

// guide: show_file_csum
/// show_file_csum.py: the stored checksum of one block of a file, found in the checksum tree,
/// next to crc32c computed from the file's bytes (the program's two fixed banners left out).
func fileCsumWalkthrough(_ filename: String) throws -> [String] {
    let file = try FileSystem(path: filename, directoryOrFile: true)
    guard try file.isRegularFile() else { return ["\(filename) is not a regular file!"] }
    var lines: [String] = []
    func wraprint(_ text: String) {   // Python's textwrap.wrap(text, 80): greedy, on spaces
        var line = ""
        for word in text.split(separator: " ") {
            if !line.isEmpty && line.count + 1 + word.count > 80 { lines.append(line); line = "" }
            line += line.isEmpty ? String(word) : " " + word
        }
        if !line.isEmpty { lines.append(line) }
        lines.append("")
    }
    let inum = try file.inodeNumber()
    let tree = try file.inoLookup(objectid: inum).tree
    wraprint("File \(filename) has inode number \(inum) in tree \(tree).")
    let sectorsize = UInt64(try file.sectorsize)
    wraprint("Looking for the first reference to a regular data extent that is at least "
             + "sectorsize \(sectorsize) big and does not use compression...")
    var first: FileExtentItem?
    for item in file.items(tree: tree, min: Key(inum, .extentData, 0), max: Key(inum, .extentData, .max)) {
        guard case .fileExtent(let e) = try item.get() else { continue }
        if e.type == FileExtentItem.typeRegular && e.diskBytenr != 0 && e.numBytes >= sectorsize && e.compression == 0 {
            first = e
            break
        }
    }
    guard let extent = first else {
        wraprint("No regular extent found, try another file.")
        return lines
    }
    wraprint("At offset \(extent.logicalOffset) in the file, it's using \(extent.numBytes) bytes of data which we can "
             + "find at offset \(extent.offset) inside a data extent at vaddr \(extent.diskBytenr).")
    let vaddr = extent.diskBytenr + extent.offset
    wraprint("Now, we first look up the checksum value for one block (\(sectorsize) bytes) of data at vaddr "
             + "\(vaddr) (\(extent.diskBytenr) + \(extent.offset)).")
    wraprint("If we're lucky, the checksum tree has a key at \(vaddr). If not, we have to try searching back a bit "
             + "to find the csum object that holds information about our data block. Searching back is done in a "
             + "very clumsy way, because we can only search forward when using the search ioctl.")
    // The last EXTENT_CSUM item at or before vaddr, searching forward from minVaddr (or the
    // first one after vaddr when none starts at or before it).
    func csumItem(from minVaddr: UInt64) throws -> (offset: UInt64, data: [UInt8])? {
        let id = ObjectID.extentCsum.rawValue
        var previous: (offset: UInt64, data: [UInt8])?
        for item in file.search(TreeSearch(tree: ObjectID.csumTree.rawValue, min: Key(id, .extentCsum, minVaddr),
                                           max: Key(id, .extentCsum, .max))) {
            let item = try item.get()
            if item.key.offset > vaddr { return previous ?? (item.key.offset, item.bytes) }
            previous = (item.key.offset, item.bytes)
        }
        return previous
    }
    var minVaddr = vaddr, lookBack: UInt64 = 4096
    var found = try csumItem(from: minVaddr)
    // Back off until an item starts at or before vaddr, or the search starts at 0. (Python stops
    // with an AttributeError when no item starts at or after minVaddr; this searches back.)
    while minVaddr > 0 && found.map({ $0.offset > vaddr }) ?? true {
        lines.append(found.map { "Next found extent csum at \(minVaddr) is \($0.offset)." }
                     ?? "No extent csum found at or after \(minVaddr).")
        lines.append("Restarting search \(PythonFormat.prettySize(lookBack)) bytes before our target vaddr.")
        minVaddr = vaddr > lookBack ? vaddr - lookBack : 0
        found = try csumItem(from: minVaddr)
        lookBack *= 2
    }
    lines.append("")
    guard let (start, csums) = found else { return lines }   // no checksums at all (nodatasum)
    let csumSize: UInt64 = 4   // crc32c, as the program assumes
    let count = UInt64(csums.count) / csumSize
    let end = start + count * sectorsize
    guard vaddr >= start, vaddr + sectorsize <= end else {
        wraprint("BUG: we got a csum extent that does not cover our block: [\(vaddr),\(vaddr + sectorsize)). "
                 + "The range covered by the csum object is: [\(start),\(end)).")
        return lines
    }
    wraprint("We found an item holding \(csums.count) bytes of checksums, starting at vaddr \(start). This means "
             + "it contains \(count) \(csumSize)-byte checksums covering a range up to but not including vaddr \(end).")
    let index = (vaddr - start) / sectorsize, position = Int(index * csumSize)
    let stored = csums[position..<position + 4].reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
    wraprint("The checksum for our example data block is item nr \(index) at byte position \(position). "
             + "The checksum value is \(stored)")
    guard let handle = FileHandle(forReadingAtPath: filename) else { return lines }
    defer { try? handle.close() }
    try handle.seek(toOffset: extent.logicalOffset)
    let block = [UInt8](try handle.read(upToCount: Int(sectorsize)) ?? Data())
    wraprint("The checksum computed from reading \(sectorsize) bytes from the file at position "
             + "\(extent.logicalOffset) is: \(Crc32c.checksum(block))")
    return lines
}
// end guide

// guide: munin_btrfs_usage
/// munin/plugins/btrfs_usage: a munin graph of how each filesystem uses its raw space, `config`
/// for the graph's definition, else its values. `mounts` is the plugin's env.mounts (one graph
/// per filesystem); without it, every mounted btrfs.
func muninBtrfsUsage(mounts: [String]? = nil, config: Bool) throws -> [String] {
    var paths: [String] = []
    if let mounts {
        var seen = Set<BtrfsUUID>()
        for path in mounts where seen.insert(try FileSystem(path: path).fsid).inserted { paths.append(path) }
    } else {
        paths = try MountedFilesystems.paths()
    }
    var lines: [String] = []
    for path in paths {
        let fs = try FileSystem(path: path)
        let mixed = try fs.mixedGroups()
        lines.append("multigraph btrfs_usage_" + "\(try fs.fsid)".replacing("-", with: "_"))
        // Each field: its name, then label, draw, info and colour (or, with values, its value).
        var fields: [(String, String, String, String, String)] = []
        if config {
            lines += ["graph_args --base 1024 -l 0", "graph_vlabel bytes", "graph_title btrfs space usage for \(path)",
                      "graph_category disk", "graph_info This graph shows how btrfs uses available space"]
            fields = mixed
                ? [("data_metadata_used", "Used Data+Metadata", "AREA", "Used Data+Metadata", "99FFEE"),
                   ("data_metadata_unused", "Unused Data+Metadata", "STACK", "Unused Data+Metadata", "669999")]
                : [("data_used", "Used Data", "AREA", "Used Data", "33FF33"),
                   ("data_unused", "Unused Data", "STACK", "Unused Data", "00CC00"),
                   ("metadata_used", "Used Metadata", "STACK", "Used Metadata", "3399FF"),
                   ("metadata_unused", "Unused Metadata", "STACK", "Unused Metadata", "0000CC")]
            fields += [("system_used", "Used System", "STACK", "Used System", "FFFF33"),
                       ("system_unused", "Unused System", "STACK", "Unused System", "CCCC00"),
                       ("parity", "Parity Blocks", "STACK", "Parity Blocks", "9900FF"),
                       ("unallocated", "Unallocated", "STACK", "Not allocated raw space", "FFFFFF"),
                       ("non_alloc_reclaimable", "Reclaimable non-alloc", "STACK", "Reclaimable not allocatable", "BBBBBB"),
                       ("non_alloc", "Non-allocatable", "STACK", "Non-allocatable", "888888"),
                       ("total", "Total", "LINE2", "Total raw space", "000000")]
            for (name, label, draw, info, colour) in fields {
                lines += ["\(name).label \(label)", "\(name).draw \(draw)", "\(name).info \(info)", "\(name).colour \(colour)"]
            }
            lines.append("")
            continue
        }
        let usage = try fs.usage()
        // Used and allocated bytes of a block group type (python-btrfs's block_group_type_usage).
        func typeUsage(_ type: UInt64) -> (used: Int, allocated: Int) {
            let found = usage.blockGroupTypeUsage.first { $0.type == type }
            return (found?.used ?? 0, found?.allocated ?? 0)
        }
        var left = usage.total   // what is left for "unallocated" after stacking everything else
        let types: [(name: String, type: UInt64)] = mixed
            ? [("data_metadata", BlockGroupFlags.data | BlockGroupFlags.metadata)]
            : [("data", BlockGroupFlags.data), ("metadata", BlockGroupFlags.metadata)]
        for (name, type) in types + [("system", BlockGroupFlags.system)] {
            let (used, allocated) = typeUsage(type)
            lines += ["\(name)_used.value \(used)", "\(name)_unused.value \(allocated - used)"]
            left -= allocated
        }
        left -= usage.parity + usage.unallocatableReclaimable
        let unallocated = max(left - usage.unallocatableHard, 0)
        lines += ["parity.value \(usage.parity)", "non_alloc_reclaimable.value \(usage.unallocatableReclaimable)",
                  "non_alloc.value \(usage.unallocatableHard)", "unallocated.value \(unallocated)",
                  "total.value \(usage.total)", ""]
    }
    return lines
}
// end guide

// guide: check_btrfs
/// nagios/plugins/check_btrfs: a nagios check of unallocated space (in GiB, and allocated
/// percent) and device error counters. The state (0 OK, 1 WARNING, 2 CRITICAL) and the lines.
func checkBtrfs(mountpoint: String, allocatedWarningGiB: Int = 0, allocatedCriticalGiB: Int = 0,
                allocatedWarningPercent: Int = 100, allocatedCriticalPercent: Int = 100) throws -> (state: Int, lines: [String]) {
    for (value, what) in [(allocatedWarningGiB, "Allocated GiB warning"), (allocatedCriticalGiB, "Allocated GiB critical")]
    where value < 0 {
        return (2, ["\(what) threshold must be a positive integer value: \(value)"])
    }
    for (value, what) in [(allocatedWarningPercent, "warning"), (allocatedCriticalPercent, "critical")]
    where !(0...100).contains(value) {
        return (2, ["Allocated \(what) percentage must be between 0 and 100: \(value)"])
    }
    let fs = try FileSystem(path: mountpoint)
    let usage = try fs.usage()
    let size = PythonFormat.prettySize as (Int) -> String
    var state = 0
    var messages: [String] = []
    let unusedLeft = try fs.mixedGroups() ? usage.freeMixed : usage.freeData
    let gib = Int(Sizes.sz1G)
    if usage.allocatableLeft < allocatedCriticalGiB * gib {
        messages.append("Critical: Unallocated left: \(size(usage.allocatableLeft)) (Unused left: \(size(unusedLeft)))")
        state = 2
    } else if usage.allocatableLeft < allocatedWarningGiB * gib {
        messages.append("Warning: Unallocated left: \(size(usage.allocatableLeft)) (Unused left: \(size(unusedLeft)))")
        state = 1
    }
    // Python's int(round(x)): half to even.
    let allocatedPct = Int((Double(usage.allocated * 100) / Double(usage.allocatable)).rounded(.toNearestOrEven))
    let usedPct = Int((Double(usage.virtualUsed * 100) / Double(usage.virtualUsed + usage.freeData)).rounded(.toNearestOrEven))
    if allocatedPct >= allocatedCriticalPercent {
        messages.append("Critical: Allocated: \(allocatedPct)% (Used: \(usedPct)%)")
        state = 2
    } else if allocatedPct >= allocatedWarningPercent {
        messages.append("Warning: Allocated: \(allocatedPct)% (Used: \(usedPct)%)")
        state = max(state, 1)
    }
    var summary = ["Physical size: \(size(usage.total))", "Allocatable: \(size(usage.allocatable))",
                   "Allocated: \(size(usage.allocated)) (\(allocatedPct)%)",
                   "Unallocatable: \(size(usage.unallocatableSoft)) (Reclaimable: \(size(usage.unallocatableReclaimable)))",
                   "Virtual used: \(size(usage.virtualUsed)) (\(usedPct)%)"]
    let devices = try fs.devices().collect()
    for device in devices {
        let stats = try fs.devStats(devid: device.devid)
        let counters = [("write_errs", stats.writeErrs), ("read_errs", stats.readErrs), ("flush_errs", stats.flushErrs),
                        ("corruption_errs", stats.corruptionErrs), ("generation_errs", stats.generationErrs)]
        let nonZero = counters.filter { $0.1 != 0 }.map { "\($0.0): \($0.1)" }
        if !nonZero.isEmpty {
            messages.append("Device \(device.devid): " + nonZero.joined(separator: ", "))
            state = 2
        }
    }
    summary.append("\(devices.count) device(s)")
    let names = ["OK", "WARNING", "CRITICAL"]
    let first = messages.isEmpty ? "BTRFS OK" : "BTRFS \(names[state]): " + messages.joined(separator: ", ")
    return (state, [first, summary.joined(separator: ", ")])
}
// end guide

/// The python-btrfs example programs (Debian's python3-btrfs examples, run on python-btrfs 15)
/// against their Swift rewrites above, on one filesystem.
@Suite(.needsRig) struct LibraryExamplesTests {
    static let examples = "/usr/share/doc/python3-btrfs/examples/"

    /// An example program's output lines, run by /usr/bin/python3 on python-btrfs 15.
    static func python(_ program: String, _ args: [String]) throws -> [String] {
        var environment = ProcessInfo.processInfo.environment
        environment["PYTHONPATH"] = try Rig.pythonBtrfs15()
        let r = try Rig.run(["/usr/bin/python3", examples + program] + args, environment: environment)
        #expect(r.status == 0, "\(program): \(r)")
        return r.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
    }

    @Test(.needsTool("/usr/bin/python3", what: "python3"))
    func examplesPrintWhatPythonBtrfsExamplesPrint() throws {
        try Rig.withFilesystem(FSSpec(devices: 2, deviceSize: 768 << 20, data: "raid1", metadata: "raid1")) { scratch in
            let m = scratch.mountPoint
            try Rig.sh("""
                cd \(m) && btrfs -q subvolume create sv && btrfs -q subvolume create sv/inner && mkdir -p d/e &&
                btrfs -q subvolume create d/e/deep && btrfs -q subvolume create received &&
                for i in $(seq 40); do head -c $((i * 9000)) /dev/urandom > f$i; done && rm f3 f7 f11 f19 &&
                head -c 1048576 /dev/urandom > a && cp a b && sync
                """)
            expectSameLines(try spaceInfoSimple(at: m), try Self.python("btrfs-fi-df-simple.py", [m]), "fi-df-simple")
            let dfCases: [([String], PrettySizeUnit?, Bool)] = [([], nil, true), (["-b"], .bytes, true), (["-k"], .kilo, true),
                                                                (["--si", "-m"], .mega, false), (["-H"], nil, false), (["-g"], .giga, true)]
            for (options, unit, binary) in dfCases {
                expectSameLines(try spaceInfoLines(at: m, unit: unit, binary: binary),
                                try Self.python("btrfs-fi-df.py", options + [m]), "fi-df \(options)")
            }
            expectSameLines(try filesystemInfo(at: m), try Self.python("fs_info.py", [m]), "fs_info")
            for name in ["default", "f1", "a name with spaces", "ünïcode"] {
                #expect(["\(dirItemNameHash(name))"] == (try Self.python("dir_item_name_hash.py", [name])), "\(name)")
                #expect(["\(inodeExtrefHash(parent: 257, name: name))"] == (try Self.python("inode_extref_hash.py", ["257", name])))
            }
            expectSameLines(try defaultSubvolumeID(at: m).map(String.init), try Self.python("show_default_subvolid.py", [m]), "default")
            expectSameLines([try orphanedSubvolumes(at: m)], try Self.python("show_orphaned_subvols.py", [m]), "orphans")
            let subvolumes = try subvolumeTree(at: m)
            #expect(subvolumes.count == 4)
            expectSameLines(subvolumes, try Self.python("show_subvolumes.py", [m]), "subvolumes")
            expectSameLines(try metadataTreeSizes(at: m), try Self.python("show_metadata_tree_sizes.py", [m]), "tree sizes")
            for score in [0, 250] {
                expectSameLines(try freeSpaceFragmentation(at: m, minScore: score),
                                try Self.python("show_free_space_fragmentation.py", ["\(score)", m]), "fragmentation \(score)")
            }
            // Dedupe: the same answer but for the descriptor numbers, which are each program's own.
            let withoutFD = { (line: String) in line.replacing(#/dest_fd \d+/#, with: "dest_fd _") }
            let theirs = try Self.python("file_dedupe_range.py", ["\(m)/a", "0", "65536", "\(m)/b", "0", "\(m)/b", "65536"])
            let ours = try dedupe(source: "\(m)/a", offset: 0, length: 65536, into: [("\(m)/b", 0), ("\(m)/b", 65536)])
            expectSameLines(ours.map(withoutFD), theirs.map(withoutFD), "dedupe")
            // Received: the fields before the call are the same; after it, the kernel's rtime and rtransid.
            try Rig.sh("cd \(m) && btrfs -q subvolume create received2")
            let uuid = "0badcafe-1234-5678-90ab-cdef00000000"
            let pythonLines = try Self.python("set_received_uuid.py", [uuid, "31337", "1234.5678", "\(m)/received"])
            let hex = Array(uuid.filter { $0 != "-" }.utf8)
            let bytes = stride(from: 0, to: hex.count, by: 2).compactMap { UInt8(String(decoding: hex[$0..<$0 + 2], as: UTF8.self), radix: 16) }
            let oursLines = try setReceived(uuid: BtrfsUUID(bytes: bytes), stransid: 31337,
                                            stime: TimeSpec(sec: 1234, nsec: 5678), subvolume: "\(m)/received2")
            let stable = { (lines: [String]) in lines.filter { !$0.hasPrefix("  rtime") && !$0.hasPrefix("  subvol_id") && !$0.hasPrefix("  rtransid") } }
            expectSameLines(stable(oursLines), stable(pythonLines), "set received")
            #expect(oursLines.contains("  received_uuid: \(uuid)"))
        }
    }

    /// python-btrfs 15's examples that its sdist leaves out (Tests/Oracles/python-btrfs-15-examples,
    /// copied from its v15 tag), run by /usr/bin/python3 on python-btrfs 15: status and lines.
    static func python15(_ program: String, _ args: [String], environment extra: [String: String] = [:]) throws -> (status: Int32, lines: [String]) {
        var environment = ProcessInfo.processInfo.environment
        environment["PYTHONPATH"] = try Rig.pythonBtrfs15()
        environment.merge(extra) { $1 }
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Oracles/python-btrfs-15-examples/" + program).path
        let r = try Rig.run(["/usr/bin/python3", path] + args, environment: environment)
        return (r.status, r.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init))
    }

    @Test(.needsTool("/usr/bin/python3", what: "python3"))
    func filenamesChecksumsMuninAndNagiosAsThePythonExamples() throws {
        // noatime: the checksum reads would dirty atimes, and a commit (another suite's sync(2)) between
        // python's munin run and ours would move metadata used.
        try Rig.withFilesystem(FSSpec(devices: 2, deviceSize: 768 << 20, data: "single", metadata: "raid1",
                                      mountOptions: ["noatime"])) { scratch in
            let m = scratch.mountPoint
            try Rig.sh("""
                cd \(m) && btrfs -q subvolume create sv && mkdir d &&
                for i in $(seq 30); do head -c $((i * 7000 + 4096)) /dev/urandom > d/f$i; done &&
                cp --reflink=always d/f5 sv/shared && cp --reflink=always d/f5 "d/with space" &&
                head -c 300 /dev/urandom > small && head -c 2000000 /dev/urandom > big && sync &&
                rm d/f9 && sync
                """)
            let fs = try FileSystem(path: m)
            let dataGroups = try fs.chunks().collect().filter { $0.type & BlockGroupFlags.data != 0 }
            #expect(!dataGroups.isEmpty)
            var allLines: [String] = []
            for chunk in dataGroups {
                let theirs = try Self.python15("show_block_group_data_extent_filenames.py", ["\(chunk.vaddr)", m])
                #expect(theirs.status == 0)
                let ours = try blockGroupFilenames(vaddr: chunk.vaddr, at: m)
                expectSameLines(ours, theirs.lines, "filenames \(chunk.vaddr)")
                allLines += ours
            }
            // The reflinked extent: named in the top level and, relative to it, in subvolume sv.
            #expect(allLines.contains { $0.hasSuffix(" path utf-8 'd/with space'") })
            #expect(allLines.contains { $0.hasSuffix(" path utf-8 'shared'") })
            // The checksum walk-through, without its two fixed banners (each from one "8<" line
            // to the next, and the empty line print() adds after it).
            func withoutBanners(_ lines: [String]) -> [String] {
                var kept: [String] = [], inside = false, afterBanner = false
                for line in lines {
                    if line.hasPrefix("---") && line.hasSuffix("---") && line.contains(" 8< ") {
                        inside.toggle()
                        afterBanner = !inside
                    } else if !inside && !(afterBanner && line.isEmpty) {
                        kept.append(line)
                        afterBanner = false
                    }
                }
                return kept
            }
            for file in ["big", "d/f12", "d/f1", "small", "d"] {
                let theirs = try Self.python15("show_file_csum.py", ["\(m)/\(file)"])
                let ours = try fileCsumWalkthrough("\(m)/\(file)")
                let expected = withoutBanners(theirs.lines)
                if theirs.status == 0 || file == "d" {
                    expectSameLines(ours, expected, "csum \(file)")
                } else {
                    // The python program's AttributeError when no checksum item starts at or after
                    // the block (its item begins before): the same text up to there, then more.
                    #expect(theirs.lines.count > 3 && Array(ours.prefix(expected.count)) == expected, "csum \(file)")
                }
                // Where a block was found, the stored checksum is crc32c of the file's bytes.
                let stored = ours.joined(separator: " ").firstMatch(of: #/The checksum value is (\d+)/#)?.1
                let computed = ours.joined(separator: " ").firstMatch(of: #/from the file at position \d+ is: (\d+)/#)?.1
                #expect(stored == computed, "csum \(file)")
                if ["big", "d/f12"].contains(file) { #expect(stored != nil, "csum \(file)") }
            }
            for config in [false, true] {
                let theirs = try Self.python15("munin/plugins/btrfs_usage", config ? ["config"] : [], environment: ["mounts": "\(m) \(m)/sv"])
                #expect(theirs.status == 0)
                expectSameLines(try muninBtrfsUsage(mounts: [m, "\(m)/sv"], config: config), theirs.lines, "munin config \(config)")
            }
            #expect(try MountedFilesystems.paths().contains(m))
            let checks: [([String], Int, Int, Int, Int)] = [
                ([], 0, 0, 100, 100), (["-awg", "100"], 100, 0, 100, 100), (["-acg", "100", "-awg", "1"], 1, 100, 100, 100),
                (["-awp", "1"], 0, 0, 1, 100), (["-awp", "1", "-acp", "2"], 0, 0, 1, 2), (["-acp", "101"], 0, 0, 100, 101),
                (["-awg", "-1"], -1, 0, 100, 100),
            ]
            for (options, warnGiB, critGiB, warnPct, critPct) in checks {
                let theirs = try Self.python15("nagios/plugins/check_btrfs", options + ["-m", m])
                let ours = try checkBtrfs(mountpoint: m, allocatedWarningGiB: warnGiB, allocatedCriticalGiB: critGiB,
                                          allocatedWarningPercent: warnPct, allocatedCriticalPercent: critPct)
                #expect(Int(theirs.status) == ours.state, "check_btrfs \(options)")
                expectSameLines(ours.lines, theirs.lines, "check_btrfs \(options)")
            }
        }
    }
}
