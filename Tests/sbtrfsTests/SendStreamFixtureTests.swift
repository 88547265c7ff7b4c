import Foundation
import Testing
import TestRig

/// The fixture and the tree comparison checked against btrfs-progs alone: what `btrfs receive`
/// makes of the fixture's streams is what was sent, and a changed tree is reported as changed.
@Suite("SendStreamFixture", .serialized)
struct SendStreamFixtureTests {
    @Test("btrfs receive of every fixture stream gives the sent trees", .needsRig)
    func progsRoundTrip() throws {
        try Rig.withFilesystem(FSSpec(deviceSize: 1 << 30)) { src in
            try SendStreamFixture.populate(src.mountPoint)
            try Rig.withFilesystem(FSSpec(deviceSize: 1 << 30)) { dst in
                let streams = try SendStreamFixture.streams(src.mountPoint, in: src.directory, protocols: [1])
                for stream in streams[0] {
                    let r = try Rig.run(["btrfs", "-q", "receive", "-f", stream.file, dst.mountPoint])
                    #expect(r.status == 0, "\(stream.name): \(r)")
                    let diff = try TreeComparison.differences("\(src.mountPoint)/\(stream.subvolume)",
                                                              "\(dst.mountPoint)/\(stream.subvolume)")
                    #expect(diff.isEmpty, "\(stream.name): \(diff.joined(separator: "\n"))")
                }
                // The comparison sees a change: snap1 against snap2 differ in many ways.
                let diff = try TreeComparison.differences("\(dst.mountPoint)/snap1", "\(dst.mountPoint)/snap2")
                #expect(diff.count > 10)
            }
        }
    }
}
