import Foundation
import Testing
import TestRig

/// `--format json` for list, show and get-default: valid JSON whose values are the ones the text
/// output (byte-identical to btrfs-progs) shows; numbers as numbers, null for absent UUIDs.
@Suite(.serialized) struct SubvolumeJSONTests {
    func json(_ args: [String]) throws -> [String: Any] {
        let r = try Rig.sbtrfs(["--format", "json"] + args)
        #expect(r.status == 0, "\(r.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(r.stdoutBytes))
        guard let map = object as? [String: Any] else { throw RigError("not a JSON object: \(r.stdout)") }
        #expect((map["__header"] as? [String: Any])?["version"] as? String == "1")
        return map
    }

    @Test(.needsRig) func jsonAgreesWithText() throws {
        try Rig.withFilesystem(FSSpec(deviceSize: 1 << 30)) { fs in
            let m = fs.mountPoint
            try SubvolumeFixture.populate(m)
            // list -p -c -u -q -R: every row's fields equal the text row's.
            let rows = try json(["subvolume", "list", "-p", "-c", "-g", "-u", "-q", "-R", m])["subvolume-list"] as? [[String: Any]] ?? []
            let text = try Rig.run(["btrfs", "subvolume", "list", "-p", "-c", "-u", "-q", "-R", m]).stdout
            let lines = text.split(separator: "\n").filter { $0.hasPrefix("ID ") }
            #expect(rows.count == lines.count && rows.count > 20)
            for (row, line) in zip(rows, lines) {
                let f = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
                // ID n gen n cgen n parent n top level n parent_uuid u received_uuid u uuid u path p
                #expect((row["id"] as? NSNumber)?.stringValue == f[1])
                #expect((row["generation"] as? NSNumber)?.stringValue == f[3])
                #expect((row["cgeneration"] as? NSNumber)?.stringValue == f[5])
                #expect((row["parent"] as? NSNumber)?.stringValue == f[7])
                #expect((row["top_level"] as? NSNumber)?.stringValue == f[10])
                for (key, index) in [("parent_uuid", 12), ("received_uuid", 14), ("uuid", 16)] {
                    if f[index] == "-" { #expect(row[key] is NSNull, "\(key) absent is null") } else { #expect(row[key] as? String == f[index]) }
                }
                if !line.contains("\u{FFFD}"), let path = row["path"] as? String, !path.contains("\n") {
                    #expect(path == line.components(separatedBy: " path ").dropFirst().joined(separator: " path "))
                }
            }
            // show: the same facts as the text.
            let show = try json(["subvolume", "show", m + "/snap_ro"])
            let body = show["snap_ro"] as? [String: Any] ?? [:]
            let info = try Rig.python("""
                import btrfsutil, sys
                i = btrfsutil.subvolume_info(sys.argv[1])
                print(i.id, i.generation, i.otransid, i.parent_id, i.uuid.hex(), i.parent_uuid.hex())
                """, args: [m + "/snap_ro"]).stdout.split(separator: " ").map { String($0).trimmingCharacters(in: .whitespacesAndNewlines) }
            #expect((body["id"] as? NSNumber)?.stringValue == info[0])
            #expect((body["generation"] as? NSNumber)?.stringValue == info[1])
            #expect((body["cgeneration"] as? NSNumber)?.stringValue == info[2])
            #expect((body["top_level"] as? NSNumber)?.stringValue == info[3])
            #expect((body["uuid"] as? String)?.replacingOccurrences(of: "-", with: "") == info[4])
            #expect((body["parent_uuid"] as? String)?.replacingOccurrences(of: "-", with: "") == info[5])
            #expect(body["received_uuid"] is NSNull)
            #expect(body["flags"] as? [String] == ["readonly"])
            #expect(body["name"] as? String == "snap_ro")
            let ofA = try json(["subvolume", "show", m + "/a"])["a"] as? [String: Any] ?? [:]
            #expect(ofA["snapshots"] as? [String] == ["snap_ro", "snap_rw"])
            // get-default: the top level, then a subvolume.
            let top = try json(["subvolume", "get-default", m])["subvolume-get-default"] as? [String: Any] ?? [:]
            #expect((top["id"] as? NSNumber)?.intValue == 5 && top["generation"] is NSNull)
            try Rig.sh("btrfs subvolume set-default '\(m)/a/d1/d2/b'")
            let def = try json(["subvolume", "get-default", m])["subvolume-get-default"] as? [String: Any] ?? [:]
            let progs = try Rig.run(["btrfs", "subvolume", "get-default", m]).stdout.split(separator: " ").map(String.init)
            #expect((def["id"] as? NSNumber)?.stringValue == progs[1])
            #expect((def["generation"] as? NSNumber)?.stringValue == progs[3])
            #expect(def["path"] as? String == "a/d1/d2/b")
        }
    }
}
