import Foundation
import Testing
import TestRig

/// `filesystem compsize` against compsize 1.5 and `filesystem du` against btrfs-progs 6.2 on the
/// same filesystem, byte for byte; the fixture is made once (SpaceAccountingFixture) and every
/// argument list is compared on it.
@Suite(.serialized, .needsTool("/usr/bin/compsize", "/usr/sbin/compsize", what: "btrfs-compsize"))
struct SpaceAccountingTests {
    @Test(.needsRig) func compsizeMatchesCompsize() throws {
        try Rig.withFilesystem(FSSpec(deviceSize: 1 << 30)) { fs in
            try SpaceAccountingFixture.populate(fs.mountPoint)
            let mnt = fs.mountPoint
            func path(_ rel: String) -> String { rel.isEmpty ? mnt : mnt + "/" + rel }
            var optionSets: [[String]] = [[], ["-b"], ["-x"], ["-bx"], ["--bytes", "--one-file-system"]]
            for paths in SpaceAccountingFixture.pathSets {
                for options in optionSets {
                    let args = options + paths.map(path)
                    let theirs = try Rig.run(["compsize"] + args)
                    let ours = try Rig.sbtrfs(["filesystem", "compsize"] + args)
                    expectSameText(ours.stdout, theirs.stdout, "compsize \(args)")
                    expectSameText(ours.stderr, theirs.stderr, "compsize \(args): stderr")
                    #expect(ours.status == theirs.status, "compsize \(args): status")
                }
                optionSets = [[], ["-b"]]   // the -x variants only matter where subvolumes are below
            }
            // A trailing slash, and a path given twice through different spellings.
            for args in [[mnt + "/"], [mnt + "/n/", mnt + "//n"], [mnt + "/./d", mnt + "/d/../n"]] {
                let theirs = try Rig.run(["compsize", "-b"] + args)
                let ours = try Rig.sbtrfs(["fi", "compsize", "-b"] + args)
                expectSameText(ours.stdout, theirs.stdout, "compsize \(args)")
                #expect(ours.status == theirs.status)
            }
            try compsizeJSONMatches(mnt)
            try compsizeRefusals(fs)
            try duMatchesProgs(mnt)
            try duJSONMatches(mnt)
            try bothOnAnotherFilesystemInside(mnt)
        }
    }

    /// `filesystem du` as btrfs-progs 6.2 prints it, with every unit style, on every argument list.
    func duMatchesProgs(_ mnt: String) throws {
        func path(_ rel: String) -> String { rel.isEmpty ? mnt : mnt + "/" + rel }
        var optionSets: [[String]] = [[], ["-s"], ["--raw"], ["-s", "--si"], ["--kbytes", "--iec"], ["--summarize", "--raw"]]
        for paths in SpaceAccountingFixture.pathSets {
            for options in optionSets {
                try expectSameAsProgs(["filesystem", "du"] + options + paths.map(path))
            }
            optionSets = [["--raw"], ["-s", "--raw"]]
        }
        // Errors: a missing argument among good ones, a directory of another filesystem, the
        // order of options and operands (progs permutes), -q.
        try expectSameAsProgs(["filesystem", "du", "-s", mnt + "/no-such", mnt + "/n", "/proc/sys/fs"])
        try expectSameAsProgs(["filesystem", "du", mnt + "/n", "--raw", "-s"])
        try expectSameAsProgs(["-q", "filesystem", "du", mnt + "/n"])
        try expectSameAsProgs(["filesystem", "du"])
        try expectSameAsProgs(["filesystem", "du", "-x", mnt])
        // A normal user: progs' FIEMAP per file, which sbtrfs falls back to without tree searches.
        try expectSameAsProgs(["filesystem", "du", "--raw", mnt + "/n", mnt + "/d"], asUser: "nobody")
    }

    /// `--format json`: one member per line, numbers as numbers (checked against `--raw`).
    func duJSONMatches(_ mnt: String) throws {
        for args in [[mnt + "/z", mnt + "/n"], ["-s", mnt + "/n", mnt + "/snap"]] {
            let text = try Rig.run(["btrfs", "filesystem", "du", "--raw"] + args).stdout
            let json = try Rig.sbtrfs(["--format", "json", "filesystem", "du"] + args)
            #expect(json.status == 0)
            let document = try #require(try JSONSerialization.jsonObject(with: Data(json.stdoutBytes)) as? [String: Any])
            let lines = try #require(document["filesystem-du"] as? [[String: Any]])
            let rows = lines.map { line in
                ["total", "exclusive", "set-shared"].map { key in
                    (line[key] as? NSNumber).map { "\($0.uint64Value)" } ?? "-"
                } + [line["path"] as? String ?? "?"]
            }
            let expected = text.split(separator: "\n").dropFirst().map { line in
                // `%10s  %10s  %10s  %s`: three right-aligned cells, two spaces, the path.
                line.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: true).enumerated().map {
                    $0.offset == 3 ? String($0.element.dropFirst()) : String($0.element)
                }
            }
            #expect(rows == expected, "du json \(args)")
        }
    }

    /// A tmpfs mounted inside: progs' du warns and goes on, compsize stops at its first file.
    func bothOnAnotherFilesystemInside(_ mnt: String) throws {
        let inside = mnt + "/deep/tmpfs"
        try Rig.sh("mkdir '\(inside)' && mount -t tmpfs none '\(inside)' && echo x > '\(inside)/file'")
        defer { _ = try? Rig.run(["umount", inside]) }
        try expectSameAsProgs(["filesystem", "du", mnt + "/deep"])
        let theirs = try Rig.run(["compsize", mnt + "/deep"])
        let ours = try Rig.sbtrfs(["filesystem", "compsize", mnt + "/deep"])
        #expect(ours.status == theirs.status && ours.stdout == theirs.stdout)
        #expect(ours.stderr == "ERROR: " + theirs.stderr)
        let oneFs = try Rig.run(["compsize", "-x", "-b", mnt + "/deep"])
        let oursOneFs = try Rig.sbtrfs(["filesystem", "compsize", "-x", "-b", mnt + "/deep"])
        #expect(oursOneFs.stdout == oneFs.stdout && oursOneFs.status == oneFs.status)
    }

    /// `--format json` carries compsize's figures as numbers (checked against `compsize -b`).
    func compsizeJSONMatches(_ mnt: String) throws {
        for args in [[mnt], [mnt + "/n", mnt + "/d"], [mnt + "/z"]] {
            let text = try Rig.run(["compsize", "-b"] + args).stdout
            let json = try Rig.sbtrfs(["--format", "json", "filesystem", "compsize"] + args)
            #expect(json.status == 0)
            let document = try #require(try JSONSerialization.jsonObject(with: Data(json.stdoutBytes)) as? [String: Any])
            let report = try #require(document["compsize"] as? [String: Any])
            let lines = text.split(separator: "\n").map(String.init)
            let counts = lines[0].split(whereSeparator: { !$0.isNumber }).compactMap { UInt64($0) }
            #expect(counts == ["files", "regular-extents", "refs", "inline"].compactMap { (report[$0] as? NSNumber)?.uint64Value },
                    "\(args): counts")
            var rows: [[String]] = []
            if let total = report["total"] as? [String: Any] { rows.append(Self.row("TOTAL", total)) }
            for case let type as [String: Any] in report["types"] as? [Any] ?? [] {
                rows.append(Self.row(type["type"] as? String ?? "?", type))
            }
            let expected = lines.dropFirst(2).map { $0.split(separator: " ").map(String.init) }
            #expect(rows == expected, "\(args): rows")
        }
    }

    static func row(_ name: String, _ figures: [String: Any]) -> [String] {
        let percent = (figures["percentage"] as? NSNumber)?.intValue ?? -1
        return [name, "\(percent)%"] + ["disk-usage", "uncompressed", "referenced"].map {
            "\((figures[$0] as? NSNumber)?.uint64Value ?? 0)"
        }
    }

    /// compsize dies on a file of another filesystem (sbtrfs: the same text as one ERROR line),
    /// and passes over a missing path in silence (sbtrfs says so and fails).
    func compsizeRefusals(_ fs: ScratchFS) throws {
        let image = fs.images[0]   // a regular file, not on btrfs
        let theirs = try Rig.run(["compsize", image])
        let ours = try Rig.sbtrfs(["filesystem", "compsize", image])
        #expect(ours.status == 1 && theirs.status == 1)
        #expect(ours.stdout.isEmpty && theirs.stdout.isEmpty)
        #expect(ours.stderr == "ERROR: " + theirs.stderr, "another filesystem")
        let missing = fs.mountPoint + "/no-such-file"
        let both = try Rig.sbtrfs(["filesystem", "compsize", "-b", missing, fs.mountPoint + "/n"])
        let compsize = try Rig.run(["compsize", "-b", missing, fs.mountPoint + "/n"])
        #expect(both.stdout == compsize.stdout && compsize.status == 0)
        #expect(both.status == 1)
        #expect(both.stderr == "ERROR: cannot access '\(missing)': No such file or directory\n")
        let alone = try Rig.sbtrfs(["filesystem", "compsize", missing])
        #expect(alone.status == 1 && alone.stdout.isEmpty)
        #expect(alone.stderr.hasSuffix("No files.\n") && alone.stderr.hasPrefix("ERROR: cannot access"))
        let usage = try Rig.sbtrfs(["filesystem", "compsize"])
        #expect(usage.status == 1 && usage.stderr.contains("not enough arguments"))
    }
}
