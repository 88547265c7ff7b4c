import Foundation
import Testing
import TestRig
@testable import sbtrfs

/// Every `--format json` command on a filesystem whose label, subvolume names and file names hold
/// `"`, `\`, newline, tab, other control characters and bytes that are not UTF-8: each document
/// must parse with a strict parser (python's json.loads of the bytes decoded as strict UTF-8), and
/// the names in it must be python-btrfs's (`decode(errors='replace')`; search-metadata's names
/// losslessly as strings or byte arrays).
@Suite(.needsRig) struct JSONHostileNamesTests {
    /// The names, as printf(1) formats: prefix (for globbing), then the hostile part.
    static let names = [
        "s1-q\"uote", "s2-back\\\\slash", "s3-new\\nline", "s4-tab\\there", "s5-ctl\\001\\037\\177",
        "s6-bad\\377\\376", "s7-trunc\\342\\202", "s8-all\"\\\\\\n\\t\\001\\377\\300\\257",
    ]
    /// Unique: `filesystem show LABEL` looks among every mounted filesystem.
    static let label = "L\"\\\\\\n\\t\\001\\377x-\(UInt32.random(in: 0...UInt32.max))"

    /// How each JSON command runs on the scratch filesystem ($M in the shell); `$S` is sbtrfs.
    /// A JSON command of the tree without an entry fails `everyJSONCommandHasAnEntry`.
    static let commands: [String: [String]] = [
        "balance status": ["$S --format json balance status $M"],
        "device replace": ["$S --format json device replace status $M"],
        "device stats": ["$S --format json device stats $M"],
        "device usage": ["$S --format json device usage $M"],
        "filesystem df": ["$S --format json filesystem df $M"],
        "filesystem label": ["$S --format json filesystem label $M"],
        "filesystem heatmap": ["$S --format json filesystem heatmap --size 4 $M"],
        "filesystem dedupe": ["d=\"$M/$(printf 'dd\\377\\042\\nx')\"; head -c 8192 /dev/urandom > \"$d\"; cp --reflink=never \"$d\" \"$d-copy\"; sync;"
                              + " $S --format json filesystem dedupe \"$d\" 0 4096 \"$d-copy\" 0"],
        "filesystem du": ["$S --format json filesystem du $M", "set -- $M/s8-*; $S --format json filesystem du \"$1\""],
        "filesystem show": ["$S --format json filesystem show $M", "$S --format json filesystem show \"$(printf '\(label)')\""],
        "filesystem usage": ["$S --format json filesystem usage $M"],
        "filesystem usage-report": ["$S --format json filesystem usage-report $M"],
        "filesystem metrics": ["$S --format json filesystem metrics $M"],
        "filesystem compsize": ["$S --format json filesystem compsize $M"],
        "filesystem space-calculator": ["$S --format json filesystem space-calculator -m dup -d single 10G"],
        "inspect-internal tree-sizes": ["$S --format json inspect-internal tree-sizes $M"],
        "inspect-internal free-space-fragmentation": ["$S --format json inspect-internal free-space-fragmentation 0 $M"],
        // The first data block group: the top files' data is there, their paths the hostile names.
        "inspect-internal block-group-files": [
            "set -- $(/usr/bin/python3 -c 'import btrfs, sys; [print(c.vaddr) for c in btrfs.FileSystem(sys.argv[1]).chunks() if c.type & btrfs.BLOCK_GROUP_DATA]' $M);"
                + " $S --format json inspect-internal block-group-files $1 $M"],
        "inspect-internal rootid": ["set -- $M/s8-*; $S --format json inspect-internal rootid \"$1\""],
        "inspect-internal subvolid-resolve": ["$S --format json inspect-internal subvolid-resolve 263 $M"],
        "inspect-internal inode-resolve": ["set -- $M/s8-*; $S --format json inspect-internal inode-resolve 257 \"$1\""],
        // f8-…'s data extent (FIEMAP's physical offset is the logical address on btrfs).
        "inspect-internal logical-resolve": [
            "set -- $M/f8-*; b=$(filefrag -v \"$1\" | awk '$1 == \"0:\" { print $4 }'); $S --format json inspect-internal logical-resolve $(( ${b%%.*} * 4096 )) $M",
            "set -- $M/f8-*; b=$(filefrag -v \"$1\" | awk '$1 == \"0:\" { print $4 }'); $S --format json inspect-internal logical-resolve -P $(( ${b%%.*} * 4096 )) $M"],
        "inspect-internal min-dev-size": ["$S --format json inspect-internal min-dev-size $M"],
        "inspect-internal file-csum": ["set -- $M/f8-*; $S --format json inspect-internal file-csum \"$1\""],
        "inspect-internal search-metadata": [
            "$S --format json inspect-internal search-metadata dump -t 5 $M",
            "$S --format json inspect-internal search-metadata dump -t 1 $M",
            "$S inspect-internal search-metadata --format json dump -t 256 $M",
            "set -- $M/s8-*; $S --format json inspect-internal search-metadata file \"$1/g8-\"*",
        ],
        "scrub status": ["btrfs scrub start -B $M >/dev/null && $S --format json scrub status $M", "$S --format json scrub status -d $M"],
        "property get": ["set -- $M/s8-*; $S --format json property get \"$1\"", "$S --format json property get $M label",
                         "set -- $M/f8-*; btrfs property set \"$1\" compression zstd && $S --format json property get \"$1\""],
        "property list": ["set -- $M/s8-*; $S --format json property list \"$1\""],
        "replace status": ["$S --format json replace status $M", "$S --format json replace status -1 $M"],
        "qgroup show": ["$S --format json qgroup show $M", "$S --format json qgroup show -p -c -r -e $M"],
        "subvolume list": ["$S --format json subvolume list $M", "$S --format json subvolume list -a -p -u -q -R $M"],
        "subvolume show": names.indices.map { "set -- $M/s\($0 + 1)-*; $S --format json subvolume show \"$1\"" }
            + (256...263).map { "$S --format json subvolume show -r \($0) $M" },
        // Then cleared again: a read-write subvolume with a received UUID makes `show` warn.
        "subvolume set-received-uuid": ["set -- $M/s7-*; $S --format json subvolume set-received-uuid 11111111-2222-3333-4444-555555555555 7 1.5 \"$1\""
                                        + " && $S subvolume set-received-uuid 00000000-0000-0000-0000-000000000000 0 0.0 \"$1\" >/dev/null"],
        "subvolume find-new": ["set -- $M/s8-*; $S --format json subvolume find-new \"$1\" 0"],
        "subvolume get-default": ["set -- $M/s8-*; btrfs subvolume set-default \"$1\" && $S --format json subvolume get-default $M"],
    ]

    @Test func everyJSONCommandHasAnEntry() {
        func jsonCommands(_ group: Group, _ prefix: [String]) -> [String] {
            group.children.flatMap { child -> [String] in
                switch child {
                case .group(let g): return jsonCommands(g, prefix + [g.name])
                case .command(let c): return c.supportsJSON ? [(prefix + [c.name]).joined(separator: " ")] : []
                }
            }
        }
        let inTree = Set(jsonCommands(CommandTree.root(), []))
        #expect(inTree.subtracting(JSONHostileNamesTests.commands.keys).sorted() == [], "JSON commands without an entry")
        #expect(Set(JSONHostileNamesTests.commands.keys).subtracting(inTree).sorted() == [], "entries that are not JSON commands")
    }

    @Test func everyJSONDocumentParsesStrictly() throws {
        try Rig.withFilesystem(FSSpec()) { scratch in
            let m = scratch.mountPoint
            var setup = "cd \(m) && btrfs filesystem label . \"$(printf '\(Self.label)')\""
            for (i, name) in Self.names.enumerated() {
                setup += " && btrfs subvolume create \"$(printf '\(name)')\" >/dev/null"
                setup += " && echo x > \"$(printf '\(name)')/g\(i + 1)-$(printf '\(name)')\""
                setup += " && head -c 8192 /dev/urandom > \"$(printf 'f\(i + 1)-\(name)')\""  // not inline: in a data block group
            }
            try Rig.sh(setup + " && btrfs quota enable . && btrfs quota rescan -w . >/dev/null && sync")
            let expected = try Self.pythonNames(m)
            for (command, lines) in Self.commands.sorted(by: { $0.key < $1.key }) {
                for line in lines {
                    let r = try Rig.run(["/bin/sh", "-c", "S=\(Rig.sbtrfsPath); M=\(m); \(line)"])
                    #expect(r.status == 0 && r.stderr.isEmpty, "\(command): \(line): \(r.stderr)")
                    let document = try Self.strictlyParsed(r.stdoutBytes, "\(command): \(line)")
                    try Self.checkNames(command, line, document, expected)
                }
            }
        }
    }

    /// What python-btrfs would show for the names: the label, the subvolume names and the file
    /// names, each decoded with errors='replace', and their raw bytes (as lists of numbers).
    struct Expected {
        var label: String
        var subvolumes: Set<String>
        var files: Set<String>
        var rawNames: Set<[UInt8]>
    }

    static func pythonNames(_ m: String) throws -> Expected {
        let script = """
            import json, os, sys
            m = sys.argv[1].encode()
            import subprocess
            label = subprocess.run(['btrfs', 'filesystem', 'label', m], capture_output=True).stdout[:-1]
            subvols = [n for n in os.listdir(m) if n.startswith(b's')]
            files = [n for n in os.listdir(m) if n.startswith(b'f')]
            inner = [f for s in subvols for f in os.listdir(m + b'/' + s)]
            print(json.dumps({'label': label.decode('utf-8', 'replace'),
                              'subvolumes': [s.decode('utf-8', 'replace') for s in subvols],
                              'files': [f.decode('utf-8', 'replace') for f in files],
                              'raw': [list(n) for n in subvols + files + inner]}))
            """
        let r = try Rig.python(script, args: [m])
        try #require(r.status == 0, "\(r)")
        let object = try JSONSerialization.jsonObject(with: Data(r.stdoutBytes)) as? [String: Any] ?? [:]
        let expected = Expected(label: object["label"] as? String ?? "",
                                subvolumes: Set(object["subvolumes"] as? [String] ?? []),
                                files: Set(object["files"] as? [String] ?? []),
                                rawNames: Set((object["raw"] as? [[Int]] ?? []).map { $0.map { UInt8($0) } }))
        try #require(expected.subvolumes.count == names.count && expected.rawNames.count == 3 * names.count,
                     "python sees \(expected)")
        return expected
    }

    /// The document as python's strict parser reads it (UTF-8 strictly, no raw control
    /// characters), handed back re-encoded as ASCII JSON for Foundation.
    static func strictlyParsed(_ bytes: [UInt8], _ what: String) throws -> Any {
        let script = """
            import json, sys
            data = sys.stdin.buffer.read()
            try:
                doc = json.loads(data.decode('utf-8'))
            except Exception as e:
                print('%s: %r' % (type(e).__name__, e), file=sys.stderr)
                sys.exit(1)
            print(json.dumps(doc))
            """
        let r = try Rig.python(script, stdin: bytes)
        try #require(r.status == 0, "\(what): not strict JSON: \(r.stderr)\n\(String(decoding: bytes.prefix(600), as: UTF8.self))")
        return try JSONSerialization.jsonObject(with: Data(r.stdoutBytes), options: [.fragmentsAllowed])
    }

    /// Where a command prints names, they are the ones python-btrfs reads.
    static func checkNames(_ command: String, _ line: String, _ document: Any, _ expected: Expected) throws {
        let top = document as? [String: Any] ?? [:]
        switch command {
        case "filesystem show":
            let labels = (top["filesystem-show"] as? [[String: Any]] ?? []).compactMap { $0["label"] as? String }
            #expect(labels == [expected.label], "\(line): \(labels) vs \(expected.label)")
        case "filesystem label":
            let label = (top["filesystem-label"] as? [String: Any])?["label"] as? String
            #expect(label == expected.label, "\(line): \(String(describing: label)) vs \(expected.label)")
        case "property get" where line.contains(" label"):
            let label = ((top["property-get"] as? [String: Any])?["properties"] as? [String: Any])?["label"] as? String
            #expect(label == expected.label, "\(line): \(String(describing: label))")
        case "subvolume find-new":
            let extents = (top["subvolume-find-new"] as? [String: Any])?["extents"] as? [[String: Any]] ?? []
            let paths = extents.compactMap { $0["path"] as? String }
            #expect(paths.count == 1 && paths.allSatisfy { $0.hasPrefix("g8-") }, "\(line): \(extents)")
        case "inspect-internal inode-resolve":
            // Inode 257 of s8-…: its file g8-…, after the subvolume's own (hostile) path.
            let paths = (top["inode-resolve"] as? [String: Any])?["paths"] as? [String] ?? []
            let parts = paths.first.map { $0.split(separator: "/").suffix(2).map(String.init) } ?? []
            #expect(paths.count == 1 && parts.count == 2 && expected.subvolumes.contains(parts[0])
                    && parts[1].hasPrefix("g8-") && parts[1].dropFirst(3) == parts[0], "\(line): \(paths)")
        case "inspect-internal logical-resolve" where !line.contains(" -P "):
            let refs = (top["logical-resolve"] as? [String: Any])?["refs"] as? [[String: Any]] ?? []
            var names: [String] = []
            for ref in refs {
                let paths: [String] = ref["paths"] as? [String] ?? []
                for path in paths { names.append(path.split(separator: "/").last.map { String($0) } ?? "") }
            }
            #expect(names.count == 1 && names.allSatisfy { expected.files.contains($0) && $0.hasPrefix("f8-") }, "\(line): \(refs)")
        case "filesystem metrics":
            let labels = (top["metrics"] as? [[String: Any]] ?? []).compactMap { ($0["labels"] as? [String: Any])?["label"] as? String }
            #expect(!labels.isEmpty && labels.allSatisfy { $0 == expected.label }, "\(line): \(labels)")
        case "subvolume list":
            let paths = Set((top["subvolume-list"] as? [[String: Any]] ?? []).compactMap { $0["path"] as? String })
            // -a prefixes <FS_TREE>/.
            let bare = Set(paths.map { $0.hasPrefix("<FS_TREE>/") ? String($0.dropFirst(10)) : $0 })
            #expect(bare == expected.subvolumes, "\(line): \(paths)")
        case "subvolume show":
            let keys = Set(top.keys).subtracting(["__header"])
            #expect(keys.count == 1 && keys.isSubset(of: expected.subvolumes), "\(line): \(keys)")
        case "inspect-internal block-group-files":
            // The paths themselves (python's text writes `utf-8 '…'` around them; JSON does not).
            let extents = (top["block-group-files"] as? [String: Any])?["extents"] as? [[String: Any]] ?? []
            let paths = Set(extents.flatMap { ($0["inodes"] as? [[String: Any]] ?? []).compactMap { $0["path"] as? String } })
            #expect(expected.files.isSubset(of: paths), "\(line): \(paths)")
        case "subvolume get-default":
            let path = (top["subvolume-get-default"] as? [String: Any])?["path"] as? String
            #expect(path.map { expected.subvolumes.contains($0) && $0.hasPrefix("s8-") } == true, "\(line): \(String(describing: path))")
        case "inspect-internal search-metadata":
            // Names are strings when they are UTF-8, else byte arrays: nothing lost either way.
            var found = Set<[UInt8]>()
            func collect(_ value: Any) {
                if let map = value as? [String: Any] {
                    if let name = map["name"] as? String { found.insert(Array(name.utf8)) }
                    if let name = map["name"] as? [Int] { found.insert(name.map { UInt8($0) }) }
                    map.values.forEach(collect)
                } else if let list = value as? [Any] {
                    list.forEach(collect)
                }
            }
            collect(top)
            // Tree 5 holds the subvolumes' and the top files' names, tree 256 (s1-…) its g1-… file.
            let prefixes = line.contains("-t 5") ? ["s", "f"] : line.contains("-t 256") ? ["g1-"] : []
            let wanted = expected.rawNames.filter { name in prefixes.contains { name.starts(with: Array($0.utf8)) } }
            #expect(wanted.isSubset(of: found), "\(line): missing \(wanted.subtracting(found))")
        default:
            break
        }
    }
}
