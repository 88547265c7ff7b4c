import Foundation
import TestRig

/// One filesystem with every shape compsize and `filesystem du` account differently: zlib, lzo
/// and zstd files (per-directory compression property), inline, empty, sparse and preallocated
/// files, partially overwritten extents, reflinks (whole files and a range of a file into itself),
/// hard links, nested subvolumes, a snapshot changed after it was taken. Synced, so the trees the
/// bulk reads see are what the per-file oracles see.
enum SpaceAccountingFixture {
    static func populate(_ mnt: String) throws {
        let made = try Rig.sh("""
            set -e
            cd '\(mnt)'
            mkdir z l s n d
            btrfs property set z compression zlib
            btrfs property set l compression lzo
            btrfs property set s compression zstd
            for c in z l s; do
                yes "compressible $c" | head -c 1500000 > $c/text
                head -c 300000 /dev/urandom > $c/random
                dd if=/dev/urandom of=$c/text bs=4096 seek=40 count=5 conv=notrunc status=none
                echo tiny > $c/inline
                yes "inline text compresses" | head -c 3000 > $c/inline-compressed
            done
            yes plain | head -c 2000000 > n/text
            dd if=/dev/urandom of=n/text bs=4096 seek=100 count=3 conv=notrunc status=none
            echo small > n/inline
            : > n/empty
            truncate -s 20M n/sparse
            dd if=/dev/urandom of=n/sparse bs=4096 seek=1000 count=2 conv=notrunc status=none
            fallocate -l 1M n/prealloc
            dd if=/dev/urandom of=n/prealloc bs=4096 seek=8 count=2 conv=notrunc status=none
            fallocate -l 256K n/prealloc-only
            echo past > n/prealloc-past-eof
            fallocate -n -o 65536 -l 131072 n/prealloc-past-eof
            cp --reflink=always n/text d/reflink
            cp --reflink=always z/text d/reflink-zlib
            ln n/text d/hardlink
            ln n/inline d/hardlink-inline
            head -c 1048576 /dev/urandom > n/self
            /usr/bin/python3 -c '
            import fcntl, os, struct
            fd = os.open("n/self", os.O_RDWR)
            # FICLONERANGE: the first 256 KiB again at 512 KiB, in the same file
            fcntl.ioctl(fd, 0x4020940D, struct.pack("qQQQ", fd, 0, 262144, 524288))
            os.close(fd)'
            btrfs -q subvolume create sub
            yes sub | head -c 500000 > sub/file
            cp --reflink=always n/text sub/reflink
            btrfs -q subvolume create sub/inner
            head -c 200000 /dev/urandom > sub/inner/file
            mkdir -p deep/a/b/c
            echo deep > deep/a/b/c/file
            head -c 70000 /dev/urandom > deep/a/b/file
            sync
            btrfs -q subvolume snapshot . snap
            dd if=/dev/urandom of=snap/n/text bs=4096 seek=2 count=2 conv=notrunc status=none
            echo changed > snap/n/inline
            rm snap/z/random
            # Names are bytes: du prints them as they are (not in the snapshot: JSON needs UTF-8).
            echo odd > "d/$(printf 'bad\\377name')"
            echo odd > 'd/with space'
            sync
            """)
        guard made.status == 0 else { throw RigError("populating the space fixture failed\n\(made)") }
    }

    /// Argument lists worth comparing, relative to the mount point.
    static let pathSets: [[String]] = [
        [""], ["n"], ["z", "l", "s"], ["n", "n"], ["n", "d"], ["d"], ["snap", ""], ["snap"], ["sub"],
        ["sub/inner"], ["n/text"], ["n/self"], ["n/prealloc"], ["n/prealloc-only"], ["n/prealloc-past-eof"], ["n/sparse"], ["n/empty"],
        ["n/inline"], ["d/hardlink", "n"], ["deep"], ["deep/a/b/c/file", "deep"], ["snap/sub"],
    ]
}
