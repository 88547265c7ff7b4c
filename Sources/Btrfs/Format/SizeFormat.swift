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

/// The unit suffixes of pretty_size_mode, by the number of divisions.
private func suffix(binary: Bool, _ divisions: Int) -> StaticString {
    switch divisions {
    case 0: return "B"
    case 1: return binary ? "KiB" : "kB"
    case 2: return binary ? "MiB" : "MB"
    case 3: return binary ? "GiB" : "GB"
    case 4: return binary ? "TiB" : "TB"
    case 5: return binary ? "PiB" : "PB"
    default: return binary ? "EiB" : "EB"
    }
}

/// Room for any text prettySize and formatFixed2 write in place: a sign, 39 digits (below
/// 2^127), ".00" and a suffix.
private let fixedTextCapacity = 48

/// A size as btrfs-progs' pretty_size_mode prints it (common/units.c pretty_size_snprintf),
/// including its single-precision fraction: `Float(last) / Float(base)` printed with `%.2f`.
/// An unknown mode gives "" where progs asserts.
public func prettySize(_ size: UInt64, mode: UnitMode) -> String {
    var text = ""
    withPrettySize(size, mode: mode) { text = String(decoding: $0, as: UTF8.self) }
    return text
}

/// prettySize's text handed to `body` as bytes, without making a String (for output buffers).
/// Its digits are written in place on the stack: building it from `String(_:)` of integers and
/// concatenation ran the standard library's generic integer printing and string growth, a
/// dozen pages of code faulted in by a command that prints a few sizes (Docs/PERFORMANCE.md).
public func withPrettySize(_ size: UInt64, mode: UnitMode, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: fixedTextCapacity) { buffer in
        guard let out = buffer.baseAddress else { return body(UnsafeBufferPointer(start: nil, count: 0)) }
        let count = writePrettySize(size, mode: mode, to: out)
        body(UnsafeBufferPointer(start: out, count: count))
    }
}

/// prettySize into `out` (fixedTextCapacity bytes); answers how many bytes it wrote.
private func writePrettySize(_ size: UInt64, mode: UnitMode, to out: UnsafeMutablePointer<UInt8>) -> Int {
    let negative = mode.rawValue & UnitMode.negative.rawValue != 0
    let bits = mode.rawValue & ~UnitMode.negative.rawValue
    let kind = bits & ~UnitMode.baseMask
    if kind == UnitMode.raw.rawValue {
        let signed = Int64(bitPattern: size)
        guard negative && signed < 0 else { return writeDecimal(size, to: out) }
        out[0] = UInt8(ascii: "-")
        return 1 + writeDecimal(signed.magnitude, to: out + 1)
    }
    let multiplier: UInt64
    let binary = kind == UnitMode.binary.rawValue
    if binary {
        multiplier = 1024
    } else if kind == UnitMode.decimal.rawValue {
        multiplier = 1000
    } else {
        return 0
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
    guard divisions < 7 else { return 0 }
    let fraction: Float = negative
        ? Float(Int64(bitPattern: last)) / Float(base)
        : Float(last) / Float(base)
    // A float quotient of 64-bit values stays below 2^65, well inside writeFixed2's range.
    guard var count = writeFixed2(Double(fraction), to: out) else { return 0 }
    let unit = suffix(binary: binary, divisions)
    for i in 0..<unit.utf8CodeUnitCount {
        out[count] = unit.utf8Start[i]
        count += 1
    }
    return count
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
    return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: fixedTextCapacity) { buffer in
        guard let out = buffer.baseAddress, let count = writeFixed2(value, to: out) else {
            return vsnprintfFixed2(value)
        }
        return String(decoding: UnsafeBufferPointer(start: out, count: count), as: UTF8.self)
    }
}

/// `%.2f` of a finite `value` into `out` (fixedTextCapacity bytes): its exact binary value
/// rounded to hundredths, ties to even. Answers the bytes written, nil from 2^127 up.
private func writeFixed2(_ value: Double, to out: UnsafeMutablePointer<UInt8>) -> Int? {
    var count = 0
    if value.sign == .minus {
        out[0] = UInt8(ascii: "-")
        count = 1
    }
    let bits = value.bitPattern
    let exponentBits = Int((bits >> 52) & 0x7FF)
    let fractionBits = bits & 0xF_FFFF_FFFF_FFFF
    // value = significand * 2^exponent, exactly; trailing zero bits moved into the exponent.
    var significand = exponentBits == 0 ? fractionBits : fractionBits | (1 << 52)
    var exponent = exponentBits == 0 ? -1074 : exponentBits - 1075
    var hundredths: UInt64 = 0
    if significand != 0 {
        let zeros = significand.trailingZeroBitCount
        significand >>= zeros
        exponent += zeros
        if exponent >= 0 {
            let width = (64 - significand.leadingZeroBitCount) + exponent
            if width <= 64 {
                count += writeDecimal(significand << exponent, to: out + count)
            } else if width <= 127 {
                count += writeDecimal(UInt128(significand) << exponent, to: out + count)
            } else {
                return nil
            }
            return count + writeHundredths(0, to: out + count)
        }
        let shift = -exponent
        let scaled = significand * 100  // < 2^60
        // From 2^62 down the value is below 2^60 / 2^62 and rounds to zero (the half-way
        // point is above it).
        if shift < 62 {
            let quotient = scaled >> shift
            let remainder = scaled & ((1 << shift) - 1)
            let half: UInt64 = 1 << (shift - 1)
            let up = remainder > half || (remainder == half && quotient & 1 == 1)
            hundredths = up ? quotient + 1 : quotient
        }
    }
    count += writeDecimal(hundredths / 100, to: out + count)
    return count + writeHundredths(hundredths % 100, to: out + count)
}

/// "." and two digits of `hundredths` (below 100).
private func writeHundredths(_ hundredths: UInt64, to out: UnsafeMutablePointer<UInt8>) -> Int {
    out[0] = UInt8(ascii: ".")
    out[1] = 0x30 + UInt8(truncatingIfNeeded: hundredths / 10)
    out[2] = 0x30 + UInt8(truncatingIfNeeded: hundredths % 10)
    return 3
}

/// The decimal digits of `value` (at most 39) into `out`; answers how many.
private func writeDecimal<T: UnsignedInteger & FixedWidthInteger>(_ value: T, to out: UnsafeMutablePointer<UInt8>) -> Int {
    var digits = 1
    var probe = value / 10
    while probe != 0 {
        digits += 1
        probe /= 10
    }
    var rest = value
    for i in stride(from: digits - 1, through: 0, by: -1) {
        out[i] = 0x30 + UInt8(truncatingIfNeeded: rest % 10)
        rest /= 10
    }
    return digits
}

private func vsnprintfFixed2(_ value: Double) -> String {
    var buffer = [CChar](repeating: 0, count: 400)
    let n = withVaList([value]) { vsnprintf(&buffer, buffer.count, "%.2f", $0) }
    guard n > 0 else { return "" }
    return String(decoding: buffer.prefix(Int(n)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
