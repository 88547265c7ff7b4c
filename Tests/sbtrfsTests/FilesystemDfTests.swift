import Foundation
import Testing
import TestRig

/// `sbtrfs filesystem df` next to `btrfs filesystem df` on real filesystems of every profile.
@Suite(.needsRig) struct FilesystemDfTests {
    /// Every unit option progs takes in df mode, alone and in combinations whose order matters.
    static let unitOptions: [[String]] = [
        [], ["-b"], ["-h"], ["-H"], ["-k"], ["-m"], ["-g"], ["-t"],
        ["--raw"], ["--human-readable"], ["--iec"], ["--si"],
        ["--kbytes"], ["--mbytes"], ["--gbytes"], ["--tbytes"],
        ["--si", "-k"], ["-k", "--si"], ["--raw", "--si"], ["--si", "--raw"], ["-m", "-H"],
        ["--iec", "-g"], ["-t", "--si", "-b", "-k"], ["-b", "--"],
    ]

    static let layouts: [(String, FSSpec)] = [
        ("single", FSSpec(deviceSize: 1 << 30, data: "single", metadata: "single")),
        ("DUP", FSSpec(deviceSize: 1 << 30, data: "single", metadata: "dup")),
        ("raid1", FSSpec(devices: 2, deviceSize: 1 << 30, data: "raid1", metadata: "raid1")),
        ("raid10", FSSpec(devices: 4, deviceSize: 1 << 30, data: "raid10", metadata: "raid10")),
        ("raid1c3", FSSpec(devices: 3, deviceSize: 1 << 30, data: "raid1c3", metadata: "raid1c3")),
        ("mixed", FSSpec(deviceSize: 256 << 20, data: "dup", metadata: "dup", mixed: true)),
        ("mixed-single", FSSpec(deviceSize: 256 << 20, data: "single", metadata: "single", mixed: true)),
        ("raid0", FSSpec(devices: 2, deviceSize: 1 << 30, data: "raid0", metadata: "raid0")),
        ("raid5", FSSpec(devices: 3, deviceSize: 1 << 30, data: "raid5", metadata: "raid1")),
        ("raid6", FSSpec(devices: 4, deviceSize: 1 << 30, data: "raid6", metadata: "raid1c4")),
    ]

    @Test(arguments: layouts.indices)
    func everyUnitOptionAndJSON(_ layout: Int) throws {
        try Rig.withFilesystem(Self.layouts[layout].1) { fs in
            let m = fs.mountPoint
            try Rig.sh("mkdir \(m)/d && head -c 5000000 /dev/urandom > \(m)/d/f && echo small > \(m)/g && sync")
            for units in Self.unitOptions {
                try expectSameAsProgs(["filesystem", "df"] + units + [m])
            }
            try expectSameAsProgs(["--format", "json", "filesystem", "df", m])
            try expectSameAsProgs(["--format=json", "fi", "df", "--raw", "\(m)/d"])
            try expectSameAsProgs(["-q", "fi", "df", m])
            try expectSameAsProgs(["--quiet", "--format", "json", "fi", "df", m])
            try expectSameAsProgs(["fi", "df", "-H", m], asUser: "nobody")
            try expectSameAsProgs(["--format", "json", "fi", "df", m], asUser: "nobody")
        }
    }

    /// Data in two profiles after a partial convert: progs' multiple-profiles warning on stderr.
    @Test func multipleProfilesWarning() throws {
        try Rig.withFilesystem(FSSpec(devices: 2, deviceSize: 1 << 30, data: "single", metadata: "raid1")) { fs in
            let m = fs.mountPoint
            try Rig.sh("head -c 300000000 /dev/zero > \(m)/f && sync")
            try Rig.sh("btrfs balance start -dconvert=raid1,limit=1 \(m) >/dev/null 2>&1; sync")
            let theirs = try Rig.run(["btrfs", "filesystem", "df", m])
            #expect(theirs.stderr.contains("Multiple block group profiles detected"),
                    "the partial convert did not leave two data profiles:\n\(theirs)")
            try expectSameAsProgs(["filesystem", "df", m])
            try expectSameAsProgs(["--format", "json", "filesystem", "df", "-k", m])
        }
    }

    @Test func errorsAsProgs() throws {
        try Rig.withFilesystem(FSSpec(deviceSize: 512 << 20)) { fs in
            let m = fs.mountPoint
            try Rig.sh("echo x > \(m)/file && mkdir -m 700 \(m)/private && ln -s /nonexistent \(m)/dangling")
            let cases: [[String]] = [
                ["filesystem", "df", "/nonexistent/path"],
                ["filesystem", "df", "/proc"],
                ["filesystem", "df", "/dev"],
                ["filesystem", "df", "\(m)/file"],
                ["filesystem", "df", "\(m)/dangling"],
                ["filesystem", "df", m, m],
                ["filesystem", "df", m, "--raw"],
                ["filesystem", "df"],
                ["filesystem", "df", "--bogus", m],
                ["filesystem", "df", "-x", m],
                ["filesystem", "df", "-bk", m],
                ["filesystem", "df", "--raw=1", m],
                ["filesystem", "df", "--", "-k", m],
                ["filesystem", "df", "--help"],
                ["--format", "json", "filesystem", "df", "/nonexistent"],
                ["--format", "json", "filesystem", "df", "--help"],
                ["--format", "yaml", "filesystem", "df", m],
                ["--bogus", "filesystem", "df", m],
                ["-x", "filesystem", "df", m],
                ["filesystem", "df", ""],
            ]
            for args in cases { try expectSameAsProgs(args) }
            try expectSameAsProgs(["filesystem", "df", "\(m)/private"], asUser: "nobody")
            try expectSameAsProgs(["filesystem", "df", "\(m)/file"], asUser: "nobody")
        }
    }
}
