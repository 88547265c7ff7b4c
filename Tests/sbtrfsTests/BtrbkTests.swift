import Foundation
import Testing
import TestRig
@testable import sbtrfs

/// btrbk 0.32, unchanged, with sbtrfs first on its PATH as `btrfs`: two runs (a full, then an
/// incremental send-receive to a second filesystem) that back up trees identical to their
/// snapshots, and `list`, `stats` and `usage` printing what they print with btrfs-progs.
@Suite(.needsRig, .needsTool("/usr/bin/btrbk", what: "btrbk")) struct BtrbkTests {
    /// Whether the tree has `receive`; until it has, btrfs-progs receives (the wrapper's one exception).
    static var hasReceive: Bool {
        CommandTree.root().children.contains { if case .command(let c) = $0 { return c.name == "receive" } else { return false } }
    }

    @Test func runsTwiceAndReportsAsWithProgs() throws {
        try Rig.withFilesystem(FSSpec()) { source in
            try Rig.withFilesystem(FSSpec()) { target in
                let m = source.mountPoint, backups = target.mountPoint + "/backups"
                try SendStreamFixture.populate(m)
                let bin = source.directory + "/bin"
                try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: false)
                if Self.hasReceive {
                    try FileManager.default.createSymbolicLink(atPath: bin + "/btrfs", withDestinationPath: Rig.sbtrfsPath)
                } else {
                    try Rig.sh("printf '#!/bin/sh\\n[ \"$1\" = receive ] && exec /usr/bin/btrfs \"$@\"\\nexec %s \"$@\"\\n' '\(Rig.sbtrfsPath)' > \(bin)/btrfs && chmod 755 \(bin)/btrfs")
                }
                let config = source.directory + "/btrbk.conf"
                try Rig.sh("mkdir \(m)/snaps \(backups) && printf 'volume %s\\n  snapshot_dir snaps\\n  subvolume src\\n    target send-receive %s\\n' \(m) \(backups) > \(config)")
                let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/sbin:/usr/bin:/sbin:/bin"
                func btrbk(_ args: [String], sbtrfs: Bool) throws -> ProcessResult {
                    var environment = ProcessInfo.processInfo.environment
                    environment["PATH"] = sbtrfs ? bin + ":" + path : path
                    return try Rig.run(["btrbk", "-c", config] + args, environment: environment)
                }
                var environment = ProcessInfo.processInfo.environment
                environment["PATH"] = bin + ":" + path
                let resolved = try Rig.run(["sh", "-c", "command -v btrfs"], environment: environment)
                #expect(resolved.stdout == bin + "/btrfs\n", "btrbk's btrfs is sbtrfs: \(resolved)")
                let first = try btrbk(["run"], sbtrfs: true)
                #expect(first.status == 0, "first run: \(first)")
                #expect(first.stdout.contains("*** \(backups)/src."), "first run sends in full:\n\(first.stdout)")
                try Rig.sh("cd \(m)/src && echo changed >> inline && mv symlink symlink2 && rm -r dir/sub-moved && head -c 100000 /dev/urandom > new && sync")
                let second = try btrbk(["run"], sbtrfs: true)
                #expect(second.status == 0, "second run: \(second)")
                #expect(second.stdout.contains(">>> \(backups)/src."), "second run is incremental:\n\(second.stdout)")
                let snapshots = try FileManager.default.contentsOfDirectory(atPath: "\(m)/snaps").sorted()
                #expect(snapshots.count == 2 && snapshots.allSatisfy { $0.hasPrefix("src.") }, "\(snapshots)")
                for name in snapshots {
                    let differences = try TreeComparison.differences("\(m)/snaps/\(name)", "\(backups)/\(name)")
                    #expect(differences.isEmpty, "\(name):\n\(differences.prefix(10).joined(separator: "\n"))")
                }
                // receive leaves its data to writeback and the listing above read `snaps`: commit it all now,
                // or another suite's sync(2) moves `usage`'s figures between our run and progs'.
                try Rig.sh("sync")
                for args in [["list"], ["list", "snapshots"], ["list", "backups"], ["list", "latest"], ["stats"], ["usage"]] {
                    let ours = try btrbk(args, sbtrfs: true), theirs = try btrbk(args, sbtrfs: false)
                    #expect(ours.status == 0 && ours.status == theirs.status, "btrbk \(args): \(ours)")
                    expectSameText(ours.stdout, theirs.stdout, "btrbk \(args.joined(separator: " ")): stdout")
                    expectSameText(ours.stderr, theirs.stderr, "btrbk \(args.joined(separator: " ")): stderr")
                }
            }
        }
    }
}
