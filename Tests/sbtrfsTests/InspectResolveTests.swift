import Foundation
import Testing
import TestRig

/// `inspect-internal logical-resolve`, `inode-resolve`, `subvolid-resolve`, `rootid` and
/// `min-dev-size` against btrfs-progs 6.2 on one populated filesystem (ResolveFixture).
@Suite(.needsRig, .needsTool("/usr/bin/btrfs", "/bin/btrfs", what: "btrfs-progs"))
struct InspectResolveTests {
    static func inspect(_ args: [String]) -> [String] { ["inspect-internal"] + args }

    static func trimmed(_ r: ProcessResult) -> String { r.stdout.trimmingCharacters(in: .whitespacesAndNewlines) }

    static func inode(_ path: String) throws -> UInt64 {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return (attributes[.systemFileNumber] as? NSNumber)?.uint64Value ?? 0
    }

    /// What logical-resolve must print: progs' own list of references (-P), each resolved by progs'
    /// own inode-resolve in `directories[root]` (where this test knows the subvolume's root to be
    /// reachable), else progs' "not mounted" line. Where progs 6.2 itself resolves (PATH is the top
    /// level's root) this is exactly its output; elsewhere it is what 6.2 fails to find
    /// (Docs/DIFFERENCES.md).
    /// progs' inode-resolve answers already asked for, by "inode directory" (the 200 reflinks of
    /// one extent are asked about once, not once per variant).
    final class Answers { var paths: [String: String] = [:] }

    static func expectLogicalResolve(_ options: [String], _ logical: UInt64, _ path: String,
                                     directories: [UInt64: String], mnt: String, answers: Answers,
                                     sourceLocation: SourceLocation = #_sourceLocation) throws {
        let listed = try Rig.run(["btrfs"] + inspect(["logical-resolve", "-P"] + options + ["\(logical)", path]))
        let ours = try Rig.sbtrfs(inspect(["logical-resolve"] + options + ["\(logical)", path]))
        guard listed.status == 0 else {
            let theirs = try Rig.run(["btrfs"] + inspect(["logical-resolve"] + options + ["\(logical)", path]))
            #expect(ours.status == theirs.status, sourceLocation: sourceLocation)
            expectSameText(ours.stderr, asSbtrfs(theirs.stderr), "logical-resolve \(options) \(logical) stderr", sourceLocation: sourceLocation)
            return
        }
        var expected = ""
        for line in listed.stdout.split(separator: "\n") {
            let f = line.split(separator: " ")
            guard f.count == 6, let inum = UInt64(f[1]), let root = UInt64(f[5]) else {
                Issue.record("unexpected -P line: \(line)", sourceLocation: sourceLocation)
                continue
            }
            if let directory = directories[root] {
                if let known = answers.paths["\(inum) \(directory)"] {
                    expected += known
                    continue
                }
                let paths = try Rig.run(["btrfs"] + inspect(["inode-resolve", "\(inum)", directory]))
                #expect(paths.status == 0, "\(paths)", sourceLocation: sourceLocation)
                answers.paths["\(inum) \(directory)"] = paths.stdout
                expected += paths.stdout
            } else {
                let name = trimmed(try Rig.run(["btrfs"] + inspect(["subvolid-resolve", "\(root)", mnt])))
                expected += "inode \(inum) subvol \(name) could not be accessed: not mounted\n"
            }
        }
        #expect(ours.status == 0, "\(ours)", sourceLocation: sourceLocation)
        #expect(ours.stderr == "", sourceLocation: sourceLocation)
        expectSameText(ours.stdout, expected, "logical-resolve \(options) \(logical) \(path)", sourceLocation: sourceLocation)
    }

    @Test func resolversMatchProgs() throws {
        try Rig.withFilesystem(FSSpec(deviceSize: 1 << 30)) { fs in
            let m = fs.mountPoint
            try ResolveFixture.populate(m)
            try Rig.sh("mkfifo '\(m)/fifo'")
            var ids: [String: UInt64] = [:]
            for rel in [""] + ResolveFixture.subvolumes {
                ids[rel] = UInt64(Self.trimmed(try Rig.run(["btrfs"] + Self.inspect(["rootid", rel.isEmpty ? m : m + "/" + rel]))))
            }
            let extents = try ResolveFixture.dataExtents(m)
            let answers = Answers()
            #expect(extents.count >= 8)

            // Every data extent, with and without -o, at its start and one block in, from the top level.
            let fromTop = Dictionary(uniqueKeysWithValues: ([""] + ResolveFixture.subvolumes).compactMap { rel in
                ids[rel].map { ($0, rel.isEmpty ? m : m + "/" + rel) }
            })
            for e in extents {
                try expectSameAsProgs(Self.inspect(["logical-resolve", "-P", "\(e.vaddr)", m]))
                try Self.expectLogicalResolve([], e.vaddr, m, directories: fromTop, mnt: m, answers: answers)
                try Self.expectLogicalResolve(["-o"], e.vaddr, m, directories: fromTop, mnt: m, answers: answers)
                if e.length > 4096 { try Self.expectLogicalResolve([], e.vaddr + 4096, m, directories: fromTop, mnt: m, answers: answers) }
            }
            let plain = extents.map(\.vaddr)
            // Buffer sizes: v1 and v2, one too small for the header, 0.
            for size in ["0", "20", "4096", "100000", "99999999999"] {
                try expectSameAsProgs(Self.inspect(["logical-resolve", "-P", "-s", size, "\(plain[0])", m]))
            }
            try expectSameAsProgs(Self.inspect(["logical-resolve", "-v", "-v", "-v", "-v", "-P", "\(plain[0])", m]))

            // The subvolume `sub` mounted on its own: PATH inside it, other trees found through the mounts.
            let mnt2 = fs.directory + "/mnt2"
            try FileManager.default.createDirectory(atPath: mnt2, withIntermediateDirectories: false)
            let device = fs.devices[0]
            try Rig.sh("mount -t btrfs -o subvol=sub,device=\(device) \(device) '\(mnt2)'")
            do {
                defer { _ = try? Rig.run(["umount", mnt2]) }
                var fromSub = fromTop
                fromSub[ids["sub"] ?? 0] = mnt2
                fromSub[ids["sub/nested"] ?? 0] = mnt2 + "/nested"
                for vaddr in plain { try Self.expectLogicalResolve([], vaddr, mnt2, directories: fromSub, mnt: m, answers: answers) }
            }
            // PATH a directory below a subvolume's root: nothing is resolved against the wrong tree.
            for vaddr in plain { try Self.expectLogicalResolve([], vaddr, m + "/sub/dir", directories: fromTop, mnt: m, answers: answers) }
            // `sub/nested` hidden under a bind mount: no directory reaches it, as progs says.
            let empty = fs.directory + "/empty"
            try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: false)
            try Rig.sh("mount --bind '\(empty)' '\(m)/sub/nested'")
            do {
                defer { _ = try? Rig.run(["umount", m + "/sub/nested"]) }
                var hidden = fromTop
                hidden[ids["sub/nested"] ?? 0] = nil
                for vaddr in plain { try Self.expectLogicalResolve([], vaddr, m, directories: hidden, mnt: m, answers: answers) }
            }

            // inode-resolve: hard links past one INODE_REF (extrefs), inline, empty, subvolume roots, missing.
            for (rel, dir) in [("inline", m), ("empty", m), ("plain", m), ("comp_zstd", m), ("links/target", m),
                               ("sub/dir/f", m + "/sub"), ("sub/nested/empty", m + "/sub/nested"), ("snap/dir/f-link", m + "/snap")] {
                let inum = try Self.inode(m + "/" + rel)
                try expectSameAsProgs(Self.inspect(["inode-resolve", "\(inum)", dir]))
                try expectSameAsProgs(Self.inspect(["inode-resolve", "-v", "-v", "-v", "-v", "\(inum)", dir + "/"]))
            }
            for args in [["256", m], ["9999", m], ["-1", m], ["--", "-1", m], ["x", m], ["99999999999999999999", m],
                         ["257", m + "/plain"], ["257", "/tmp"], ["257", m + "/missing"], ["257"], ["1", "2", m]] {
                try expectSameAsProgs(Self.inspect(["inode-resolve"] + args))
            }
            // subvolid-resolve and rootid.
            for args in [["5", m], ["0", m], ["1", m], ["999", m], ["-1", m], ["18446744073709551615", m], ["x", m],
                         ["5", "/tmp"], ["5", m + "/plain"], ["5"]] + ids.values.map({ ["\($0)", m + "/sub"] }) {
                try expectSameAsProgs(Self.inspect(["subvolid-resolve"] + args))
            }
            for target in ["", "/plain", "/sub", "/sub/dir/f", "/sub/nested/empty", "/snap", "/fifo", "/missing"] {
                try expectSameAsProgs(Self.inspect(["rootid", m + target]))
            }
            for args in [["/tmp"], ["/dev/null"], ["-x", m], [m, m]] {
                try expectSameAsProgs(Self.inspect(["rootid"] + args))
            }
            // min-dev-size of each device id, a missing one, and bad ids.
            for args in [[m], ["--id", "1", m], ["--id", "2", m], ["--id", "0", m], ["--id", "-1", m], ["--id=x", m],
                         ["--id", "18446744073709551615", m], ["/tmp"], [m + "/plain"], ["--id"]] {
                try expectSameAsProgs(Self.inspect(["min-dev-size"] + args))
            }
            // As a normal user: the kernel refuses all but rootid; progs' messages.
            let inline = try Self.inode(m + "/inline")
            // progs opens a file read-write for rootid (open_file_or_dir), so a file the user cannot
            // write is refused there; it is read here (Docs/DIFFERENCES.md).
            let rootAnswer = try Rig.run(["btrfs"] + Self.inspect(["rootid", m + "/sub/dir/f"]))
            let userAnswer = try Rig.sbtrfs(Self.inspect(["rootid", m + "/sub/dir/f"]), asUser: "nobody")
            #expect(userAnswer.status == 0 && userAnswer.stdout == rootAnswer.stdout && rootAnswer.status == 0, "\(userAnswer)")
            for args in [["rootid", m + "/sub/dir"], ["inode-resolve", "\(inline)", m], ["logical-resolve", "\(plain[0])", m],
                         ["logical-resolve", "-P", "\(plain[0])", m], ["min-dev-size", m]] {
                try expectSameAsProgs(Self.inspect(args), asUser: "nobody")
            }
            // subvolid-resolve refused: progs prints its raw ioctl line and `error -1`; one line here
            // that names the refusal (Docs/DIFFERENCES.md).
            let subID = "\(ids["sub"] ?? 0)"
            let progsRefused = try Rig.run(["btrfs"] + Self.inspect(["subvolid-resolve", subID, m]), asUser: "nobody")
            let refused = try Rig.sbtrfs(Self.inspect(["subvolid-resolve", subID, m]), asUser: "nobody")
            #expect(progsRefused.status == 1 && progsRefused.stderr.contains("Operation not permitted"), "\(progsRefused)")
            #expect(refused.status == 1 && refused.stdout.isEmpty
                    && refused.stderr == "ERROR: resolving subvolid \(subID): Operation not permitted\n", "\(refused)")
            // logical-resolve's refusals: no extent there, bad numbers, bad paths, operand counts.
            for args in [["1", m], ["0", m], ["18446744073709551615", m], ["-1", m], ["x", m], ["-s", "-1", "1", m],
                         ["-s", "x", "1", m], ["-s", "99999999999999999999", "1", m], ["\(plain[0])", m + "/plain"],
                         ["\(plain[0])", "/tmp"], ["\(plain[0])"], ["1", "2", m]] {
                try expectSameAsProgs(Self.inspect(["logical-resolve"] + args))
            }
        }
    }

    @Test func minDevSizeMatchesProgsAfterShrinkableLayout() throws {
        // Two devices, data spread, a block group removed in the middle: holes to relocate into.
        try Rig.withFilesystem(FSSpec(devices: 2, deviceSize: 768 << 20, data: "single", metadata: "raid1")) { fs in
            let m = fs.mountPoint
            try Rig.sh("""
                set -e
                cd '\(m)'
                for i in 1 2 3 4; do head -c 60000000 /dev/urandom > f$i; sync; done
                rm f2; sync
                btrfs balance start -dusage=0 '\(m)' >/dev/null 2>&1 || true
                sync
                """)
            for id in ["1", "2", "3"] {
                try expectSameAsProgs(Self.inspect(["min-dev-size", "--id", id, m]))
            }
        }
    }
}
