import Foundation
import Testing
import TestRig
@testable import Btrfs

/// Every field of every item of every tree, ours against python-btrfs's, on real filesystems.
@Suite(.needsRig) struct ItemDifferentialTests {
    static let pydump = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Oracles/pydump.py").path

    /// Our items in pydump's line format (an error becomes the same `__error__` line).
    static func ourLines(_ fs: FileSystem, trees: [UInt64]) throws -> [String] {
        let csum = fs.csumSize()
        var lines: [String] = []
        for tree in trees {
            var cursor = fs.search(TreeSearch(tree: tree))
            do {
                while let item = try cursor.next() {
                    let parsed = try item.parse(csumSize: csum)
                    lines.append(PythonView.view(parsed, dataLength: item.data.count).json)
                    // The parsed item prints the same short text as its bytes do.
                    let fromBytes = TextBuffer()
                    try ShortItemText.write(key: item.key, reader: item.reader(), csumSize: csum, to: fromBytes)
                    if parsed.shortText != fromBytes.text {
                        Issue.record("\(item.key): item text \(parsed.shortText) != bytes text \(fromBytes.text)")
                    }
                    // And the same long text.
                    let longFromBytes = TextBuffer()
                    try LongItemText.write(key: item.key, reader: item.reader(), level: 0, csumSize: csum, to: longFromBytes)
                    if parsed.longText != longFromBytes.text {
                        Issue.record("\(item.key): item long text \(parsed.longText) != bytes text \(longFromBytes.text)")
                    }
                }
            } catch let e as BtrfsError where e.errno != nil {
                lines.append(PV.o(["__error__": .s(String(e.errno ?? 0)), "tree": .s(String(tree))]).json)
            }
        }
        return lines
    }

    @Test(arguments: Scenario.allCases)
    func everyFieldMatchesPythonBtrfs(_ scenario: Scenario) throws {
        try Rig.withFilesystem(scenario.spec) { scratch in
            try scenario.populate(scratch)
            let trees = try Scenario.trees(scratch.mountPoint)
            let r = try Rig.run(["/usr/bin/python3", Self.pydump, scratch.mountPoint] + trees.map(String.init))
            #expect(r.status == 0, "\(r.stderr)")
            let theirs = r.stdout.split(separator: "\n").map(String.init)
            let fs = try FileSystem(path: scratch.mountPoint)
            let ours = try Self.ourLines(fs, trees: trees)
            expectSameLines(ours, theirs, "\(scenario) items")
            // The scenario really produced what it is about.
            let classes = Set(theirs.compactMap { line -> String? in
                guard let range = line.range(of: "\"__class__\":\"") else { return nil }
                return String(line[range.upperBound...].prefix { $0 != "\"" })
            })
            for expected in ["InodeItem", "InodeRefList", "DirItemList", "DirIndex", "FileExtentItem", "RootItem",
                             "ExtentItem", "BlockGroupItem", "FreeSpaceInfo", "DevExtent", "DevItem", "Chunk"] {
                #expect(classes.contains(expected), "\(scenario): no \(expected)")
            }
            switch scenario {
            case .single:
                for c in ["MetaDataItem", "OrphanItem", "NotImplementedItem", "UnknownItem", "RootRef", "FreeSpaceBitmap"] { #expect(classes.contains(c), "no \(c)") }
                #expect(theirs.contains { $0.contains("\"compression\":\"3\"") }, "no zstd extent")
                #expect(theirs.contains { $0.contains("XAttrItem") }, "no xattr")
                #expect(theirs.contains { $0.contains("\"_inline_encoded_nbytes\"") }, "no inline extent")
            case .raid1:
                #expect(classes.contains("InodeExtrefList"), "no extrefs")
            case .mixed:
                #expect(theirs.contains { $0.contains("\"flags\":\"5\"") && $0.contains("BlockGroupItem") }, "no mixed block group")
                #expect(classes.contains("RootRef"), "no subvolume")
            }
        }
    }
}
