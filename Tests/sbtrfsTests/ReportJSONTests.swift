import Foundation
import Testing
import TestRig

/// The native `--format json` of report commands btrfs-progs 6.2 prints as text only: every value
/// in the document is the one progs prints (or sbtrfs' text, where it is progs' byte for byte) on
/// the same filesystem, and numbers are JSON numbers.
@Suite(.needsRig, .needsTool("/usr/bin/btrfs", "/bin/btrfs", what: "btrfs-progs"))
struct ReportJSONTests {
    static func document(_ args: [String], _ group: String) throws -> [String: Any] {
        let r = try Rig.sbtrfs(["--format", "json"] + args)
        try #require(r.status == 0 && r.stderr.isEmpty, "\(args): \(r)")
        let top = try JSONSerialization.jsonObject(with: Data(r.stdoutBytes)) as? [String: Any]
        return try #require(top?[group] as? [String: Any], "\(args): no \(group) in \(r.stdout)")
    }

    static func progs(_ args: [String]) throws -> String {
        let r = try Rig.run(["btrfs"] + args)
        try #require(r.status == 0, "btrfs \(args): \(r)")
        return r.stdout
    }

    /// A JSON number, and not a string holding one.
    static func number(_ value: Any?) -> UInt64? {
        guard !(value is String), let n = value as? NSNumber else { return nil }
        return n.uint64Value
    }

    @Test func lookupsAsProgs() throws {
        try Rig.withFilesystem(FSSpec(deviceSize: 512 << 20, label: "json-label")) { fs in
            let m = fs.mountPoint
            try Rig.sh("btrfs -q subvolume create \(m)/sub && mkdir \(m)/sub/d && head -c 65536 /dev/urandom > \(m)/sub/d/f"
                       + " && ln \(m)/sub/d/f \(m)/sub/link && sync")
            let label = try Self.document(["filesystem", "label", m], "filesystem-label")
            #expect(label["label"] as? String == "json-label" && label["path"] as? String == m)
            #expect(try Self.progs(["filesystem", "label", m]) == "json-label\n")

            let rootid = try Self.document(["inspect-internal", "rootid", "\(m)/sub/d"], "rootid")
            #expect(Self.number(rootid["id"]).map { "\($0)\n" } == (try Self.progs(["inspect-internal", "rootid", "\(m)/sub/d"])))

            let id = try Self.progs(["inspect-internal", "rootid", "\(m)/sub"]).trimmingCharacters(in: .newlines)
            let resolved = try Self.document(["inspect-internal", "subvolid-resolve", id, m], "subvolid-resolve")
            #expect(resolved["path"] as? String == "sub" && Self.number(resolved["subvolid"]).map(String.init) == id)

            let inode = try Self.progs(["inspect-internal", "inode-resolve", "258", "\(m)/sub"])
            let paths = try Self.document(["inspect-internal", "inode-resolve", "258", "\(m)/sub"], "inode-resolve")
            #expect((paths["paths"] as? [String])?.map { $0 + "\n" }.joined() == inode && Self.number(paths["inode"]) == 258)

            let block = try Rig.sh("filefrag -v \(m)/sub/d/f | awk '$1 == \"0:\" { print $4 }'").stdout
            let logical = String((UInt64(block.prefix { $0.isNumber }) ?? 0) * 4096)
            // sbtrfs' text: progs 6.2 calls this subvolume "not mounted" (Docs/DIFFERENCES.md).
            let text = try Rig.sbtrfs(["inspect-internal", "logical-resolve", logical, m]).stdout
            let refs = try Self.document(["inspect-internal", "logical-resolve", logical, m], "logical-resolve")["refs"] as? [[String: Any]] ?? []
            #expect(refs.flatMap { $0["paths"] as? [String] ?? [] }.map { $0 + "\n" }.sorted().joined()
                    == text.split(separator: "\n").map { $0 + "\n" }.sorted().joined(), "\(refs) vs \(text)")
            #expect(refs.allSatisfy { $0["subvolume"] as? String == "sub" })
            let inodes = try Self.progs(["inspect-internal", "logical-resolve", "-P", logical, m])
            let bare = try Self.document(["inspect-internal", "logical-resolve", "-P", logical, m], "logical-resolve")["refs"] as? [[String: Any]] ?? []
            #expect(bare.map { "inode \(Self.number($0["inode"]) ?? 0) offset \(Self.number($0["offset"]) ?? 0) root \(Self.number($0["root"]) ?? 0)\n" }
                        .joined() == inodes && bare.allSatisfy { $0["paths"] is NSNull })

            let minimum = try Self.document(["inspect-internal", "min-dev-size", m], "min-dev-size")
            #expect(Self.number(minimum["size"]).map { "\($0) bytes" } == (try Self.progs(["inspect-internal", "min-dev-size", m])
                    .split(separator: " (").first.map(String.init)))
            #expect(Self.number(minimum["devid"]) == 1)
        }
    }

    /// find-new's extents and property get/list, field by field against progs' text lines.
    @Test func findNewAndPropertiesAsProgs() throws {
        try Rig.withFilesystem(FSSpec(deviceSize: 512 << 20, label: "json-props")) { fs in
            let m = fs.mountPoint
            try Rig.sh("btrfs -q subvolume create \(m)/sub && echo small > \(m)/sub/inline && head -c 300000 /dev/urandom > \(m)/sub/big"
                       + " && fallocate -l 64K \(m)/sub/pre && btrfs property set \(m)/sub/big compression zlib && sync")
            let text = try Self.progs(["subvolume", "find-new", "\(m)/sub", "0"])
            let r = try Rig.sbtrfs(["--format", "json", "subvolume", "find-new", "\(m)/sub", "0"])
            let doc = (try JSONSerialization.jsonObject(with: Data(r.stdoutBytes)) as? [String: Any])?["subvolume-find-new"] as? [String: Any] ?? [:]
            let lines = (doc["extents"] as? [[String: Any]] ?? []).map { e -> String in
                let flags = (e["flags"] as? [String] ?? []).joined(separator: "|")
                let numbers = ["inode", "file-offset", "len", "disk-start", "offset", "gen"].map { Self.number(e[$0]).map(String.init) ?? "?" }
                return "inode \(numbers[0]) file offset \(numbers[1]) len \(numbers[2]) disk start \(numbers[3]) offset \(numbers[4])"
                    + " gen \(numbers[5]) flags \(flags.isEmpty ? "NONE" : flags) \(e["path"] as? String ?? "?")\n"
            }
            #expect(lines.count >= 3 && lines.joined() + "transid marker was \(Self.number(doc["transid-marker"]) ?? 0)\n" == text,
                    "\(r.stdout) vs \(text)")

            for (object, name) in [("\(m)/sub", "ro"), (m, "label"), ("\(m)/sub/big", "compression"), ("\(m)/sub/inline", "compression")] {
                let progs = try Rig.run(["btrfs", "property", "get", object, name]).stdout
                let properties = try Self.document(["property", "get", object, name], "property-get")["properties"] as? [String: Any] ?? [:]
                let value: String? = properties[name].flatMap { v in (v as? Bool).map { $0 ? "true" : "false" } ?? v as? String }
                #expect(value.map { "\(name)=\($0)\n" } ?? "" == progs, "\(object) \(name): \(properties)")
            }
            let all = try Self.document(["property", "get", "\(m)/sub"], "property-get")["properties"] as? [String: Any] ?? [:]
            #expect(Set(all.keys) == ["ro", "compression"] && all["ro"] as? Bool == false, "\(all)")
            let listed = try Self.document(["property", "list", m], "property-list")["properties"] as? [[String: Any]] ?? []
            let listText = listed.map { e in (e["name"] as? String ?? "").padding(toLength: 20, withPad: " ", startingAt: 0) + (e["description"] as? String ?? "") + "\n" }
            #expect(listText.joined() == (try Self.progs(["property", "list", m])))
        }
    }

    /// scrub status after a scrub by progs: the counters -R prints, the totals --raw prints.
    @Test func scrubStatusAsItsText() throws {
        try Rig.withFilesystem(FSSpec(deviceSize: 512 << 20)) { fs in
            let m = fs.mountPoint
            try Rig.sh("head -c 4M /dev/urandom > \(m)/f && sync && btrfs scrub start -B \(m) >/dev/null")
            let raw = try Self.progs(["scrub", "status", "-R", m])
            let counters = Dictionary(raw.split(separator: "\n").compactMap { line -> (String, UInt64)? in
                let parts = line.trimmingCharacters(in: .whitespaces).split(separator: ":")
                guard parts.count == 2, let value = UInt64(parts[1].trimmingCharacters(in: .whitespaces)) else { return nil }
                return (parts[0].replacingOccurrences(of: "_", with: "-"), value)
            }, uniquingKeysWith: { a, _ in a })
            try #require(counters.count == 15, "\(raw)")
            for args in [["scrub", "status", m], ["scrub", "status", "-d", m]] {
                // "Total to scrub" is the used bytes at the time of asking; a commit between two
                // runs can move it by a node (failed once: 4505600 vs 4489216). Take progs' text on
                // both sides of ours until the two agree.
                var status: [String: Any] = [:]
                var text = ""
                for _ in 0..<5 {
                    let before = try Self.progs(args.dropLast() + ["--raw", m])
                    status = try Self.document(args, "scrub-status")
                    text = try Self.progs(args.dropLast() + ["--raw", m])
                    if text == before { break }
                }
                let uuid = try Self.progs(["filesystem", "show", "--raw", m]).split(separator: "uuid: ").last?.prefix(36)
                #expect(status["uuid"] as? String == uuid.map(String.init))
                let figures = args.contains("-d") ? (status["devices"] as? [[String: Any]])?.first ?? [:] : status
                for (key, value) in counters { #expect(Self.number(figures[key]) == value, "\(args) \(key)") }
                #expect(figures["status"] as? String == "finished" && figures["time-left"] is NSNull)
                let total = text.split(separator: "\n").first { $0.hasPrefix("Total to scrub:") }?.split(separator: " ").last
                #expect(Self.number(figures["total-to-scrub"]).map(String.init) == total.map(String.init), "\(args): \(text)")
                #expect(Self.number(figures["bytes-scrubbed"]) == counters["data-bytes-scrubbed"].flatMap { d in counters["tree-bytes-scrubbed"].map { d + $0 } })
                if args.contains("-d") {
                    #expect((status["devices"] as? [[String: Any]])?.map { $0["path"] as? String } == [fs.devices[0]])
                }
            }
        }
    }
}
