import Foundation
import Testing
import TestRig

/// `subvolume set-received-uuid` and `filesystem dedupe` against python-btrfs's example programs
/// set_received_uuid and file_dedupe_range, and their refusals: one ERROR line, nothing changed.
@Suite(.needsRig) struct ReceivedUUIDDedupeTests {
    static let examples = "/usr/share/doc/python3-btrfs/examples/"

    /// The "Current" and "Resulting" blocks of the set_received_uuid output.
    static func blocks(_ text: String) -> (before: String, after: String) {
        let before = text.components(separatedBy: "Current subvolume information:\n").last?
            .components(separatedBy: "Setting received subvolume...").first ?? ""
        let after = text.components(separatedBy: "Resulting subvolume information:\n").last ?? ""
        return (before, after)
    }

    /// python-btrfs's view of the received fields of subvolume `path`, to see that nothing changed.
    static func received(_ path: String) throws -> String {
        try Rig.python("""
            import btrfs, os, sys
            fd = os.open(sys.argv[1], os.O_RDONLY)
            tree, _ = btrfs.ioctl.ino_lookup(fd)
            fs = btrfs.FileSystem(sys.argv[1])
            r = list(fs.subvolumes(min_id=tree, max_id=tree))[0]
            print(r.received_uuid, r.stransid, r.stime, r.rtransid, r.rtime)
            """, args: [path]).stdout
    }

    @Test func setReceivedUUIDMatchesPythonBtrfs() throws {
        try Rig.withFilesystem(FSSpec(deviceSize: 256 << 20)) { fs in
            let m = fs.mountPoint
            try Rig.sh("cd '\(m)' && btrfs -q subvolume create s && mkdir s/dir && btrfs -q subvolume create ro && btrfs property set ro ro true")
            let s = m + "/s"
            // Ours, then python's, then ours again: each run's "Current" block is the previous one's "Resulting".
            let first = try Rig.sbtrfs(["subvolume", "set-received-uuid", "00000000-1234-5678-90ab-cdef00000000", "31337", "1234.5678", s])
            let python = try Rig.run(["/usr/bin/python3", Self.examples + "set_received_uuid.py",
                                      "{0123456789ABCDEF0123456789abcdef}", "42", "7.8", s])
            let second = try Rig.sbtrfs(["subvolume", "set-received-uuid", "urn:uuid:11111111-2222-3333-4444-555555555555", "0", "0.0", s])
            #expect(first.status == 0 && python.status == 0 && second.status == 0, "\(first)\(python)\(second)")
            expectSameText(Self.blocks(python.stdout).before, Self.blocks(first.stdout).after, "python's current = our result")
            expectSameText(Self.blocks(second.stdout).before, Self.blocks(python.stdout).after, "our current = python's result")
            #expect(first.stdout.contains("  received_uuid: 00000000-1234-5678-90ab-cdef00000000\n  stime: 1234.5678"))
            #expect(second.stdout.hasPrefix("Current subvolume information:\n  subvol_id: "))
            let json = try JSONSerialization.jsonObject(with: Data(try Rig.sbtrfs(["--format", "json", "subvolume", "set-received-uuid",
                "0123456789abcdef0123456789abcdef", "9", "1.2", s]).stdoutBytes)) as? [String: Any]
            let after = (json?["set-received-uuid"] as? [String: Any])?["after"] as? [String: Any]
            #expect(after?["received-uuid"] as? String == "01234567-89ab-cdef-0123-456789abcdef")
            #expect((after?["stransid"] as? NSNumber)?.uint64Value == 9 && (after?["stime-nsec"] as? NSNumber)?.uint64Value == 2)

            // Refusals change nothing.
            let before = try Self.received(s)
            let roBefore = try Self.received(m + "/ro")
            for args in [["x", "1", "1.0", s], ["00000000-1234-5678-90ab-cdef0000000", "1", "1.0", s],
                         ["--", "00000000-1234-5678-90ab-cdef00000000", "-1", "1.0", s],
                         ["00000000-1234-5678-90ab-cdef00000000", "18446744073709551616", "1.0", s],
                         ["00000000-1234-5678-90ab-cdef00000000", "1", "1", s], ["00000000-1234-5678-90ab-cdef00000000", "1", "1.2.3", s],
                         ["00000000-1234-5678-90ab-cdef00000000", "1", "1.1000000000", s],
                         ["00000000-1234-5678-90ab-cdef00000000", "1", "x.1", s],
                         ["00000000-1234-5678-90ab-cdef00000000", "1", "1.0", s + "/dir"],
                         ["00000000-1234-5678-90ab-cdef00000000", "1", "1.0", m + "/ro"],
                         ["00000000-1234-5678-90ab-cdef00000000", "1", "1.0", "/tmp"],
                         ["00000000-1234-5678-90ab-cdef00000000", "1", "1.0", m + "/missing"]] {
                let r = try Rig.sbtrfs(["subvolume", "set-received-uuid"] + args)
                #expect(r.status == 1 && r.stdout.isEmpty, "\(args): \(r)")
                #expect(r.stderr.hasPrefix("ERROR: ") && r.stderr.split(separator: "\n").count == 1, "\(args): \(r.stderr)")
            }
            #expect(try Self.received(s) == before)
            #expect(try Self.received(m + "/ro") == roBefore)
        }
    }

    @Test func dedupeMatchesPythonBtrfsAndChangesNothingWhenRefused() throws {
        try Rig.withFilesystem(FSSpec(deviceSize: 256 << 20)) { fs in
            let m = fs.mountPoint
            try Rig.sh("""
                set -e; cd '\(m)'
                head -c 1048576 /dev/urandom > src
                for f in a b c d; do cp --reflink=never src $f; done
                head -c 1048576 /dev/urandom > other; cp --reflink=never other other2
                mkdir dir; sync
                """)
            /// What must not change: the bytes and where they are (the file extent items' disk addresses).
            func state() throws -> String {
                try Rig.sh("cd '\(m)' && md5sum src a b c d other other2 && filefrag -v src a b c d other other2 | grep -v '^Filesystem type'").stdout
            }
            // The same answers as python-btrfs's program (less its descriptor numbers).
            let python = try Rig.run(["/usr/bin/python3", Self.examples + "file_dedupe_range.py", m + "/src", "0", "131072",
                                      m + "/a", "0", m + "/other", "0", m + "/b", "4096"])
            let ours = try Rig.sbtrfs(["filesystem", "dedupe", m + "/src", "0", "131072",
                                       m + "/c", "0", m + "/other2", "0", m + "/d", "4096"])
            #expect(python.status == 0 && ours.status == 0, "\(python)\(ours)")
            let normalised = python.stdout.replacingOccurrences(of: #" dest_fd \d+"#, with: "", options: .regularExpression)
                .replacingOccurrences(of: "/a ", with: "/c ").replacingOccurrences(of: "/other ", with: "/other2 ")
                .replacingOccurrences(of: "/b ", with: "/d ")
            expectSameText(ours.stdout, normalised, "dedupe")
            #expect(ours.stdout.contains("bytes_deduped 131072 status RANGE_SAME") && ours.stdout.contains("bytes_deduped 0 status RANGE_DIFFERS"))
            // Deduped: c now shares src's extent, as the kernel reports through FIEMAP.
            #expect(try Rig.run(["filefrag", "-v", m + "/c"]).stdout.contains("shared"))

            // Refused or differing: nothing changes.
            let before = try state()
            let differs = try Rig.sbtrfs(["--format", "json", "filesystem", "dedupe", m + "/src", "0", "65536", m + "/other2", "0"])
            let report = try JSONSerialization.jsonObject(with: Data(differs.stdoutBytes)) as? [String: Any]
            let dest = ((report?["dedupe"] as? [String: Any])?["destinations"] as? [[String: Any]])?.first
            #expect(dest?["status"] as? String == "differs" && (dest?["bytes-deduped"] as? NSNumber)?.intValue == 0)
            let unaligned = try Rig.sbtrfs(["filesystem", "dedupe", m + "/src", "0", "4096", m + "/other2", "1"])
            #expect(unaligned.status == 1 && unaligned.stdout.hasSuffix("status ERROR -22: Invalid argument\n"), "\(unaligned)")
            for args in [["src", "x", "4096", "other2", "0"], ["--", "src", "-1", "4096", "other2", "0"],
                         ["src", "0", "99999999999999999999", "other2", "0"], ["src", "0", "4096", "other2"],
                         ["src", "0", "4096", "other2", "0", "a"], ["src", "0", "4096", "dir", "0"], ["dir", "0", "4096", "a", "0"],
                         ["missing", "0", "4096", "a", "0"], ["src", "0", "4096", "missing", "0"], ["src", "0", "4096", "/etc/hostname", "0"]] {
                let full = args.map { ["x", "--", "-1", "4096", "0", "99999999999999999999"].contains($0) || $0.hasPrefix("/") ? $0 : m + "/" + $0 }
                let r = try Rig.sbtrfs(["filesystem", "dedupe"] + full)
                #expect(r.status != 0 && r.stdout.isEmpty, "\(args): \(r)")
                let expected = args.count == 4 ? "sbtrfs filesystem dedupe: not enough arguments" : "ERROR: "
                #expect(r.stderr.hasPrefix(expected) && r.stderr.split(separator: "\n").count == 1, "\(args): \(r.stderr)")
            }
            #expect(try state() == before)
        }
    }
}
