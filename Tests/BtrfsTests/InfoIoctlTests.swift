import Foundation
import Testing
import TestRig
@testable import Btrfs

/// SPACE_INFO, FS_INFO, DEV_INFO and GET_DEV_STATS against python-btrfs on the same mount.
@Suite(.needsRig) struct InfoIoctlTests {
    static let pythonView = """
    import btrfs, sys
    fs = btrfs.FileSystem(sys.argv[1])
    for s in fs.space_info():
        print("space", s.flags, s.total_bytes, s.used_bytes)
    i = fs.fs_info()
    print("fs", i.max_id, i.num_devices, i.fsid, i.nodesize, i.sectorsize, i.clone_alignment)
    for d in fs.devices():
        di = fs.dev_info(d.devid)
        print("dev", di.devid, di.uuid, di.bytes_used, di.total_bytes, di.path)
        st = fs.dev_stats(d.devid)
        print("stats", st.devid, st.write_errs, st.read_errs, st.flush_errs, st.corruption_errs, st.generation_errs)
    """

    static func ourView(_ path: String) throws -> String {
        let fs = try FileSystem(path: path)
        var out = ""
        for s in try fs.spaceInfo() { out += "space \(s.flags) \(s.totalBytes) \(s.usedBytes)\n" }
        let i = try fs.fsInfo()
        out += "fs \(i.maxID) \(i.numDevices) \(i.fsid) \(i.nodesize) \(i.sectorsize) \(i.cloneAlignment)\n"
        for d in try fs.devInfos() {
            out += "dev \(d.devid) \(d.uuid) \(d.bytesUsed) \(d.totalBytes) \(d.path)\n"
            let st = try fs.devStats(devid: d.devid)
            out += "stats \(st.devid) \(st.writeErrs) \(st.readErrs) \(st.flushErrs) \(st.corruptionErrs) \(st.generationErrs)\n"
        }
        return out
    }

    @Test(arguments: [
        FSSpec(),
        FSSpec(devices: 2, deviceSize: 768 << 20, data: "raid1", metadata: "raid1"),
        FSSpec(devices: 3, deviceSize: 768 << 20, data: "raid1c3", metadata: "raid1c3"),
        FSSpec(deviceSize: 512 << 20, mixed: true),
    ])
    func matchesPythonBtrfs(spec: FSSpec) throws {
        try Rig.withFilesystem(spec) { scratch in
            try Rig.sh("head -c 3000000 /dev/urandom > \(scratch.mountPoint)/f && sync")
            let theirs = try Rig.python(Self.pythonView, args: [scratch.mountPoint])
            #expect(theirs.status == 0, "\(theirs)")
            expectSameText(try Self.ourView(scratch.mountPoint), theirs.stdout, "info ioctls")
            try Self.expectUsageShortcuts(scratch.mountPoint)
        }
    }

    /// What the usage reports read the short way equals the long way: DEV_INFO's fsid is
    /// sysfs's devinfo/N/fsid (kernels from 6.3 fill it in, older ones leave it nil), and the
    /// chunk sums read straight from the tree are those of the parsed chunks.
    static func expectUsageShortcuts(_ path: String) throws {
        let fs = try FileSystem(path: path)
        let fsid = try fs.fsInfo().fsid
        let release = try Rig.run(["uname", "-r"]).stdout.split(separator: ".").compactMap { Int($0) }
        let fillsFsid = release.count >= 2 && (release[0], release[1]) >= (6, 3)
        for d in try fs.devInfos() {
            let sysfs = try String(contentsOfFile: "/sys/fs/btrfs/\(fsid)/devinfo/\(d.devid)/fsid", encoding: .utf8)
            #expect(d.fsid.map { "\($0)\n" } == (fillsFsid ? sysfs : nil), "devid \(d.devid)")
        }
        #expect(try ProgsUsage.chunkInfos(fs) == ProgsUsage.chunkInfos(fs.usageChunks()))
    }

    @Test func fsInfoExtrasMatchTheSuperblock() throws {
        try Rig.withFilesystem(FSSpec(mkfsOptions: ["--csum", "xxhash"])) { scratch in
            try Rig.sh("sync")
            let info = try FileSystem(path: scratch.mountPoint).fsInfo()
            let sb = try Rig.run(["btrfs", "inspect-internal", "dump-super", scratch.devices[0]]).stdout
            func field(_ name: String) -> String? {
                sb.split(separator: "\n").first { $0.hasPrefix(name + "\t") || $0.hasPrefix(name + " ") }
                    .map { $0.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first.map(String.init) ?? "" }
            }
            #expect(info.flags & FsInfo.flagCsumInfo != 0)
            #expect(field("csum_type") == "\(info.csumType)")
            #expect(field("csum_size") == "\(info.csumSize)")
            #expect(field("generation") == "\(info.generation)")
            #expect(field("metadata_uuid") == "\(info.metadataUUID)")
        }
    }

    @Test func devStatsResetZeroesAndMissingDevidIsNil() throws {
        try Rig.withFilesystem(FSSpec()) { scratch in
            let fs = try FileSystem(path: scratch.mountPoint)
            #expect(try fs.devInfo(devid: 99) == nil)
            let st = try fs.devStats(devid: 1, reset: true)
            #expect(st.count == 5)
            #expect(try fs.devStats(devid: 1).counters.allSatisfy { $0.value == 0 })
        }
    }
}
