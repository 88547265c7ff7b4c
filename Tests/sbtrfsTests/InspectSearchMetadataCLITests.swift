import Foundation
import Testing
import TestRig

/// The command through the real binary and dispatcher: option placement, bad input, JSON.
@Suite(.needsRig) struct InspectSearchMetadataCLITests {
    @Test func binaryMatchesPythonAndRefusesBadInput() throws {
        try Rig.withFilesystem(Scenario.single.spec) { scratch in
            try Scenario.single.populate(scratch)
            let m = scratch.mountPoint
            // Options before or after the subcommand, abbreviated command tokens.
            for args in [["dump", "-t", "5", "--max-key", "(257 -1 -1)", m], ["--format", "long", "devices", m],
                         ["--format=keys", "dump", "-t", "root", m], ["inode", "--inum", "256", "-t", "5", m],
                         ["block_group_free_space", m]] {
                let ours = try Rig.sbtrfs(["inspect-internal", "search-metadata"] + args)
                let theirs = try Rig.run(["btrfs-search-metadata"] + args)
                #expect(ours.status == 0 && theirs.status == 0, "\(args)")
                if args.contains("root") {
                    // The root tree holds types python-btrfs leaves unparsed (ROOT_BACKREF, ...): same keys.
                    #expect(ours.stdout.split(separator: "\n").count == theirs.stdout.split(separator: "\n").count)
                } else {
                    #expect(ours.stdoutBytes == theirs.stdoutBytes, "\(args)")
                }
            }
            let r = try Rig.sbtrfs(["insp", "search-metadata", "devices", m])
            #expect(r.status == 0 && r.stdout.hasPrefix("dev item devid 1 "))

            // Bad input: one ERROR line, status 1, nothing on stdout.
            for args in [["dump", m], ["chunks", "-t", "5", m], ["nosuch", m], ["--format", "xml", "chunks", m],
                         ["dump", "-t", "5", "--min-key", "(1 2)", m], ["inode", "-t", "5", m], ["chunks"],
                         ["inode", "-t", "5", "--inum", "x", m], ["dump", "-t", "nosuch_tree", m],
                         ["block_group_contents", "--vaddr", "12345", m], ["chunks", "/proc"]] {
                let bad = try Rig.sbtrfs(["inspect-internal", "search-metadata"] + args)
                #expect(bad.status == 1, "\(args): \(bad)")
                #expect(bad.stdout.isEmpty, "\(args)")
                // ERROR: lines, or progs' argument count message from the dispatcher.
                #expect((bad.stderr.hasPrefix("ERROR: ") || bad.stderr.contains("arguments expected"))
                        && bad.stderr.split(separator: "\n").count == 1, "\(args): \(bad.stderr)")
            }

            // JSON: one object per item, every number a JSON number, same items as the keys form.
            let json = try Rig.sbtrfs(["--format", "json", "inspect-internal", "search-metadata", "dump", "-t", "1", m])
            #expect(json.status == 0)
            let doc = try JSONSerialization.jsonObject(with: Data(json.stdoutBytes)) as? [String: Any]
            let items = doc?["items"] as? [[String: Any]] ?? []
            let keys = try Rig.sbtrfs(["inspect-internal", "search-metadata", "--format", "keys", "dump", "-t", "1", m])
            #expect(items.map { $0["key-text"] as? String ?? "" } == keys.stdout.split(separator: "\n").map(String.init))
            for item in items where item["item"] as? String == "RootItem" {
                #expect(item["generation"] is NSNumber && item["bytenr"] is NSNumber)
            }
        }
    }
}
