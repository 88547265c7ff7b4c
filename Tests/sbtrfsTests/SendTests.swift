import Foundation
import Testing
import TestRig

/// `sbtrfs send` against `btrfs send` on the same subvolumes (SendStreamFixture): the same stream
/// bytes, the same `receive --dump`, the same messages and statuses; streams btrfs-progs' receive
/// turns into trees identical to the sources; refusals that change nothing.
@Suite(.needsRig) struct SendTests {
    /// Every way of sending the fixture the tests compare; paths below the mount `m`.
    static func cases(_ m: String) -> [[String]] {
        [
            ["send", "\(m)/snap1"],
            ["send", "-p", "\(m)/snap1", "\(m)/snap2"],
            ["send", "-p", "\(m)/snap1", "-c", "\(m)/base", "\(m)/snap2"],
            // No -p: progs picks snap1 (snap2's sibling from src) among the clone sources.
            ["send", "-c", "\(m)/base", "-c", "\(m)/snap1", "\(m)/snap2"],
            ["send", "--proto", "2", "--compressed-data", "\(m)/snap1"],
            ["send", "--compressed-data", "-p", "\(m)/snap1", "\(m)/snap2"],
            ["send", "--no-data", "-p", "\(m)/snap1", "\(m)/snap2"],
            ["send", "-e", "\(m)/base", "\(m)/snap1"],
            ["send", "\(m)/base", "\(m)/snap1"],
            ["-v", "send", "--proto", "0", "\(m)/base"],
            ["send", "-q", "-v", "-v", "\(m)/base"],
        ]
    }

    @Test func streamsAreProgsStreams() throws {
        try Rig.withFilesystem(FSSpec()) { fs in
            let m = fs.mountPoint
            try SendStreamFixture.populate(m)
            for args in Self.cases(m) {
                let what = args.joined(separator: " ")
                let theirs = try Rig.run(["btrfs"] + args)
                let ours = try Rig.sbtrfs(args)
                try #require(theirs.status == 0, "btrfs \(what): \(theirs.stderr)")
                #expect(ours.status == 0, "sbtrfs \(what): \(ours.stderr)")
                #expect(ours.stderr == theirs.stderr, "sbtrfs \(what): stderr")
                #expect(ours.stdoutBytes.count == theirs.stdoutBytes.count, "\(what): \(ours.stdoutBytes.count) bytes, progs \(theirs.stdoutBytes.count)")
                #expect(ours.stdoutBytes == theirs.stdoutBytes, "\(what): stream bytes differ")
                // What btrfs-progs reads in them, command by command.
                let dumps = try [ours, theirs].map { r -> String in
                    let d = try Rig.run(["btrfs", "receive", "--dump"], stdin: r.stdoutBytes)
                    #expect(d.status == 0, "\(what): receive --dump: \(d.stderr)")
                    return d.stdout
                }
                expectSameText(dumps[0], dumps[1], "\(what): receive --dump")
            }
            // -f: the same bytes in the file, nothing on stdout; an existing file is truncated.
            let (a, b) = (fs.directory + "/theirs.stream", fs.directory + "/ours.stream")
            try Rig.sh("head -c 9000000 /dev/urandom > \(b)")
            let theirs = try Rig.run(["btrfs", "send", "-p", "\(m)/snap1", "-f", a, "\(m)/snap2"])
            let ours = try Rig.sbtrfs(["send", "-p", "\(m)/snap1", "-f", b, "\(m)/snap2"])
            #expect(ours.status == theirs.status && ours.stderr == theirs.stderr && ours.stdoutBytes.isEmpty)
            #expect(try Data(contentsOf: URL(fileURLWithPath: a)) == Data(contentsOf: URL(fileURLWithPath: b)))
        }
    }

    /// Our streams received by btrfs-progs into a second filesystem: base and snap1 full, snap2
    /// incremental on snap1 with base as clone source, in protocol 1 and in protocol 2 with
    /// compressed data; every received tree is its source's (names, modes, owners, times,
    /// xattrs, contents, hard links).
    @Test func progsReceivesOurStreams() throws {
        try Rig.withFilesystem(FSSpec()) { source in
            try Rig.withFilesystem(FSSpec()) { target in
                let m = source.mountPoint
                try SendStreamFixture.populate(m)
                for (proto, extra) in [("v1", [String]()), ("v2", ["--proto", "2", "--compressed-data"])] {
                    let into = "\(target.mountPoint)/\(proto)"
                    try Rig.sh("mkdir \(into)")
                    let sends: [[String]] = [["\(m)/base"], ["\(m)/snap1"], ["-p", "\(m)/snap1", "-c", "\(m)/base", "\(m)/snap2"]]
                    for options in sends {
                        let file = "\(source.directory)/\(proto)-\(options.last!.split(separator: "/").last!).stream"
                        let sent = try Rig.sbtrfs(["send", "-q"] + extra + options + ["-f", file])
                        try #require(sent.status == 0, "\(options): \(sent)")
                        let received = try Rig.run(["btrfs", "receive", "-f", file, into])
                        #expect(received.status == 0, "\(proto) \(options): \(received)")
                    }
                    for subvolume in SendStreamFixture.subvolumes {
                        let differences = try TreeComparison.differences("\(m)/\(subvolume)", "\(into)/\(subvolume)")
                        #expect(differences.isEmpty, "\(proto) \(subvolume):\n\(differences.prefix(10).joined(separator: "\n"))")
                        let ro = try Rig.run(["btrfs", "property", "get", "-ts", "\(into)/\(subvolume)", "ro"])
                        #expect(ro.stdout == "ro=true\n", "\(proto) \(subvolume) received read-only")
                    }
                }
            }
        }
    }

    /// Refusals: progs' messages and statuses, and nothing changes (no subvolume, no flag; an
    /// output file only where progs too has created it before refusing).
    @Test func refusalsAreProgsAndChangeNothing() throws {
        try Rig.withFilesystem(FSSpec()) { fs in
            let m = fs.mountPoint
            try Rig.sh("btrfs -q subvolume create \(m)/rw && echo x > \(m)/rw/f && btrfs -q subvolume snapshot -r \(m)/rw \(m)/ro"
                       + " && btrfs -q subvolume snapshot -r \(m)/rw \(m)/ro2 && btrfs -q subvolume create \(m)/other"
                       + " && btrfs -q subvolume snapshot -r \(m)/other \(m)/other-ro && sync")
            let state = { try Rig.run(["btrfs", "subvolume", "list", "-a", "-u", "-q", "-R", "-g", "-c", "-r", m]).stdout
                + Rig.run(["btrfs", "property", "get", "-ts", "\(m)/ro", "ro"]).stdout }
            let before = try state()
            let refused: [[String]] = [
                ["send", "\(m)/rw"],
                ["send", "\(m)/ro", "\(m)/rw"],
                ["send", "-p", "\(m)/rw", "\(m)/ro"],
                ["send", "-c", "\(m)/rw", "\(m)/ro"],
                ["send", "-c", "/nonexistent", "\(m)/ro"],
                ["send", "-p", "/nonexistent", "\(m)/ro"],
                ["send", "-p", "\(m)/ro", "-p", "\(m)/ro2", "\(m)/ro"],
                ["send", "-p", "\(m)/ro2", "-p", "\(m)/ro", "\(m)/ro"],
                ["send", "-p", "/proc", "\(m)/ro"],
                ["send", "-c", "/proc", "\(m)/ro"],
                ["send", "-p", m, "\(m)/ro"],
                ["send", "-c", "\(m)/ro2", "\(m)/other-ro"],  // no clone source shares other-ro's parent
                ["send", "/nonexistent"],
                ["send", "/proc"],
                ["send", "\(m)/ro", "/proc"],
                ["send", "-i", "\(m)/ro", "\(m)/ro"],
                ["send", "--proto", "5000000000", "\(m)/ro"],
                ["send", "--proto", "x", "\(m)/ro"],
                ["send", "--proto", "3", "\(m)/ro"],
                ["send", "--proto", "1", "--compressed-data", "\(m)/ro"],
                ["send", "-f", "/nonexistent/dir/stream", "\(m)/ro"],
                ["send", "-f", m, "\(m)/ro"],
                ["send", "-f", String(repeating: "x", count: 4096), "\(m)/ro"],
                ["send"],
                ["send", "-c", "\(m)/ro"],
                ["send", "--bogus", "\(m)/ro"],
                ["send", "-x", "\(m)/ro"],
                ["send", "--proto"],
            ]
            for args in refused {
                try expectSameAsProgs(args)
                #expect(try Rig.sbtrfs(args).status != 0, "\(args)")
            }
            // A refusal after -f: progs has made the file (empty) by then, and so does sbtrfs.
            for (tool, file) in [("btrfs", "\(m)/out-progs"), (Rig.sbtrfsPath, "\(m)/out-ours")] {
                let r = try Rig.run([tool, "send", "-f", file, "\(m)/rw"])
                #expect(r.status == 1 && r.stderr.hasSuffix("is not read-only\n"), "\(tool): \(r)")
                let size = (try FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? -1
                #expect(size == 0, "\(tool): \(file) is \(size) bytes")
            }
            // Standard output a terminal: refused before anything is sent.
            let pty = "import os, pty, subprocess, sys\nm, s = pty.openpty()\n"
                + "r = subprocess.run(sys.argv[1:], stdout=s, stderr=subprocess.PIPE)\n"
                + "sys.stderr.buffer.write(r.stderr); sys.exit(r.returncode)"
            let theirs = try Rig.python(pty, args: ["btrfs", "send", "\(m)/ro"])
            let ours = try Rig.python(pty, args: [Rig.sbtrfsPath, "send", "\(m)/ro"])
            #expect(theirs.status == 1 && ours.status == 1 && ours.stderr == theirs.stderr, "\(ours) vs \(theirs)")
            #expect(try state() == before, "a refused send changed the filesystem")
        }
    }

    /// Outputs splice cannot write to. A file opened for appending: progs fails (EINVAL), sbtrfs
    /// copies instead, the same bytes. /dev/full: the output's error in one line and status 1
    /// (progs: EINVAL, status 22); the SIGPIPE the stopped kernel raises does not kill it.
    @Test func outputsSpliceCannotWrite() throws {
        try Rig.withFilesystem(FSSpec()) { fs in
            let m = fs.mountPoint
            try Rig.sh("btrfs -q subvolume create \(m)/rw && head -c 3000000 /dev/urandom > \(m)/rw/f"
                       + " && btrfs -q subvolume snapshot -r \(m)/rw \(m)/ro && sync")
            let plain = try Rig.run(["btrfs", "send", "-q", "\(m)/ro"])
            try #require(plain.status == 0)
            let appended = fs.directory + "/appended"
            try Rig.sh("printf head > \(appended)")
            let ours = try Rig.run(["/bin/sh", "-c", "exec \"$@\" >> \(appended)", "sh", Rig.sbtrfsPath, "send", "-q", "\(m)/ro"])
            #expect(ours.status == 0, "\(ours)")
            #expect(try [UInt8](Data(contentsOf: URL(fileURLWithPath: appended))) == Array("head".utf8) + plain.stdoutBytes)
            let full = try Rig.sbtrfs(["send", "-f", "/dev/full", "\(m)/ro"])
            #expect(full.status == 1 && full.stderr == "At subvol \(m)/ro\nERROR: failed to read stream from kernel: No space left on device\n",
                    "\(full)")
        }
    }
}
