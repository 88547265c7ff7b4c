import Glibc

/// How btrfs-progs prints a size (common/units.h): a unit base in the low byte
/// (bytes, KiB.. TiB, or 0 for "pick the largest that fits") and a mode in the bits above
/// (raw, binary, decimal, and a negative flag). Kept as progs' bit values so combinations of
/// options compose exactly as progs composes them.
public struct UnitMode: RawRepresentable, Hashable, Sendable {
    /// progs' bits: unit base in the low byte, mode above.
    public var rawValue: UInt32
    /// A mode from progs' bits.
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    static let modeShift: UInt32 = 8
    /// The unit-base bits (low byte).
    public static let baseMask: UInt32 = (1 << 8) - 1

    // Unit bases (low byte).
    /// UNITS_BYTES … UNITS_TBYTES: a fixed unit base.
    public static let bytes = UnitMode(rawValue: 1)
    public static let kbytes = UnitMode(rawValue: 2)
    public static let mbytes = UnitMode(rawValue: 3)
    public static let gbytes = UnitMode(rawValue: 4)
    public static let tbytes = UnitMode(rawValue: 5)
    // Modes (bits above).
    /// UNITS_RAW, UNITS_BINARY, UNITS_DECIMAL, UNITS_NEGATIVE.
    public static let raw = UnitMode(rawValue: 1 << 8)
    public static let binary = UnitMode(rawValue: 2 << 8)
    public static let decimal = UnitMode(rawValue: 3 << 8)
    public static let negative = UnitMode(rawValue: 4 << 8)

    /// UNITS_HUMAN_BINARY and UNITS_HUMAN_DECIMAL: a mode with the largest unit that fits.
    public static let humanBinary = binary
    public static let humanDecimal = decimal
    /// progs' UNITS_DEFAULT: human readable, base 1024.
    public static let `default` = binary

    /// units_set_mode: keep the unit base, replace the mode.
    public mutating func setMode(_ mode: UnitMode) {
        rawValue = (rawValue & UnitMode.baseMask) | mode.rawValue
    }

    /// units_set_base: keep the mode, replace the unit base.
    public mutating func setBase(_ base: UnitMode) {
        rawValue = (rawValue & ~UnitMode.baseMask) | base.rawValue
    }

    /// This mode with the negative flag (sizes are read as signed).
    public var signed: UnitMode { UnitMode(rawValue: rawValue | UnitMode.negative.rawValue) }
}

private let binarySuffixes = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
private let decimalSuffixes = ["B", "kB", "MB", "GB", "TB", "PB", "EB"]

/// A size as btrfs-progs' pretty_size_mode prints it (common/units.c pretty_size_snprintf),
/// including its single-precision fraction: `Float(last) / Float(base)` printed with `%.2f`.
/// An unknown mode gives "" where progs asserts.
public func prettySize(_ size: UInt64, mode: UnitMode) -> String {
    let negative = mode.rawValue & UnitMode.negative.rawValue != 0
    let bits = mode.rawValue & ~UnitMode.negative.rawValue
    let kind = bits & ~UnitMode.baseMask
    if kind == UnitMode.raw.rawValue {
        return negative ? String(Int64(bitPattern: size)) : String(size)
    }
    let multiplier: UInt64
    let suffixes: [String]
    if kind == UnitMode.binary.rawValue {
        multiplier = 1024
        suffixes = binarySuffixes
    } else if kind == UnitMode.decimal.rawValue {
        multiplier = 1000
        suffixes = decimalSuffixes
    } else {
        return ""
    }
    var base = multiplier
    var divisions = 0
    var last = size
    switch bits & UnitMode.baseMask {
    case UnitMode.tbytes.rawValue:
        base = multiplier * multiplier * multiplier * multiplier
        divisions = 4
    case UnitMode.gbytes.rawValue:
        base = multiplier * multiplier * multiplier
        divisions = 3
    case UnitMode.mbytes.rawValue:
        base = multiplier * multiplier
        divisions = 2
    case UnitMode.kbytes.rawValue:
        divisions = 1
    case UnitMode.bytes.rawValue:
        base = 1
    default:
        if negative {
            var signedSize = Int64(bitPattern: size)
            var lastSigned = signedSize
            // progs negates in C, where -INT64_MIN stays negative: wrap the same way.
            while (signedSize < 0 ? 0 &- signedSize : signedSize) >= Int64(multiplier) {
                lastSigned = signedSize
                signedSize /= Int64(multiplier)
                divisions += 1
            }
            last = UInt64(bitPattern: lastSigned)
        } else {
            var remaining = size
            while remaining >= multiplier {
                last = remaining
                remaining /= multiplier
                divisions += 1
            }
        }
        if divisions == 0 { base = 1 }
    }
    guard divisions < suffixes.count else { return "" }
    let fraction: Float = negative
        ? Float(Int64(bitPattern: last)) / Float(base)
        : Float(last) / Float(base)
    return formatFixed2(fraction) + suffixes[divisions]
}

/// `%.2f` of a single-precision value, exactly as glibc's printf rounds it (the exact binary
/// value, ties to even). Done by hand: va_list formatting costs a runtime conformance lookup
/// that dominates a short command's run time. A float converts to a double exactly.
func formatFixed2(_ value: Float) -> String {
    formatFixed2(Double(value))
}

/// `%.2f` of a double, exactly as glibc's printf rounds it. Magnitudes of 2^127 and above (no
/// size or ratio comes near) are left to vsnprintf.
public func formatFixed2(_ value: Double) -> String {
    guard value.isFinite else { return value.isNaN ? "nan" : (value < 0 ? "-inf" : "inf") }
    let sign = value.sign == .minus ? "-" : ""
    let bits = value.bitPattern
    let exponentBits = Int((bits >> 52) & 0x7FF)
    let fractionBits = UInt128(bits & 0xF_FFFF_FFFF_FFFF)
    // value = significand * 2^exponent, exactly; trailing zero bits moved into the exponent.
    var significand = exponentBits == 0 ? fractionBits : fractionBits | (1 << 52)
    var exponent = exponentBits == 0 ? -1074 : exponentBits - 1075
    if significand == 0 { return sign + "0.00" }
    while significand & 1 == 0 {
        significand >>= 1
        exponent += 1
    }
    if exponent >= 0 {
        guard (128 - significand.leadingZeroBitCount) + exponent <= 127 else {
            return vsnprintfFixed2(value)
        }
        return sign + String(significand << exponent) + ".00"
    }
    let hundredths: UInt128
    let shift = -exponent
    let scaled = significand * 100  // < 2^60
    if shift >= 62 {
        // below 2^60 / 2^62: rounds to zero (the half-way point is above)
        hundredths = 0
    } else {
        let quotient = scaled >> shift
        let remainder = scaled & ((1 << shift) - 1)
        let half = UInt128(1) << (shift - 1)
        if remainder > half || (remainder == half && quotient & 1 == 1) {
            hundredths = quotient + 1
        } else {
            hundredths = quotient
        }
    }
    let fraction = Int(hundredths % 100)
    return sign + String(hundredths / 100) + (fraction < 10 ? ".0" : ".") + String(fraction)
}

private func vsnprintfFixed2(_ value: Double) -> String {
    var buffer = [CChar](repeating: 0, count: 400)
    let n = withVaList([value]) { vsnprintf(&buffer, buffer.count, "%.2f", $0) }
    guard n > 0 else { return "" }
    return String(decoding: buffer.prefix(Int(n)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
