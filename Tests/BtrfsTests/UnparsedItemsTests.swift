import Foundation
import Testing
import TestRig
@testable import Btrfs

/// The item types python-btrfs leaves unparsed, checked against what else knows their contents:
/// btrfs-progs' qgroup listing, the dev stats ioctl, the root items, the file data itself.
@Suite(.needsRig) struct UnparsedItemsTests {
    static func items(_ fs: FileSystem, tree: UInt64) throws -> [Item] {
        try fs.items(tree: tree).collect()
    }

    @Test func quotaUUIDStatsAndChecksumItemsHoldWhatTheFilesystemSays() throws {
        try Rig.withFilesystem(Scenario.single.spec) { scratch in
            try Scenario.single.populate(scratch)
            let m = scratch.mountPoint
            let fs = try FileSystem(path: m)

            // Qgroups: every info and limit item against `btrfs qgroup show --raw -pcre`.
            let show = try Rig.run(["btrfs", "qgroup", "show", "--raw", "-pcre", m])
            #expect(show.status == 0)
            var progs: [String: [String]] = [:]
            for line in show.stdout.split(separator: "\n").dropFirst(2) {
                let f = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
                if f.count >= 7 { progs[f[0]] = f }
            }
            let quota = try Self.items(fs, tree: 8)
            var infos = 0, limits = 0, relations: [(String, String)] = []
            for item in quota {
                switch item {
                case .qgroupInfo(let q):
                    let row = progs[qgroupIDString(q.qgroupid)]
                    #expect(row?[1] == String(q.rfer) && row?[2] == String(q.excl), "\(qgroupIDString(q.qgroupid))")
                    infos += 1
                case .qgroupLimit(let q):
                    let row = progs[qgroupIDString(q.qgroupid)]
                    let maxRfer = q.flags & 1 != 0 ? String(q.maxRfer) : "none"
                    let maxExcl = q.flags & 2 != 0 ? String(q.maxExcl) : "none"
                    #expect(row?[3] == maxRfer && row?[4] == maxExcl, "\(qgroupIDString(q.qgroupid))")
                    limits += 1
                case .qgroupRelation(let r): relations.append((qgroupIDString(r.src), qgroupIDString(r.dst)))
                case .qgroupStatus(let s): #expect(s.version == 1)
                default: Issue.record("unexpected quota tree item \(item.key)")
                }
            }
            #expect(infos == progs.count && limits == progs.count && infos > 0)
            // Relations are stored both ways; progs lists each child's parents.
            for (child, parent) in relations where child.hasPrefix("0/") {
                #expect(progs[child]?[5].split(separator: ",").contains(Substring(parent)) == true, "\(child) -> \(parent)")
                #expect(relations.contains { $0 == (parent, child) })
            }
            #expect(!relations.isEmpty)

            // UUID tree: each UUID names the subvolumes whose root item carries it.
            var roots: [UInt64: RootItem] = [:]
            var s = fs.subvolumes(minID: 5)
            while let r = try s.next() { roots[r.objectid] = r }
            var uuidItems = 0
            for item in try Self.items(fs, tree: 9) {
                guard case .uuid(let u) = item else { Issue.record("unexpected uuid tree item \(item.key)"); continue }
                for id in u.subvolIDs {
                    let root = roots[id]
                    #expect((u.isReceived ? root?.receivedUUID : root?.uuid) == u.uuid, "subvolume \(id)")
                }
                uuidItems += 1
            }
            // A deleted subvolume (refs 0) keeps its root item until cleaned, but not its UUID entry.
            #expect(uuidItems == roots.values.filter { !$0.uuid.isZero && $0.refs > 0 }.count)

            // Dev stats items: the ioctl's counters.
            for item in try Self.items(fs, tree: 4) {
                guard case .devStats(let d) = item else { continue }
                let live = try fs.devStats(devid: d.devid)
                #expect(Array(d.values.prefix(5)) == live.counters.map(\.value))
            }

            // Checksums: crc32c of each data block of an uncompressed file, read back from the file.
            var checked = 0
            for name in ["frag/f1", "frag/f3", "frag/f5"] {
                var st = stat()
                #expect(stat(m + "/" + name, &st) == 0)
                var extents = fs.inodeItems(tree: 5, inum: UInt64(st.st_ino))
                let data = try [UInt8](Data(contentsOf: URL(fileURLWithPath: m + "/" + name)))
                while let item = try extents.next() {
                    guard case .fileExtent(let fe) = item, !fe.isInline, fe.compression == 0 else { continue }
                    let block = fe.diskBytenr + fe.offset
                    let k = Key(.extentCsum, .extentCsum, block)
                    var c = fs.items(tree: 7, min: Key(.extentCsum, .extentCsum, 0), max: k)
                    var last: ExtentCsumItem?
                    while let x = try c.next() { if case .extentCsum(let cs) = x { last = cs } }
                    guard let cs = last else { Issue.record("no csum item for \(name)"); continue }
                    let index = Int((block - cs.bytenr) / 4096)
                    #expect(index < cs.count)
                    guard index < cs.count else { continue }
                    let expected = Array(cs.csum(index))
                    let crc = Crc32c.checksum(Array(data.prefix(4096)))
                    #expect(expected == withUnsafeBytes(of: crc.littleEndian) { Array($0) }, "\(name)")
                    checked += 1
                }
            }
            #expect(checked == 3)
        }
    }

    /// Simple quotas (enabled through BTRFS_IOC_QUOTA_CTL, which btrfs-progs 6.2 cannot ask for) put
    /// an EXTENT_OWNER_REF in every new data extent: python-btrfs would loop forever on those, so
    /// the owner is checked against the extent's own data backref and the writing subvolume.
    @Test func simpleQuotaOwnerRefsNameTheWritingSubvolume() throws {
        try Rig.withFilesystem(FSSpec()) { scratch in
            let m = scratch.mountPoint
            let enable = try Rig.python("""
            import fcntl, struct, os, sys
            fd = os.open(sys.argv[1], os.O_RDONLY)
            fcntl.ioctl(fd, (3 << 30) | (16 << 16) | (0x94 << 8) | 40, bytearray(struct.pack('<QQ', 4, 0)))
            """, args: [m])
            guard enable.status == 0 else {
                Issue.record("this kernel refused simple quotas: \(enable.stderr)")
                return
            }
            try Rig.sh("""
            cd \(m) && head -c 100000 /dev/urandom > top && btrfs subvolume create sv >/dev/null &&
            head -c 50000 /dev/urandom > sv/inner && sync
            """)
            let fs = try FileSystem(path: m)
            var owners: [UInt64] = []
            var e = fs.extents(loadDataRefs: true)
            while let record = try e.next() {
                guard case .extent(let x) = record, x.flags == ExtentItem.flagData else { continue }
                #expect(x.ownerRefs.count == 1, "\(x.key)")
                #expect(x.ownerRefs.first == x.extentDataRefs.first?.root, "\(x.key)")
                owners += x.ownerRefs
            }
            #expect(Set(owners) == [5, 256])
            var quota = fs.items(tree: 8)
            var sawStatus = false
            while let item = try quota.next() {
                if case .qgroupStatus(let s) = item { sawStatus = true; #expect(s.enableGen != nil) }
            }
            #expect(sawStatus)
            // The short text names the owner the way python-btrfs names backref roots.
            let out = TextBuffer()
            var c = fs.search(TreeSearch(tree: 2))
            while let item = try c.next() { try ShortItemText.write(key: item.key, reader: item.reader(), to: out) }
            #expect(out.text.contains("  inline extent owner ref root FS_TREE\n"))
            #expect(out.text.contains("  inline extent owner ref root 256\n"))
        }
    }
}
