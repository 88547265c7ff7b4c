/// python-btrfs's size and flag spellings (its utils.py): pure functions, no I/O.
public enum PythonFormat {
    static let units: [UInt8] = Array("_KMGTPE".utf8)

    /// `btrfs.utils.pretty_size(size)`: binary units, two decimals (`1.50GiB`, `0.00B`, `512.00B`).
    public static func prettySize(_ size: UInt64) -> String {
        let b = TextBuffer(capacity: 16)
        writePrettySize(size, to: b)
        return b.text
    }

    /// `pretty_size` of a signed size: the usage report's allocatable_left goes below zero on a
    /// full filesystem. Python's unit loop never runs for a negative size, so it prints plain
    /// bytes of the size as a float: `-1024.00B`.
    public static func prettySize(_ size: Int) -> String {
        if size >= 0 { return prettySize(UInt64(size)) }
        return formatFixed2(Double(size)) + "B"
    }

    /// `pretty_size` written into `out`. Python divides as floats and prints with `{:.2f}`;
    /// this does the same double division and then rounds the exact binary value half-even.
    public static func writePrettySize(_ size: UInt64, to out: TextBuffer) {
        // Python's loop divides a copy by 1024 to find the unit, then divides the size once by
        // 1024 ** unit; dividing by a power of two is exact, so the loop's quotient is that one.
        var unitOffset = 0
        var q = Double(size)
        while q >= 1024 && unitOffset < units.count - 1 {
            unitOffset += 1
            q /= 1024
        }
        writeFixed2(q, to: out)
        if unitOffset > 0 {
            out.write(byte: units[unitOffset])
            out.write("iB")
        } else {
            out.write(byte: UInt8(ascii: "B"))
        }
    }

    /// `"{:.2f}".format(q)` for a finite non-negative double below 2^64 / 100.
    static func writeFixed2(_ q: Double, to out: TextBuffer) {
        let hundredths = roundedHundredths(q)
        out.write(hundredths / 100)
        out.write(byte: UInt8(ascii: "."))
        let frac = hundredths % 100
        out.write(byte: UInt8(truncatingIfNeeded: frac / 10) &+ 48)
        out.write(byte: UInt8(truncatingIfNeeded: frac % 10) &+ 48)
    }

    /// round_half_even(q * 100) computed on q's exact binary value (significand * 2^exponent).
    static func roundedHundredths(_ q: Double) -> UInt64 {
        guard q.isFinite, q > 0 else { return 0 }
        let exponent = Int(q.exponent) - Double.significandBitCount
        let significand = q.significandBitPattern | (q.isNormal ? (1 << UInt64(Double.significandBitCount)) : 0)
        let n = significand &* 100          // < 2^60
        if exponent >= 0 { return n << UInt64(exponent) }
        let shift = -exponent
        if shift >= 64 { return 0 }
        let whole = n >> UInt64(shift)
        let rem = n & ((1 << UInt64(shift)) &- 1)
        let half: UInt64 = 1 << UInt64(shift - 1)
        if rem > half || (rem == half && whole & 1 == 1) { return whole &+ 1 }
        return whole
    }

    /// python-btrfs's generic `flags_str`: known bits in ascending order joined by `|`,
    /// leftovers as `unknown(0x..)`, `none` for zero.
    static func writeFlags(_ flags: UInt64, _ table: [(UInt64, StaticString)], to out: TextBuffer) {
        var rest = flags
        var first = true
        for (bit, name) in table where rest & bit != 0 {
            if !first { out.write(byte: UInt8(ascii: "|")) }
            out.write(name)
            rest ^= bit
            first = false
        }
        if rest != 0 {
            if !first { out.write(byte: UInt8(ascii: "|")) }
            out.write("unknown(0x")
            out.writeHex(rest)
            out.write(byte: UInt8(ascii: ")"))
        } else if first {
            out.write("none")
        }
    }

    static func flagsString(_ flags: UInt64, _ table: [(UInt64, StaticString)]) -> String {
        let b = TextBuffer(capacity: 64)
        writeFlags(flags, table, to: b)
        return b.text
    }

    static let blockGroupFlagNames: [(UInt64, StaticString)] = [
        (BlockGroupFlags.data, "DATA"), (BlockGroupFlags.system, "SYSTEM"), (BlockGroupFlags.metadata, "METADATA"),
        (BlockGroupFlags.raid0, "RAID0"), (BlockGroupFlags.raid1, "RAID1"), (BlockGroupFlags.dup, "DUP"),
        (BlockGroupFlags.raid10, "RAID10"), (BlockGroupFlags.raid5, "RAID5"), (BlockGroupFlags.raid6, "RAID6"),
        (BlockGroupFlags.raid1c3, "RAID1C3"), (BlockGroupFlags.raid1c4, "RAID1C4"),
    ]
    static let extentFlagNames: [(UInt64, StaticString)] = [(1, "DATA"), (2, "TREE_BLOCK"), (1 << 8, "FULL_BACKREF")]
    static let inodeFlagNames: [(UInt64, StaticString)] = [
        (1 << 0, "NODATASUM"), (1 << 1, "NODATACOW"), (1 << 2, "READONLY"), (1 << 3, "NOCOMPRESS"),
        (1 << 4, "PREALLOC"), (1 << 5, "SYNC"), (1 << 6, "IMMUTABLE"), (1 << 7, "APPEND"), (1 << 8, "NODUMP"),
        (1 << 9, "NOATIME"), (1 << 10, "DIRSYNC"), (1 << 11, "COMPRESS"), (1 << 31, "ROOT_ITEM_INIT"),
    ]
    static let rootFlagNames: [(UInt64, StaticString)] = [(1, "RDONLY")]
    static let freeSpaceInfoFlagNames: [(UInt64, StaticString)] = [(1, "bitmaps")]

    /// `block_group_flags_str`: `METADATA|RAID1`, `DATA`, `none`.
    public static func blockGroupFlags(_ flags: UInt64) -> String { flagsString(flags, blockGroupFlagNames) }
    /// `blockGroupFlags`, written into `out` without building a String (the dumps' hot path).
    public static func writeBlockGroupFlags(_ flags: UInt64, to out: TextBuffer) { writeFlags(flags, blockGroupFlagNames, to: out) }
    /// `block_group_type_str`: the type bits only.
    public static func blockGroupType(_ flags: UInt64) -> String { blockGroupFlags(flags & BlockGroupFlags.typeMask) }
    /// `block_group_profile_str`: the profile bits only (`none` for single).
    public static func blockGroupProfile(_ flags: UInt64) -> String { blockGroupFlags(flags & BlockGroupFlags.profileMask) }
    /// `extent_flags_str`: `TREE_BLOCK|FULL_BACKREF`.
    public static func extentFlags(_ flags: UInt64) -> String { flagsString(flags, extentFlagNames) }
    /// `inode_flags_str`: `NODATASUM|NODATACOW`, `none`.
    public static func inodeFlags(_ flags: UInt64) -> String { flagsString(flags, inodeFlagNames) }
    /// `root_item_flags_str`: `RDONLY` or `none`.
    public static func rootItemFlags(_ flags: UInt64) -> String { flagsString(flags, rootFlagNames) }
    /// `free_space_info_flags_str`: `bitmaps` or `none`.
    public static func freeSpaceInfoFlags(_ flags: UInt64) -> String { flagsString(flags, freeSpaceInfoFlagNames) }

    /// `space_type_description`: Data, System, Metadata, Data+Metadata, GlobalReserve, unknown,
    /// spelled as progs spells them.
    public static func spaceType(_ flags: UInt64) -> String { ProfileNames.typeName(flags) }

    /// `space_profile_description`: single, RAID0, RAID1, RAID1C3, RAID1C4, RAID5, RAID6, DUP, RAID10, unknown.
    public static func spaceProfile(_ flags: UInt64) -> String {
        switch flags & BlockGroupFlags.profileMask {
        case 0: return "single"
        case BlockGroupFlags.raid0: return "RAID0"
        case BlockGroupFlags.raid1: return "RAID1"
        case BlockGroupFlags.raid1c3: return "RAID1C3"
        case BlockGroupFlags.raid1c4: return "RAID1C4"
        case BlockGroupFlags.raid5: return "RAID5"
        case BlockGroupFlags.raid6: return "RAID6"
        case BlockGroupFlags.dup: return "DUP"
        case BlockGroupFlags.raid10: return "RAID10"
        default: return "unknown"
        }
    }

    /// `space_flags_description`: `Metadata, RAID1`.
    public static func spaceFlags(_ flags: UInt64) -> String { "\(spaceType(flags)), \(spaceProfile(flags))" }

    /// `inode_mode_str`: `0` then at least five octal digits (`040755`, `0100644`).
    public static func writeInodeMode(_ mode: UInt32, to out: TextBuffer) {
        out.write(byte: 48)
        out.writeOctal(UInt64(mode), width: 5)
    }

    /// `compress_type_str`.
    public static func compressType(_ c: UInt8) -> StaticString { CompressionType.staticName(c) ?? "unknown" }

    /// `file_extent_type_str`.
    public static func fileExtentType(_ t: UInt8) -> StaticString {
        switch t { case 0: "inline"; case 1: "regular"; case 2: "prealloc"; default: "unknown" }
    }

    /// `dir_item_type_str`; python-btrfs raises KeyError past FT_XATTR, nil here.
    public static func dirItemType(_ t: UInt8) -> StaticString? {
        switch t {
        case 0: "UNKNOWN"; case 1: "FILE"; case 2: "DIR"; case 3: "CHRDEV"; case 4: "BLKDEV"
        case 5: "FIFO"; case 6: "SOCK"; case 7: "SYMLINK"; case 8: "XATTR"; default: nil
        }
    }

    /// `parse_pretty_size`: digits, optionally one of k M G T P E, optionally then `B` (powers of
    /// 1000) or `iB` (powers of 1024): `234MB`, `234MiB`, `1048576`. Throws for what python's regex
    /// refuses, and for a size past UInt64 (python's int has no limit).
    public static func parsePrettySize(_ text: String) throws -> UInt64 {
        let bad = BtrfsError.invalidArgument("literal cannot be parsed as pretty size")
        var u = Array(text.utf8)
        // python's `$` also matches before one final newline.
        if u.last == UInt8(ascii: "\n") { u.removeLast() }
        var i = 0
        var number: UInt64 = 0
        var overflow = false
        while i < u.count, u[i] >= 48, u[i] <= 57 {
            let (m, o1) = number.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(UInt64(u[i] &- 48))
            overflow = overflow || o1 || o2
            number = a
            i += 1
        }
        guard i > 0 else { throw bad }
        var power = 0
        var base: UInt64 = 1000
        if i < u.count {
            guard let at = "kMGTPE".utf8.firstIndex(of: u[i]) else { throw bad }
            power = "kMGTPE".utf8.distance(from: "kMGTPE".utf8.startIndex, to: at) + 1
            switch Array(u[(i + 1)...]) {
            case [], Array("B".utf8): base = 1000
            case Array("iB".utf8): base = 1024
            default: throw bad
            }
        }
        var result = number
        for _ in 0..<power {
            let (m, o) = result.multipliedReportingOverflow(by: base)
            overflow = overflow || o
            result = m
        }
        if overflow { throw BtrfsError.invalidArgument("size too large: \(text)") }
        return result
    }
}
