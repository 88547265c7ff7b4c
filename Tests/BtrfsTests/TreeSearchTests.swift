import Foundation
import Testing
import TestRig
@testable import Btrfs
import CBtrfs

/// Every item of `search` as "objectid type offset transid hexbytes" lines: the first `byNext`
/// items from `next`, the rest from `forEachRemaining`.
private func ourItems(_ fs: FileSystem, _ search: TreeSearch, byNext: Int = .max) throws -> (lines: [String], calls: Int) {
    var cursor = fs.search(search)
    var lines: [String] = []
    func add(_ item: SearchItem) {
        let hex = item.data.map { String($0, radix: 16).leftPad(2) }.joined()
        lines.append("\(item.key.objectID) \(item.key.type) \(item.key.offset) \(item.transid) \(hex)")
    }
    while lines.count < byNext, let item = try cursor.next() { add(item) }
    try cursor.forEachRemaining(add)
    return (lines, cursor.calls)
}

/// The same lines from python-btrfs's search_v2 (its own key advance), with a buffer big enough for any item.
private func pythonItems(_ path: String, tree: UInt64, min: Key, max: Key,
                         minTransid: UInt64 = 0, maxTransid: UInt64 = .max, limit: Int? = nil) throws -> [String] {
    let script = """
    import btrfs, sys
    a = sys.argv
    fs = btrfs.FileSystem(a[1])
    mn = btrfs.ctree.Key(int(a[3]), int(a[4]), int(a[5])); mx = btrfs.ctree.Key(int(a[6]), int(a[7]), int(a[8]))
    nr = None if a[11] == 'none' else int(a[11])
    out = []
    for h, data in btrfs.ioctl.search_v2(fs.fd, int(a[2]), mn, mx, int(a[9]), int(a[10]), nr, buf_size=1 << 20):
        out.append("%d %d %d %d %s" % (h.objectid, h.type, h.offset, h.transid, bytes(data).hex()))
    sys.stdout.write("\\n".join(out) + ("\\n" if out else ""))
    """
    let args = [path, "\(tree)", "\(min.objectID)", "\(min.type)", "\(min.offset)",
                "\(max.objectID)", "\(max.type)", "\(max.offset)", "\(minTransid)", "\(maxTransid)",
                limit.map { "\($0)" } ?? "none"]
    let r = try Rig.python(script, args: args)
    guard r.status == 0 else { throw RigError("python-btrfs search failed\n\(r)") }
    return r.stdout.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
}

extension String {
    fileprivate func leftPad(_ n: Int) -> String { count >= n ? self : String(repeating: "0", count: n - count) + self }
}

@Suite(.needsRig) struct TreeSearchTests {
    @Test func tinyBufferWalksThousandsOfItemsExactlyOnce() throws {
        try Rig.withFilesystem(FSSpec()) { scratch in
            // ~3000 inodes in one directory: INODE_ITEM, INODE_REF, DIR_ITEM, DIR_INDEX each, many leaves.
            try Rig.sh("cd \(scratch.mountPoint) && mkdir d && for i in $(seq 1 3000); do : > d/f$i; done && sync")
            let fs = try FileSystem(path: scratch.mountPoint)
            let expected = try pythonItems(scratch.mountPoint, tree: 5, min: .min, max: .max)
            #expect(expected.count > 12_000)
            let tiny = try ourItems(fs, TreeSearch(tree: 5, bufferSize: 256))
            expectSameLines(tiny.lines, expected, "256-byte buffer walk")
            #expect(Set(tiny.lines).count == tiny.lines.count)
            #expect(tiny.calls > 100)  // the small buffer really forced many batches
            let big = try ourItems(fs, TreeSearch(tree: 5))
            expectSameLines(big.lines, expected, "default buffer walk")
            #expect(big.calls < tiny.calls)
            // The same walk with the ioctls on a second thread: same items, same order, and a limit
            // and a range end still stop it (tiny buffers: many answers in flight at once).
            var ahead = TreeSearch(tree: 5, bufferSize: 256)
            ahead.readAhead = true
            let aheadTiny = try ourItems(fs, ahead)
            expectSameLines(aheadTiny.lines, expected, "read-ahead walk")
            expectSameLines(try ourItems(fs, ahead, byNext: 0).lines, expected, "read-ahead walk, forEachRemaining")
            expectSameLines(try ourItems(fs, ahead, byNext: 777).lines, expected, "read-ahead walk, next then forEachRemaining")
            ahead.limit = 5000
            #expect(try ourItems(fs, ahead).lines == Array(expected.prefix(5000)))
            ahead.limit = nil
            ahead.max = Key(300, 255, .max)
            let expectedPart = try pythonItems(scratch.mountPoint, tree: 5, min: .min, max: ahead.max)
            expectSameLines(try ourItems(fs, ahead).lines, expectedPart, "read-ahead walk to a max key")
            // A walk given up half way stops its thread (the cursor's end joins it) and leaves the
            // file system usable.
            for _ in 0..<20 {
                ahead.max = .max
                var cursor = fs.search(ahead)
                for _ in 0..<100 { _ = try cursor.next() }
            }
            #expect(try ourItems(fs, TreeSearch(tree: 5)).lines == big.lines)
        }
    }

    @Test func keyRangeEdgesLimitsAndTransids() throws {
        try Rig.withFilesystem(FSSpec()) { scratch in
            try Rig.sh("cd \(scratch.mountPoint) && mkdir a && for i in $(seq 1 300); do echo $i > a/f$i; done && sync")
            let firstGen = try pythonItems(scratch.mountPoint, tree: 5, min: .min, max: .max).map {
                UInt64($0.split(separator: " ")[3])!
            }.max()!
            try Rig.sh("cd \(scratch.mountPoint) && for i in $(seq 1 50); do echo $i > a/g$i; done && sync")
            let fs = try FileSystem(path: scratch.mountPoint)
            let ranges: [(Key, Key, UInt64, UInt64, Int?)] = [
                (.min, .max, 0, .max, nil),
                (Key(257, 0, 0), Key(257, .max, .max), 0, .max, nil),       // one objectid
                (Key(258, 1, 0), Key(258, 1, 0), 0, .max, nil),             // exactly one key
                (Key(258, 12, 0), Key(300, 1, .max), 0, .max, nil),         // compound: types span objectids
                (Key(256, 84, 0), Key(256, 96, .max), 0, .max, nil),        // a directory's entries
                (.min, .max, 0, .max, 7),                                   // item limit
                (.min, .max, 0, .max, 1),
                (.min, .max, firstGen + 1, .max, nil),                      // only newer leaves
                (.min, .max, 0, firstGen, nil),
                (Key(.max - 1, 0, 0), .max, 0, .max, nil),                 // top of the key space
                (Key(300, 0, 0), Key(200, 0, 0), 0, .max, nil),             // empty: min > max
            ]
            for (mn, mx, t0, t1, limit) in ranges {
                let expected = try pythonItems(scratch.mountPoint, tree: 5, min: mn, max: mx,
                                               minTransid: t0, maxTransid: t1, limit: limit)
                for size in [256, 4096, TreeSearch.defaultBufferSize] {
                    let ours = try ourItems(fs, TreeSearch(tree: 5, min: mn, max: mx, minTransid: t0,
                                                           maxTransid: t1, limit: limit, bufferSize: size))
                    expectSameLines(ours.lines, expected, "range \(mn)...\(mx) transid \(t0)...\(t1) limit \(String(describing: limit)) buffer \(size)")
                    let mixed = try ourItems(fs, TreeSearch(tree: 5, min: mn, max: mx, minTransid: t0, maxTransid: t1,
                                                            limit: limit, bufferSize: size), byNext: 3)
                    expectSameLines(mixed.lines, expected, "next, then forEachRemaining: range \(mn)...\(mx) limit \(String(describing: limit)) buffer \(size)")
                }
            }
        }
    }

    @Test func growsPastAnItemBiggerThanTheBuffer() throws {
        try Rig.withFilesystem(FSSpec(mountOptions: ["max_inline=2048"])) { scratch in
            // A 2000-byte inline extent and a 3000-byte xattr: both bigger than a 256-byte buffer.
            try Rig.sh("""
                cd \(scratch.mountPoint) && head -c 2000 /dev/urandom > inl && \
                setfattr -n user.big -v "$(head -c 3000 /dev/zero | tr '\\0' x)" inl 2>/dev/null || \
                python3 -c "import os; os.setxattr('inl', 'user.big', b'x'*3000)"; sync
                """)
            let fs = try FileSystem(path: scratch.mountPoint)
            let expected = try pythonItems(scratch.mountPoint, tree: 5, min: .min, max: .max)
            let ours = try ourItems(fs, TreeSearch(tree: 5, bufferSize: 256))
            expectSameLines(ours.lines, expected, "growing buffer walk")
            #expect(expected.contains { $0.split(separator: " ")[4].count > 2 * 2000 })
        }
    }

    @Test func nonBtrfsPathIsReportedClearly() throws {
        // A directory and a regular file are asked a btrfs ioctl first, anything else statfs:
        // either way another filesystem is named as not btrfs.
        #expect(throws: BtrfsError.notBtrfs(path: "/proc")) { try FileSystem(path: "/proc") }
        #expect(throws: BtrfsError.notBtrfs(path: "/proc/self/status")) { try FileSystem(path: "/proc/self/status") }
        #expect(throws: BtrfsError.notBtrfs(path: "/dev/null")) { try FileSystem(path: "/dev/null") }
        #expect(throws: BtrfsError.notDirectory(path: "/proc/self/status")) {
            try FileSystem(path: "/proc/self/status", requireDirectory: true)
        }
        #expect(throws: BtrfsError.cannotAccess(path: "/nonexistent-sbtrfs", errno: ENOENT)) {
            try FileSystem(path: "/nonexistent-sbtrfs")
        }
    }
}

@Test func searchArgumentLayoutMatchesTheKernelHeader() {
    #expect(MemoryLayout<btrfs_ioctl_search_args_v2>.size == TreeSearchCursor.argsSize)
    #expect(MemoryLayout<btrfs_ioctl_search_header>.size == SearchHeader.size)
    #expect(MemoryLayout<btrfs_ioctl_search_key>.offset(of: \.nr_items) == 64)
    #expect(MemoryLayout<btrfs_ioctl_search_args_v2>.offset(of: \.buf_size) == 104)
}

/// The default-size search buffer is kept for the next search instead of unmapped: the next one
/// of that size gets the same mapping, other sizes never do, and buffers made and dropped on
/// several threads at once never share one.
@Test func spareSearchBufferIsReusedAndNeverShared() async {
    let size = SearchBuffer.spareCapacity
    var first: SearchBuffer? = SearchBuffer(capacity: size)
    let address = first.map { UInt(bitPattern: $0.pointer) }
    first = nil
    // Were the buffer unmapped, the kernel would give this mapping its address.
    let decoy = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
    defer { munmap(decoy, size) }
    let second = SearchBuffer(capacity: size)
    #expect(UInt(bitPattern: second.pointer) == address)
    let other = SearchBuffer(capacity: size * 2)
    #expect(UInt(bitPattern: other.pointer) != address)
    let held = await withTaskGroup(of: [UInt].self) { group in
        for _ in 0..<4 {
            group.addTask {
                var seen: [UInt] = []
                for _ in 0..<200 {
                    let a = SearchBuffer(capacity: size), b = SearchBuffer(capacity: size)
                    // Two buffers alive at once are two mappings, and each is writable whole.
                    if a.pointer == b.pointer { seen.append(0) }
                    a.pointer.storeBytes(of: 1, toByteOffset: size - 8, as: UInt64.self)
                    b.pointer.storeBytes(of: 2, toByteOffset: size - 8, as: UInt64.self)
                    if a.pointer.load(fromByteOffset: size - 8, as: UInt64.self) != 1 { seen.append(1) }
                }
                return seen
            }
        }
        var all: [UInt] = []
        for await seen in group { all += seen }
        return all
    }
    #expect(held.isEmpty)
    _ = second
}
