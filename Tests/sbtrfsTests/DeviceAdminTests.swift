import Foundation
import Testing
import TestRig

/// `device add`, `remove`, `scan` and `ready` against btrfs-progs 6.2 on twin filesystems: the
/// same lines and statuses (device paths and uuids masked), the same `filesystem show` after each
/// change, data that reads back the same, and refusals that change nothing.
@Suite(.needsRig, .needsTool("/usr/bin/btrfs", "/bin/btrfs", what: "btrfs-progs"))
struct DeviceAdminTests {
    /// A twin: a mounted filesystem and spare devices of its own.
    struct Twin {
        var fs: ScratchFS
        var spares: [String]
        var names: [String] { fs.devices + spares + [fs.mountPoint] + fs.images + [fs.directory] }
    }

    /// `text` with the twin's names replaced by placeholders and uuids blanked, so the two
    /// twins' outputs compare.
    static func masked(_ text: String, _ twin: Twin) -> String {
        var result = text
        for (i, name) in twin.names.enumerated().sorted(by: { $0.element.count > $1.element.count }) {
            result = result.replacingOccurrences(of: name, with: "<\(i)>")
        }
        return result.replacingOccurrences(of: #"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"#,
                                           with: "<uuid>", options: .regularExpression)
    }

    /// Runs `args` (`$M` the mount point, `$D0` … devices, `$S0` … spares) with progs on
    /// `theirs` and sbtrfs on `ours`; the same status, stdout and stderr after masking.
    static func expectSame(_ args: [String], _ theirs: Twin, _ ours: Twin,
                           sourceLocation: SourceLocation = #_sourceLocation) throws {
        func expand(_ twin: Twin) -> [String] {
            args.map { arg in
                var a = arg.replacingOccurrences(of: "$M", with: twin.fs.mountPoint)
                    .replacingOccurrences(of: "$X", with: twin.fs.directory + "/missing")
                for (i, d) in twin.fs.devices.enumerated() { a = a.replacingOccurrences(of: "$D\(i)", with: d) }
                for (i, s) in twin.spares.enumerated() { a = a.replacingOccurrences(of: "$S\(i)", with: s) }
                return a
            }
        }
        let progs = try Rig.run(["btrfs"] + expand(theirs))
        let mine = try Rig.sbtrfs(expand(ours))
        let what = args.joined(separator: " ")
        #expect(mine.status == progs.status, "\(what): \(mine) vs \(progs)", sourceLocation: sourceLocation)
        #expect(masked(mine.stdout, ours) == masked(asSbtrfs(progs.stdout), theirs), "\(what): stdout", sourceLocation: sourceLocation)
        #expect(masked(mine.stderr, ours) == masked(asSbtrfs(progs.stderr), theirs),
                "\(what): stderr", sourceLocation: sourceLocation)
    }

    /// What a refused command must leave alone: devices, sizes and allocations.
    static func layout(_ twin: Twin) throws -> String {
        try Rig.run(["btrfs", "filesystem", "show", "--raw", twin.fs.mountPoint]).stdout
            + Rig.run(["btrfs", "device", "usage", "-b", twin.fs.mountPoint]).stdout
    }

    static func checksum(_ file: String) throws -> String {
        try "1".write(toFile: "/proc/sys/vm/drop_caches", atomically: false, encoding: .utf8)
        return try Rig.run(["sha256sum", file]).stdout
    }

    /// Twin filesystems of `spec`, each with spare devices of `spares` sizes and the same file.
    static func withTwins(_ spec: FSSpec, spares: [UInt64], _ body: (Twin, Twin) throws -> Void) throws {
        try Rig.withFilesystem(spec) { a in
            try Rig.withFilesystem(spec) { b in
                try Rig.withSpareDevices(spares) { sa in
                    try Rig.withSpareDevices(spares) { sb in
                        let payload = Data((0..<(8 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 2654435761 >> 11) })
                        for fs in [a, b] { try payload.write(to: URL(fileURLWithPath: fs.mountPoint + "/data")) }
                        _ = try Rig.run(["sync"])
                        try body(Twin(fs: a, spares: sa), Twin(fs: b, spares: sb))
                    }
                }
            }
        }
    }

    @Test func addAndRemoveOnTwinsAsProgs() throws {
        try Self.withTwins(FSSpec(deviceSize: 1 << 30), spares: [1 << 30, 1 << 30, 512 << 20]) { theirs, ours in
            let sum = try Self.checksum(ours.fs.mountPoint + "/data")
            // Spare 2 holds a filesystem of its own.
            for twin in [theirs, ours] { _ = try Rig.run(["mkfs.btrfs", "-q", "-f", twin.spares[2]]) }
            let before = try Self.layout(ours)
            for args in [["device", "add", "$D0", "$M"], ["device", "add", "-f", "$D0", "$M"], ["device", "add", "$X", "$M"],
                         ["device", "add", "/dev/null", "$M"], ["device", "add", "$S2", "$M"], ["device", "add", "$S0", "/proc"],
                         ["device", "add", "$S0"], ["device", "add", "-x", "$S0", "$M"],
                         ["device", "remove", "$X", "$M"], ["device", "remove", "9", "$M"], ["device", "remove", "1", "$M"],
                         ["device", "remove", "missing", "$M"], ["device", "remove", "cancel", "$M"],
                         ["device", "remove", "cancel", "1", "$M"], ["device", "delete", "$S0", "$M"]] {
                try Self.expectSame(args, theirs, ours)
            }
            #expect(try Self.layout(ours) == before, "a refused command changed the filesystem")
            // A good device beside a bad one: progs adds the good one, sbtrfs adds none.
            let marker = ours.fs.directory + "/marker", spare = ours.spares[0]
            try Rig.sh("head -c 4096 /dev/urandom > \(marker) && dd if=\(marker) of=\(spare) bs=4096 seek=16 conv=notrunc,fsync status=none")
            let missing = ours.fs.directory + "/missing"
            let mixed = try Rig.sbtrfs(["device", "add", spare, missing, ours.fs.mountPoint])
            #expect(mixed.status == 1 && mixed.stderr.contains("ERROR: checking status of \(missing): No such file or directory"), "\(mixed)")
            let leftAlone = try Rig.run(["sh", "-c", "dd if=\(spare) bs=4096 skip=16 count=1 status=none | cmp - \(marker)"])
            #expect(leftAlone.status == 0, "the good device was written: \(leftAlone)")
            #expect(try Self.layout(ours) == before, "a refused add changed the filesystem")
            // Added with and without TRIM, removed by path and by devid: the same lines and listings.
            for args in [["device", "add", "$S0", "$M"], ["device", "add", "-K", "-f", "$S2", "$M"],
                         ["device", "remove", "$S0", "$M"], ["device", "delete", "3", "$M"],
                         ["device", "add", "--nodiscard", "$S1", "$M"], ["device", "remove", "1", "$M"]] {
                try Self.expectSame(args, theirs, ours)
                try Self.expectSame(["filesystem", "show", "$M"], theirs, ours)
                #expect(try Self.checksum(ours.fs.mountPoint + "/data") == sum, "\(args): data changed")
            }
            // A removed device is no longer btrfs: blkid sees nothing, and it can be added back.
            try Self.expectSame(["device", "add", "$S0", "$M"], theirs, ours)
            try Self.expectSame(["filesystem", "show", "$M"], theirs, ours)
            // A refused remove (one argument is no device) removes nothing.
            let layout = try Self.layout(ours)
            let refused = try Rig.sbtrfs(["device", "remove", ours.spares[0], missing, ours.fs.mountPoint])
            #expect(refused.status == 1 && refused.stderr == "ERROR: not a block device: \(missing)\n", "\(refused)")
            #expect(try Self.layout(ours) == layout)
        }
    }

    /// `remove missing` on a raid1 mounted degraded after one device lost its superblock: a new
    /// device added, the missing one removed, by each tool on its twin.
    @Test func removeMissingOnDegradedRaid1() throws {
        let spec = FSSpec(devices: 2, deviceSize: 1 << 30, data: "raid1", metadata: "raid1")
        try Self.withTwins(spec, spares: [1 << 30]) { theirs, ours in
            let sum = try Self.checksum(ours.fs.mountPoint + "/data")
            for twin in [theirs, ours] {
                let m = twin.fs.mountPoint, lost = twin.fs.devices[1]
                try Rig.sh("umount \(m) && wipefs -q -a \(lost) && btrfs device scan --forget \(lost) "
                           + "&& mount -o degraded,device=\(twin.fs.devices[0]) \(twin.fs.devices[0]) \(m)")
            }
            try Self.expectSame(["filesystem", "show", "$M"], theirs, ours)
            for args in [["device", "remove", "missing", "$M"], ["device", "add", "$S0", "$M"],
                         ["device", "remove", "missing", "$M"], ["device", "remove", "missing", "$M"]] {
                try Self.expectSame(args, theirs, ours)
                try Self.expectSame(["filesystem", "show", "$M"], theirs, ours)
            }
            #expect(try Self.checksum(ours.fs.mountPoint + "/data") == sum)
        }
    }

    /// `device ready` and `device scan` (with devices, --forget, and without arguments): the
    /// same statuses and messages as progs, in an order where each tool's run changes the
    /// kernel's list as the other's would.
    @Test func readyAndScanAsProgs() throws {
        try Rig.withFilesystem(FSSpec(deviceSize: 512 << 20)) { fs in
            try Rig.withSpareDevices([256 << 20, 256 << 20, 256 << 20]) { spares in
                // An unmounted two-device filesystem; spare 2 holds nothing.
                _ = try Rig.run(["mkfs.btrfs", "-q", "-f", spares[0], spares[1]])
                let forget = { _ = try Rig.run(["btrfs", "device", "scan", "--forget", spares[0], spares[1]]) }
                for args in [["device", "ready", fs.devices[0]], ["device", "ready", "/dev/null"], ["device", "ready", spares[2]],
                             ["device", "ready", fs.directory + "/missing"], ["device", "ready"], ["device", "ready", "-x", spares[0]],
                             ["device", "scan", spares[2]], ["device", "scan", "/dev/null"], ["device", "scan", "-u", fs.devices[0]],
                             ["device", "scan", "--forget", spares[2]], ["device", "scan", "-d", "-u"], ["device", "scan", "-d", "a", "b"],
                             ["device", "scan", "--bogus"]] {
                    try expectSameAsProgs(args)
                }
                // Not ready until both devices are known; the second makes it ready.
                for tool in ["btrfs", "sbtrfs"] {
                    try forget()
                    let first = try tool == "btrfs" ? Rig.run(["btrfs", "device", "ready", spares[0]]) : Rig.sbtrfs(["device", "ready", spares[0]])
                    let second = try tool == "btrfs" ? Rig.run(["btrfs", "device", "ready", spares[1]]) : Rig.sbtrfs(["device", "ready", spares[1]])
                    #expect(first.status == 1 && second.status == 0 && first.stderr.isEmpty, "\(tool): \(first) \(second)")
                }
                // Registered by scan (named, then every device blkid knows), forgotten by --forget.
                for tool in ["btrfs", "sbtrfs"] {
                    let run = { (args: [String]) in try tool == "btrfs" ? Rig.run(["btrfs"] + args) : Rig.sbtrfs(args) }
                    try forget()
                    #expect(try run(["device", "scan", spares[0]]).stdout == "Scanning for btrfs filesystems on '\(spares[0])'\n")
                    #expect(try run(["device", "ready", spares[0]]).status == 1)
                    try forget()
                    let all = try run(["device", "scan"])
                    #expect(all.status == 0 && all.stdout.hasPrefix("Scanning for Btrfs filesystems\n")
                            && all.stdout.contains("registered: \(spares[0])\n") && all.stdout.contains("registered: \(spares[1])\n")
                            && !all.stdout.contains("registered: \(spares[2])\n"), "\(tool): \(all)")
                    #expect(try Rig.run(["btrfs", "device", "ready", spares[0]]).status == 0, "\(tool)")
                    #expect(try run(["device", "scan", "--forget", spares[0], spares[1]]).status == 0)
                    // Both forgotten: ready registers the first again, and finds the second missing.
                    #expect(try Rig.run(["btrfs", "device", "ready", spares[0]]).status == 1, "\(tool)")
                }
            }
        }
    }
}
