import Foundation
import Testing
import TestRig

/// `subvolume create -c` / `snapshot -c` (progs 6.2's hidden qgroup usage copy): progs runs on one
/// filesystem, sbtrfs on a twin built by the same steps, so subvolume and qgroup ids agree and the whole
/// `qgroup show` (read right after sync, never after a rescan, which would recompute copied numbers) can be
/// compared as is. Kernels that reject copies (EINVAL since 6.7's inherit validation) must be refused alike
/// and leave both filesystems untouched.
@Suite(.serialized) struct SubvolumeQgroupCopyTests {
    static func setUp(_ m: String) throws {
        try Rig.sh("""
            cd '\(m)' && btrfs quota enable . && btrfs qgroup create 1/1 . && btrfs qgroup create 1/2 . \
            && btrfs subvolume create src >/dev/null && head -c 3000000 /dev/zero > src/f \
            && mkdir plain && sync
            """)
    }

    /// Subvolumes, paths and every qgroup's numbers and relations.
    static func state(_ m: String) throws -> String {
        try Rig.sh("sync; btrfs subvolume list -a '\(m)' | awk '{ $4 = \"\"; print }'").stdout
            + Rig.sh("cd '\(m)' && find . -printf '%p %y %m\\n' | sort").stdout
            + Rig.run(["btrfs", "qgroup", "show", "-pcre", "--raw", m]).stdout
    }

    @Test(.needsRig) func copyLikeProgs() throws {
        try Rig.withFilesystem(FSSpec(deviceSize: 1 << 30)) { pfs in
            try Rig.withFilesystem(FSSpec(deviceSize: 1 << 30)) { sfs in
                let p = pfs.mountPoint, s = sfs.mountPoint
                try Self.setUp(p)
                try Self.setUp(s)
                let before = try Self.state(p)
                expectSameText(try Self.state(s), before, "twin filesystems start alike")
                let cases: [(String) -> [String]] = [
                    { ["subvolume", "create", "-c", "0/256:1/1", "\($0)/x1"] },
                    { ["subvolume", "create", "-i", "1/1", "-c", "0/256:1/2", "\($0)/x2"] },
                    { ["subvolume", "create", "-c", "0/256:1/1", "-c", "1/1:1/2", "-i", "1/2", "\($0)/x3"] },
                    { ["subvolume", "create", "-c", "\($0)/src:1/1", "\($0)/x4"] },
                    { ["subvolume", "create", "-c", "0/256:9/9", "\($0)/x5"] },      // no destination qgroup
                    { ["subvolume", "create", "-c", "9/9:1/1", "\($0)/x6"] },        // no source qgroup
                    { ["subvolume", "snapshot", "-c", "0/256:1/1", "\($0)/src", "\($0)/s1"] },
                    { ["subvolume", "snapshot", "-r", "-i", "1/2", "-c", "0/256:1/1", "\($0)/src", "\($0)/s2"] },
                    { ["subvolume", "snapshot", "-c", "\($0)/src:1/2", "\($0)/src", "\($0)/plain"] },
                    // Refused while parsing: nothing may change.
                    { ["subvolume", "create", "-c", "x", "\($0)/b1"] },
                    { ["subvolume", "create", "-c", "x:1/1", "\($0)/b2"] },
                    { ["subvolume", "create", "-c", "0/0:1/1", "\($0)/b3"] },
                    { ["subvolume", "create", "-c", "1/1:", "\($0)/b4"] },
                    { ["subvolume", "create", "-c", "1/1", "\($0)/b5"] },
                    { ["subvolume", "create", "-c", "\($0)/plain:1/1", "\($0)/b6"] },
                    { ["subvolume", "create", "-c", "0/256:1/1", "-c", "1/x", "\($0)/b7"] },
                    { ["subvolume", "create", "-c", "1/1", "-i", "x", "\($0)/b8"] },
                    { ["subvolume", "create", "-i", "0/0", "-c", "1/1", "\($0)/b9"] },
                    { ["subvolume", "snapshot", "-c", "1/1:x", "\($0)/src", "\($0)/b10"] },
                    { ["subvolume", "snapshot", "-r", "-c", ":", "\($0)/src", "\($0)/b11"] },
                    // -i takes a subvolume root path only (a plain directory is refused), like -c's halves.
                    { ["subvolume", "create", "-i", "\($0)/plain", "\($0)/b12"] },
                ]
                for make in cases {
                    let theirs = try Rig.run(["btrfs"] + make(p))
                    let ours = try Rig.sbtrfs(make(s))
                    let swap = { (text: String) in text.replacingOccurrences(of: p, with: s) }
                    #expect(ours.status == theirs.status, "\(make(s)): \(ours.stderr) vs \(theirs.stderr)")
                    expectSameText(ours.stdout, swap(theirs.stdout), "stdout of \(make(s))")
                    expectSameText(ours.stderr, swap(asSbtrfs(theirs.stderr)), "stderr of \(make(s))")
                    expectSameText(try Self.state(s), try Self.state(p), "filesystem after \(make(s))")
                }
            }
        }
    }
}
