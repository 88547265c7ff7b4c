import Foundation
import Testing
import TestRig

/// `receive` and `receive --dump` on streams `btrfs send` made of the fixture (protocol 1, and 2
/// with compressed data): the dump byte for byte btrfs-progs', the received trees identical to the
/// sent ones, with their received UUID and stransid, read-only.
@Suite("Receive", .serialized)
struct ReceiveTests {
    /// btrfsutil's view of a subvolume: uuid, received uuid, ctransid, stransid, read-only.
    static func info(_ path: String) throws -> [String] {
        let r = try Rig.python("""
            import btrfsutil, sys
            i = btrfsutil.subvolume_info(sys.argv[1])
            print(i.uuid.hex(), i.received_uuid.hex(), i.ctransid, i.stransid, i.flags & 1)
            """, args: [path])
        guard r.status == 0 else { throw RigError("subvolume_info \(path): \(r)") }
        return r.stdout.split(separator: " ").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
    }

    @Test("receive --dump as btrfs-progs on every fixture stream, and sbtrfs receive gives the sent trees",
          .needsRig)
    func fixtureStreams() throws {
        try Rig.withFilesystem(FSSpec(deviceSize: 1 << 30)) { src in
            try SendStreamFixture.populate(src.mountPoint)
            let all = try SendStreamFixture.streams(src.mountPoint, in: src.directory)
            for streams in all {
                for stream in streams {
                    for tz in ["UTC", "Asia/Kolkata"] {
                        let env = ["TZ": tz]
                        let theirs = try Rig.run(["btrfs", "receive", "--dump", "-f", stream.file], environment: env)
                        let ours = try Rig.run([Rig.sbtrfsPath, "receive", "--dump", "-f", stream.file], environment: env)
                        #expect(theirs.status == 0)
                        #expect(ours.status == theirs.status, "\(stream.file)")
                        #expect(ours.stdoutBytes == theirs.stdoutBytes, "\(stream.file) TZ=\(tz)")
                        if ours.stdoutBytes != theirs.stdoutBytes {
                            expectSameText(ours.stdout, theirs.stdout, "\(stream.file)")
                        }
                        #expect(ours.stderr == theirs.stderr)
                    }
                }
                try Rig.withFilesystem(FSSpec(deviceSize: 1 << 30)) { dst in
                    for stream in streams {
                        let r = try Rig.run([Rig.sbtrfsPath, "receive", "-f", stream.file, dst.mountPoint])
                        #expect(r.status == 0, "\(stream.file): \(r)")
                        // progs prints "At snapshot" on stdout (pr_verbose), "At subvol" on stderr.
                        let at = stream.name == "snap2" ? (r.stdout, r.stderr) : (r.stderr, r.stdout)
                        #expect(at.0 == "At \(stream.name == "snap2" ? "snapshot" : "subvol") \(stream.subvolume)\n" && at.1.isEmpty)
                        let sent = "\(src.mountPoint)/\(stream.subvolume)"
                        let received = "\(dst.mountPoint)/\(stream.subvolume)"
                        let diff = try TreeComparison.differences(sent, received)
                        #expect(diff.isEmpty, "\(stream.file): \(diff.joined(separator: "\n"))")
                        let s = try Self.info(sent)
                        let d = try Self.info(received)
                        #expect(d[1] == s[0], "received uuid of \(received)")
                        #expect(d[3] == s[2], "stransid of \(received)")
                        #expect(d[4] == "1", "\(received) read-only")
                    }
                }
            }
        }
    }
}
