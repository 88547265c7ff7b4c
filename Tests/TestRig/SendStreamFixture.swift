import Foundation

/// Subvolumes for send/receive tests, made with coreutils and btrfs-progs on a scratch mount:
/// `base` (read-only, the clone source), `snap1` (read-only: regular, sparse, reflinked — also from
/// `base` —, zlib/lzo/zstd compressed, inline and empty files, hard links, symlinks, a fifo, device
/// nodes, a socket, xattrs, odd owners, modes, times and names) and `snap2` (read-only: the same after
/// renames, deletions, overwrites, truncations, new links and changed metadata).
/// Streams come from `btrfs send` (`streams(_:in:)`); `TreeComparison` checks what was received.
public enum SendStreamFixture {
    /// The subvolumes made, below the mount point, in the order they can be sent and received.
    public static let subvolumes = ["base", "snap1", "snap2"]

    /// Populates `mnt`: `base`, then `src` with its snapshots `snap1` and `snap2` (all read-only
    /// snapshots; `src` stays writable).
    public static func populate(_ mnt: String) throws {
        let r = try Rig.sh("""
            set -e
            cd '\(mnt)'
            btrfs -q subvolume create base0
            head -c 1048576 /dev/urandom > base0/big
            yes 'base text line' | head -c 200000 > base0/text
            sync
            btrfs -q subvolume snapshot -r base0 base
            btrfs -q subvolume create src
            cd src
            echo hello > inline
            : > empty
            head -c 307200 /dev/urandom > plain
            truncate -s 8388608 sparse
            dd if=/dev/urandom of=sparse bs=65536 seek=40 count=2 conv=notrunc status=none
            dd if=/dev/urandom of=sparse bs=4096 seek=2000 count=1 conv=notrunc status=none
            truncate -s 1048576 hole-at-end
            printf 'start' | dd of=hole-at-end conv=notrunc status=none
            for c in zlib lzo zstd; do
                touch comp_$c
                btrfs property set comp_$c compression $c
                yes "compressed with $c" | head -c 500000 > comp_$c
            done
            sync
            cp --reflink=always plain reflink
            cp --reflink=always ../base/big from-base
            dd if=/dev/urandom of=from-base bs=4096 seek=8 count=1 conv=notrunc status=none
            mkdir -p dir/sub/deeper 'name with spaces' "$(printf 'tab\\there')"
            echo deep > dir/sub/deeper/file
            echo spaced > 'name with spaces/file \\ back'
            echo odd > "$(printf 'bytes-\\303\\251-\\377-\\001')"
            ln plain dir/plain-link
            ln plain dir/sub/plain-link2
            ln -s plain symlink
            ln -s /absolute/target dir/abs-symlink
            ln -s ../../plain dir/sub/rel-symlink
            mkfifo fifo
            mknod chardev c 1 3
            mknod blockdev b 7 200
            /usr/bin/python3 -c 'import socket; socket.socket(socket.AF_UNIX).bind("sock")'
            setfattr -n user.comment -v 'hello xattr' plain
            setfattr -n user.binary -v 0x00ff10 plain
            setfattr -n user.empty dir
            setfattr -n user.gone -v soon dir/sub/deeper/file
            setfattr -n trusted.fifo -v f fifo
            chown 1234:5678 plain
            chown -h 42:43 symlink
            chown 7:8 dir/sub
            chmod 4755 comp_zstd
            chmod 1777 dir
            chmod 0600 inline
            chmod 0751 dir/sub/deeper
            touch -h -d '2001-02-03 04:05:06.123456789' symlink
            touch -d '1999-12-31 23:59:59.5' inline
            touch -m -d '2010-06-07 08:09:10' dir/sub/deeper/file
            cd ..
            sync
            btrfs -q subvolume snapshot -r src snap1
            cd src
            mv plain plain-renamed
            mv dir/sub dir/sub-moved
            mv comp_zlib dir/sub-moved/
            mv inline tmp && mv empty inline && mv tmp empty
            rm reflink
            rm -r 'name with spaces'
            rm dir/plain-link
            ln comp_lzo comp_lzo-link
            dd if=/dev/urandom of=plain-renamed bs=4096 seek=3 count=2 conv=notrunc status=none
            echo appended >> comp_lzo
            truncate -s 100000 comp_zstd
            truncate -s 16777216 sparse
            chmod 0640 plain-renamed
            chown 99:100 comp_lzo
            setfattr -n user.comment -v 'changed' plain-renamed
            setfattr -x user.gone dir/sub-moved/deeper/file
            setfattr -n user.new -v new dir/sub-moved/deeper/file
            rm fifo
            mkfifo fifo2
            mkdir newdir
            echo new > newdir/newfile
            cp --reflink=always ../base/text newdir/text-from-base
            touch -d '2020-01-01 00:00:00' newdir/newfile
            cd ..
            sync
            btrfs -q subvolume snapshot -r src snap2
            sync
            """)
        guard r.status == 0 else { throw RigError("send fixture failed\n\(r)") }
    }

    /// One stream `btrfs send` made: what it holds, its file, and what must be received before it.
    public struct Stream: Sendable {
        public var name: String
        public var file: String
        /// The subvolume it sends (below the source mount).
        public var subvolume: String
        public var proto: Int
    }

    /// The streams of the fixture, as `btrfs send` writes them into `directory`: `base` full,
    /// `snap1` full (clones inside itself), `snap2` incremental on `snap1` with `base` as clone source; for protocol 1 and
    /// for protocol 2 with compressed data. Received in order, each stream finds what it needs.
    public static func streams(_ mnt: String, in directory: String, protocols: [Int] = [1, 2]) throws -> [[Stream]] {
        try protocols.map { proto in
            let extra = proto == 1 ? ["--proto", "1"] : ["--proto", "2", "--compressed-data"]
            let sends: [(String, String, [String])] = [
                ("base", "base", []),
                ("snap1", "snap1", []),
                ("snap2", "snap2", ["-p", "\(mnt)/snap1", "-c", "\(mnt)/base"]),
            ]
            return try sends.map { name, subvolume, options in
                let file = "\(directory)/\(name)-v\(proto).stream"
                let argv = ["btrfs", "-q", "send"] + extra + options + ["-f", file, "\(mnt)/\(subvolume)"]
                let r = try Rig.run(argv)
                guard r.status == 0 else { throw RigError("\(argv.joined(separator: " ")) failed\n\(r)") }
                return Stream(name: name, file: file, subvolume: subvolume, proto: proto)
            }
        }
    }
}
