import Foundation
import Testing
import TestRig

/// Crafted streams: `receive --dump` of every command and of awkward names as btrfs-progs prints
/// them; malformed streams refused as progs refuses them; hostile paths refused without touching
/// anything outside the subvolume, which is left read-only.
@Suite("ReceiveHostile", .serialized)
struct ReceiveHostileTests {
    typealias B = StreamBuilder

    static func write(_ bytes: [UInt8], _ directory: String, _ name: String) throws -> String {
        let path = "\(directory)/\(name)"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Every command kind, with names that need escaping, data with a NUL, a path too long.
    static func everyCommand(version: UInt32) -> [UInt8] {
        var s = B(version: version)
        s.subvol("sub vol")
        s.command(2, B.string(15, "snap") + B.uuid(1, 1) + B.u64(2, 9) + B.uuid(20, 2) + B.u64(21, 8))
        let odd = "a b\\c\td\ne\u{7}\u{1b}\u{8}\u{c}\r\u{b}\u{7f}é"
        for (cmd, name) in [(3, "mkfile"), (4, "mkdir"), (6, "fifo"), (7, "sock")] as [(UInt16, String)] {
            s.command(cmd, B.string(15, "\(name) \(odd)") + B.u64(3, 300))
        }
        s.command(3, B.attribute(15, Array("raw".utf8) + [0xFF, 0x80, 0x01]) + B.u64(3, 301))
        s.command(5, B.string(15, "node") + B.u64(3, 1) + B.u64(5, 0o60640) + B.u64(8, 0x800012))
        s.command(8, B.string(15, "link") + B.u64(3, 2) + B.string(17, "/target with space\n"))
        s.command(9, B.string(15, "from") + B.string(16, "dir/to"))
        s.command(10, B.string(15, "hard") + B.string(17, "other name"))
        s.command(11, B.string(15, "gone"))
        s.command(12, B.string(15, "dir/"))
        s.command(15, B.string(15, "f") + B.u64(18, 123) + B.attribute(19, [1, 2, 3], dataLast: version >= 2))
        s.command(16, B.string(15, "f") + B.u64(18, 4096) + B.u64(24, 8192) + B.uuid(20, 3) + B.u64(21, 4)
                  + B.string(22, "src file") + B.u64(23, 0))
        s.command(13, B.string(15, "f") + B.string(13, "user.x") + B.attribute(14, [0x61, 0x0A, 0, 0x62]))
        s.command(14, B.string(15, "f") + B.string(13, "user.y"))
        s.command(17, B.string(15, "f") + B.u64(4, 1 << 40))
        s.command(18, B.string(15, "f") + B.u64(5, 0o104755))
        s.command(19, B.string(15, "f") + B.u64(6, 1000) + B.u64(7, 4_294_967_295))
        let t = B.le(1_700_000_000, 8) + B.le(123_456_789, 4)
        let old = B.le(UInt64(bitPattern: -86400), 8) + B.le(5, 4)
        s.command(20, B.string(15, "") + B.attribute(11, t) + B.attribute(10, old) + B.attribute(9, t))
        s.command(22, B.string(15, "f") + B.u64(18, 0) + B.u64(4, 65536))
        s.command(23, B.string(15, "f") + B.attribute(25, B.le(3, 4)) + B.u64(18, 0) + B.u64(4, 4096))
        s.command(24, B.string(15, "f") + B.u64(26, 0x10))
        s.command(25, B.string(15, "f") + B.u64(18, 0) + B.u64(27, 4096) + B.u64(28, 8192) + B.u64(29, 0)
                  + B.attribute(30, B.le(2, 4)) + B.attribute(19, [9, 9], dataLast: version >= 2))
        s.command(25, B.string(15, "g") + B.u64(18, 0) + B.u64(27, 1) + B.u64(28, 2) + B.u64(29, 0)
                  + B.attribute(19, [], dataLast: version >= 2))
        s.command(26, B.string(15, "f") + B.attribute(32, [1]) + B.attribute(33, B.le(4096, 4))
                  + B.attribute(34, [1, 2]) + B.attribute(35, []))
        s.command(77, B.string(15, "unknown"))
        s.command(3, B.string(15, String(repeating: "p", count: 4093)) + B.u64(3, 9))
        s.command(3, B.string(15, "after") + B.u64(3, 9))
        s.end()
        s.command(3, B.string(15, "past the end") + B.u64(3, 9))
        return s.bytes
    }

    /// What each malformed stream is; progs and sbtrfs must give the same dump and receive errors.
    static func malformed() -> [(String, [UInt8])] {
        var cases: [(String, [UInt8])] = [("empty", []), ("short header", Array("btrfs-st".utf8))]
        cases.append(("bad magic", B(magic: Array("btrfs-streax".utf8) + [0]).bytes))
        cases.append(("version 3", B(version: 3).bytes))
        cases.append(("no commands", B().bytes))
        var crc = B(); crc.subvol("v"); crc.bytes[crc.bytes.count - 1] ^= 1
        cases.append(("bad crc", crc.bytes))
        var cut = B(); cut.subvol("v"); cut.bytes.removeLast(5)
        cases.append(("truncated", cut.bytes))
        var past = B(); past.command(1, B.le(15, 2) + B.le(200, 2) + [0x61])
        cases.append(("attribute past the end", past.bytes))
        var type = B(); type.command(1, B.string(40, "x"))
        cases.append(("unknown attribute", type.bytes))
        var missing = B(); missing.command(1, B.string(15, "v"))
        cases.append(("missing attribute", missing.bytes))
        var size = B(); size.command(1, B.string(15, "v") + B.attribute(1, [1]))
        cases.append(("wrong size", size.bytes))
        var noEnd = B(); noEnd.subvol("v")
        cases.append(("no end", noEnd.bytes))
        return cases
    }

    @Test("receive --dump of crafted streams is byte for byte btrfs-progs'", .needsRig)
    func dumpMatchesProgs() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sbtrfs-dump-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var files = [try Self.write(Self.everyCommand(version: 1), dir, "v1"), try Self.write(Self.everyCommand(version: 2), dir, "v2")]
        for (i, (_, bytes)) in Self.malformed().enumerated() { files.append(try Self.write(bytes, dir, "bad\(i)")) }
        // progs repeats "unexpected EOF" forever with -E 0 on a stream without its end: not run.
        for file in files {
            for extra in [[], ["-E", "0"], ["-E", "3"]] as [[String]] where !(extra == ["-E", "0"] && file.contains("/bad")) {
                let args = ["receive", "--dump"] + extra + ["-f", file]
                let theirs = try Rig.run(["btrfs"] + args, environment: ["TZ": "Europe/Berlin"])
                let ours = try Rig.run([Rig.sbtrfsPath] + args, environment: ["TZ": "Europe/Berlin"])
                #expect(ours.status == theirs.status, "\(args)")
                #expect(ours.stdoutBytes == theirs.stdoutBytes, "\(args)")
                if ours.stdoutBytes != theirs.stdoutBytes { expectSameText(ours.stdout, theirs.stdout, "\(args)") }
                expectSameText(ours.stderr, theirs.stderr, "\(args)")
            }
        }
    }

    @Test("malformed streams: receive fails as btrfs-progs does, leaving nothing writable", .needsRig)
    func malformedReceive() throws {
        try Rig.withFilesystem(FSSpec(deviceSize: 512 << 20)) { fs in
            for (i, (name, bytes)) in Self.malformed().enumerated() {
                let file = try Self.write(bytes, fs.directory, "bad\(i)")
                for tool in ["progs", "ours"] { try FileManager.default.createDirectory(atPath: "\(fs.mountPoint)/\(tool)\(i)", withIntermediateDirectories: false) }
                let theirs = try Rig.run(["btrfs", "receive", "-f", file, "\(fs.mountPoint)/progs\(i)"])
                let ours = try Rig.run([Rig.sbtrfsPath, "receive", "-f", file, "\(fs.mountPoint)/ours\(i)"])
                #expect(ours.status == 1 && theirs.status == 1, "\(name)")
                expectSameText(ours.stderr, theirs.stderr, name)
                let made = "\(fs.mountPoint)/ours\(i)/v"
                if FileManager.default.fileExists(atPath: made) {
                    let ro = try Rig.run(["btrfs", "property", "get", "-ts", made, "ro"])
                    #expect(ro.stdout == "ro=true\n", "\(name): half-received subvolume left writable")
                }
            }
            let missing = try Rig.run([Rig.sbtrfsPath, "receive", "-f", "\(fs.directory)/no-such-file", fs.mountPoint])
            #expect(missing.status == 1)
            #expect(missing.stderr == "ERROR: cannot open \(fs.directory)/no-such-file: No such file or directory\n")
        }
    }

    @Test("hostile paths never reach outside the subvolume", .needsRig)
    func hostilePaths() throws {
        try Rig.withFilesystem(FSSpec(deviceSize: 512 << 20)) { fs in
            let outside = "\(fs.directory)/outside"
            try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: false)
            let cases: [(String, (inout B) -> Void, String)] = [
                ("dotdot", { $0.command(3, B.string(15, "../escape") + B.u64(3, 1)) }, "ERROR: mkfile: path invalid: ../escape\n"),
                ("absolute", { $0.command(4, B.string(15, "\(outside)/abs") + B.u64(3, 1)) }, "ERROR: mkdir: path invalid: \(outside)/abs\n"),
                ("symlink", {
                    $0.command(8, B.string(15, "link") + B.u64(3, 1) + B.string(17, outside))
                    $0.command(3, B.string(15, "link/evil") + B.u64(3, 2))
                }, "ERROR: mkfile link/evil failed: Too many levels of symbolic links\n"),
                ("symlink write", {
                    $0.command(8, B.string(15, "l2") + B.u64(3, 1) + B.string(17, "\(outside)/target"))
                    $0.command(15, B.string(15, "l2") + B.u64(18, 0) + B.attribute(19, [1]))
                }, "ERROR: cannot open \(fs.mountPoint)//symlink write/l2: Too many levels of symbolic links\n"),
                ("clone", {
                    $0.command(3, B.string(15, "f") + B.u64(3, 1))
                    $0.command(16, B.string(15, "f") + B.u64(18, 0) + B.u64(24, 4096) + B.uuid(20, 0x77) + B.u64(21, 1)
                               + B.string(22, "x") + B.u64(23, 0))
                }, "ERROR: clone: did not find source subvol\n"),
            ]
            try Data().write(to: URL(fileURLWithPath: "\(outside)/target"))
            for (name, body, expected) in cases {
                var s = B()
                s.subvol(name)
                body(&s)
                s.end()
                let file = try Self.write(s.bytes, fs.directory, "hostile")
                let r = try Rig.run([Rig.sbtrfsPath, "-q", "receive", "-f", file, fs.mountPoint])
                #expect(r.status == 1, "\(name)")
                #expect(r.stderr == expected, "\(name)")
                let ro = try Rig.run(["btrfs", "property", "get", "-ts", "\(fs.mountPoint)/\(name)", "ro"])
                #expect(ro.stdout == "ro=true\n", "\(name)")
                let show = try Rig.run(["btrfs", "subvolume", "show", "\(fs.mountPoint)/\(name)"])
                #expect(show.stdout.contains("Received UUID: \t\t-"), "\(name): \(show.stdout)")
            }
            #expect(try FileManager.default.contentsOfDirectory(atPath: outside) == ["target"])
            #expect((try FileManager.default.attributesOfItem(atPath: "\(outside)/target")[.size] as? Int) == 0)
            #expect(!FileManager.default.fileExists(atPath: "\(fs.mountPoint)/escape"))
        }
    }
}
