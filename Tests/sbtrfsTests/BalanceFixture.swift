import Foundation
import Testing
import TestRig

/// Filesystems for the balance tests: twins made from one FSSpec and populated the same way (so
/// btrfs-progs on one and sbtrfs on the other meet the same chunks), and the views that compare them.
enum BalanceFixture {
    /// Two filesystems from `spec`, each populated by `populate(mountPoint)`, synced, with chunk
    /// trees of the same shape: on a busy machine the kernel's timing (delalloc flushes, the
    /// cleaner removing empty block groups) can make a pair differ; such a pair is made again.
    static func withTwins(_ spec: FSSpec, populate: (String) throws -> Void,
                          _ body: (ScratchFS, ScratchFS) throws -> Void) throws {
        var attempt = 0
        var done = false
        while !done {
            attempt += 1
            try Rig.withFilesystem(spec) { a in
                try Rig.withFilesystem(spec) { b in
                    try populate(a.mountPoint)
                    try populate(b.mountPoint)
                    try Rig.sh("sync")
                    let shapes = try chunkShapes(a.mountPoint, b.mountPoint)
                    guard shapes.first == shapes.last || attempt == 3 else { return }
                    #expect(shapes.first == shapes.last, "no twins in 3 attempts: \(shapes)")
                    done = true
                    try body(a, b)
                }
            }
        }
    }

    /// `count` files of `size` random bytes, f0…, written by one python process; with `sync`
    /// each is on disk before the next (allocations in a fixed order, for twins).
    static func writeFiles(_ directory: String, count: Int, size: Int, prefix: String = "f", sync: Bool = true) throws {
        let r = try Rig.python("""
            import os, sys
            d, n, size, prefix, sync = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5] == '1'
            os.makedirs(d, exist_ok=True)
            for i in range(n):
                with open(os.path.join(d, prefix + str(i)), 'wb') as f:
                    f.write(os.urandom(size))
                    if sync:
                        os.fsync(f.fileno())
            """, args: [directory, "\(count)", "\(size)", prefix, sync ? "1" : "0"])
        guard r.status == 0 else { throw RigError("writing files failed: \(r)") }
    }

    /// Data spread over several block groups, then two of every three files deleted: block
    /// groups a third used, which least-used packs together.
    static func fragment(_ mnt: String, files: Int = 240) throws {
        try writeFiles(mnt, count: files, size: 1 << 20)
        try Rig.sh("sync")
        try Rig.python("""
            import os, sys
            d, n = sys.argv[1], int(sys.argv[2])
            for i in range(n):
                if i % 3:
                    os.unlink(os.path.join(d, 'f' + str(i)))
            """, args: [mnt, "\(files)"])
        try Rig.sh("sync")
    }

    /// Many small extents, each shared by several snapshots: every relocation takes a while, so
    /// that a balance can be watched, paused and cancelled while it runs.
    static func slowToRelocate(_ mnt: String) throws {
        try writeFiles(mnt, count: 120, size: 1 << 20)
        try writeFiles(mnt + "/small", count: 3000, size: 12288, prefix: "s", sync: false)
        try Rig.sh("sync")
        for n in 1...5 { try Rig.sh("btrfs -q subvolume snapshot \(mnt) \(mnt)/snap\(n)") }
        try Rig.sh("sync")
    }

    /// The chunk tree as python-btrfs prints it (every chunk's address, length, type, stripes).
    static func chunkTree(_ mnt: String) throws -> String {
        let r = try Rig.python("""
            import btrfs, sys
            with btrfs.FileSystem(sys.argv[1]) as fs:
                for chunk in fs.chunks():
                    print(chunk)
                    for stripe in chunk.stripes:
                        print('  ', stripe)
            """, args: [mnt])
        guard r.status == 0 else { throw RigError("python chunk listing failed: \(r)") }
        return r.stdout
    }

    /// The chunk trees' shapes: type, length and stripe count of each chunk in order, one list
    /// per mount point (twins have the same shape; addresses may differ). One python run for all.
    static func chunkShapes(_ mounts: String...) throws -> [[String]] {
        let r = try Rig.python("""
            import btrfs, sys
            for mnt in sys.argv[1:]:
                with btrfs.FileSystem(mnt) as fs:
                    for c in fs.chunks():
                        print(btrfs.utils.block_group_flags_str(c.type), c.length, c.num_stripes)
                print('--')
            """, args: mounts)
        guard r.status == 0 else { throw RigError("python chunk listing failed: \(r)") }
        return r.stdout.components(separatedBy: "--\n").dropLast().map { $0.split(separator: "\n").map(String.init) }
    }

    /// Allocated bytes of data block groups.
    static func allocatedData(_ mnt: String) throws -> UInt64 {
        let r = try Rig.python("""
            import btrfs, sys
            with btrfs.FileSystem(sys.argv[1]) as fs:
                print(sum(c.length for c in fs.chunks() if c.type & btrfs.BLOCK_GROUP_DATA))
            """, args: [mnt])
        guard r.status == 0, let value = UInt64(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw RigError("python allocation sum failed: \(r)")
        }
        return value
    }

    /// sha256 of every regular file of the top-level subvolume (snapshots share its extents), by path.
    static func checksums(_ mnt: String) throws -> String {
        try Rig.sh("cd \(mnt) && find . -xdev -type f -print0 | sort -z | xargs -0 -r sha256sum").stdout
    }

    /// `type, profile` of each `btrfs filesystem df` row: the profiles in use.
    static func profiles(_ mnt: String) throws -> [String] {
        try Rig.run(["btrfs", "filesystem", "df", mnt]).stdout.split(separator: "\n")
            .map { String($0.prefix { $0 != ":" }) }
    }

    /// A process running in the background, its output kept in files. Spawned with the default
    /// signal dispositions and no signal blocked (the test runner may ignore or block some), so
    /// that SIGINT acts on it as it would from a shell.
    final class Background {
        let pid: pid_t
        let outPath: String
        let errPath: String
        private var status: Int32?

        init(_ argv: [String]) throws {
            let tag = NSTemporaryDirectory() + "sbtrfs-balance-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
            outPath = tag + ".out"
            errPath = tag + ".err"
            pid = try Rig.spawn((["/usr/bin/env"] + argv).map { Array($0.utf8) }, stdout: outPath, stderr: errPath)
        }

        var stdout: String { (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "" }
        var stderr: String { (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "" }

        /// Sends `signal`.
        func send(_ signal: Int32) { if status == nil { kill(pid, signal) } }

        /// Waits for the end (at most `seconds`, then kills it); the status, 128 + signal when killed.
        @discardableResult
        func wait(seconds: Double = 60) -> Int32 {
            if let status { return status }
            var raw: Int32 = 0
            let deadline = Date().addingTimeInterval(seconds)
            while waitpid(pid, &raw, WNOHANG) == 0 {
                if Date() > deadline {
                    kill(pid, SIGKILL)
                    waitpid(pid, &raw, 0)
                    break
                }
                usleep(10_000)
            }
            let signal = raw & 0x7F
            let result = signal != 0 && signal != 0x7F ? 128 + signal : (raw >> 8) & 0xFF
            status = result
            return result
        }

        /// Polls until `condition` holds (true) or `seconds` pass (false).
        static func poll(seconds: Double = 20, _ condition: () throws -> Bool) rethrows -> Bool {
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline {
                if try condition() { return true }
                usleep(10_000)
            }
            return false
        }

        deinit {
            if status == nil {
                kill(pid, SIGKILL)
                var raw: Int32 = 0
                waitpid(pid, &raw, 0)
            }
            unlink(outPath)
            unlink(errPath)
        }
    }
}
