import Foundation
import Testing
import TestRig

/// python-btrfs's example programs as commands (file-csum, tree-sizes, free-space-fragmentation,
/// block-group-files), against the scripts in /usr/share/doc/python3-btrfs/examples/ run by
/// /usr/bin/python3 on the same filesystem.
@Suite(.needsRig) struct InspectExamplesTests {
    static let examples = "/usr/share/doc/python3-btrfs/examples/"

    static func example(_ name: String, _ args: [String]) throws -> ProcessResult {
        try Rig.run(["/usr/bin/python3", examples + name + ".py"] + args)
    }

    static func json(_ r: ProcessResult) throws -> [String: Any] {
        let value = try JSONSerialization.jsonObject(with: Data(r.stdoutBytes))
        return value as? [String: Any] ?? [:]
    }

    /// The checksum of one sector of `path` at each file offset, computed by python from the file's
    /// bytes (the tail past EOF is zeros on disk): crc32c as python-btrfs has it, else hashlib.
    static func computedChecksums(_ kind: String, _ path: String, _ offsets: [UInt64], sectorsize: UInt64) throws -> [String] {
        guard !offsets.isEmpty else { return [] }
        let r = try Rig.python("""
            import btrfs, hashlib, struct, sys
            kind, path, size = sys.argv[1], sys.argv[2], int(sys.argv[3])
            with open(path, 'rb') as f:
                for off in sys.argv[4:]:
                    f.seek(int(off)); data = f.read(size); data += bytes(size - len(data))
                    if kind == 'crc32c': c = struct.pack('<L', btrfs.crc32c.crc32c_data(data))
                    elif kind == 'sha256': c = hashlib.sha256(data).digest()
                    else: c = hashlib.blake2b(data, digest_size=32).digest()
                    print('0x' + c.hex())
            """, args: [kind, path, "\(sectorsize)"] + offsets.map(String.init))
        #expect(r.status == 0, "\(r)")
        return r.stdout.split(separator: "\n").map(String.init)
    }

    /// Every checksum of every uncompressed regular extent file-csum lists, recomputed from the data.
    static func expectChecksumsMatchData(_ path: String, kind: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let r = try Rig.sbtrfs(["--format", "json", "inspect-internal", "file-csum", path])
        #expect(r.status == 0, "\(r)", sourceLocation: sourceLocation)
        let report = try json(r)["file-csum"] as? [String: Any] ?? [:]
        #expect(report["csum-type"] as? String == kind, sourceLocation: sourceLocation)
        let sectorsize = (report["sectorsize"] as? NSNumber)?.uint64Value ?? 4096
        var offsets: [UInt64] = []
        var stored: [String] = []
        for extent in report["extents"] as? [[String: Any]] ?? [] {
            guard extent["type"] as? String == "regular", extent["compression"] as? String == "none" else { continue }
            let fileOffset = (extent["file-offset"] as? NSNumber)?.uint64Value ?? 0
            for (i, block) in (extent["blocks"] as? [[String: Any]] ?? []).enumerated() {
                offsets.append(fileOffset + UInt64(i) * sectorsize)
                stored.append(block["csum"] as? String ?? "none")
            }
        }
        #expect(!offsets.isEmpty, "\(path): no checksummed block", sourceLocation: sourceLocation)
        #expect(stored == (try computedChecksums(kind, path, offsets, sectorsize: sectorsize)), "\(path)", sourceLocation: sourceLocation)
    }

    @Test(.needsTool("/usr/bin/btrfs", what: "btrfs-progs")) func examplesMatchPythonBtrfs() throws {
        try Rig.withFilesystem(FSSpec(deviceSize: 1 << 30)) { fs in
            let m = fs.mountPoint
            try ResolveFixture.populate(m)

            // tree-sizes: the same table; the JSON carries the same counts.
            let sizes = try Rig.sbtrfs(["inspect-internal", "tree-sizes", m])
            let pySizes = try Self.example("show_metadata_tree_sizes", [m])
            #expect(sizes.status == 0 && pySizes.status == 0)
            expectSameText(sizes.stdout, pySizes.stdout, "tree-sizes")
            let sizesJSON = try Self.json(try Rig.sbtrfs(["--format", "json", "inspect-internal", "tree-sizes", m]))
            let rows = sizesJSON["tree-sizes"] as? [[String: Any]] ?? []
            #expect(rows.map { $0["tree"] as? String ?? "" } == pySizes.stdout.split(separator: "\n").map { String($0.prefix { $0 != " " }) })

            // free-space-fragmentation at the default score, at 0 (every data block group) and 5.
            for args in [[m], ["0", m], ["5", m]] {
                let ours = try Rig.sbtrfs(["inspect-internal", "free-space-fragmentation"] + args)
                let theirs = try Self.example("show_free_space_fragmentation", args)
                #expect(ours.status == 0 && theirs.status == 0)
                expectSameText(ours.stdout, theirs.stdout, "free-space-fragmentation \(args)")
            }
            let fragments = try Self.json(try Rig.sbtrfs(["--format", "json", "inspect-internal", "free-space-fragmentation", "0", m]))
            let groups = (fragments["free-space-fragmentation"] as? [String: Any])?["block-groups"] as? [[String: Any]] ?? []
            #expect(!groups.isEmpty)

            // block-group-files for every data block group, through LOGICAL_INO_V2 (200 reflinks: the
            // buffer grows).
            let dataGroups = try Rig.python("""
                import btrfs, sys
                fs = btrfs.FileSystem(sys.argv[1])
                for c in fs.chunks():
                    if c.type & btrfs.BLOCK_GROUP_DATA: print(c.vaddr)
                """, args: [m]).stdout.split(separator: "\n").map(String.init)
            #expect(!dataGroups.isEmpty)
            var allFiles = ""
            for vaddr in dataGroups {
                let ours = try Rig.sbtrfs(["inspect-internal", "block-group-files", vaddr, m])
                let theirs = try Self.example("show_block_group_data_extent_filenames", [vaddr, m])
                #expect(ours.status == 0 && theirs.status == 0)
                expectSameText(ours.stdout, theirs.stdout, "block-group-files \(vaddr)")
                allFiles += ours.stdout
                let report = try Self.json(try Rig.sbtrfs(["--format", "json", "inspect-internal", "block-group-files", vaddr, m]))
                let extents = (report["block-group-files"] as? [String: Any])?["extents"] as? [[String: Any]] ?? []
                #expect(extents.count == theirs.stdout.split(separator: "\n").filter { $0.hasPrefix("extent vaddr") }.count)
            }

            #expect(allFiles.contains("path utf-8 'refs/r\(ResolveFixture.reflinkCount)'"))

            // file-csum: what show_file_csum finds for a file whose first extent starts it, and every
            // checksum of every file recomputed from its data.
            for rel in ["plain", "reflink", "links/target", "sub/dir/f", "snap/dir/f"] {
                let ours = try Rig.sbtrfs(["inspect-internal", "file-csum", m + "/" + rel])
                let run = try Self.example("show_file_csum", [m + "/" + rel])
                let theirs = run.stdout.replacingOccurrences(of: "\n", with: " ")
                let first = ours.stdout.split(separator: "\n")
                let header = first.first?.split(separator: " ") ?? []
                #expect(theirs.contains("has inode number \(header.count > 1 ? header[1] : "?") in tree \(header.count > 3 ? header[3] : "?")."), "\(rel)")
                // python prints the first block's crc32c as a little-endian integer.
                let block = first.first { $0.hasPrefix("    vaddr ") }?.split(separator: " ").last.map(String.init) ?? ""
                let bytes = stride(from: 2, to: block.count, by: 2).compactMap { i -> UInt32? in
                    let start = block.index(block.startIndex, offsetBy: i)
                    return UInt32(block[start..<block.index(start, offsetBy: 2)], radix: 16)
                }
                let value = bytes.enumerated().reduce(UInt32(0)) { $0 | $1.element << (8 * UInt32($1.offset)) }
                #expect(bytes.count == 4)
                // The program dies (AttributeError on None) when the checksum item holding the block
                // starts before it and is the last one; the data itself checks the value then.
                if run.status == 0 || !run.stderr.contains("AttributeError") {
                    #expect(theirs.contains("checksum value is \(value) "), "\(rel): \(block) \(run)")
                }
                try Self.expectChecksumsMatchData(m + "/" + rel, kind: "crc32c")
            }
            for rel in ["sparse", "sub/nested/plain-ref"] {
                try Self.expectChecksumsMatchData(m + "/" + rel, kind: "crc32c")
            }
            // Compressed extents: checksums of the compressed bytes, one per disk sector; inline
            // extents and holes have none; an empty file no extent.
            for c in ["zlib", "lzo", "zstd"] {
                let out = try Rig.sbtrfs(["inspect-internal", "file-csum", m + "/comp_" + c]).stdout
                #expect(out.contains("compression \(c) disk_bytenr") && out.contains("    vaddr ") && !out.contains("csum none"), "\(out)")
            }
            // Preallocated and nodatasum (chattr +C) extents have blocks without checksums.
            for rel in ["prealloc", "nocsum"] {
                let out = try Rig.sbtrfs(["inspect-internal", "file-csum", m + "/" + rel]).stdout
                let blocks = out.split(separator: "\n").filter { $0.hasPrefix("    vaddr ") }
                #expect(!blocks.isEmpty && blocks.allSatisfy { $0.hasSuffix(" csum none") }, "\(rel): \(out)")
                #expect(out.contains(rel == "prealloc" ? " type prealloc " : " type regular "), "\(out)")
            }
            let inline = try Rig.sbtrfs(["inspect-internal", "file-csum", m + "/inline"]).stdout
            #expect(inline.hasSuffix("extent file_offset 0 type inline compression none ram_bytes 6\n"), "\(inline)")
            let empty = try Rig.sbtrfs(["inspect-internal", "file-csum", m + "/empty"]).stdout
            #expect(empty.split(separator: "\n").count == 1)

            // Refused: one ERROR line, status 1.
            for args in [["file-csum", m], ["file-csum", m + "/missing"], ["file-csum", "/etc/hostname"],
                         ["tree-sizes", "/tmp"], ["tree-sizes", m + "/missing"],
                         ["free-space-fragmentation", "x", m], ["free-space-fragmentation", "99999999999999999999", m],
                         ["free-space-fragmentation", "/tmp"],
                         ["block-group-files", "1", m], ["block-group-files", "x", m], ["block-group-files", "--", "-1", m],
                         ["block-group-files", "99999999999999999999", m], ["block-group-files", dataGroups[0], "/tmp"]] {
                let r = try Rig.sbtrfs(["inspect-internal"] + args)
                #expect(r.status == 1 && r.stdout.isEmpty, "\(args): \(r)")
                #expect(r.stderr.hasPrefix("ERROR: ") && r.stderr.split(separator: "\n").count == 1, "\(args): \(r.stderr)")
            }
        }
    }

    /// Without a free space tree both fall back to the gaps between extents of the extent tree.
    @Test func freeSpaceFragmentationWithoutFreeSpaceTree() throws {
        let spec = FSSpec(deviceSize: 512 << 20, mkfsOptions: ["-R", "^free-space-tree"], mountOptions: ["space_cache=v1"])
        try Rig.withFilesystem(spec) { fs in
            try Rig.sh("""
                cd '\(fs.mountPoint)' && for i in $(seq 1 60); do head -c $((i * 7000)) /dev/urandom > f$i; done && sync \
                && rm f*[02468] && sync
                """)
            for args in [["0", fs.mountPoint], [fs.mountPoint]] {
                let ours = try Rig.sbtrfs(["inspect-internal", "free-space-fragmentation"] + args)
                let theirs = try Self.example("show_free_space_fragmentation", args)
                #expect(ours.status == 0 && theirs.stdout.contains("No Free Space Tree"), "\(theirs)")
                expectSameText(ours.stdout, theirs.stdout, "free-space-fragmentation without a free space tree")
            }
        }
    }

    @Test(arguments: ["sha256", "blake2"]) func fileCsumOfOtherChecksumTypes(csum: String) throws {
        try Rig.withFilesystem(FSSpec(deviceSize: 256 << 20, mkfsOptions: ["--csum", csum])) { fs in
            try Rig.sh("head -c 300000 /dev/urandom > '\(fs.mountPoint)/f' && sync")
            try Self.expectChecksumsMatchData(fs.mountPoint + "/f", kind: csum == "blake2" ? "blake2b" : csum)
        }
    }
}
