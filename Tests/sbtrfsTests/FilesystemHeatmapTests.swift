import Foundation
import Testing
import TestRig

/// `filesystem heatmap` against btrfs-heatmap 9 on the same filesystems: the decoded pixels of
/// every picture and the lines on stdout (Tests/Oracles/heatmap.py runs btrfs-heatmap's own code).
@Suite(.needsRig, .needsTool("/usr/bin/btrfs-heatmap", what: "btrfs-heatmap"))
struct FilesystemHeatmapTests {
    static let oracle = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Oracles/heatmap.py").path

    struct Fixture: Sendable, CustomTestStringConvertible {
        var name: String
        var spec: FSSpec
        var files: Int
        /// Block group items in their own tree (bookworm-backports' mkfs); btrfs-heatmap then runs
        /// on python-btrfs 15, which finds them there.
        var blockGroupTree = false
        var testDescription: String { name }

        func oracleEnvironment() throws -> [String: String]? {
            guard blockGroupTree else { return nil }
            var environment = ProcessInfo.processInfo.environment
            environment["PYTHONPATH"] = try Rig.pythonBtrfs15()
            return environment
        }
    }

    static let fixtures: [Fixture] = [
        Fixture(name: "single", spec: FSSpec(deviceSize: 1 << 30, data: "single", metadata: "dup"), files: 160),
        Fixture(name: "raid1", spec: FSSpec(deviceSizes: [768 << 20, 1 << 30], data: "raid1", metadata: "raid1"), files: 120),
        Fixture(name: "raid10+raid1c3", spec: FSSpec(deviceSizes: [768 << 20, 768 << 20, 1 << 30, 1 << 30],
                                                     data: "raid10", metadata: "raid1c3"), files: 120),
        Fixture(name: "raid5/6", spec: FSSpec(deviceSizes: [768 << 20, 768 << 20, 1 << 30, 1 << 30],
                                              data: "raid5", metadata: "raid6"), files: 120),
        Fixture(name: "mixed", spec: FSSpec(deviceSize: 1 << 30, mixed: true), files: 100),
        Fixture(name: "almost empty", spec: FSSpec(deviceSize: 512 << 20), files: 0),
        Fixture(name: "block group tree", spec: FSSpec(deviceSize: 1 << 30, data: "single", metadata: "dup"), files: 60,
                blockGroupTree: true),
    ]

    /// Files of many sizes, every third one deleted again: free space between extents.
    static func populate(_ mnt: String, files: Int) throws {
        guard files > 0 else { try Rig.sh("sync"); return }
        try Rig.sh("cd \(mnt) && for i in $(seq \(files)); do head -c $(( (i * 7919) % 700000 + 4096 )) /dev/urandom > f$i; done"
                   + " && sync && rm -f $(seq -f f%g 3 3 \(files)) && mkdir d && touch d/a d/b && sync")
    }

    /// (vaddr, type flags) of every block group, by python-btrfs.
    static func blockGroups(_ mnt: String, environment: [String: String]?) throws -> [(UInt64, UInt64)] {
        let r = try Rig.run(["/usr/bin/python3", "-c", """
            import btrfs, sys
            fs = btrfs.FileSystem(sys.argv[1])
            for c in fs.chunks():
                bg = fs.block_group(c.vaddr, c.length)
                print(bg.vaddr, bg.flags & btrfs.BLOCK_GROUP_TYPE_MASK, bg.used)
            """, mnt], environment: environment)
        return r.stdout.split(separator: "\n").compactMap { line in
            let w = line.split(separator: " ").compactMap { UInt64($0) }
            return w.count == 3 ? (w[0], w[1]) : nil
        }
    }

    /// The cases drawn on every fixture: both sorts, all curves, orders and sizes, the inside of
    /// a data, a metadata (or mixed) and a system block group, and the -v/-vv/-vvv lines.
    static func cases(_ groups: [(UInt64, UInt64)]) -> [String] {
        var cases = ["", "--sort virtual --size 7", "--curve linear --size 8", "--curve snake --sort virtual --size 8",
                     "--order 6 --size 6 --curve snake", "--order 3 --size 4", "--order 0 --size 2",
                     "--order 7 --size 7 --sort virtual --curve linear", "-v --size 5", "-vv --sort virtual --size 5",
                     "-q --size 5", "-v -q -q --order 2 --size 3"]
        let types: [(UInt64, String)] = [(1, "--size 8"), (4, "--curve snake --size 9"), (5, "--size 8 --curve linear"),
                                         (2, "--curve linear --size 7")]
        for (type, options) in types {
            if let vaddr = groups.first(where: { $0.1 == type })?.0 {
                cases.append("--blockgroup \(vaddr) \(options)")
                cases.append("-v --blockgroup \(vaddr) --order 4 --size 4")
            }
        }
        if let system = groups.first(where: { $0.1 == 2 })?.0 { cases.append("-vvv --blockgroup \(system) --order 3 --size 3") }
        return cases
    }

    /// Decoded-pixel digests (width height sha256) of PNG files, by the oracle's decoder.
    static func digests(_ files: [String]) throws -> [String] {
        let r = try Rig.run(["/usr/bin/python3", oracle, "pixels"] + files)  // zlib only: any python-btrfs
        guard r.status == 0 else { throw RigError("heatmap.py pixels: \(r)") }
        return r.stdout.split(separator: "\n").map(String.init)
    }

    /// The `pngfile` line names a different file for each program.
    static func withoutFileNames(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasPrefix("pngfile ") ? "pngfile" : String($0) }.joined(separator: "\n")
    }

    @Test(arguments: fixtures)
    func picturesAndLinesMatchBtrfsHeatmap(fixture: Fixture) throws {
        let environment = try fixture.oracleEnvironment()
        try Rig.withFilesystem(fixture.blockGroupTree ? try Rig.blockGroupTreeSpec(fixture.spec) : fixture.spec) { scratch in
            let mnt = scratch.mountPoint
            try Self.populate(mnt, files: fixture.files)
            let groups = try Self.blockGroups(mnt, environment: environment)
            #expect(!groups.isEmpty, "python-btrfs found no block groups")
            let cases = Self.cases(groups)
            let theirsDir = scratch.directory + "/theirs", oursDir = scratch.directory + "/ours"
            try Rig.sh("mkdir \(theirsDir) \(oursDir)")
            func drawTheirs(_ indices: [Int]) throws {
                let r = try Rig.run(["/usr/bin/python3", Self.oracle, "draw", theirsDir] + indices.map { cases[$0] + " " + mnt },
                                    environment: environment)
                guard r.status == 0 else { throw RigError("heatmap.py draw: \(r)") }
                // draw numbers its cases from 0: give each file its case's number.
                let moves = indices.enumerated().map { "mv \($0.offset).png t\($0.element).png && mv \($0.offset).txt t\($0.element).txt" }
                try Rig.sh("cd \(theirsDir) && " + moves.joined(separator: " && "))
            }
            try drawTheirs(Array(cases.indices))
            var outputs: [String] = []
            for (i, c) in cases.enumerated() {
                let ours = try Rig.sbtrfs(["filesystem", "heatmap"] + c.split(separator: " ").map(String.init)
                                          + ["-o", "\(oursDir)/\(i).png", mnt])
                #expect(ours.status == 0 && ours.stderr.isEmpty, "\(c): \(ours)")
                outputs.append(ours.stdout)
            }
            func mismatches() throws -> [Int] {
                let theirs = try Self.digests(cases.indices.map { "\(theirsDir)/t\($0).png" })
                let ours = try Self.digests(cases.indices.map { "\(oursDir)/\($0).png" })
                return cases.indices.filter { i in
                    let text = try? String(contentsOfFile: "\(theirsDir)/t\(i).txt", encoding: .utf8)
                    return theirs[i] != ours[i] || theirs[i].hasPrefix("undecodable")
                        || text.map(Self.withoutFileNames) != Self.withoutFileNames(outputs[i])
                }
            }
            var different = try mismatches()
            if !different.isEmpty {
                // A commit between the two runs can change usage: draw those again, once.
                try drawTheirs(different)
                different = try mismatches()
            }
            for i in different {
                let text = (try? String(contentsOfFile: "\(theirsDir)/t\(i).txt", encoding: .utf8)) ?? "(none)"
                Issue.record("\(fixture.name): '\(cases[i])' differs from btrfs-heatmap\n--- ours\n\(outputs[i])--- theirs\n\(text)")
            }
        }
    }
}
