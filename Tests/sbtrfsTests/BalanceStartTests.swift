import Foundation
import Testing
import TestRig

/// `balance start` with every filter kind, on twin filesystems: btrfs-progs on one, sbtrfs on the
/// other, the same invocation each time. Each must answer the same (status, stdout, stderr: the
/// chunk counts relocated) and leave a chunk tree of the same shape (same profiles after convert).
@Suite(.needsRig, .needsTool("/usr/bin/btrfs", "/bin/btrfs", what: "btrfs-progs"))
struct BalanceStartTests {
    /// Runs `args` (MNT standing for the mount point) with btrfs on `a` and sbtrfs on `b`.
    static func expectSameOnTwins(_ args: [String], _ a: ScratchFS, _ b: ScratchFS,
                                  sourceLocation: SourceLocation = #_sourceLocation) throws {
        let theirs = try Rig.run(["btrfs"] + args.map { $0 == "MNT" ? a.mountPoint : $0 })
        let ours = try Rig.sbtrfs(args.map { $0 == "MNT" ? b.mountPoint : $0 })
        let what = "balance " + args.joined(separator: " ")
        let mapped = { (text: String) in asSbtrfs(text.replacingOccurrences(of: a.mountPoint, with: b.mountPoint)) }
        #expect(ours.status == theirs.status, "\(what): status \(ours) vs \(theirs)", sourceLocation: sourceLocation)
        expectSameText(ours.stdout, mapped(theirs.stdout), "\(what): stdout", sourceLocation: sourceLocation)
        expectSameText(ours.stderr, mapped(theirs.stderr), "\(what): stderr", sourceLocation: sourceLocation)
        let shapes = try BalanceFixture.chunkShapes(a.mountPoint, b.mountPoint)
        #expect(shapes.count == 2 && shapes.first == shapes.last,
                "\(what): the twins' chunk trees differ in shape", sourceLocation: sourceLocation)
    }

    /// The first data chunk's address, for vrange (the same on both twins when they are twins).
    static func firstDataChunk(_ mnt: String) throws -> UInt64 {
        let r = try Rig.python("""
            import btrfs, sys
            with btrfs.FileSystem(sys.argv[1]) as fs:
                print(next(c.vaddr for c in fs.chunks() if c.type & btrfs.BLOCK_GROUP_DATA))
            """, args: [mnt])
        return UInt64(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
    }

    @Test func everyFilterOnSingle() throws {
        try BalanceFixture.withTwins(FSSpec(deviceSize: 1 << 30),
                                     populate: { try BalanceFixture.writeFiles($0, count: 120, size: 1 << 20) }) { a, b in
            let vaddr = try Self.firstDataChunk(a.mountPoint)
            #expect(vaddr == (try Self.firstDataChunk(b.mountPoint)), "twins differ")
            let runs: [[String]] = [
                ["-dusage=50"], ["-dusage=0..60"], ["-dlimit=1"], ["-dlimit=1..2"], ["-mprofiles=dup"],
                ["-dprofiles=single|dup"], ["-dstripes=1..1"], ["-ddevid=1,drange=0..400000000"],
                ["-dvrange=\(vaddr)..\(vaddr + 1)"], ["-dconvert=dup"], ["-dconvert=single,soft"],
                ["-dconvert=single,soft", "--data=usage=90"], ["-v", "-dusage=5..", "-mlimit=..1"],
                ["-f", "-sconvert=dup", "-v"], ["-dusage=50..200"], ["--enqueue", "-mconvert=single", "-f"],
            ]
            for args in runs { try Self.expectSameOnTwins(["balance", "start"] + args + ["MNT"], a, b) }
            // Global -q silences the Done line; the old forms balance everything without a delay.
            try Self.expectSameOnTwins(["-q", "balance", "start", "-dusage=30", "MNT"], a, b)
            try Self.expectSameOnTwins(["balance", "MNT"], a, b)
            try Self.expectSameOnTwins(["balance", "--full-balance", "MNT"], a, b)
            #expect(try BalanceFixture.profiles(a.mountPoint) == BalanceFixture.profiles(b.mountPoint))
        }
    }

    @Test func filtersAndConvertOnRaid1() throws {
        try BalanceFixture.withTwins(FSSpec(devices: 2, deviceSize: 1 << 30, data: "raid1", metadata: "raid1"),
                                     populate: { try BalanceFixture.writeFiles($0, count: 80, size: 1 << 20) }) { a, b in
            let runs: [[String]] = [
                ["-ddevid=2"], ["-dstripes=2..2", "-mdevid=1"], ["-dconvert=single"], ["-dprofiles=single,convert=raid1"],
                ["-dconvert=raid0,limit=1"], ["-dconvert=raid1,soft"], ["-mconvert=dup", "-f"], ["-mconvert=raid1"],
                ["-dusage=100,devid=1,drange=..300000000"],
            ]
            for args in runs { try Self.expectSameOnTwins(["balance", "start"] + args + ["MNT"], a, b) }
            #expect(try BalanceFixture.profiles(b.mountPoint).contains("Data, RAID1"))
        }
    }

    @Test func filtersAndConvertOnRaid10() throws {
        try BalanceFixture.withTwins(FSSpec(devices: 4, deviceSize: 1 << 30, data: "raid10", metadata: "raid1"),
                                     populate: { try BalanceFixture.writeFiles($0, count: 80, size: 1 << 20) }) { a, b in
            let runs: [[String]] = [
                ["-dstripes=4..4"], ["-ddevid=3,limit=1"], ["-dconvert=raid1"], ["-dconvert=raid10", "-mconvert=raid10"],
                ["-dprofiles=raid10|raid1,usage=..100"], ["-mconvert=raid1c3"], ["-v", "-sconvert=raid1", "-f"],
            ]
            for args in runs { try Self.expectSameOnTwins(["balance", "start"] + args + ["MNT"], a, b) }
            let profiles = try BalanceFixture.profiles(b.mountPoint)
            #expect(profiles.contains("Data, RAID10") && profiles.contains("Metadata, RAID1C3"), "\(profiles)")
        }
    }
}
