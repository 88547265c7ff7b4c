import Foundation


/// Filesystems with every kind of item the issue names, populated and then remounted
/// read-only so python-btrfs and sbtrfs read exactly the same trees.
public enum Scenario: String, CaseIterable, Sendable {
    /// single data, DUP metadata, zstd, quotas with a relation and a limit, reflinks, snapshots
    /// (one read-only), a deleted subvolume, inline files, xattrs, a fragmented free space tree.
    case single
    /// raid1 over two devices, hundreds of hard links with long names (extrefs), special files.
    case raid1
    /// mixed data+metadata block groups.
    case mixed

    public var spec: FSSpec {
        switch self {
        case .single: return FSSpec(devices: 1, deviceSize: 1 << 30, mountOptions: ["compress=zstd"])
        case .raid1: return FSSpec(devices: 2, deviceSize: 1 << 30, data: "raid1", metadata: "raid1")
        case .mixed: return FSSpec(devices: 1, deviceSize: 512 << 20, mixed: true)
        }
    }

    /// Writes files with python (fast, and it sets xattrs without attr tools).
    static let writer = """
    import os, sys
    root = sys.argv[1]
    def files(d, n, size, every=1):
        os.makedirs(d, exist_ok=True)
        for i in range(n):
            with open(os.path.join(d, 'f%d' % i), 'wb') as f:
                f.write(os.urandom(size))
        for i in range(0, n, every) if every > 1 else []:
            os.unlink(os.path.join(d, 'f%d' % i))
    cmd = sys.argv[2]
    if cmd == 'frag': files(os.path.join(root, sys.argv[3]), int(sys.argv[4]), 4096, 2)
    if cmd == 'many': files(os.path.join(root, sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]))
    if cmd == 'xattr':
        p = os.path.join(root, sys.argv[3])
        os.setxattr(p, 'user.text', b'value with spaces')
        os.setxattr(p, 'user.bin', b'\\xff\\x00\\x01\\'q')
        os.setxattr(p, 'user.empty', b'')
    if cmd == 'links':
        d = os.path.join(root, sys.argv[3]); os.makedirs(d, exist_ok=True)
        target = os.path.join(d, 'target')
        open(target, 'wb').write(b'linked')
        for i in range(int(sys.argv[4])):
            os.link(target, os.path.join(d, ('%04d' % i) + 'L' * 200))
    if cmd == 'names':
        d = os.path.join(root, sys.argv[3]); os.makedirs(d, exist_ok=True)
        for name in [b'caf\\xc3\\xa9', b'bad\\xff\\xfename', b"quote'name", b'tab\\tname', b'back\\\\slash']:
            open(os.path.join(d.encode(), name), 'wb').write(b'x')
    """

    public func populate(_ fs: ScratchFS) throws {
        let m = fs.mountPoint
        let py = "/usr/bin/python3 -c \"$W\""
        var script = "export W='\(Scenario.writer.replacingOccurrences(of: "'", with: "'\\''"))'\ncd \(m)\n"
        switch self {
        case .single:
            script += """
            btrfs quota enable .
            \(py) \(m) frag frag 3000
            yes abcdefgh | head -c 3000000 > zstd
            cp --reflink=always zstd zstd-reflink
            head -c 100 /dev/urandom > inline
            \(py) \(m) xattr inline
            \(py) \(m) names names
            btrfs subvolume create sv >/dev/null
            \(py) \(m) many sv/data 300 700
            btrfs subvolume snapshot sv snap >/dev/null
            btrfs subvolume snapshot -r sv snap-ro >/dev/null
            btrfs qgroup create 1/100 . && btrfs qgroup assign 0/256 1/100 . 2>/dev/null || true
            btrfs qgroup limit 10M sv
            btrfs subvolume create doomed >/dev/null
            \(py) \(m) many doomed/d 4000 100
            sync
            btrfs subvolume delete doomed >/dev/null
            mount -o remount,ro \(m)
            """
        case .raid1:
            script += """
            \(py) \(m) links links 300
            \(py) \(m) many small 200 1000
            \(py) \(m) xattr small/f1
            mkfifo fifo && ln -s small/f1 symlink && mknod blk b 7 200 && mknod chr c 1 3
            mkdir -p deep/a/b/c && echo hi > deep/a/b/c/file
            dd if=/dev/urandom of=big bs=1M count=20 status=none
            sync
            mount -o remount,ro \(m)
            """
        case .mixed:
            script += """
            \(py) \(m) many files 500 3000
            dd if=/dev/urandom of=big bs=1M count=8 status=none
            cp --reflink=always big big2
            btrfs subvolume create sv >/dev/null && echo x > sv/x
            sync
            mount -o remount,ro \(m)
            """
        }
        try Rig.sh(script)
    }

    /// Trees worth dumping: the fixed ones and every tree with a root item.
    public static func trees(_ mountPoint: String) throws -> [UInt64] {
        let r = try Rig.python("""
        import btrfs, sys
        fs = btrfs.FileSystem(sys.argv[1])
        ids = sorted(set(h.objectid for h, _ in btrfs.ioctl.search_v2(fs.fd, 1) if h.type == 132))
        print(' '.join(str(i) for i in [1, 2, 3, 4] + [i for i in ids if i > 4]))
        """, args: [mountPoint])
        return r.stdout.split(separator: " ").compactMap { UInt64($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }
}
