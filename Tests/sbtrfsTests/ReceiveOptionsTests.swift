import Foundation
import Testing
import TestRig

/// `receive`'s options against btrfs-progs 6.2 on the same streams: `--force-decompress` (zlib,
/// zstd and lzo encoded writes decoded in userspace), `-C`, `-e`, `-m`, `-E`, and `enable_verity`.
/// Each tool receives into its own directory; statuses, stdout and stderr (directory names
/// swapped) and the received trees must be the same.
@Suite("ReceiveOptions", .needsRig)
struct ReceiveOptionsTests {
    typealias B = StreamBuilder

    /// Runs `receive args… <into>/progs-<tag>` and `… ours-<tag>` (directories made first) and
    /// expects the same status, stdout and stderr, the directory names swapped.
    @discardableResult
    static func receiveBoth(_ args: [String], into: String, tag: String, global: [String] = [], stdin: [UInt8]? = nil,
                            expectStatus: Int32? = 0,
                            sourceLocation: SourceLocation = #_sourceLocation) throws -> (progs: String, ours: String) {
        let (progs, ours) = ("\(into)/progs-\(tag)", "\(into)/ours-\(tag)")
        for dir in [progs, ours] { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
        let theirs = try Rig.run(["btrfs"] + global + ["receive"] + args + [progs], stdin: stdin)
        let mine = try Rig.run([Rig.sbtrfsPath] + global + ["receive"] + args + [ours], stdin: stdin)
        let what = "receive \(args.joined(separator: " ")) [\(tag)]"
        if let expectStatus { #expect(theirs.status == expectStatus, "progs \(what): \(theirs)", sourceLocation: sourceLocation) }
        #expect(mine.status == theirs.status, "\(what): \(mine)", sourceLocation: sourceLocation)
        #expect(mine.stdout == theirs.stdout, "\(what)", sourceLocation: sourceLocation)
        expectSameText(mine.stderr, theirs.stderr.replacingOccurrences(of: "progs-\(tag)", with: "ours-\(tag)"), what,
                       sourceLocation: sourceLocation)
        return (progs, ours)
    }

    static func expectSameTree(_ a: String, _ b: String, times: Bool = true, _ what: String,
                               sourceLocation: SourceLocation = #_sourceLocation) throws {
        let diff = try TreeComparison.differences(a, b, times: times)
        #expect(diff.isEmpty, "\(what): \(diff.prefix(10).joined(separator: "\n"))", sourceLocation: sourceLocation)
    }

    /// A subvolume written under compress=zlib, zstd and lzo, sent with `--proto 2
    /// --compressed-data`: every encoded write of the stream is decoded by the receiver with
    /// `--force-decompress` (the received extents are not compressed, compsize says so for both
    /// tools), and written as it came without it; `-vv` traces every command the same way.
    @Test(.needsTool("/usr/bin/compsize", "/usr/sbin/compsize", what: "btrfs-compsize"))
    func forceDecompress() throws {
        try Rig.withFilesystem(FSSpec(deviceSize: 512 << 20, mountOptions: ["compress=zlib"])) { src in
            try Rig.withFilesystem(FSSpec(deviceSize: 512 << 20)) { dst in
                let m = src.mountPoint, stream = "\(src.directory)/compressed.stream"
                let made = try Rig.sh("""
                    set -e
                    btrfs -q subvolume create \(m)/s
                    for c in zlib zstd lzo; do
                        mount -o remount,compress=$c \(m)
                        yes "text compressed with $c" | head -c 700000 > \(m)/s/$c
                        head -c 5000 /dev/urandom >> \(m)/s/$c
                        yes "more $c" | head -c 300000 >> \(m)/s/$c
                        printf 'small %s' $c > \(m)/s/inline-$c
                        sync
                    done
                    btrfs -q subvolume snapshot -r \(m)/s \(m)/snap
                    sync
                    btrfs -q send --proto 2 --compressed-data -f \(stream) \(m)/snap
                    """)
                try #require(made.status == 0, "\(made)")
                let dump = try Rig.run(["btrfs", "receive", "--dump", "-f", stream]).stdout
                for code in 1...3 {
                    try #require(dump.contains("compression=\(code)"), "no encoded write with compression \(code) in the stream")
                }
                for (tag, extra) in [("forced", ["--force-decompress"]), ("encoded", [])] {
                    let (progs, ours) = try Self.receiveBoth(extra + ["-f", stream], into: dst.mountPoint, tag: tag, global: ["-vv"])
                    try Self.expectSameTree("\(m)/snap", "\(ours)/snap", "\(tag): sent and received")
                    try Self.expectSameTree("\(progs)/snap", "\(ours)/snap", "\(tag): progs' and ours")
                    try Rig.sh("sync")
                    let (theirs, mine) = try (Rig.run(["compsize", "\(progs)/snap"]), Rig.run(["compsize", "\(ours)/snap"]))
                    #expect(mine.status == 0 && mine.stdout == theirs.stdout, "\(tag): compsize\n\(mine.stdout)\n\(theirs.stdout)")
                    // Below the header and TOTAL: one line per compression type (the inline files are never compressed).
                    let types = Set(mine.stdout.split(separator: "\n").dropFirst(3).compactMap { $0.split(separator: " ").first.map(String.init) })
                    #expect(types == (tag == "forced" ? ["none"] : ["none", "zlib", "zstd", "lzo"]), "\(tag): \(mine.stdout)")
                }
            }
        }
    }

    /// The fixture's streams (full, full, incremental with a clone source): `-C` confines the
    /// receive to the destination; `-e` stops at the first end command of concatenated streams
    /// (and reads no further: three `-e` receives on one standard input take one stream each);
    /// `-m` names the root mount (a subvolume mounted by itself; wrong ones refused as progs does).
    @Test func chrootEndAndRootMount() throws {
        try Rig.withFilesystem(FSSpec(deviceSize: 1 << 30)) { src in
            try Rig.withFilesystem(FSSpec(deviceSize: 1 << 30)) { dst in
                try SendStreamFixture.populate(src.mountPoint)
                let streams = try SendStreamFixture.streams(src.mountPoint, in: src.directory, protocols: [1])[0]
                let all = try streams.flatMap { try [UInt8](Data(contentsOf: URL(fileURLWithPath: $0.file))) }
                let d = dst.mountPoint
                func expectReceived(_ dir: String, _ subvolumes: [String], _ what: String) throws {
                    let present = try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
                    #expect(present == subvolumes.sorted(), "\(what): \(present)")
                    for s in subvolumes { try Self.expectSameTree("\(src.mountPoint)/\(s)", "\(dir)/\(s)", "\(what) \(s)") }
                }
                // -m first (the parent an incremental stream names must be found below the mount, so no
                // other copy of it with the same received UUID yet): a subvolume of the target mounted by itself.
                try Rig.sh("btrfs -q subvolume create \(d)/sub && mkdir \(d)/sub/progs-m \(d)/sub/ours-m \(dst.directory)/submnt"
                           + " && mount -o subvol=sub,device=\(dst.devices[0]) \(dst.devices[0]) \(dst.directory)/submnt")
                defer { _ = try? Rig.run(["umount", "\(dst.directory)/submnt"]) }
                let sub = "\(dst.directory)/submnt"
                for stream in streams {
                    try Self.receiveBoth(["-m", sub, "-f", stream.file], into: sub, tag: "m")
                }
                try expectReceived("\(sub)/ours-m", SendStreamFixture.subvolumes, "-m")
                try Self.receiveBoth(["-f", streams[0].file], into: sub, tag: "auto")
                for (tag, root) in [("nonexistent", "/nonexistent"), ("not-btrfs", "/tmp"), ("file", streams[0].file)] {
                    try Self.receiveBoth(["-m", root, "-f", streams[0].file], into: sub, tag: tag, expectStatus: 1)
                }
                try Self.receiveBoth(["-m", String(repeating: "m", count: 4096), "-f", streams[0].file], into: sub, tag: "long",
                                     expectStatus: 1)
                // -C: one stream after another, the incremental one finding its parent and clone source.
                for stream in streams {
                    let (progs, ours) = try Self.receiveBoth(["-C", "-f", stream.file], into: d, tag: "chroot", global: ["-v"])
                    try expectReceived(ours, Array(SendStreamFixture.subvolumes.prefix { $0 != stream.subvolume }) + [stream.subvolume], "-C")
                    try expectReceived(progs, Array(SendStreamFixture.subvolumes.prefix { $0 != stream.subvolume }) + [stream.subvolume], "-C progs")
                }
                // Concatenated streams: all of them without -e, the first with it.
                try Self.receiveBoth([], into: d, tag: "all", stdin: all)
                try expectReceived("\(d)/ours-all", SendStreamFixture.subvolumes, "no -e")
                try Self.receiveBoth(["-e"], into: d, tag: "e", stdin: all)
                try expectReceived("\(d)/ours-e", ["base"], "-e")
                let three = try Rig.run(["sh", "-c", "for i in 1 2 3; do \"$0\" -q receive -e \"$1\" || exit; done",
                                         Rig.sbtrfsPath, "\(d)/ours-e"], stdin: all)
                #expect(three.status == 1 && three.stderr == "ERROR: creating subvolume base failed: File exists\n", "\(three)")
                try FileManager.default.createDirectory(atPath: "\(d)/ours-e3", withIntermediateDirectories: false)
                let each = try Rig.run(["sh", "-c", "for i in 1 2 3; do \"$0\" -q receive -e \"$1\" || exit; done",
                                        Rig.sbtrfsPath, "\(d)/ours-e3"], stdin: all)
                #expect(each.status == 0 && each.stderr.isEmpty, "\(each)")
                try expectReceived("\(d)/ours-e3", SendStreamFixture.subvolumes, "three -e receives on one input")
            }
        }
    }

    /// A stream whose commands fail on the way (unlink, rename and rmdir of names that are not
    /// there): `-E N` gives up after N errors, `-E 0` never, the default after the first; what was
    /// received by then is the same for both tools.
    @Test func maxErrors() throws {
        var s = B()
        s.subvol("e")
        s.command(3, B.string(15, "a") + B.u64(3, 257))
        s.command(11, B.string(15, "missing1"))
        s.command(9, B.string(15, "missing2") + B.string(16, "x"))
        s.command(3, B.string(15, "b") + B.u64(3, 258))
        s.command(12, B.string(15, "missing3"))
        s.command(3, B.string(15, "c") + B.u64(3, 259))
        s.end()
        try Rig.withFilesystem(FSSpec(deviceSize: 512 << 20)) { fs in
            let file = "\(fs.directory)/errors.stream"
            try Data(s.bytes).write(to: URL(fileURLWithPath: file))
            for (tag, options) in [("default", []), ("E1", ["-E", "1"]), ("E2", ["--max-errors", "2"]), ("E3", ["-E3"]),
                                   ("E0", ["-E", "0"]), ("E9", ["-E", "9"])] as [(String, [String])] {
                let (progs, ours) = try Self.receiveBoth(options + ["-f", file], into: fs.mountPoint, tag: tag, expectStatus: 1)
                try Self.expectSameTree("\(progs)/e", "\(ours)/e", times: false, tag)
            }
            // The subvolume cannot be created (a directory of its name is there): progs writes the
            // stream into that directory; sbtrfs refuses each command and leaves it alone (DIFFERENCES).
            let taken = "\(fs.mountPoint)/taken"
            try FileManager.default.createDirectory(atPath: "\(taken)/e", withIntermediateDirectories: true)
            let r = try Rig.sbtrfs(["receive", "-E", "0", "-f", file, taken])
            #expect(r.status == 1 && r.stderr.hasPrefix("At subvol e\nERROR: creating subvolume e failed: File exists\nERROR: mkfile: no subvolume received yet\n"), "\(r)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: "\(taken)/e").isEmpty)
            for bad in [["-E", "x"], ["-E", "-1"], ["-E"], ["--max-errors=99999999999999999999"]] {
                try Self.receiveBoth(bad + ["-f", file], into: fs.mountPoint, tag: "bad", expectStatus: nil)
            }
        }
    }

    /// `enable_verity` after a write: both tools ask the kernel for FS_IOC_ENABLE_VERITY on the
    /// received file and report the same (this kernel's btrfs may have no fs-verity; then both fail
    /// alike); the file's verity flag afterwards is the same.
    @Test func enableVerity() throws {
        var s = B(version: 2)
        s.subvol("v")
        s.command(3, B.string(15, "f") + B.u64(3, 257))
        s.command(15, B.string(15, "f") + B.u64(18, 0) + B.attribute(19, [UInt8](repeating: 0x76, count: 10000), dataLast: true))
        s.command(26, B.string(15, "f") + B.attribute(32, [1]) + B.attribute(33, B.le(4096, 4)) + B.attribute(34, [])
                  + B.attribute(35, []))
        s.end()
        try Rig.withFilesystem(FSSpec(deviceSize: 512 << 20)) { fs in
            let file = "\(fs.directory)/verity.stream"
            try Data(s.bytes).write(to: URL(fileURLWithPath: file))
            let (progs, ours) = try Self.receiveBoth(["-f", file], into: fs.mountPoint, tag: "verity", expectStatus: nil)
            try Self.expectSameTree("\(progs)/v", "\(ours)/v", times: false, "verity")
            let flags = try [progs, ours].map { try Rig.run(["lsattr", "-d", "\($0)/v/f"]).stdout.split(separator: " ").first ?? "" }
            #expect(flags[0] == flags[1], "\(flags)")
        }
    }
}
