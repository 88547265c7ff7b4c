import Foundation
import Testing
import TestRig
@testable import Btrfs

/// The FileSystem helpers against python-btrfs 15's same-named ones, on the scenarios and on a
/// filesystem with a block group tree (which 15 reads its block groups from).
@Suite(.needsRig) struct FileSystemAPITests {
    /// python-btrfs's helpers, each result in pydump's line format, one section per helper.
    static let script = """
    import sys, json, runpy, btrfs
    pd = runpy.run_path(sys.argv[1])
    view = pd['view']
    assert btrfs.__version__ == '15', btrfs.__version__
    fs = btrfs.FileSystem(sys.argv[2])
    print('cached', fs.fsid, fs.nodesize, fs.sectorsize)
    def out(section, objs):
        for o in objs: print(section, json.dumps(view(o), sort_keys=True, separators=(',', ':')))
    out('devices', fs.devices())
    out('chunks', fs.chunks())
    out('chunks2', fs.chunks(min_vaddr=1, nr_items=2))
    out('dev_extents', fs.dev_extents())
    out('block_groups', fs.block_groups())
    chunks = list(fs.chunks())
    out('block_groups2', fs.block_groups(min_vaddr=chunks[1].vaddr, max_vaddr=chunks[-1].vaddr - 1, nr_items=2))
    out('block_group', [fs.block_group(c.vaddr) for c in chunks] + [fs.block_group(c.vaddr, c.length) for c in chunks])
    out('extents', fs.extents())
    out('extents_refs', fs.extents(load_data_refs=True, load_metadata_refs=True))
    out('top_level', [fs.top_level()])
    out('subvolumes', fs.subvolumes())
    print('orphans', json.dumps([str(i) for i in fs.orphan_subvol_ids()]))
    for e in fs.free_space_extents(): print('free', e.vaddr, e.length)
    f = fs.features()
    print('features', f.compat_flags, f.compat_ro_flags, f.incompat_flags, fs.mixed_groups())
    """

    static func ours(_ fs: FileSystem) throws -> [String] {
        var lines: [String] = []
        func out(_ section: String, _ item: Item) {
            lines.append(section + " " + PythonView.view(item, dataLength: 0).json)
        }
        lines.append("cached \(try fs.fsid) \(try fs.nodesize) \(try fs.sectorsize)")
        // Both ways of walking a cursor: `for … in` over results, and `next()`.
        for x in fs.devices() { out("devices", .devItem(try x.get())) }
        var c = fs.chunks(); while let x = try c.next() { out("chunks", .chunk(x)) }
        for x in fs.chunks(minVaddr: 1, limit: 2) { out("chunks2", .chunk(try x.get())) }
        var de = fs.devExtents(); while let x = try de.next() { out("dev_extents", .devExtent(x)) }
        for x in fs.blockGroups() { out("block_groups", .blockGroup(try x.get())) }
        let chunks = try fs.chunks().collect()
        var bg2 = fs.blockGroups(minVaddr: chunks[1].vaddr, maxVaddr: chunks[chunks.count - 1].vaddr - 1, limit: 2)
        while let x = try bg2.next() { out("block_groups2", .blockGroup(x)) }
        for c in chunks { out("block_group", .blockGroup(try fs.blockGroup(vaddr: c.vaddr))) }
        for c in chunks { out("block_group", .blockGroup(try fs.blockGroup(vaddr: c.vaddr, length: c.length))) }
        for (section, load) in [("extents", false), ("extents_refs", true)] {
            for x in fs.extents(loadDataRefs: load, loadMetadataRefs: load) {
                switch try x.get() {
                case .extent(let i): out(section, .extent(i))
                case .metadata(let m): out(section, .metadata(m))
                }
            }
        }
        out("top_level", .root(try fs.topLevel()))
        var s = fs.subvolumes(); while let x = try s.next() { out("subvolumes", .root(x)) }
        lines.append("orphans [" + (try fs.orphanSubvolIDs()).map { "\"\($0)\"" }.joined(separator: ", ") + "]")
        var f = try fs.freeSpaceExtents(); while let x = try f.next() { lines.append("free \(x.vaddr) \(x.length)") }
        let feat = try fs.features()
        lines.append("features \(feat.compat) \(feat.compatRO) \(feat.incompat) \(try fs.mixedGroups() ? "True" : "False")")
        return lines
    }

    @Test(arguments: Scenario.allCases)
    func helpersMatchPythonBtrfs(_ scenario: Scenario) throws {
        try Rig.withFilesystem(scenario.spec) { scratch in
            try scenario.populate(scratch)
            try Self.compare(scratch, "\(scenario)")
        }
    }

    /// Block group items in the block group tree (bookworm-backports' mkfs -O block-group-tree).
    @Test func helpersMatchPythonBtrfs15OnABlockGroupTree() throws {
        try Rig.withFilesystem(try Rig.blockGroupTreeSpec(Scenario.single.spec)) { scratch in
            try Scenario.single.populate(scratch)
            let fs = try FileSystem(path: scratch.mountPoint)
            #expect(fs.blockGroupTree() == ObjectID.blockGroupTree.rawValue)
            try Self.compare(scratch, "block group tree")
        }
    }

    static func compare(_ scratch: ScratchFS, _ label: String) throws {
        let r = try Rig.python15(Self.script, args: [ItemDifferentialTests.pydump, scratch.mountPoint])
        #expect(r.status == 0, "\(r.stderr)")
        let fs = try FileSystem(path: scratch.mountPoint)
        let ours = try Self.ours(fs)
        expectSameLines(ours, r.stdout.split(separator: "\n").map(String.init), "\(label) helpers")
        #expect(ours.contains { $0.hasPrefix("free ") })
        #expect(!ours.filter { $0.hasPrefix("block_groups2 ") }.isEmpty)
    }

    @Test func lookUpsFindWhatTheFilesystemHolds() throws {
        try Rig.withFilesystem(Scenario.single.spec) { scratch in
            try Scenario.single.populate(scratch)
            let m = scratch.mountPoint
            let fs = try FileSystem(path: m)
            let names = try FileManager.default.contentsOfDirectory(atPath: m)
            var seen: [String] = []
            var entries = fs.directoryEntries(tree: 5, dir: 256)
            while let e = try entries.next() { seen.append(String(decoding: e.name, as: UTF8.self)) }
            #expect(Set(seen) == Set(names))
            for name in names {
                var st = stat()
                #expect(lstat(m + "/" + name, &st) == 0)
                let entry = try fs.lookup(tree: 5, dir: 256, name: Array(name.utf8))
                #expect(entry != nil, "\(name)")
                guard let entry else { continue }
                if entry.location.itemType == .inodeItem {
                    #expect(entry.location.objectID == UInt64(st.st_ino), "\(name)")
                    let inode = try fs.inode(tree: 5, inum: entry.location.objectID)
                    #expect(inode?.size == UInt64(st.st_size), "\(name)")
                    #expect(inode?.nlink == UInt32(st.st_nlink), "\(name)")
                    #expect(inode?.mode == st.st_mode, "\(name)")
                    var all = fs.inodeItems(tree: 5, inum: entry.location.objectID)
                    var count = 0
                    while let item = try all.next() { #expect(item.key.objectID == entry.location.objectID); count += 1 }
                    #expect(count >= 2)  // at least the inode item and one ref
                } else {
                    // A subvolume: the entry points at its root item.
                    #expect(entry.location.itemType == .rootItem)
                }
            }
            #expect(try fs.lookup(tree: 5, dir: 256, name: Array("no such name".utf8)) == nil)
            let (tree, path) = try fs.inoLookup(objectid: 256)
            #expect(tree == 5 && path.isEmpty)
        }
    }
}
