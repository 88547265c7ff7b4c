import Foundation
import Testing
import TestRig
import Btrfs

/// `filesystem defragment` against btrfs-progs 6.2 on twin files: files fragmented on purpose
/// (interleaved appends, each fsync'd, so every piece is an extent of its own) are defragmented,
/// one twin by progs and one by sbtrfs, with the same options. The data reads back the same, the
/// extents (FIEMAP) and the compression (compsize) come out as progs' twin's; the messages,
/// the names -v prints in the walk's order and the exit status are progs'; refused runs change
/// no extent.
@Suite(.needsRig, .needsTool("/usr/bin/btrfs", "/bin/btrfs", what: "btrfs-progs"))
struct FilesystemDefragmentTests {
    /// Text-like bytes (words from a small seeded vocabulary): compressible, but not trivially.
    static func payload(_ count: Int, seed: UInt64) -> [UInt8] {
        var state = seed | 1
        func next() -> UInt64 {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            return state
        }
        let vocabulary = (0..<512).map { _ in (0..<(2 + Int(next() % 8))).map { _ in UInt8(97 + next() % 10) } }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count + 16)
        while bytes.count < count {
            bytes += vocabulary[Int(next() % 512)]
            bytes.append(0x20)
        }
        return Array(bytes.prefix(count))
    }

    /// Writes `pieces` pieces of `piece` bytes to each file in turn, each fsync'd: the files'
    /// extents interleave on disk, so none can merge with its neighbour.
    static func fragment(_ paths: [String], pieces: Int = 48, piece: Int = 16384, seed: UInt64 = 7) throws {
        let data = payload(pieces * piece, seed: seed)
        let fds = paths.map { path in path.withCString { open($0, O_WRONLY | O_CREAT | O_TRUNC, 0o644) } }
        defer { fds.forEach { close($0) } }
        guard fds.allSatisfy({ $0 >= 0 }) else { throw RigError("cannot create \(paths)") }
        for k in 0..<pieces {
            for fd in fds {
                let written = data[(k * piece)..<((k + 1) * piece)].withUnsafeBytes { write(fd, $0.baseAddress, piece) }
                guard written == piece, fsync(fd) == 0 else { throw RigError("cannot write piece \(k)") }
            }
        }
    }

    /// The file's extents as FIEMAP reports them, after a sync (defragmented data is written back).
    static func extents(_ path: String) throws -> [FiemapExtent] {
        _ = try Rig.run(["sync"])
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw RigError("cannot open \(path)") }
        defer { close(fd) }
        switch Fiemap.extents(fd: fd) {
        case .success(let extents): return extents
        case .failure(let e): throw RigError("FIEMAP \(path): errno \(e.rawValue)")
        }
    }

    static func checksum(_ path: String) throws -> String {
        // From the disk, not the page cache.
        try "1".write(toFile: "/proc/sys/vm/drop_caches", atomically: false, encoding: .utf8)
        return String(try Rig.run(["sha256sum", path]).stdout.prefix(64))
    }

    /// compsize's report on one file, in bytes.
    static func compsize(_ path: String) throws -> String {
        _ = try Rig.run(["sync"])
        return try Rig.run(["compsize", "-b", path]).stdout
    }

    /// Runs progs on `theirs` and sbtrfs on `ours` with the same options; same status and text.
    static func twin(_ options: [String], theirs: String, ours: String,
                     sourceLocation: SourceLocation = #_sourceLocation) throws {
        let progs = try Rig.run(["btrfs", "filesystem", "defragment"] + options + [theirs])
        let mine = try Rig.sbtrfs(["filesystem", "defragment"] + options + [ours])
        #expect(mine.status == progs.status, "\(options): \(mine) vs \(progs)", sourceLocation: sourceLocation)
        #expect(mine.stdout == progs.stdout.replacingOccurrences(of: theirs, with: ours), "\(options)",
                sourceLocation: sourceLocation)
        #expect(mine.stderr == progs.stderr.replacingOccurrences(of: theirs, with: ours), "\(options)",
                sourceLocation: sourceLocation)
    }

    @Test func extentsAsProgsOnTwinFiles() throws {
        try Rig.withFilesystem(FSSpec(deviceSize: 512 << 20)) { fs in
            let m = fs.mountPoint
            let names = ["whole", "range", "hint", "flush", "library"]
            let files = names.flatMap { ["\(m)/\($0)-progs", "\(m)/\($0)-ours"] }
            try Self.fragment(files)
            let sum = try Self.checksum(files[0])
            let before = try Self.extents(files[0]).count
            try #require(before >= 40, "the files did not fragment: \(before) extents")
            for (name, options) in [("whole", []), ("range", ["-s", "64K", "-l", "256K"]), ("hint", ["-t", "8K"]),
                                    ("flush", ["-f", "-v"])] {
                try Self.twin(options, theirs: "\(m)/\(name)-progs", ours: "\(m)/\(name)-ours")
                let progs = try Self.extents("\(m)/\(name)-progs").count, ours = try Self.extents("\(m)/\(name)-ours").count
                #expect(ours == progs, "\(name): \(ours) extents, progs' twin \(progs)")
                // -t 8K: extents of 16 KiB are above the hint and stay; the others merge.
                #expect(name == "hint" ? ours == before : ours < before, "\(name): \(ours) of \(before)")
            }
            #expect(try Self.extents("\(m)/range-ours").count > Self.extents("\(m)/whole-ours").count,
                    "-s/-l: only part of the file was defragmented")
            // The library's call, as python-btrfs's defrag_range with its defaults plus progs' hint.
            try FileSystem(path: "\(m)/library-ours").defragRange(extentThreshold: 32 << 20)
            #expect(try Self.extents("\(m)/library-ours").count == Self.extents("\(m)/whole-ours").count)
            for file in files { #expect(try Self.checksum(file) == sum, "\(file) reads back different") }
        }
    }

    @Test func compressionAsProgsOnTwinFiles() throws {
        try Rig.withFilesystem(FSSpec(deviceSize: 512 << 20)) { fs in
            let m = fs.mountPoint
            let names = ["zlib", "named-zlib", "lzo", "zstd", "ZSTD"]
            try Self.fragment(names.flatMap { ["\(m)/\($0)-progs", "\(m)/\($0)-ours"] } + ["\(m)/level15", "\(m)/level3"])
            let sum = try Self.checksum("\(m)/zstd-ours")
            for (name, option) in [("zlib", "-c"), ("named-zlib", "-czlib"), ("lzo", "-clzo"), ("zstd", "-czstd"), ("ZSTD", "-cZSTD")] {
                try Self.twin([option], theirs: "\(m)/\(name)-progs", ours: "\(m)/\(name)-ours")
                let ours = try Self.compsize("\(m)/\(name)-ours")
                #expect(ours == (try Self.compsize("\(m)/\(name)-progs")), "\(option)")
                let type = name == "named-zlib" ? "zlib" : name.lowercased()
                #expect(ours.contains("\n\(type) "), "\(option): not compressed with \(type):\n\(ours)")
                #expect(try Self.checksum("\(m)/\(name)-ours") == sum, "\(option)")
            }
            // -L (newer than progs 6.2): level 3 is zstd's default, so it matches progs' -czstd;
            // level 15 packs tighter.
            #expect(try Rig.sbtrfs(["filesystem", "defragment", "-czstd", "-L", "3", "\(m)/level3"]).status == 0)
            #expect(try Rig.sbtrfs(["filesystem", "defragment", "-czstd", "--level=15", "\(m)/level15"]).status == 0)
            let diskBytes = { (path: String) throws -> UInt64 in
                let total = try Self.compsize(path).split(separator: "\n").first { $0.hasPrefix("TOTAL") } ?? ""
                return UInt64(total.split(separator: " ", omittingEmptySubsequences: true).dropFirst(2).first ?? "") ?? 0
            }
            #expect(try diskBytes("\(m)/level3") == diskBytes("\(m)/zstd-progs"))
            #expect(try diskBytes("\(m)/level15") < diskBytes("\(m)/level3"), "the level did not reach the kernel")
            for file in ["\(m)/level3", "\(m)/level15"] { #expect(try Self.checksum(file) == sum) }
        }
    }

    /// On a filesystem mounted with compress=zstd: the same extents and compression as progs' twin
    /// (the kernel leaves small compressed extents as they are), the same bytes.
    @Test func compressMountedAsProgs() throws {
        try Rig.withFilesystem(FSSpec(deviceSize: 512 << 20, mountOptions: ["compress=zstd"])) { fs in
            let m = fs.mountPoint
            try Self.fragment(["\(m)/progs", "\(m)/ours"])
            let sum = try Self.checksum("\(m)/ours")
            try Self.twin([], theirs: "\(m)/progs", ours: "\(m)/ours")
            #expect(try Self.compsize("\(m)/ours") == Self.compsize("\(m)/progs"))
            #expect(try Self.compsize("\(m)/ours").contains("\nzstd "))
            #expect(try Self.extents("\(m)/ours").count == Self.extents("\(m)/progs").count)
            #expect(try Self.checksum("\(m)/ours") == sum)
        }
    }

    /// The walk: progs' names in progs' order at -v, nothing in another subvolume or across a
    /// mount, symlinks not followed; every message and status of a bad argument as progs'.
    @Test func walkAndRefusalsAsProgs() throws {
        try Rig.withFilesystem(FSSpec(deviceSize: 512 << 20)) { fs in
            let m = fs.mountPoint, d = "\(m)/tree"
            try Rig.sh("mkdir -p \(d)/a/b \(d)/empty \(d)/tmpfs && btrfs -q subvolume create \(d)/sub"
                       + " && for f in one two three four five six; do echo $f > \(d)/$f; echo $f > \(d)/a/$f; done"
                       + " && echo deep > \(d)/a/b/deep && ln -s ../one \(d)/a/link && ln -s a \(d)/dirlink"
                       + " && mkfifo \(d)/fifo && mount -t tmpfs none \(d)/tmpfs && echo t > \(d)/tmpfs/file")
            defer { _ = try? Rig.run(["umount", "\(d)/tmpfs"]) }
            try Self.fragment(["\(d)/frag", "\(d)/sub/frag", "\(d)/other"])
            let inSubvolume = try Self.extents("\(d)/sub/frag")
            let before = try Self.extents("\(d)/frag")
            // sbtrfs first, so what it changed is its own doing.
            let walked = try Rig.sbtrfs(["filesystem", "defragment", "-r", d])
            #expect(walked.status == 0 && walked.stdout.isEmpty && walked.stderr.isEmpty, "\(walked)")
            #expect(try Self.extents("\(d)/frag").count < before.count)
            #expect(try Self.extents("\(d)/sub/frag") == inSubvolume, "-r went into another subvolume")
            for args in [["-v", "-r", d], ["-r", "-v", d + "///"], ["-v", d], ["-v", "-r", m], ["-v", "-r", "\(d)/dirlink"],
                         ["-v", "\(d)/a/link", "\(d)/missing", "\(d)/one"], ["-v", "-r", "\(d)/empty", "\(d)/a"],
                         ["\(d)/fifo"], ["/dev/null", "\(d)/one"], ["-s", "1G", "\(d)/one"], ["-cfoo", "\(d)/one"],
                         ["-c", "zstd", "\(d)/one"], ["-t", "1x", "\(d)/one"], ["-t", "5G", "\(d)/one"], ["-s", "-1", "\(d)/one"],
                         ["-l", "", "\(d)/one"], ["-x", "\(d)/one"], [], ["\(fs.images[0])", "\(d)/one"], ["-r", fs.directory],
                         ["-r", "\(d)/tmpfs"]] {
                try expectSameAsProgs(["filesystem", "defragment"] + args)
            }
            try expectSameAsProgs(["-v", "filesystem", "defragment", "-v", "-r", "\(d)/a"])
            try expectSameAsProgs(["-q", "filesystem", "defragment", "\(d)/missing"])
            // A directory the user cannot read: progs' nftw skips it in silence (exit 0); sbtrfs
            // says so and counts it (Docs/DIFFERENCES.md).
            try Rig.sh("mkdir -p \(d)/outer/locked && echo x > \(d)/outer/locked/f && chmod 700 \(d)/outer/locked")
            let silent = try Rig.run(["btrfs", "filesystem", "defragment", "-r", "\(d)/outer"], asUser: "nobody")
            #expect(silent.status == 0 && silent.stderr.isEmpty, "\(silent)")
            // (Rig.run(asUser:) retries an exec that meets ETXTBSY.)
            let told = try Rig.sbtrfs(["filesystem", "defragment", "-r", "\(d)/outer"], asUser: "nobody")
            #expect(told.status == 1 && told.stderr == "ERROR: cannot open \(d)/outer/locked: Permission denied\ntotal 1 failures\n",
                    "\(told)")
            // Refused before the kernel is asked, or refused by it: not an extent moves.
            let other = try Self.extents("\(d)/other")
            for args in [["-cfoo"], ["-t", "1x"], ["-s", "1G"], ["-x"], ["-L"], ["-l", "-5"]] {
                let r = try Rig.sbtrfs(["filesystem", "defragment"] + args + ["\(d)/other"])
                #expect(r.status == 1 && !r.stderr.isEmpty, "\(args): \(r)")
                #expect(try Self.extents("\(d)/other") == other, "\(args) changed the file")
            }
        }
    }
}
