import Foundation
import Testing
import TestRig

/// `filesystem heatmap`'s files and refusals on one shared filesystem: automatic names as
/// btrfs-heatmap chooses them, `-o -`, `--format json`, pngcheck, and bad input that leaves
/// one ERROR line and no file behind.
@Suite(.needsRig, .needsTool("/usr/bin/btrfs-heatmap", what: "btrfs-heatmap"))
struct FilesystemHeatmapOutputTests {
    static func files(_ dir: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).sorted()
    }

    @Test(.needsTool("/usr/bin/pngcheck", what: "pngcheck"))
    func namesStdoutJSONAndRefusals() throws {
        try Rig.withFilesystem(FSSpec(deviceSize: 1 << 30, data: "single", metadata: "dup")) { scratch in
            let mnt = scratch.mountPoint
            try FilesystemHeatmapTests.populate(mnt, files: 60)
            let groups = try FilesystemHeatmapTests.blockGroups(mnt, environment: nil)
            guard let data = groups.first(where: { $0.1 == 1 })?.0 else { throw RigError("no data block group") }
            let dir = scratch.directory

            // Automatic names: fsid, curve, view, block group, time; in the directory -o names.
            for (n, options) in [[], ["--curve", "snake", "--sort", "virtual"], ["--blockgroup", "\(data)", "--curve", "linear"]].enumerated() {
                let ours = "\(dir)/names-ours-\(n)", theirs = "\(dir)/names-theirs-\(n)"
                try Rig.sh("mkdir \(ours) \(theirs)")
                let before = Int(Date().timeIntervalSince1970)
                let r = try Rig.sbtrfs(["filesystem", "heatmap", "--size", "6"] + options + ["-o", ours, mnt])
                let after = Int(Date().timeIntervalSince1970)
                let t = try Rig.run(["btrfs-heatmap", "--size", "6"] + options + ["-o", theirs, mnt])
                #expect(r.status == 0 && t.status == 0, "\(options): \(r) \(t)")
                let oursNames = Self.files(ours), theirsNames = Self.files(theirs)
                #expect(oursNames.count == 1 && theirsNames.count == 1, "\(options)")
                guard let name = oursNames.first, let theirName = theirsNames.first,
                      let at = name.range(of: "_at_", options: .backwards),
                      let theirAt = theirName.range(of: "_at_", options: .backwards) else { continue }
                #expect(name[..<at.upperBound] == theirName[..<theirAt.upperBound], "\(options)")
                let stamp = Int(name[at.upperBound...].dropLast(4)) ?? -1
                #expect(name.hasSuffix(".png") && stamp >= before && stamp <= after, "\(name)")
                #expect(r.stdout.hasSuffix("pngfile \(ours)/\(name)\n"), "\(r.stdout)")
                let check = try Rig.run(["pngcheck", "\(ours)/\(name)"])
                #expect(check.status == 0, "pngcheck: \(check)")
            }

            // -o -: the PNG on stdout, nothing else; the same pixels as the file.
            let piped = try Rig.sbtrfs(["filesystem", "heatmap", "--size", "7", "-o", "-", mnt])
            FileManager.default.createFile(atPath: "\(dir)/piped.png", contents: Data(piped.stdoutBytes))
            _ = try Rig.sbtrfs(["filesystem", "heatmap", "--size", "7", "-o", "\(dir)/file.png", mnt])
            let digests = try FilesystemHeatmapTests.digests(["\(dir)/piped.png", "\(dir)/file.png"])
            #expect(piped.status == 0 && piped.stderr.isEmpty && digests.count == 2 && digests.first == digests.last
                    && !(digests.first ?? "undecodable").hasPrefix("undecodable"), "\(digests)")

            // --format json: runs cover every pixel and byte once, and hold the colours of
            // btrfs-heatmap's picture at the same order.
            for options in [["--order", "5"], ["--blockgroup", "\(data)", "--order", "6", "--curve", "snake"]] {
                let r = try Rig.sbtrfs(["--format", "json", "filesystem", "heatmap"] + options + [mnt])
                #expect(r.status == 0 && r.stderr.isEmpty, "\(r)")
                let order = Int(options[options.count - (options.count == 2 ? 1 : 3)]) ?? 0
                try Rig.sh("rm -f \(dir)/json.png && btrfs-heatmap -q --size \(order) -o \(dir)/json.png \(options.joined(separator: " ")) \(mnt)")
                let histogram = try Rig.run(["/usr/bin/python3", FilesystemHeatmapTests.oracle, "histogram", "\(dir)/json.png"])
                let theirs = try JSONSerialization.jsonObject(with: Data(histogram.stdoutBytes)) as? [String: Int] ?? [:]
                let doc = try JSONSerialization.jsonObject(with: Data(r.stdoutBytes)) as? [String: Any]
                let heatmap = doc?["heatmap"] as? [String: Any] ?? [:]
                let runs = heatmap["runs"] as? [[String: Any]] ?? []
                #expect(heatmap["order"] as? Int == order && heatmap["curve"] as? String == (options.contains("snake") ? "snake" : "hilbert"))
                var counts: [String: Int] = [:]
                var nextPixel = 0, nextByte = 0
                for run in runs {
                    let pixels = run["pixels"] as? Int ?? 0, offset = run["offset"] as? Int ?? -1
                    #expect(run["first-pixel"] as? Int == nextPixel && offset == nextByte && pixels > 0)
                    counts[run["rgb"] as? String ?? "?", default: 0] += pixels
                    nextPixel += pixels
                    nextByte = offset + (run["length"] as? Int ?? 0)
                }
                #expect(nextPixel == 1 << (2 * order) && nextByte == heatmap["total-bytes"] as? Int, "\(options)")
                #expect(counts == theirs, "\(options): colours")
            }

            // Bad input: one ERROR line, status 1, no file; btrfs-heatmap refuses the same where it checks.
            let out = "\(dir)/refused"
            let locked = "\(mnt)/locked"
            try Rig.sh("mkdir \(out) \(locked) && chattr +i \(locked)")
            defer { _ = try? Rig.sh("chattr -i \(locked)") }
            let refusals: [([String], Bool)] = [
                (["--blockgroup", "1", "-o", out], true), (["--blockgroup", "\(data + 4096)", "-o", out], true),
                (["--order", "6", "--size", "5", "-o", out], true), (["-o", "\(out)/missing/x.png"], true),
                (["-o", "\(out)/missing/"], true), (["-o", locked], true), (["-o", "\(locked)/x.png"], true),
                (["--order", "13", "-o", out], false), (["--order", "-1", "-o", out], false),
                (["--size", "15", "-o", out], false), (["--order", "x", "-o", out], false),
                (["--blockgroup", "-4096", "-o", out], false), (["--curve", "peano", "-o", out], false),
                (["--sort", "sideways", "-o", out], false),
            ]
            for (options, oracleRefuses) in refusals {
                let r = try Rig.sbtrfs(["filesystem", "heatmap"] + options + [mnt])
                let lines = r.stderr.split(separator: "\n")
                #expect(r.status == 1 && lines.count == 1 && r.stderr.hasPrefix("ERROR: "), "\(options): \(r)")
                #expect(Self.files(out).isEmpty && Self.files(locked).isEmpty, "\(options): left \(Self.files(out))")
                if oracleRefuses {
                    let t = try Rig.run(["btrfs-heatmap"] + options + [mnt])
                    #expect(t.status != 0, "btrfs-heatmap \(options) accepts it: \(t)")
                    try Rig.sh("rm -rf \(out)/* && chattr -i \(locked) && rm -rf \(locked)/* && chattr +i \(locked)")
                }
            }
        }
    }
}
