import Foundation
import Testing
import TestRig

/// `filesystem label`, `sync` and `resize` against btrfs-progs 6.2: the same answers and refusals,
/// changes made by one tool seen by the other, and data that reads back the same after a resize.
@Suite(.needsRig, .needsTool("/usr/bin/btrfs", "/bin/btrfs", what: "btrfs-progs"))
struct FilesystemAdminTests {
    /// Device paths in a message, as "DEV": twin filesystems sit on different loop devices.
    static func masked(_ text: String, _ devices: [String]) -> String {
        devices.reduce(text) { $0.replacingOccurrences(of: $1 + ")", with: "DEV)") }
    }

    /// The sizes the superblock records (filesystem and device), read from the disk.
    static func superSizes(_ device: String) throws -> String {
        let dump = try Rig.run(["btrfs", "inspect-internal", "dump-super", device]).stdout
        return dump.split(separator: "\n").filter { $0.hasPrefix("total_bytes") || $0.hasPrefix("dev_item.total_bytes") }
            .joined(separator: "\n")
    }

    static func checksum(_ file: String) throws -> String {
        // Dropping the page cache makes the sum come from the disk, not from memory.
        try "1".write(toFile: "/proc/sys/vm/drop_caches", atomically: false, encoding: .utf8)
        return try Rig.run(["sha256sum", file]).stdout
    }

    @Test func labelAndSyncAsProgs() throws {
        try Rig.withFilesystem(FSSpec(deviceSize: 300 << 20, label: "admin-lbl")) { fs in
            let m = fs.mountPoint
            _ = FileManager.default.createFile(atPath: m + "/file", contents: Data("x".utf8))
            _ = FileManager.default.createFile(atPath: m + "/mid", contents: Data(count: 70000))
            for args in [[m], [m + "/file"], [m + "/mid"], [fs.devices[0]], [fs.images[0]], ["/dev/null"], [m + "/missing"],
                         [m, String(repeating: "L", count: 256)], [m + "/missing", "x"], [], [m, "a", "b"],
                         ["-x", m]] {
                try expectSameAsProgs(["filesystem", "label"] + args)
            }
            try expectSameAsProgs(["filesystem", "sync", m])
            try expectSameAsProgs(["filesystem", "sync", "/dev/null"])
            try expectSameAsProgs(["filesystem", "sync", "-x", m])
            // Set by sbtrfs, read by progs (and the superblock once committed).
            #expect(try Rig.sbtrfs(["filesystem", "label", m, "new label"]).status == 0)
            #expect(try Rig.run(["btrfs", "filesystem", "label", m]).stdout == "new label\n")
            #expect(try Rig.sbtrfs(["filesystem", "sync", m]).status == 0)
            #expect(try Rig.sbtrfs(["filesystem", "label", fs.devices[0]]).stdout
                    == Rig.run(["btrfs", "filesystem", "label", fs.devices[0]]).stdout)
            // Refused: a device's superblock is not written, a too long label is not set.
            let before = try Rig.run(["btrfs", "inspect-internal", "dump-super", fs.devices[0]]).stdout
            let refused = try Rig.sbtrfs(["filesystem", "label", fs.devices[0], "other"])
            #expect(refused.status == 255 && refused.stderr.hasPrefix("ERROR: "), "\(refused)")
            #expect(try Rig.sbtrfs(["filesystem", "label", m, String(repeating: "L", count: 256)]).status == 255)
            #expect(try Rig.run(["btrfs", "inspect-internal", "dump-super", fs.devices[0]]).stdout == before)
            #expect(try Rig.run(["btrfs", "filesystem", "label", m]).stdout == "new label\n")
            // Not btrfs (the directory holding the mount point): its label is left alone.
            let other = try Rig.sbtrfs(["filesystem", "label", fs.directory, "x"])
            #expect(other.status == 255 && other.stderr == "ERROR: unable to set label of \(fs.directory): Inappropriate ioctl for device\n")
        }
    }

    /// The same resizes on twin filesystems, one by progs and one by sbtrfs: the same lines, the
    /// same device sizes after each; refusals print progs' first line and change no size; the
    /// data reads back the same after shrinking (chunks relocated) and growing.
    @Test func resizeOnTwinsAsProgs() throws {
        let spec = FSSpec(deviceSize: 1 << 30)
        try Rig.withFilesystem(spec) { theirs in
            try Rig.withFilesystem(spec) { ours in
                let payload = (0..<(16 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 2654435761 >> 13) }
                for fs in [theirs, ours] {
                    try Data(payload).write(to: URL(fileURLWithPath: fs.mountPoint + "/data"))
                    _ = try Rig.run(["sync"])
                }
                let sum = try Self.checksum(ours.mountPoint + "/data")
                let devices = theirs.devices + ours.devices
                let accepted = ["-300M", "+100M", "1:max", "--enqueue"]
                for amount in accepted {
                    let args = amount == "--enqueue" ? ["--enqueue", "-100M", theirs.mountPoint] : [amount, theirs.mountPoint]
                    let progs = try Rig.run(["btrfs", "filesystem", "resize"] + args)
                    let mine = try Rig.sbtrfs(["filesystem", "resize"] + args.dropLast() + [ours.mountPoint])
                    #expect(mine.status == progs.status, "\(amount): \(mine) vs \(progs)")
                    #expect(Self.masked(mine.stdout, devices) == Self.masked(progs.stdout, devices), "\(amount)")
                    #expect(Self.masked(mine.stderr, devices) == Self.masked(progs.stderr, devices), "\(amount)")
                    #expect(try Self.superSizes(ours.devices[0]) == Self.superSizes(theirs.devices[0]), "\(amount)")
                }
                #expect(try Self.checksum(ours.mountPoint + "/data") == sum)
                let sizes = try Self.superSizes(ours.devices[0])
                // progs prints its check's error, then the kernel's; sbtrfs stops at the first.
                for amount in ["2:1G", "x:1G", "1:abc", "1:-2G", "1:0", "", "1:1Z", "1:+", "100M", "1:cancel", "20M",
                               "+16E", "99999999999999999999:1G"] {
                    let progs = try Rig.run(["btrfs", "filesystem", "resize", amount, theirs.mountPoint])
                    let mine = try Rig.sbtrfs(["filesystem", "resize", amount, ours.mountPoint])
                    #expect(mine.status == 1 && progs.status == 1, "\(amount): \(mine)")
                    let first = progs.stderr.split(separator: "\n").first.map { String($0) + "\n" } ?? ""
                    #expect(Self.masked(mine.stdout, devices) == Self.masked(progs.stdout, devices), "\(amount)")
                    let stderr = mine.stderr.replacingOccurrences(of: ours.mountPoint, with: theirs.mountPoint)
                    #expect(stderr == first || stderr == progs.stderr, "\(amount): \(stderr) vs \(progs.stderr)")
                    #expect(try Self.superSizes(ours.devices[0]) == sizes, "\(amount) changed the sizes")
                }
                for args in [["--bogus", "max"], ["max"], ["max", "x", "y"], ["max", "/dev/null"], ["max", "/"],
                             ["max", ours.mountPoint + "/data"]] {
                    let target = args.map { $0 == ours.mountPoint + "/data" ? theirs.mountPoint + "/data" : $0 }
                    let progs = try Rig.run(["btrfs", "filesystem", "resize"] + target)
                    let mine = try Rig.sbtrfs(["filesystem", "resize"] + args)
                    #expect(mine.status == progs.status, "\(args)")
                    #expect(mine.stderr.replacingOccurrences(of: ours.mountPoint, with: theirs.mountPoint)
                            == asSbtrfs(progs.stderr), "\(args)")
                }
                #expect(try Self.superSizes(ours.devices[0]) == sizes)
                #expect(try Self.checksum(ours.mountPoint + "/data") == sum)
            }
        }
    }

    /// A shrink below what the data needs: progs' announcing line, then the kernel's ENOSPC as
    /// progs words it, status 1, on twin filesystems; the device keeps its size, the data its bytes.
    @Test func shrinkBelowUsedIsRefusedAsProgs() throws {
        let spec = FSSpec(deviceSize: 1 << 30)
        try Rig.withFilesystem(spec) { theirs in
            try Rig.withFilesystem(spec) { ours in
                for fs in [theirs, ours] {
                    try Rig.sh("head -c 600M /dev/urandom > \(fs.mountPoint)/data && sync")
                }
                let sum = try Self.checksum(ours.mountPoint + "/data")
                let sizes = try Self.superSizes(ours.devices[0])
                let devices = theirs.devices + ours.devices
                for amount in ["400M", "-700M", "1:300M"] {
                    let progs = try Rig.run(["btrfs", "filesystem", "resize", amount, theirs.mountPoint])
                    let mine = try Rig.sbtrfs(["filesystem", "resize", amount, ours.mountPoint])
                    #expect(progs.status == 1 && progs.stderr.contains("No space left on device"), "\(amount): \(progs)")
                    #expect(mine.status == progs.status, "\(amount): \(mine)")
                    #expect(Self.masked(mine.stdout, devices) == Self.masked(progs.stdout, devices), "\(amount)")
                    #expect(mine.stderr == progs.stderr.replacingOccurrences(of: theirs.mountPoint, with: ours.mountPoint),
                            "\(amount)")
                    #expect(try Self.superSizes(ours.devices[0]) == sizes, "\(amount) changed the size")
                }
                #expect(try Self.checksum(ours.mountPoint + "/data") == sum)
            }
        }
    }
}
