import Foundation
import Testing
import TestRig

/// `sbtrfs subvolume list` against btrfs-progs 6.2 on the same filesystem, byte for byte.
@Suite(.serialized) struct SubvolumeListTests {
    static let optionSets: [[String]] = [
        [], ["-a"], ["-o"], ["-p"], ["-c"], ["-g"], ["-u"], ["-q"], ["-R"], ["-s"], ["-r"], ["-t"],
        ["-a", "-c", "-u", "-q", "-R"], ["-acuqR"], ["-o", "-p", "-u"],
        ["-t", "-a", "-p", "-c", "-g", "-u", "-q", "-R", "-s"], ["-t", "-o", "-r"],
        ["-G", "+7"], ["-G", "-8"], ["-C", "7"], ["-C", "+8", "-G", "-9"],
        ["--sort=path"], ["--sort=-path"], ["--sort=gen,-rootid"], ["--sort=-ogen,path"], ["--sort", "-rootid"],
        ["-a", "--sort=path"], ["-s", "-r"],
    ]

    @Test(.needsRig) func listMatchesProgs() throws {
        try Rig.withFilesystem(FSSpec(deviceSize: 1 << 30)) { fs in
            let paths = try SubvolumeFixture.populate(fs.mountPoint)
            for rel in paths {
                let path = rel.isEmpty ? fs.mountPoint : fs.mountPoint + "/" + rel
                for options in Self.optionSets {
                    let theirs = try Rig.run(["btrfs", "subvolume", "list"] + options + [path])
                    let ours = try Rig.sbtrfs(["subvolume", "list"] + options + [path])
                    let same = ours.stdoutBytes == theirs.stdoutBytes
                    #expect(same, "list \(options) '\(rel)'")
                    if !same { expectSameText(ours.stdout, theirs.stdout, "list \(options) '\(rel)'") }
                    #expect(ours.status == theirs.status, "status of list \(options) \(rel)")
                }
            }
            // The names the fixture made are all there, bytes intact.
            let all = try Rig.sbtrfs(["subvolume", "list", fs.mountPoint]).stdoutBytes
            for name in [Array("with space".utf8), Array("new\nline".utf8), [98, 97, 100, 0xff, 0xfe] + Array("name".utf8),
                         Array(SubvolumeFixture.longName.utf8)] {
                #expect(contains(all, name), "list shows \(name)")
            }
        }
    }

    @Test(.needsRig) func deletedSubvolumesMatchProgs() throws {
        try Rig.withFilesystem(FSSpec(deviceSize: 1 << 30)) { fs in
            try SubvolumeFixture.populate(fs.mountPoint)
            try SubvolumeFixture.leaveDeletedSubvolume(fs)
            let deleted = try Rig.run(["btrfs", "subvolume", "list", "-d", fs.mountPoint])
            #expect(deleted.stdout.contains("DELETED"), "the fixture left a deleted subvolume: \(deleted.stdout)")
            for options in [["-d"], ["-d", "-a"], ["-d", "-t", "-p", "-u"], [], ["-a", "-c", "-u", "-q", "-R"]] {
                let theirs = try Rig.run(["btrfs", "subvolume", "list"] + options + [fs.mountPoint])
                let ours = try Rig.sbtrfs(["subvolume", "list"] + options + [fs.mountPoint])
                let same = ours.stdoutBytes == theirs.stdoutBytes
                #expect(same, "list \(options)")
                if !same { expectSameText(ours.stdout, theirs.stdout, "list \(options)") }
            }
        }
    }

    /// As a normal user the kernel lets one list what is below a subvolume one can reach: the lines are
    /// those btrfs-progs prints as root for the subvolumes below that one, with the same paths.
    @Test(.needsRig) func listWorksUnprivileged() throws {
        // noatime and the sync below: another suite's sync(2) commits this filesystem too, and a commit
        // between progs' run and ours moved a subvolume's generation once in CI ("gen 11" against
        // "gen 8"), so nothing may be left to commit.
        try Rig.withFilesystem(FSSpec(deviceSize: 1 << 30, mountOptions: ["noatime"])) { fs in
            try SubvolumeFixture.populate(fs.mountPoint)
            // A directory the user may not enter hides what is inside it.
            try Rig.sh("mkdir '\(fs.mountPoint)/a/private' && btrfs -q subvolume create '\(fs.mountPoint)/a/private/hidden' && chmod 700 '\(fs.mountPoint)/a/private' && sync")
            let refused = try Rig.run(["btrfs", "subvolume", "list", fs.mountPoint], asUser: "nobody")
            #expect(refused.status != 0, "btrfs-progs 6.2 cannot list unprivileged")
            let hidden = try subvolumeID(fs.mountPoint + "/a/private/hidden")
            for rel in ["", "a", "deep1/deep2", "a/d1"] {
                let path = rel.isEmpty ? fs.mountPoint : fs.mountPoint + "/" + rel
                // Below a directory inside a subvolume: what lies under that directory.
                let below = rel == "a/d1"
                    ? Set([try subvolumeID(path + "/d2/b"), try subvolumeID(path + "/d2/b/c")])
                    : try descendants(of: try subvolumeID(path), fs.mountPoint).subtracting([hidden])
                for options in [[], ["-u", "-q", "-R", "-c", "-g", "-p"], ["-o"], ["-t"]] {
                    let theirs = try Rig.run(["btrfs", "subvolume", "list"] + options + [path])
                    let expected = filterLines(theirs.stdout, keepingIDs: below, table: options.contains("-t"))
                    let ours = try Rig.sbtrfs(["subvolume", "list"] + options + [path], asUser: "nobody")
                    #expect(ours.status == 0, "\(ours.stderr)")
                    expectSameText(ours.stdout, expected, "unprivileged list \(options) \(rel)")
                }
            }
            // Where the kernel refuses (a directory the user cannot read): one clear error.
            let refusedDir = try Rig.sbtrfs(["subvolume", "list", fs.mountPoint + "/a/private"], asUser: "nobody")
            #expect(refusedDir.status == 1)
            #expect(refusedDir.stderr.hasPrefix("ERROR: ") && refusedDir.stdout.isEmpty, "\(refusedDir.stderr)")
        }
    }

    private func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard needle.count <= haystack.count else { return false }
        for i in 0...(haystack.count - needle.count) where haystack[i..<(i + needle.count)].elementsEqual(needle) {
            return true
        }
        return false
    }

    private func subvolumeID(_ path: String) throws -> UInt64 { try SubvolumeFixture.subvolumeID(path) }

    /// Ids of every subvolume below `top`, from btrfs-progs' own `list -p` (ID and parent columns).
    private func descendants(of top: UInt64, _ mnt: String) throws -> Set<UInt64> {
        let lines = try Rig.run(["btrfs", "subvolume", "list", "-p", mnt]).stdout.split(separator: "\n")
        var parent: [UInt64: UInt64] = [:]
        for line in lines {
            let f = line.split(separator: " ")
            if f.count > 4, let id = UInt64(f[1]), let p = UInt64(f[5]) { parent[id] = p }
        }
        return Set(parent.keys.filter { id in
            var cur = id
            while let p = parent[cur] {
                if p == top { return true }
                cur = p
            }
            return false
        })
    }

    private func filterLines(_ text: String, keepingIDs ids: Set<UInt64>, table: Bool) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        var header: [String] = []
        if table { header = Array(lines.prefix(2)); lines = Array(lines.dropFirst(2)) }
        // A name with a newline continues the previous line: keep continuation lines with their entry.
        var kept: [String] = []
        var keep = false
        for line in lines {
            let first = table ? line.split(separator: "\t").first.map(String.init) : line.split(separator: " ").dropFirst().first.map(String.init)
            if (table && line.contains("\t")) || line.hasPrefix("ID ") {
                keep = first.flatMap { UInt64($0) }.map { ids.contains($0) } ?? false
            }
            if keep { kept.append(line) }
        }
        return (header + kept).map { $0 + "\n" }.joined()
    }
}
