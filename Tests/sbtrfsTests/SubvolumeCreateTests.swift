import Foundation
import Testing
import TestRig

/// create / snapshot / delete / sync: the same messages as btrfs-progs 6.2, the same effect, and a
/// refused operation changes nothing.
@Suite(.serialized) struct SubvolumeCreateTests {
    /// Everything a refused command could have touched: the subvolume list and every path with its type.
    static func state(_ m: String) throws -> String {
        // Generations move with any commit (atime updates too): compare ids, parents, UUIDs and paths.
        try Rig.sh("btrfs subvolume list -a -u -q '\(m)' | awk '{ $4 = \"\"; print }'").stdout
            + Rig.sh("cd '\(m)' && find . -printf '%p %y %m\\n' | sort").stdout
    }

    /// Runs progs and sbtrfs on twin targets `\(m)/p-…` and `\(m)/s-…` and compares output with the
    /// twin names swapped; both must leave the same kind of thing behind.
    static func expectTwins(_ m: String, _ make: (String) -> [String], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let theirs = try Rig.run(["btrfs"] + make("p"))
        let ours = try Rig.sbtrfs(make("s"))
        #expect(ours.status == theirs.status, "\(make("s")): \(ours.stderr)", sourceLocation: sourceLocation)
        let swap = { (text: String) in text.replacingOccurrences(of: "/p-", with: "/s-") }
        expectSameText(ours.stdout, swap(theirs.stdout), "stdout of \(make("s"))", sourceLocation: sourceLocation)
        expectSameText(ours.stderr, swap(asSbtrfs(theirs.stderr)), "stderr of \(make("s"))", sourceLocation: sourceLocation)
    }

    @Test(.needsRig) func createSnapshotDeleteLikeProgs() throws {
        try Rig.withFilesystem(FSSpec(deviceSize: 1 << 30)) { fs in
            let m = fs.mountPoint
            try SubvolumeFixture.populate(m)
            try Rig.sh("mkdir '\(m)/dir' && btrfs quota enable '\(m)' && btrfs qgroup create 1/7 '\(m)'")
            // create: plain, in a directory, with a space, with -i, the longest name, quiet.
            for name in ["x", "sp ace", "max\(String(repeating: "m", count: 250))"] {
                try Self.expectTwins(m) { ["subvolume", "create", "\(m)/\($0)-\(name)"] }
            }
            try Self.expectTwins(m) { ["subvolume", "create", "\(m)/dir/\($0)-x"] }
            try Self.expectTwins(m) { ["subvolume", "create", "-i", "1/7", "\(m)/\($0)-q"] }
            try Self.expectTwins(m) { ["-q", "subvolume", "create", "\(m)/\($0)-quiet"] }
            for p in ["s-x", "dir/s-x", "s-sp ace", "s-q", "s-quiet"] {
                let ours = try Rig.python("import btrfsutil, sys; print(btrfsutil.is_subvolume(sys.argv[1]))", args: ["\(m)/\(p)"])
                #expect(ours.stdout == "True\n", "sbtrfs made a subvolume \(p)")
            }
            let inherit = try Rig.run(["btrfs", "qgroup", "show", "-p", m]).stdout
            let qID = try SubvolumeFixture.subvolumeID("\(m)/s-q")
            #expect(inherit.contains("0/\(qID)") && inherit.split(separator: "\n").contains { $0.hasPrefix("0/\(qID) ") && $0.contains("1/7") },
                    "-i 1/7 put the new subvolume in qgroup 1/7:\n\(inherit)")

            // snapshot: into a new name, into an existing directory, read-only.
            try Self.expectTwins(m) { ["subvolume", "snapshot", "\(m)/a", "\(m)/\($0)-snap"] }
            try Rig.sh("mkdir '\(m)/p-into' '\(m)/s-into'")
            try Self.expectTwins(m) { ["subvolume", "snapshot", "\(m)/a", "\(m)/\($0)-into"] }
            try Self.expectTwins(m) { ["subvolume", "snapshot", "-r", "\(m)/a", "\(m)/\($0)-ro"] }
            let ro = try Rig.python("import btrfsutil, sys; print(btrfsutil.get_subvolume_read_only(sys.argv[1]))", args: ["\(m)/s-ro"])
            #expect(ro.stdout == "True\n")
            #expect(FileManager.default.fileExists(atPath: "\(m)/s-into/a/file"))

            // delete: one, several, by id, with commits, verbose.
            try Self.expectTwins(m) { ["subvolume", "delete", "\(m)/\($0)-x"] }
            try Self.expectTwins(m) { ["subvolume", "delete", "-c", "\(m)/\($0)-snap", "\(m)/\($0)-ro"] }
            try Self.expectTwins(m) { ["subvolume", "delete", "-C", "-v", "\(m)/\($0)-into/a"] }
            for p in ["x", "snap", "ro", "into/a"] {
                #expect(!FileManager.default.fileExists(atPath: "\(m)/s-\(p)"), "s-\(p) deleted")
            }
            for prefix in ["p", "s"] {
                let id = String(try SubvolumeFixture.subvolumeID("\(m)/\(prefix)-quiet"))
                let r = prefix == "p" ? try Rig.run(["btrfs", "subvolume", "delete", "-i", id, m])
                                      : try Rig.sbtrfs(["subvolume", "delete", "-i", id, m])
                #expect(r.status == 0 && r.stdout == "Delete subvolume (no-commit): '\(m)/\(prefix)-quiet'\n", "\(r)")
            }
            // sync waits for what was deleted; its messages name the ids.
            let gone = try Rig.sbtrfs(["subvolume", "sync", m])
            #expect(gone.status == 0)
            #expect(try Rig.run(["btrfs", "subvolume", "list", "-d", m]).stdout.isEmpty)
        }
    }

    @Test(.needsRig) func refusedOperationsChangeNothing() throws {
        try Rig.withFilesystem(FSSpec(deviceSize: 1 << 30)) { fs in
            let m = fs.mountPoint
            try SubvolumeFixture.populate(m)
            try Rig.sh("echo f > '\(m)/plainfile' && mkdir '\(m)/plaindir'")
            let before = try Self.state(m)
            let refused: [[String]] = [
                ["subvolume", "create", "\(m)/a"],                    // existing target
                ["subvolume", "create", "\(m)/plainfile"],
                ["subvolume", "create", "\(m)/nodir/x"],              // missing parent
                ["subvolume", "create", "\(m)/\(String(repeating: "l", count: 256))"],
                ["subvolume", "create", "\(m)/.."],
                ["subvolume", "create", "/proc/x"],                   // not btrfs
                ["subvolume", "create", "-i", "bogus", "\(m)/q"],
                ["subvolume", "create", "-i", "0/0", "\(m)/q"],
                ["subvolume", "create"],
                ["subvolume", "snapshot", "\(m)/plaindir", "\(m)/snapx"],   // source not a subvolume
                ["subvolume", "snapshot", "\(m)/missing", "\(m)/snapx"],    // missing source
                ["subvolume", "snapshot", "\(m)/a", "\(m)/plainfile"],      // target is a file
                ["subvolume", "snapshot", "\(m)/a", "\(m)/snap_ro"],        // target exists (dir with 'a' inside? no: snap_ro has no 'a')
                ["subvolume", "snapshot", "\(m)/a", "\(m)/nodir/x"],
                ["subvolume", "snapshot", "\(m)/a"],
                ["subvolume", "delete", "\(m)/plaindir"],                   // not a subvolume
                ["subvolume", "delete", "\(m)/missing"],
                ["subvolume", "delete", "\(m)/a"],                          // has subvolumes inside? no: d1/d2/b is below
                ["subvolume", "delete", "-i", "99999", m],
                ["subvolume", "delete", "-i", "x", m],
                ["subvolume", "delete"],
                ["subvolume", "sync", m, "5"],
                ["subvolume", "sync", m, "abc"],
                ["subvolume", "sync", m, "99999999999999999999"],     // strtoull overflow
                ["subvolume", "sync", "-s", "0", m],
                ["subvolume", "list", "\(m)/missing"],
                ["subvolume", "list", "-G", "x5", m],
                ["subvolume", "list", "--sort=size", m],
                ["subvolume", "list", m, m],
            ]
            for args in refused {
                try expectSameAsProgs(args)
                let after = try Self.state(m)
                expectSameText(after, before, "state after \(args)")
            }
        }
    }

    /// Paths that are not UTF-8 go through argv as bytes: create, snapshot, show, property, delete.
    @Test(.needsRig) func nonUTF8PathArguments() throws {
        try Rig.withFilesystem(FSSpec(deviceSize: 1 << 30)) { fs in
            let m = fs.mountPoint
            try Rig.sh("mkdir '\(m)/P' '\(m)/S'")
            func run(_ tool: String, _ dir: String) throws -> ProcessResult {
                try Rig.run(["/bin/sh", "-c", """
                    cd '\(m)/\(dir)'
                    T="\(tool)"; N="$(printf 'n\\377\\376')"; S="$(printf 'snap\\375')"
                    $T subvolume create "$N" && $T subvolume snapshot -r "$N" "$S" && $T subvolume show "$S" | head -2 \\
                      && $T property get "$S" ro && $T subvolume delete "$S" "$N"
                    """])
            }
            let theirs = try run("btrfs", "P")
            let ours = try run(Rig.sbtrfsPath, "S")
            #expect(ours.status == 0 && theirs.status == 0, "\(ours)\n\(theirs)")
            // Same bytes but for the working directory's name: in absolute paths ("<mnt>/P/") and at the
            // start of show's first line ("P/"); not any "P/", as the random scratch directory may end in P.
            let swaps = [(Array("\(m)/P/".utf8), Array("\(m)/S/".utf8)), (Array("\nP/".utf8), Array("\nS/".utf8))]
            var expected: [UInt8] = []
            var i = 0
            let bytes = theirs.stdoutBytes
            scan: while i < bytes.count {
                for (from, to) in swaps where bytes.count - i >= from.count && Array(bytes[i..<(i + from.count)]) == from {
                    expected += to
                    i += from.count
                    continue scan
                }
                expected.append(bytes[i])
                i += 1
            }
            #expect(ours.stdoutBytes == expected, "sbtrfs and progs print the same bytes")
            #expect(ours.stdoutBytes.contains(0xff) && ours.stdoutBytes.contains(0xfd))
        }
    }
}
