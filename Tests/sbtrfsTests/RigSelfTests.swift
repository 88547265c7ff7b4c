import Testing
import TestRig

/// The rig itself: a filesystem comes up mounted and goes away completely.
@Suite(.needsRig) struct RigSelfTests {
    @Test func mountsAndTearsDown() throws {
        var seen: ScratchFS?
        try Rig.withFilesystem(FSSpec(devices: 2, deviceSize: 512 << 20, data: "raid1", metadata: "raid1")) { fs in
            seen = fs
            let mounts = try Rig.run(["findmnt", "-n", "-o", "FSTYPE", fs.mountPoint])
            #expect(mounts.stdout == "btrfs\n")
            #expect(fs.devices.count == 2)
        }
        let fs = try #require(seen)
        #expect(try Rig.run(["findmnt", fs.mountPoint]).status != 0)
        for dev in fs.devices {
            let back = try Rig.run(["losetup", "-n", "-O", "BACK-FILE", dev]).stdout
            #expect(!back.contains(fs.directory))
        }
        #expect(try Rig.run(["test", "-e", fs.directory]).status != 0)
    }

    @Test func tearsDownWhenTheBodyThrows() throws {
        var seen: ScratchFS?
        #expect(throws: RigError.self) {
            try Rig.withFilesystem(FSSpec()) { fs in
                seen = fs
                throw RigError("deliberate")
            }
        }
        let fs = try #require(seen)
        #expect(try Rig.run(["findmnt", fs.mountPoint]).status != 0)
        #expect(try Rig.run(["test", "-e", fs.directory]).status != 0)
    }
}
