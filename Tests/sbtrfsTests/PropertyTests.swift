import Foundation
import Testing
import TestRig

/// `sbtrfs property` against btrfs-progs 6.2: ro of subvolumes, label, compression, and the errors.
@Suite(.serialized) struct PropertyTests {
    @Test(.needsRig) func propertyMatchesProgs() throws {
        try Rig.withFilesystem(FSSpec(deviceSize: 1 << 30, label: "lbl")) { fs in
            let m = fs.mountPoint
            try SubvolumeFixture.populate(m)
            try Rig.sh("echo x > '\(m)/a/file' && btrfs property set '\(m)/a/file' compression zstd")
            let reads: [[String]] = [
                [m], [m + "/a"], [m + "/a", "ro"], [m + "/snap_ro", "ro"], [m + "/a/d1"], [m + "/a/file"],
                [m, "label"], [m + "/a", "label"], [m + "/a/file", "compression"], ["-t", "s", m, "ro"],
                ["-t", "subvol", m + "/a/file", "ro"], [fs.devices[0]], [fs.devices[0], "label"],
                [m + "/missing"], [m + "/a", "bogus"], ["-t", "x", m], ["/proc"], [m + "/a", "ro", "extra"],
            ]
            for args in reads { try expectSameAsProgs(["property", "get"] + args) }
            for args in [[m], [m + "/a"], [m + "/a/file"], [fs.devices[0]], ["-t", "i", m]] {
                try expectSameAsProgs(["property", "list"] + args)
            }
            // Writes: the effect is read back by progs.
            #expect(try Rig.sbtrfs(["property", "set", m + "/a", "ro", "true"]).status == 0)
            #expect(try Rig.run(["btrfs", "property", "get", m + "/a", "ro"]).stdout == "ro=true\n")
            #expect(try Rig.sbtrfs(["property", "set", m + "/a", "ro", "false"]).status == 0)
            #expect(try Rig.run(["btrfs", "property", "get", m + "/a", "ro"]).stdout == "ro=false\n")
            #expect(try Rig.sbtrfs(["property", "set", m, "label", "new label"]).status == 0)
            #expect(try Rig.run(["btrfs", "property", "get", m, "label"]).stdout == "label=new label\n")
            #expect(try Rig.sbtrfs(["property", "set", m + "/a/file", "compression", "lzo"]).status == 0)
            #expect(try Rig.run(["btrfs", "property", "get", m + "/a/file", "compression"]).stdout == "compression=lzo\n")
            for args in [[m + "/a", "ro", "maybe"], [m + "/a", "ro"], [m + "/a/d1", "ro", "true"],
                         [m, "label", String(repeating: "L", count: 256)], [m + "/a/file", "compression", "bogus"]] {
                try expectSameAsProgs(["property", "set"] + args)
            }
            // A received subvolume cannot go read-write without -f; with -f its received UUID is cleared.
            try Rig.sh("""
                set -e
                btrfs -q subvolume snapshot -r '\(m)/a' '\(m)/a.snap'
                mkdir '\(m)/recv'
                btrfs -q send '\(m)/a.snap' | btrfs -q receive '\(m)/recv'
                """)
            let refused = try Rig.sbtrfs(["property", "set", m + "/recv/a.snap", "ro", "false"])
            #expect(refused.status == 1)
            #expect(refused.stderr == "ERROR: cannot flip ro->rw with received_uuid set, use force if you really want that\n")
            #expect(try Rig.sbtrfs(["property", "set", "-f", m + "/recv/a.snap", "ro", "false"]).status == 0)
            let show = try Rig.run(["btrfs", "subvolume", "show", m + "/recv/a.snap"]).stdout
            #expect(show.contains("\tReceived UUID: \t\t-\n") && show.contains("\tFlags: \t\t\t-\n"), "\(show)")
        }
    }
}
