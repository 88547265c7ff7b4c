import Foundation
import Testing
import TestRig
@testable import Btrfs

/// LOGICAL_INO(_V2) against python-btrfs 15's `logical_ino`/`logical_ino_v2`; INO_PATHS,
/// SET_RECEIVED_SUBVOL and FIDEDUPERANGE against python-btrfs 13's own calls (and btrfs-progs' inode-resolve, python-btrfs having no INO_PATHS) on one filesystem.
@Suite(.needsRig) struct ResolveIoctlTests {
    static let pythonLogicalIno = """
    import btrfs, sys
    fs = btrfs.FileSystem(sys.argv[1])
    I = btrfs.ioctl
    assert btrfs.__version__ == '15', btrfs.__version__
    calls = [("v1", lambda v: I.logical_ino(fs.fd, v)),
             ("v2", lambda v: I.logical_ino_v2(fs.fd, v)),
             ("v2o", lambda v: I.logical_ino_v2(fs.fd, v, ignore_offset=True)),
             ("small", lambda v: I.logical_ino_v2(fs.fd, v, bufsize=40, ignore_offset=True)),
             ("all", lambda v: I.logical_ino_v2(fs.fd, v, bufsize=16777216, ignore_offset=True))]
    for line in sys.stdin:
        vaddr = int(line)
        for name, call in calls:
            try:
                inodes, missing = call(vaddr)
            except OSError as e:
                print(name, vaddr, "errno", e.errno)
                continue
            print(name, vaddr, missing, " ".join("%d:%d:%d" % (i.inum, i.offset, i.root) for i in inodes))
    """

    static func ourLogicalIno(_ fs: FileSystem, _ vaddrs: [UInt64]) -> String {
        var out = ""
        let calls: [(String, (UInt64) throws -> LogicalInoResult)] = [
            ("v1", { try fs.logicalIno($0) }),
            ("v2", { try fs.logicalInoV2($0) }),
            ("v2o", { try fs.logicalInoV2($0, ignoreOffset: true) }),
            ("small", { try fs.logicalInoV2($0, bufferSize: 40, ignoreOffset: true) }),
            ("all", { try fs.logicalInoAll($0, ignoreOffset: true) }),
        ]
        for vaddr in vaddrs {
            for (name, call) in calls {
                do {
                    let r = try call(vaddr)
                    out += "\(name) \(vaddr) \(r.bytesMissing) " + r.refs.map { "\($0.inum):\($0.offset):\($0.root)" }.joined(separator: " ") + "\n"
                } catch {
                    out += "\(name) \(vaddr) errno \((error as? BtrfsError)?.errno ?? -1)\n"
                }
            }
        }
        return out
    }

    @Test func matchPythonBtrfsAndProgs() throws {
        try Rig.withFilesystem(FSSpec(deviceSize: 1 << 30)) { scratch in
            let m = scratch.mountPoint
            try ResolveFixture.populate(m)
            let fs = try FileSystem(path: m)

            // LOGICAL_INO: every data extent, at its start and one block in (often no extent: ENOENT).
            let extents = try ResolveFixture.dataExtents(m)
            let vaddrs = extents.flatMap { [$0.vaddr, $0.vaddr + 4096] }
            let theirs = try Rig.python15(Self.pythonLogicalIno, args: [m],
                                        stdin: Array(vaddrs.map { "\($0)\n" }.joined().utf8))
            #expect(theirs.status == 0, "\(theirs)")
            expectSameText(Self.ourLogicalIno(fs, vaddrs), theirs.stdout, "logical ino")
            // The reflinked copies: more than 4 KiB of references, found whole only by growing.
            let target = try fs.logicalInoV2(extents.map(\.vaddr).first { (try? fs.logicalInoV2($0).bytesMissing) ?? 0 > 0 } ?? 0)
            #expect(target.bytesMissing > 0)
            let grown = try fs.logicalInoAll(extents.map(\.vaddr).first { (try? fs.logicalInoV2($0).bytesMissing) ?? 0 > 0 } ?? 0)
            #expect(grown.refs.count == ResolveFixture.reflinkCount + 1 && grown.bytesMissing == 0)

            // INO_PATHS: the same paths progs' inode-resolve prints, in the subvolume of the descriptor.
            for (rel, dir) in [("inline", ""), ("plain", ""), ("links/target", ""), ("sub/dir/f", "sub"), ("snap/dir/f", "snap")] {
                let inum = try FileManager.default.attributesOfItem(atPath: m + "/" + rel)[.systemFileNumber] as? NSNumber
                let prefix = dir.isEmpty ? m : m + "/" + dir
                let progs = try Rig.run(["btrfs", "inspect-internal", "inode-resolve", "\(inum?.uint64Value ?? 0)", prefix])
                let ours = try FileSystem(path: prefix).inoPaths(inum?.uint64Value ?? 0)
                let lines = ours.paths.map { prefix + "/" + String(decoding: $0, as: UTF8.self) + "\n" }.joined()
                expectSameText(lines, progs.stdout, "ino paths \(rel)")
                if rel == "links/target" { #expect(ours.container.elemMissed > 0 && ours.paths.count > 10) }
            }
            #expect(throws: BtrfsError.self) { try fs.inoPaths(999_999) }
        }
    }

    static let pythonRoot = """
    import btrfs, sys
    fs = btrfs.FileSystem(sys.argv[1])
    r = list(fs.subvolumes(min_id=int(sys.argv[2]), max_id=int(sys.argv[2])))[0]
    print(r.received_uuid, r.stransid, r.stime.sec, r.stime.nsec, r.rtransid, r.rtime.sec, r.rtime.nsec)
    """

    static func ourRoot(_ fs: FileSystem, _ id: UInt64) throws -> String {
        var cursor = fs.subvolumes(minID: id, maxID: id)
        guard let r = try cursor.next() else { return "none" }
        return "\(r.receivedUUID) \(r.stransid) \(r.stime.sec) \(r.stime.nsec) \(r.rtransid) \(r.rtime.sec) \(r.rtime.nsec)\n"
    }

    @Test func receivedSubvolAndDedupeMatchPythonBtrfs() throws {
        try Rig.withFilesystem(FSSpec(deviceSize: 512 << 20)) { scratch in
            let m = scratch.mountPoint
            try Rig.sh("""
                set -e; cd '\(m)'
                btrfs -q subvolume create s1; btrfs -q subvolume create s2; mkdir s1/dir
                head -c 262144 /dev/urandom > src
                cp --reflink=never src same1; cp --reflink=never src same2
                head -c 262144 /dev/urandom > other1; cp --reflink=never other1 other2
                sync
                """)
            // Ours sets, python-btrfs reads the root item back; then the other way round.
            let s1 = try FileSystem(path: m + "/s1")
            let id1 = try s1.inoLookup().tree
            let uuid = BtrfsUUID(bytes: Array(0..<16))
            let (rtransid, rtime) = try s1.setReceivedSubvol(uuid: uuid, stransid: 31337, stime: TimeSpec(sec: 1234, nsec: 5678))
            let read = try Rig.python(Self.pythonRoot, args: [m, "\(id1)"])
            #expect(read.stdout == "\(uuid) 31337 1234 5678 \(rtransid) \(rtime.sec) \(rtime.nsec)\n", "\(read)")
            #expect(rtransid > 0 && rtime.sec > 0)
            let s2 = try FileSystem(path: m + "/s2")
            let id2 = try s2.inoLookup().tree
            let set = try Rig.python("""
                import btrfs, os, sys, uuid
                fd = os.open(sys.argv[1], os.O_RDONLY)
                rt, rtime = btrfs.ioctl.set_received_subvol(fd, uuid.UUID(sys.argv[2]), 42, btrfs.ctree.TimeSpec.from_values(7, 8))
                print(sys.argv[2], 42, 7, 8, rt, rtime.sec, rtime.nsec)
                """, args: [m + "/s2", "00000000-1234-5678-90ab-cdef00000000"])
            #expect(set.status == 0, "\(set)")
            expectSameText(try Self.ourRoot(s2, id2), set.stdout, "received subvol set by python-btrfs")
            // Refused: not a subvolume root (EINVAL), a read-only subvolume (EROFS); nothing changes.
            let before = try Self.ourRoot(s1, id1)
            #expect(throws: BtrfsError.system(errno: EINVAL, call: "set received subvol", path: m + "/s1/dir")) {
                try FileSystem(path: m + "/s1/dir").setReceivedSubvol(uuid: .zero, stransid: 1, stime: TimeSpec(sec: 0, nsec: 0))
            }
            try s1.setSubvolumeReadOnly(true)
            #expect(throws: BtrfsError.system(errno: EROFS, call: "set received subvol", path: m + "/s1")) {
                try s1.setReceivedSubvol(uuid: .zero, stransid: 1, stime: TimeSpec(sec: 0, nsec: 0))
            }
            #expect(try Self.ourRoot(s1, id1) == before)

            // FIDEDUPERANGE: python-btrfs on one copy, ours on the other, same verdicts; then a
            // differing range and an unaligned one.
            let dedupe = try Rig.python("""
                import btrfs, os, sys
                src = os.open(sys.argv[1] + "/src", os.O_RDONLY)
                for name, off, length in (("same1", 0, 131072), ("other1", 0, 65536), ("same1", 1, 4096)):
                    info = btrfs.ioctl.FileDedupeRangeInfo(os.open(sys.argv[1] + "/" + name, os.O_RDONLY), off)
                    btrfs.ioctl.fideduperange(src, 0 if name != "other1" else 0, length, [info])
                    print(info.bytes_deduped, info.status_str)
                """, args: [m])
            #expect(dedupe.status == 0, "\(dedupe)")
            let source = try FileSystem(path: m + "/src")
            var ours = ""
            for (name, offset, length) in [("same2", UInt64(0), UInt64(131072)), ("other2", 0, 65536), ("same2", 1, 4096)] {
                let dest = open(m + "/" + name, O_RDONLY)
                defer { close(dest) }
                var infos = [FileDedupeRangeInfo(destination: dest, destOffset: offset)]
                try source.dedupeRange(sourceOffset: 0, length: length, destinations: &infos)
                ours += "\(infos[0].bytesDeduped.map(String.init) ?? "None") \(infos[0].statusText)\n"
            }
            expectSameText(ours, dedupe.stdout, "dedupe range")
            #expect(ours.hasPrefix("131072 RANGE_SAME\n0 RANGE_DIFFERS\n"))
            // The deduped copy now shares the source's first extent; the differing one does not.
            try Rig.sh("sync")
            func inum(_ name: String) throws -> UInt64 {
                (try FileManager.default.attributesOfItem(atPath: m + "/" + name)[.systemFileNumber] as? NSNumber)?.uint64Value ?? 0
            }
            let top = try FileSystem(path: m)
            var items = top.items(tree: 5, min: Key(try inum("src"), 108, 0), max: Key(try inum("src"), 108, .max))
            guard case .fileExtent(let first)? = try items.next() else { Issue.record("no extent of src"); return }
            let users = Set(try top.logicalInoAll(first.diskBytenr, ignoreOffset: true).refs.map(\.inum))
            #expect(users == [try inum("src"), try inum("same1"), try inum("same2")])
        }
    }
}
