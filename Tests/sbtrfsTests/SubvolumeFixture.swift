import Foundation
import TestRig

/// A filesystem with the subvolume shapes `subvolume list` and `show` must get right, made by
/// btrfs-progs itself: nested, inside directories, ro and rw snapshots, awkward names, deep nesting.
enum SubvolumeFixture {
    /// The subvolume id of `path`, as libbtrfsutil's python binding reads it.
    static func subvolumeID(_ path: String) throws -> UInt64 {
        let r = try Rig.python("import btrfsutil, sys; print(btrfsutil.subvolume_id(sys.argv[1]))", args: [path])
        guard let id = UInt64(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw RigError("no subvolume id for \(path): \(r)")
        }
        return id
    }

    /// Names with a space, a newline, non-UTF-8 bytes, and the longest name allowed (255 bytes).
    static let longName = String(repeating: "n", count: 255)

    /// Creates the subvolumes under `mnt`; returns paths (relative to `mnt`) of interesting subvolumes.
    @discardableResult
    static func populate(_ mnt: String) throws -> [String] {
        try Rig.sh("""
            set -e
            cd '\(mnt)'
            btrfs -q subvolume create a
            mkdir -p a/d1/d2
            btrfs -q subvolume create a/d1/d2/b
            btrfs -q subvolume create a/d1/d2/b/c
            echo data > a/file
            btrfs -q subvolume snapshot -r a snap_ro
            btrfs -q subvolume snapshot a snap_rw
            mkdir snaps
            btrfs -q subvolume snapshot -r a/d1/d2/b snaps/b_ro
            btrfs -q subvolume create 'with space'
            btrfs -q subvolume create "$(printf 'new\\nline')"
            btrfs -q subvolume create "$(printf 'bad\\377\\376name')"
            btrfs -q subvolume create '\(longName)'
            p=.
            for i in $(seq 1 12); do p=$p/deep$i; btrfs -q subvolume create $p; done
            sync
            """)
        return ["", "a", "a/d1", "a/d1/d2/b", "snap_ro", "deep1/deep2", "with space", "snaps"]
    }

    /// Deletes subvolume `name` (with enough files that cleaning takes a while) and remounts read-only,
    /// so the deleted subvolume stays uncleaned: the cleaner does not run on a read-only mount.
    static func leaveDeletedSubvolume(_ fs: ScratchFS, name: String = "gone") throws {
        try Rig.sh("""
            set -e
            cd '\(fs.mountPoint)'
            btrfs -q subvolume create \(name)
            for i in $(seq 1 2000); do echo y > \(name)/f$i; done
            sync
            btrfs -q subvolume delete \(name)
            cd /
            umount '\(fs.mountPoint)'
            mount -t btrfs -o ro,\(fs.devices.map { "device=\($0)" }.joined(separator: ",")) \(fs.devices[0]) '\(fs.mountPoint)'
            """)
    }
}
