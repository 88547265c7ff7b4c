/// The unit python-btrfs's `pretty_size` is asked to print in (its `unit` argument: `''` or one of
/// `kMGTPE`).
public enum PrettySizeUnit: Sendable, CaseIterable {
    /// `unit=''`: the plain number of bytes, no decimals, no suffix.
    case bytes
    case kilo, mega, giga, tera, peta, exa

    /// Power of the base; python-btrfs's index in `'_KMGTPE'`.
    var power: Int {
        switch self {
        case .bytes: 0
        case .kilo: 1
        case .mega: 2
        case .giga: 3
        case .tera: 4
        case .peta: 5
        case .exa: 6
        }
    }
}

extension PythonFormat {
    /// `btrfs.utils.pretty_size(size, unit, binary)`: in the unit given (else the largest binary
    /// unit below the size), divided by powers of 1024 (`binary`, `1.50GiB`) or of 1000 (`1.61GB`,
    /// `1.61kB`). As python-btrfs does, an automatic unit is chosen by powers of 1024 even when
    /// dividing by 1000, and 0 is `0.00B` either way.
    public static func prettySize(_ size: UInt64, unit: PrettySizeUnit?, binary: Bool = true) -> String {
        if unit == .bytes { return String(size) }
        var base: UInt64 = binary ? 1024 : 1000
        var power = 0
        var letter: UInt8?
        if let unit {
            power = unit.power
            letter = units[power]
            if unit == .kilo && !binary { letter = UInt8(ascii: "k") }
        } else if size == 0 {
            base = 1000
        } else {
            var tmp = Double(size)
            while tmp >= 1024 && power < units.count - 1 {
                power += 1
                tmp /= 1024
            }
            if power > 0 { letter = units[power] }
        }
        var divisor: UInt64 = 1
        for _ in 0..<power { divisor &*= base }
        let out = TextBuffer(capacity: 24)
        writeFixed2(quotient(size, divisor), to: out)
        if let letter { out.write(byte: letter) }
        if base == 1024 && letter != nil { out.write(byte: UInt8(ascii: "i")) }
        out.write(byte: UInt8(ascii: "B"))
        return out.text
    }

    /// `n / d` rounded once to the nearest double, as Python divides two ints. `Double(n) / Double(d)`
    /// rounds twice when n has more than 53 bits and d is not a power of two (d, a power of 1000 up
    /// to 10^18, is itself exact).
    static func quotient(_ n: UInt64, _ d: UInt64) -> Double {
        if n < 1 << 53 || d & (d &- 1) == 0 { return Double(n) / Double(d) }
        // n * 2^64 / d has more than 53 bits (n >= 2^53, d < 2^60): keep 53, round half to even,
        // the remainder of the division counting as a sticky bit.
        let (q, r) = (UInt128(n) << 64).quotientAndRemainder(dividingBy: UInt128(d))
        let shift = (128 - q.leadingZeroBitCount) - 53
        var mantissa = UInt64(truncatingIfNeeded: q >> shift)
        let rest = q & ((1 << shift) - 1)
        let half = UInt128(1) << (shift - 1)
        if rest > half || (rest == half && (r != 0 || mantissa & 1 == 1)) { mantissa += 1 }
        return Double(sign: .plus, exponent: shift - 64, significand: Double(mantissa))
    }

    /// python-btrfs's generic `flags_str(flags, flags_str_map)`: the names of the set bits in
    /// ascending bit order joined by `|`, what is left as `unknown(0x…)`, `none` for zero.
    public static func flagsString(_ flags: UInt64, names: [(flag: UInt64, name: String)]) -> String {
        var rest = flags
        var parts: [String] = []
        for (flag, name) in names.sorted(by: { $0.flag < $1.flag }) where rest & flag != 0 {
            parts.append(name)
            rest ^= flag
        }
        if rest != 0 {
            parts.append("unknown(0x" + String(rest, radix: 16) + ")")
        } else if parts.isEmpty {
            parts.append("none")
        }
        return parts.joined(separator: "|")
    }
}
