import Foundation

/// A filesystem with every shape of data the resolvers, dedupe and the csum/extent examples must
/// handle, made with coreutils and btrfs-progs: inline, empty, sparse, partially overwritten,
/// zlib/lzo/zstd compressed, preallocated, nodatasum, reflinked and snapshotted files, hard links spilling into INODE_EXTREF
/// items, and files in nested subvolumes.
public enum ResolveFixture {
    /// Hard links of `links/target`, with names long enough that they outgrow one INODE_REF item.
    public static let linkCount = 120
    /// Reflinked copies of `links/target` in `refs/`: more references than LOGICAL_INO's default 4 KiB holds.
    public static let reflinkCount = 200
    /// Subvolumes made, as paths below the mount point.
    public static let subvolumes = ["sub", "sub/nested", "snap"]

    /// Populates `mnt` (mkfs defaults: extref, no-holes, free space tree).
    public static func populate(_ mnt: String) throws {
        try Rig.sh("""
            set -e
            cd '\(mnt)'
            echo hello > inline
            : > empty
            head -c 1048576 /dev/urandom > plain
            sync
            dd if=/dev/urandom of=plain bs=4096 seek=10 count=2 conv=notrunc status=none
            truncate -s 4194304 sparse
            dd if=/dev/urandom of=sparse bs=65536 seek=20 count=1 conv=notrunc status=none
            for c in zlib lzo zstd; do
                touch comp_$c
                btrfs property set comp_$c compression $c
                yes "compressed with $c" | head -c 400000 > comp_$c
            done
            cp --reflink=always plain reflink
            fallocate -l 65536 prealloc
            touch nocsum
            chattr +C nocsum
            head -c 12288 /dev/urandom > nocsum
            mkdir links
            head -c 8192 /dev/urandom > links/target
            long=$(printf '%0200d' 0)
            for i in $(seq 1 \(linkCount)); do ln links/target "links/l$i-$long"; done
            mkdir refs
            for i in $(seq 1 \(reflinkCount)); do cp --reflink=always links/target refs/r$i; done
            btrfs -q subvolume create sub
            mkdir -p sub/dir
            head -c 204800 /dev/urandom > sub/dir/f
            ln sub/dir/f sub/dir/f-link
            btrfs -q subvolume create sub/nested
            cp --reflink=always plain sub/nested/plain-ref
            : > sub/nested/empty
            sync
            btrfs -q subvolume snapshot sub snap
            sync
            """)
    }

    /// Every data extent as (vaddr, length), as python-btrfs lists them.
    public static func dataExtents(_ mnt: String) throws -> [(vaddr: UInt64, length: UInt64)] {
        let r = try Rig.python("""
            import btrfs, sys
            fs = btrfs.FileSystem(sys.argv[1])
            for e in fs.extents():
                if isinstance(e, btrfs.ctree.ExtentItem) and e.flags & btrfs.ctree.EXTENT_FLAG_DATA:
                    print(e.vaddr, e.length)
            """, args: [mnt])
        guard r.status == 0 else { throw RigError("python-btrfs extents failed: \(r)") }
        return r.stdout.split(separator: "\n").compactMap { line in
            let f = line.split(separator: " ")
            guard f.count == 2, let v = UInt64(f[0]), let l = UInt64(f[1]) else { return nil }
            return (v, l)
        }
    }
}
