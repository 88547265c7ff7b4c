import Foundation
import Testing
import TestRig
import Btrfs
@testable import sbtrfs

/// quota and qgroup on twin filesystems: the same steps run through btrfs-progs on one and
/// sbtrfs on the other, and every step's output, status and the resulting qgroups must match.
/// Refused steps must leave the qgroups as they were.
@Suite(.needsRig, .needsTool("/usr/bin/btrfs", "/bin/btrfs", what: "btrfs-progs"))
struct QgroupTests {
    /// One step on both twins: `MNT` in the arguments is each twin's mount point, and in the
    /// output each twin's mount point reads `MNT`.
    struct Twins {
        var progs: ScratchFS
        var ours: ScratchFS

        func run(_ args: [String], tool: String, on fs: ScratchFS) throws -> ProcessResult {
            let argv = args.map { $0.replacingOccurrences(of: "MNT", with: fs.mountPoint) }
            var r = tool == "btrfs" ? try Rig.run(["btrfs"] + argv) : try Rig.sbtrfs(argv)
            let fix = { (b: [UInt8]) in Array(String(decoding: b, as: UTF8.self)
                .replacingOccurrences(of: fs.mountPoint, with: "MNT").utf8) }
            r.stdoutBytes = fix(r.stdoutBytes)
            r.stderrBytes = fix(r.stderrBytes)
            return r
        }

        /// Runs `args` on both and expects the same status, stdout and stderr.
        @discardableResult
        func same(_ args: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> ProcessResult {
            let theirs = try run(args, tool: "btrfs", on: progs)
            let ours = try run(args, tool: "sbtrfs", on: self.ours)
            let what = args.joined(separator: " ")
            #expect(ours.status == theirs.status, "\(what): status \(ours.status), progs \(theirs.status)\n\(ours)",
                    sourceLocation: sourceLocation)
            expectSameText(ours.stdout, asSbtrfs(theirs.stdout), "\(what): stdout", sourceLocation: sourceLocation)
            expectSameText(ours.stderr, asSbtrfs(theirs.stderr), "\(what): stderr", sourceLocation: sourceLocation)
            return ours
        }

        /// The qgroups of each twin as progs sees them, with everything shown.
        func state() throws -> (progs: String, ours: String) {
            let args = ["qgroup", "show", "-pcre", "--raw", "MNT"]
            return (try run(args, tool: "btrfs", on: progs).stdout, try run(args, tool: "btrfs", on: ours).stdout)
        }

        /// Our twin's qgroups read in-process (no process to start per refused step): ids, usage,
        /// limits and relations, without the generations a background commit may move.
        func ourQgroups() throws -> String {
            guard let listing = try FileSystem(path: ours.mountPoint).qgroupListing() else { return "quotas off" }
            return listing.qgroups.map {
                "\($0.id) \($0.referenced) \($0.exclusive) \($0.limitFlags) \($0.maxReferenced) \($0.maxExclusive) \($0.parents) \($0.children)"
            }.joined(separator: "\n")
        }

        /// Shell setup on both (not under test): `MNT` as in `run`.
        func setup(_ script: String) throws {
            for fs in [progs, ours] { try Rig.sh(script.replacingOccurrences(of: "MNT", with: fs.mountPoint)) }
        }
    }

    static func withTwins(_ body: (Twins) throws -> Void) throws {
        let spec = FSSpec(deviceSize: 512 << 20)
        try Rig.withFilesystem(spec) { a in
            try Rig.withFilesystem(spec) { b in try body(Twins(progs: a, ours: b)) }
        }
    }

    @Test func quotaAndQgroupsAsProgs() throws {
        try Self.withTwins { twins in
            try twins.setup("""
                cd MNT && btrfs -q subvolume create s1 && btrfs -q subvolume create s2 && btrfs -q subvolume create s3 \
                && btrfs -q subvolume create s1/inner && head -c 1200000 /dev/zero > s1/a && head -c 300000 /dev/zero > s2/b \
                && head -c 70000 /dev/zero > s1/inner/c && sync
                """)
            // Before quotas: everything that needs them refuses.
            for args in [["qgroup", "show", "MNT"], ["qgroup", "create", "1/1", "MNT"], ["qgroup", "limit", "1M", "0/256", "MNT"],
                         ["qgroup", "assign", "0/256", "1/1", "MNT"], ["quota", "rescan", "-s", "MNT"], ["qgroup", "clear-stale", "MNT"]] {
                try twins.same(args)
            }
            try twins.same(["quota", "enable", "MNT"])
            try twins.same(["quota", "rescan", "-W", "MNT"])
            try twins.same(["quota", "rescan", "-s", "MNT"])
            for id in ["1/100", "1/200", "2/1"] { try twins.same(["qgroup", "create", id, "MNT"]) }
            try twins.same(["qgroup", "assign", "0/256", "1/100", "MNT"])
            try twins.same(["qgroup", "assign", "--no-rescan", "0/257", "1/100", "MNT"])
            try twins.same(["qgroup", "assign", "MNT/s1/inner", "1/200", "MNT"])
            try twins.same(["qgroup", "assign", "1/100", "2/1", "MNT"])
            try twins.same(["qgroup", "assign", "1/200", "2/1", "MNT"])
            try twins.same(["quota", "rescan", "-W", "MNT"])
            try twins.same(["quota", "rescan", "-w", "MNT"])
            // No limits yet: progs 6.2's JSON works (with a limit it aborts).
            try twins.same(["--format", "json", "qgroup", "show", "-pcre", "MNT"])
            try twins.same(["--format", "json", "qgroup", "show", "--sort=-rfer", "MNT/s1"])

            try twins.same(["qgroup", "limit", "10M", "0/256", "MNT"])
            try twins.same(["qgroup", "limit", "-e", "5M", "1/100", "MNT"])
            try twins.same(["qgroup", "limit", "2G", "2/1", "MNT"])
            try twins.same(["qgroup", "limit", "none", "2/1", "MNT"])
            try twins.same(["qgroup", "limit", "1m", "MNT/s2"])
            try twins.same(["qgroup", "limit", "-c", "-e", "3M", "MNT/s3", "MNT"])
            let shows: [[String]] = [
                [], ["-p"], ["-c"], ["-r"], ["-e"], ["-pcre"], ["--raw", "-pcre"], ["--si", "-r", "-e"], ["--kbytes"],
                ["--mbytes", "--iec"], ["--sort=-rfer,path", "-p"], ["--sort=max_rfer,-qgroupid", "-r"],
                ["--sort=excl", "--sort=-max_excl", "-e"], ["--sort=", "-c"], ["--sync", "-c"],
                ["-F"], ["-f"], ["-F", "-f"], ["-pc", "--sort=-qgroupid"],
            ]
            for options in shows { try twins.same(["qgroup", "show"] + options + ["MNT"]) }
            for options in [["-F", "-pcre"], ["-f", "--raw"], ["-F", "--sort=-excl"]] {
                try twins.same(["qgroup", "show"] + options + ["MNT/s1/inner"])
            }
            try twins.same(["-q", "qgroup", "show", "-p", "MNT"])
            // progs 6.2 reads a null path when two qgroups above level 0 meet in --sort=path
            // (and crashes); sbtrfs sorts them by id.
            let byPath = try twins.run(["qgroup", "show", "--sort=path", "MNT"], tool: "sbtrfs", on: twins.ours)
            #expect(byPath.status == 0, "\(byPath)")
            let rows = byPath.stdout.split(separator: "\n").dropFirst(2).map { $0.split(separator: " ").map(String.init) }
            let ids = rows.compactMap { $0.first }
            let levels = ids.compactMap { UInt64($0.prefix { $0 != "/" }) }
            #expect(levels == levels.sorted() && levels.count == ids.count && ids.contains("1/200"), "\(ids)")
            let paths = rows.filter { $0.first?.hasPrefix("0/") == true }.compactMap { $0.last }
                .map { $0 == "<toplevel>" ? "" : $0.replacingOccurrences(of: "/", with: "\u{10FFFF}") }
            #expect(paths == paths.sorted() && paths.count > 3, "\(paths)")
            let upper = ids.filter { $0.hasPrefix("1/") }
            #expect(upper == upper.sorted { UInt64($0.dropFirst(2)) ?? 0 < UInt64($1.dropFirst(2)) ?? 0 })

            // Refused: each must leave the qgroups as they were.
            let before = try twins.state()
            #expect(before.ours == before.progs)
            let ourBefore = try twins.ourQgroups()
            let refused: [[String]] = [
                ["qgroup", "destroy", "9/9", "MNT"], ["qgroup", "destroy", "1/100", "MNT"],
                ["qgroup", "create", "1/100", "MNT"], ["qgroup", "create", "0/x", "MNT"],
                ["qgroup", "create", "1/99999999999999999", "MNT"], ["qgroup", "create", "1/5", "MNT", "x"],
                ["qgroup", "create", "-x", "1/5", "MNT"], ["qgroup", "create", "1/5", "MNT/s1/a"],
                ["qgroup", "assign", "1/100", "0/256", "MNT"], ["qgroup", "assign", "0/256", "1/100", "MNT"],
                ["qgroup", "assign", "0/256", "1/999", "MNT"], ["qgroup", "assign", "0/256", "1/999", "/nonexistent"],
                ["qgroup", "assign", "bad", "1/100", "MNT"], ["qgroup", "assign", "0/256", "1/100"],
                ["qgroup", "remove", "0/999", "1/100", "MNT"], ["qgroup", "remove", "--bogus", "0/256", "1/100", "MNT"],
                ["qgroup", "limit", "1x", "0/256", "MNT"], ["qgroup", "limit", "1M", "9/9", "MNT"],
                ["qgroup", "limit", "1M", "MNT/s1/a"], ["qgroup", "limit", "1M", "0/256", "a", "b"],
                ["qgroup", "limit", "-x", "1M", "MNT"], ["qgroup", "limit", "1M"], ["qgroup", "limit", "-1", "0/256", "MNT"],
                ["qgroup", "show", "--sort=bogus", "MNT"], ["qgroup", "show", "--sort=+", "MNT"],
                ["qgroup", "show", "MNT", "MNT"], ["qgroup", "show", "-x", "MNT"],
                ["quota", "enable"], ["quota", "enable", "MNT", "MNT"], ["quota", "disable", "-x", "MNT"],
                ["quota", "rescan", "-w", "-s", "MNT"], ["quota", "rescan"], ["quota", "disable", "/"],
                ["qgroup", "clear-stale", "-x"], ["qgroup", "clear-stale"],
            ]
            for args in refused {
                let ours = try twins.same(args)
                #expect(ours.status != 0, "\(args) succeeded")
                #expect(try twins.ourQgroups() == ourBefore, "\(args) changed the qgroups")
            }
            let after = try twins.state()
            #expect(after.ours == before.ours && after.progs == before.progs)

            try twins.same(["qgroup", "remove", "1/200", "2/1", "MNT"])
            try twins.same(["qgroup", "destroy", "2/1", "MNT"])
            try twins.same(["qgroup", "show", "-pcre", "MNT"])
            let end = try twins.state()
            #expect(end.ours == end.progs)

            // A deleted subvolume's qgroup is stale until the cleaner drops the subvolume (the
            // kernel then removes the qgroup itself): on our twin only, since the two race apart.
            let mnt = twins.ours.mountPoint
            try Rig.sh("btrfs -q subvolume delete -c \(mnt)/s3")
            try expectSameAsProgs(["qgroup", "show", "-pcre", mnt])
            let cleared = try Rig.sbtrfs(["qgroup", "clear-stale", mnt])
            #expect(cleared.status == 0 && ["", "Delete stale qgroup 0/258\n"].contains(cleared.stdout), "\(cleared)")
            let left = try Rig.run(["btrfs", "qgroup", "show", mnt])
            #expect(left.status == 0 && !left.stdout.contains("<stale>") && !left.stdout.contains("0/258 "), "\(left)")

            try twins.same(["quota", "disable", "MNT"])
            try twins.same(["qgroup", "show", "MNT"])
            try twins.same(["qgroup", "create", "1/7", "MNT"])
        }
    }

    /// With limits set, progs 6.2 aborts in its JSON (it formats a size without a unit mode);
    /// sbtrfs prints the limits as numbers, as later progs do, and the rest as progs 6.2.
    @Test func jsonWithLimitsCarriesTheLimits() throws {
        try Rig.withFilesystem(FSSpec(deviceSize: 512 << 20)) { scratch in
            let mnt = scratch.mountPoint
            try Rig.sh("cd \(mnt) && btrfs quota enable . && btrfs -q subvolume create s && btrfs quota rescan -W . "
                       + "&& btrfs qgroup limit 7M 0/256 . && btrfs qgroup limit -e 3M 0/256 .")
            let json = try Rig.sbtrfs(["--format", "json", "qgroup", "show", mnt])
            #expect(json.status == 0, "\(json)")
            let doc = try JSONSerialization.jsonObject(with: Data(json.stdoutBytes)) as? [String: Any]
            let rows = try #require(doc?["qgroup-show"] as? [[String: Any]])
            let text = try Rig.run(["btrfs", "qgroup", "show", "--raw", "-re", mnt]).stdout
            let subvolume = try #require(rows.first { $0["qgroupid"] as? String == "0/256" })
            #expect(subvolume["max_referenced"] as? String == "7340032")
            #expect(subvolume["max_exclusive"] as? String == "3145728")
            #expect(text.contains("7340032") && text.contains("3145728"))
            let top = try #require(rows.first { $0["qgroupid"] as? String == "0/5" })
            #expect(top["max_referenced"] as? String == "none" && top["path"] as? String == "")
        }
    }

    @Test func qgroupIDsParseAsProgs() {
        #expect(parseQgroupID("1/7") == (1 << 48 | 7))
        #expect(parseQgroupID("0/257") == 257)
        #expect(parseQgroupID(" 2/ 3") == (2 << 48 | 3))
        for bad in ["257", "1/", "/5", "1/5x", "x/5", "65536/1", "1/281474976710656", "-1/5", "1/99999999999999999999"] {
            #expect(parseQgroupID(bad) == nil, "\(bad)")
        }
        #expect(QgroupShow.parseSort("-rfer,+path,qgroupid")?.map { $0.descending } == [true, false, false])
        #expect(QgroupShow.parseSort(",,")?.isEmpty == true)
        for bad in ["x", "+", "-", "rfer,bogus", "*rfer", "rfer+"] { #expect(QgroupShow.parseSort(bad) == nil, "\(bad)") }
    }
}
