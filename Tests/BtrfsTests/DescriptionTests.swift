import Foundation
import Testing
import TestRig
import Btrfs

/// `"\(x)"` of the info calls' results and of the items the FileSystem walks give, against
/// python-btrfs 15's `str()` of the same objects on the same filesystem.
@Suite(.needsRig) struct DescriptionTests {
    static let script = """
    import sys, btrfs
    assert btrfs.__version__ == '15', btrfs.__version__
    fs = btrfs.FileSystem(sys.argv[1])
    info = fs.fs_info()
    print(info)
    for devid in range(1, info.max_id + 1):
        print(fs.dev_info(devid))
        print(fs.dev_stats(devid))
    for x in fs.space_info(): print(x)
    for x in fs.chunks(): print(x)
    for x in fs.block_groups(): print(x)
    for x in fs.devices(): print(x)
    for x in fs.dev_extents(): print(x)
    for x in fs.extents(load_data_refs=True, load_metadata_refs=True): print(x)
    print(fs.top_level())
    for x in fs.subvolumes(): print(x)
    for x in fs.free_space_extents(): print(x)
    """

    static func ours(_ fs: FileSystem) throws -> [String] {
        let info = try fs.fsInfo()
        var lines = ["\(info)"]
        for device in try fs.devInfos() {
            lines.append("\(device)")
            lines.append("\(try fs.devStats(devid: device.devid))")
        }
        lines += try fs.spaceInfo().map { "\($0)" }
        lines += try fs.chunks().collect().map { "\($0)" }
        lines += try fs.blockGroups().collect().map { "\($0)" }
        lines += try fs.devices().collect().map { "\($0)" }
        lines += try fs.devExtents().collect().map { "\($0)" }
        for record in fs.extents(loadDataRefs: true, loadMetadataRefs: true) {
            switch try record.get() {
            case .extent(let e): lines.append("\(e)")
            case .metadata(let m): lines.append("\(m)")
            }
        }
        lines.append("\(try fs.topLevel())")
        lines += try fs.subvolumes().collect().map { "\($0)" }
        lines += try fs.freeSpaceExtents().collect().map { "\($0)" }
        return lines
    }

    @Test(arguments: [Scenario.single, .raid1])
    func infoAndItemsPrintAsPythonBtrfs(_ scenario: Scenario) throws {
        try Rig.withFilesystem(scenario.spec) { scratch in
            try scenario.populate(scratch)
            try Rig.sh("sync")
            let theirs = try Rig.python15(Self.script, args: [scratch.mountPoint])
            #expect(theirs.status == 0, "\(theirs.stderr)")
            let ours = try Self.ours(try FileSystem(path: scratch.mountPoint))
            expectSameLines(ours, theirs.stdout.split(separator: "\n").map(String.init), "\(scenario) str()")
            #expect(ours.contains { $0.hasPrefix("max_id ") } && ours.contains { $0.contains("total=") })
        }
    }
}
