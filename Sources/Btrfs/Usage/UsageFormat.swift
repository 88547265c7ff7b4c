#if canImport(Glibc)
import Glibc
#endif

/// python-btrfs's size and flag strings as its usage programs print them (`btrfs.utils`).
/// A private copy for the Usage reports until Format/PythonSizes.swift lands; then unify.
public enum UsageFormat {
    static let units: [UInt8] = Array("_KMGTPE".utf8)

    /// `pretty_size(size)`: binary units, two decimals ("1.50GiB", "0.00B", "512.00B").
    public static func prettySize(_ size: Int) -> String {
        if size == 0 { return "0.00B" }
        // Dividing by 1024 is exact in binary floating point, so stepping down one unit at a
        // time gives python's single `size / 1024**offset` bit for bit.
        var unitOffset = 0
        var value = Double(size)
        while value >= 1024 && unitOffset < units.count - 1 {
            unitOffset += 1
            value = value / 1024
        }
        let unit = unitOffset > 0 ? String(UnicodeScalar(units[unitOffset])) + "i" : ""
        return fixed2(value) + unit + "B"
    }

    /// `"%.2f"` of `value`, correctly rounded as python's format and glibc's printf both are
    /// (by hand, not through va_list: see `formatFixed2`).
    public static func fixed2(_ value: Double) -> String {
        formatFixed2(value)
    }

    /// `parse_pretty_size`: digits, optionally followed by one of k M G T P E, optionally
    /// followed by "B" (powers of 1000) or "iB" (powers of 1024); a bare unit letter is decimal.
    /// Nil when the text does not match or the size does not fit in 63 bits.
    public static func parsePrettySize(_ text: String) -> UInt64? {
        var bytes = Array(text.utf8)
        // python's `$` also matches before one final newline.
        if bytes.last == UInt8(ascii: "\n") { bytes.removeLast() }
        var i = 0
        var number: UInt64 = 0
        while i < bytes.count, bytes[i] >= UInt8(ascii: "0"), bytes[i] <= UInt8(ascii: "9") {
            let (m, o1) = number.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(UInt64(bytes[i] - UInt8(ascii: "0")))
            if o1 || o2 { return nil }
            number = a
            i += 1
        }
        guard i > 0 else { return nil }
        var multiplier: UInt64 = 1
        if i < bytes.count {
            let letters: [UInt8] = Array("kMGTPE".utf8)
            guard let at = letters.firstIndex(of: bytes[i]) else { return nil }
            i += 1
            var base: UInt64 = 1000
            let rest = Array(bytes[i...])
            if rest == Array("iB".utf8) { base = 1024 }
            else if rest != [] && rest != Array("B".utf8) { return nil }
            for _ in 0...at {
                let (m, o) = multiplier.multipliedReportingOverflow(by: base)
                if o { return nil }
                multiplier = m
            }
        }
        let (v, o) = number.multipliedReportingOverflow(by: multiplier)
        if o || v > UInt64(Int.max) { return nil }
        return v
    }

    static let flagNames: [(UInt64, String)] = [
        (BlockGroupFlags.data, "DATA"), (BlockGroupFlags.system, "SYSTEM"), (BlockGroupFlags.metadata, "METADATA"),
        (BlockGroupFlags.raid0, "RAID0"), (BlockGroupFlags.raid1, "RAID1"), (BlockGroupFlags.dup, "DUP"),
        (BlockGroupFlags.raid10, "RAID10"), (BlockGroupFlags.raid5, "RAID5"), (BlockGroupFlags.raid6, "RAID6"),
        (BlockGroupFlags.raid1c3, "RAID1C3"), (BlockGroupFlags.raid1c4, "RAID1C4"),
    ]

    /// `block_group_flags_str`: "DATA|RAID1", "SYSTEM", "unknown(0x…)" for stray bits, "none" for 0.
    public static func blockGroupFlagsString(_ flags: UInt64) -> String {
        var rest = flags
        var parts = [String]()
        for (bit, name) in flagNames where rest & bit != 0 {
            parts.append(name)
            rest ^= bit
        }
        if rest != 0 { parts.append("unknown(0x\(String(rest, radix: 16)))") }
        else if parts.isEmpty { parts.append("none") }
        return parts.joined(separator: "|")
    }

    /// `space_type_description`: "Data", "System", "Metadata", "Data+Metadata", "GlobalReserve".
    public static func spaceTypeDescription(_ flags: UInt64) -> String {
        switch flags & (BlockGroupFlags.typeMask | BlockGroupFlags.globalReserve) {
        case BlockGroupFlags.data: return "Data"
        case BlockGroupFlags.system: return "System"
        case BlockGroupFlags.metadata: return "Metadata"
        case BlockGroupFlags.mixed: return "Data+Metadata"
        case BlockGroupFlags.globalReserve: return "GlobalReserve"
        default: return "unknown"
        }
    }

    /// `space_profile_description`: "single", "RAID1", "DUP", … of the profile bits.
    public static func spaceProfileDescription(_ flags: UInt64) -> String {
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
}
