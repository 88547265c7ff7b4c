import Foundation
import Testing
import TestRig
import Btrfs
@testable import sbtrfs

/// `inspect-internal search-metadata` against python-btrfs 15's btrfs-search-metadata (PyPI's sdist,
/// scripts/fetch-oracles.sh) on the same read-only filesystems: every sub-command, every format, byte
/// for byte; and on a filesystem with a block group tree, which only 15 knows.
@Suite(.needsRig) struct SearchMetadataTests {
    /// The python program (argv[1]: its path), with python-btrfs's INODE_EXTREF crash patched
    /// (InodeExtref has no __len__ in 13 or 15, so any tree with extrefs dies with TypeError): the
    /// output it means to give.
    static let pythonProgram = """
    import sys, runpy, btrfs.ctree
    assert btrfs.__version__ == '15', btrfs.__version__
    if not hasattr(btrfs.ctree.InodeExtref, '__len__'):
        btrfs.ctree.InodeExtref.__len__ = lambda self: btrfs.ctree.InodeExtref._inode_extref.size + self.name_len
    program = sys.argv[1]
    sys.argv = ['btrfs-search-metadata'] + sys.argv[2:]
    runpy.run_path(program, run_name='__main__')
    """

    struct Outcome: Equatable, CustomStringConvertible {
        var stdout: [UInt8]
        var error: String?
        var description: String { "\(String(decoding: stdout, as: UTF8.self))\(error.map { "ERR: \($0)" } ?? "")" }
    }

    static func theirs(_ args: [String]) throws -> Outcome {
        let r = try Rig.python15(pythonProgram, args: [try Rig.pythonBtrfs15() + "/bin/btrfs-search-metadata"] + args)
        let err = r.stderr.isEmpty ? nil : r.stderr.trimmingCharacters(in: .newlines)
        return Outcome(stdout: r.stdoutBytes, error: r.status == 0 ? nil : err)
    }

    /// Runs our command in-process (the dispatcher parses these same options).
    static func ours(_ args: [String], unparsedAsPython: Bool) throws -> Outcome {
        var a = args
        var sm = SearchMetadata(preset: .chunks, path: "")
        sm.unparsedAsPython = unparsedAsPython
        if a.first == "--format" { a.removeFirst(); sm.format = SearchMetadata.Format(rawValue: a.removeFirst())! }
        sm.preset = SearchMetadata.Preset(rawValue: a.removeFirst())!
        while a.count > 1 {
            let o = a.removeFirst()
            switch o {
            case "-t": sm.tree = a.removeFirst()
            case "--inum": sm.inum = UInt64(a.removeFirst())
            case "--vaddr": sm.vaddr = UInt64(a.removeFirst())
            case "--min-key": sm.minKey = a.removeFirst()
            case "--max-key": sm.maxKey = a.removeFirst()
            default: Issue.record("bad test option \(o)")
            }
        }
        sm.path = a.removeFirst()
        let out = TextBuffer()
        var bytes: [UInt8] = []
        do {
            try sm.run(out: out) { b in b.drain { bytes.append(contentsOf: $0) } }
            return Outcome(stdout: bytes, error: nil)
        } catch {
            out.drain { bytes.append(contentsOf: $0) }
            return Outcome(stdout: bytes, error: "Error: \(error)")
        }
    }

    /// The invocations worth comparing on a mounted scenario.
    static func invocations(_ m: String, trees: [UInt64], fs: FileSystem) throws -> [[String]] {
        var list: [[String]] = [["chunks", m], ["block_groups", m], ["dev_extents", m], ["devices", m], ["orphans", m],
                                ["block_group_free_space", m], ["file", m], ["inode", "-t", "5", "--inum", "256", m],
                                ["inode", "-t", "fs_tree", "--inum", "999999", m], ["inode", "-t", "nosuch", "--inum", "1", m],
                                ["dump", "-t", "5", "--min-key", "(256 INODE_ITEM 0)", "--max-key", "(257 -1 -1)", m],
                                ["dump", "-t", "EXTENT_TREE", "--max-key", "(30000000 METADATA_ITEM -1)", m],
                                ["dump", "-t", "4242", m]]
        for tree in trees { list.append(["dump", "-t", String(tree), m]) }
        var chunks = fs.chunks()
        while let c = try chunks.next() {
            list.append(["block_group_contents", "--vaddr", String(c.vaddr), m])
            list.append(["block_group_free_space", "--vaddr", String(c.vaddr), m])
        }
        // Regular files, directories and symlinks; opening a FIFO blocks python-btrfs (and any
        // reader) forever, device nodes make it die with a traceback.
        for entry in try FileManager.default.contentsOfDirectory(atPath: m).sorted() {
            let type = try FileManager.default.attributesOfItem(atPath: m + "/" + entry)[.type] as? FileAttributeType
            if type == .typeRegular || type == .typeDirectory || type == .typeSymbolicLink {
                list.append(["file", m + "/" + entry])
            }
        }
        return list
    }

    @Test(arguments: Scenario.allCases)
    func sameBytesAsPythonBtrfs(_ scenario: Scenario) throws {
        try Rig.withFilesystem(scenario.spec) { scratch in
            try scenario.populate(scratch)
            let m = scratch.mountPoint
            let fs = try FileSystem(path: m)
            let trees = try Scenario.trees(m)
            let compared = try Self.compare(try Self.invocations(m, trees: trees, fs: fs), "\(scenario)")
            #expect(compared.compared > 40)
            if scenario == .single { #expect(compared.ownFormsSeen > 0) }
        }
    }

    /// A block group tree (bookworm-backports' mkfs -O block-group-tree): block_groups reads it,
    /// `-t block_group` names it, and keys and back references call tree 11 BLOCK_GROUP_TREE.
    @Test func blockGroupTreeSameBytesAsPythonBtrfs15() throws {
        try Rig.withFilesystem(try Rig.blockGroupTreeSpec(Scenario.single.spec)) { scratch in
            try Scenario.single.populate(scratch)
            let m = scratch.mountPoint
            let fs = try FileSystem(path: m)
            #expect(try fs.features().compatRO & FeatureFlags.compatROBlockGroupTree != 0)
            var list: [[String]] = [["block_groups", m], ["dump", "-t", "block_group", m], ["dump", "-t", "BLOCK_GROUP_TREE", m],
                                    ["dump", "-t", "11", m], ["dump", "-t", "root", m], ["dump", "-t", "extent", m],
                                    ["dump", "-t", "root", "--min-key", "(BLOCK_GROUP_TREE 0 0)", "--max-key", "(BLOCK_GROUP_TREE -1 -1)", m]]
            for chunk in try fs.chunks().collect() {
                list.append(["block_group_contents", "--vaddr", String(chunk.vaddr), m])
            }
            let compared = try Self.compare(list, "block group tree")
            #expect(compared.compared == list.count * 3)
            // Not vacuous: the block group tree has an item per chunk, and its blocks' back references are printed by name.
            let dump = try Self.ours(["dump", "-t", "block_group", m], unparsedAsPython: true)
            #expect(String(decoding: dump.stdout, as: UTF8.self).split(separator: "\n").count == list.count - 7)
            let extents = try Self.ours(["dump", "-t", "extent", m], unparsedAsPython: true)
            #expect(String(decoding: extents.stdout, as: UTF8.self).contains("root BLOCK_GROUP_TREE"))
        }
    }

    /// Runs each invocation in every format, ours against python-btrfs 15.
    static func compare(_ invocations: [[String]], _ label: String) throws -> (compared: Int, ownFormsSeen: Int) {
        var compared = 0
        var ownFormsSeen = 0
        for base in invocations {
            for format in ["keys", "short", "long"] {
                let args = ["--format", format] + base
                let theirs = try Self.theirs(args)
                let ours = try Self.ours(args, unparsedAsPython: true)
                expectSameText(String(decoding: ours.stdout, as: UTF8.self), String(decoding: theirs.stdout, as: UTF8.self),
                               "\(label) \(args.joined(separator: " "))")
                #expect(ours.stdout == theirs.stdout, "\(args)")
                #expect(ours.error == theirs.error, "\(args)")
                compared += 1
                // Our own forms for unparsed types differ from python-btrfs only on those lines.
                let own = try Self.ours(args, unparsedAsPython: false)
                if own.stdout != ours.stdout {
                    ownFormsSeen += 1
                    let a = String(decoding: own.stdout, as: UTF8.self).split(separator: "\n")
                    let b = String(decoding: theirs.stdout, as: UTF8.self).split(separator: "\n")
                    let extra = Set(a).subtracting(b)
                    #expect(!extra.contains { $0.contains("btrfs.ctree.InodeItem") || $0.hasPrefix("inode ") })
                    #expect(Set(b).subtracting(a).allSatisfy { $0.contains("not implemented item data") || $0.contains("unknown item data")
                        || $0.contains("NotImplementedItem") || $0.contains("UnknownItem") || $0 == "-" || $0 == "  -" },
                            "\(args): lines of python-btrfs's own forms went missing")
                }
            }
        }
        return (compared, ownFormsSeen)
    }
}
