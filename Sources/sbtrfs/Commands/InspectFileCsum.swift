import Btrfs

/// `inspect-internal file-csum FILE`: python-btrfs's example show_file_csum, grown from "the
/// checksum of one block" into every data checksum of the file, extent by extent, whatever the
/// checksum type. The checksum tree is searched from the furthest back an item covering the
/// range can start (an item holds at most a leaf of checksums), so no item is missed.
extension InspectCommands {
    static let fileCsum = Command(
        "file-csum", synopsis: ["<file>"],
        summary: "Show the data checksums of a file, extent by extent",
        description: ["As python-btrfs's example show_file_csum, for every block and any checksum type.",
                      "Inline extents are checksummed with their metadata, holes have none."],
        operands: [OperandSpec("file", .file)], supportsJSON: true, run: runFileCsum)

    /// One file extent and the checksums of the disk blocks it uses (nil: no checksum stored).
    struct ExtentCsums {
        var extent: FileExtentItem
        var blocks: [(vaddr: UInt64, csum: [UInt8]?)]
    }

    @Sendable static func runFileCsum(_ invocation: Invocation) throws -> Int32 {
        let path = invocation.operands[0]
        let fs = try FileSystem(path: path, directoryOrFile: true)
        guard try fs.isRegularFile() else { throw CommandExit.error("\(path) is not a regular file") }
        let inum = try fs.inodeNumber()
        let info = try fs.fsInfo()
        let tree = try fs.inoLookup(objectid: inum).tree
        let csumSize = fs.csumSize()
        let sectorsize = UInt64(max(info.sectorsize, 1))
        // The most bytes one EXTENT_CSUM item can cover: a leaf full of checksums.
        let reach = UInt64(info.nodesize) / UInt64(max(csumSize, 1)) * sectorsize
        var extents: [ExtentCsums] = []
        for item in fs.items(tree: tree, min: Key(inum, .extentData, 0), max: Key(inum, .extentData, .max)) {
            let item = try item.get()
            guard case .fileExtent(let extent) = item else { continue }
            var entry = ExtentCsums(extent: extent, blocks: [])
            if !extent.isInline && extent.diskBytenr != 0 {
                // Compressed: the checksums are of the compressed bytes, the whole disk extent.
                let compressed = extent.compression != 0
                let start = compressed ? extent.diskBytenr : extent.diskBytenr &+ extent.offset
                let length = compressed ? extent.diskNumBytes : extent.numBytes
                entry.blocks = try checksums(fs, start: start / sectorsize * sectorsize, end: start &+ length,
                                             sectorsize: sectorsize, reach: reach, csumSize: csumSize)
            }
            extents.append(entry)
        }
        let typeName = csumTypeName(info)
        if invocation.format == .json {
            writeFileCsumJSON(invocation.out, inum: inum, tree: tree, type: typeName, csumSize: csumSize,
                              sectorsize: sectorsize, extents: extents)
            return 0
        }
        let out = invocation.out
        out.write("inode \(inum) tree \(tree) csum_type \(typeName) csum_size \(csumSize) sectorsize \(sectorsize)\n")
        for entry in extents {
            let e = entry.extent
            out.write("extent file_offset \(e.logicalOffset) type \(extentTypeName(e)) compression \(compressionName(e.compression))")
            if e.isInline {
                out.write(" ram_bytes \(e.ramBytes)\n")
                continue
            }
            out.write(" disk_bytenr \(e.diskBytenr) disk_num_bytes \(e.diskNumBytes) offset \(e.offset) num_bytes \(e.numBytes)\n")
            for block in entry.blocks {
                out.write("    vaddr \(block.vaddr) csum \(block.csum.map(hexBytes) ?? "none")\n")
            }
        }
        return 0
    }

    /// The checksum of each sector in [start, end), from the EXTENT_CSUM items covering it.
    static func checksums(_ fs: FileSystem, start: UInt64, end: UInt64, sectorsize: UInt64, reach: UInt64,
                          csumSize: Int) throws -> [(vaddr: UInt64, csum: [UInt8]?)] {
        guard end > start, csumSize > 0 else { return [] }
        var found: [UInt64: [UInt8]] = [:]
        let csumID = ObjectID.extentCsum.rawValue
        let from = start > reach ? start - reach : 0
        for item in fs.search(TreeSearch(tree: ObjectID.csumTree.rawValue, min: Key(csumID, .extentCsum, from),
                                          max: Key(csumID, .extentCsum, end - 1))) {
            let item = try item.get()
            let csums = try ExtentCsumItem(key: item.key, reader: item.reader(context: "EXTENT_CSUM"), csumSize: csumSize)
            for i in 0..<csums.count {
                let (offset, o1) = UInt64(i).multipliedReportingOverflow(by: sectorsize)
                let (vaddr, o2) = csums.bytenr.addingReportingOverflow(offset)
                if o1 || o2 || vaddr >= end { break }
                if vaddr >= start { found[vaddr] = Array(csums.csum(i)) }
            }
        }
        var blocks: [(vaddr: UInt64, csum: [UInt8]?)] = []
        var vaddr = start
        while vaddr < end {
            blocks.append((vaddr, found[vaddr]))
            let (next, overflow) = vaddr.addingReportingOverflow(sectorsize)
            if overflow { break }
            vaddr = next
        }
        return blocks
    }

    static func writeFileCsumJSON(_ out: OutputStream, inum: UInt64, tree: UInt64, type: String, csumSize: Int,
                                  sectorsize: UInt64, extents: [ExtentCsums]) {
        var json = JSONWriter(out: out, style: .native)
        json.start()
        json.beginGroup("file-csum", .map)
        json.number("inode", inum)
        json.number("tree", tree)
        json.string("csum-type", type)
        json.number("csum-size", UInt64(csumSize))
        json.number("sectorsize", sectorsize)
        json.beginGroup("extents", .array)
        for entry in extents {
            let e = entry.extent
            json.beginGroup(nil, .map)
            json.number("file-offset", e.logicalOffset)
            json.string("type", extentTypeName(e))
            json.string("compression", compressionName(e.compression))
            if e.isInline {
                json.number("ram-bytes", e.ramBytes)
            } else {
                json.number("disk-bytenr", e.diskBytenr)
                json.number("disk-num-bytes", e.diskNumBytes)
                json.number("offset", e.offset)
                json.number("num-bytes", e.numBytes)
                json.beginGroup("blocks", .array)
                for block in entry.blocks {
                    json.beginGroup(nil, .map)
                    json.number("vaddr", block.vaddr)
                    json.string("csum", block.csum.map(hexBytes))
                    json.endGroup()
                }
                json.endGroup()
            }
            json.endGroup()
        }
        json.endGroup()
        json.endGroup()
        json.end()
    }

    /// progs' names of the checksum algorithms (crc32c when the kernel does not say).
    static func csumTypeName(_ info: FsInfo) -> String {
        guard info.flags & FsInfo.flagCsumInfo != 0 else { return "crc32c" }
        switch info.csumType {
        case 0: return "crc32c"
        case 1: return "xxhash64"
        case 2: return "sha256"
        case 3: return "blake2b"
        default: return "unknown(\(info.csumType))"
        }
    }

    static func extentTypeName(_ e: FileExtentItem) -> String {
        switch e.type {
        case FileExtentItem.typeInline: return "inline"
        case FileExtentItem.typeRegular: return e.diskBytenr == 0 ? "hole" : "regular"
        case FileExtentItem.typePrealloc: return "prealloc"
        default: return "unknown(\(e.type))"
        }
    }

    static func compressionName(_ c: UInt8) -> String {
        CompressionType.knownName(c) ?? "unknown(\(c))"
    }

    /// Checksum bytes in disk order, as progs prints them: `0x` and two hex digits a byte.
    static func hexBytes(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = [UInt8(ascii: "0"), UInt8(ascii: "x")]
        for b in bytes { text.append(digits[Int(b >> 4)]); text.append(digits[Int(b & 15)]) }
        return String(decoding: text, as: UTF8.self)
    }
}
