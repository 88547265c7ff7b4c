/// Numbers from the command line as btrfs-progs reads them (strtoull and its callers in
/// common/string-utils.c and common/parse-utils.c), with progs' messages; they throw, never trap.

import Btrfs

/// What C's strtoull makes of `text`.
struct StrtoullResult: Equatable {
    var value: UInt64
    /// Bytes of `text` consumed; 0 when no number was found (endptr == text).
    var consumed: Int
    /// The number did not fit (C: ULLONG_MAX and errno ERANGE).
    var overflow: Bool
}

/// strtoull(3): leading white space, an optional sign (a minus negates modulo 2^64), then digits
/// in `base` (0: `0x` hex, `0` octal, else decimal; 16 also takes `0x`).
func strtoull(_ text: String, base: Int) -> StrtoullResult {
    let bytes = text.pathBytes
    var at = 0
    while at < bytes.count, bytes[at] == 0x20 || (0x09...0x0D).contains(bytes[at]) { at += 1 }
    var negative = false
    if at < bytes.count, bytes[at] == UInt8(ascii: "+") || bytes[at] == UInt8(ascii: "-") {
        negative = bytes[at] == UInt8(ascii: "-")
        at += 1
    }
    var radix = base
    func isHexPrefix(_ i: Int) -> Bool {
        i + 2 < bytes.count + 0 && bytes[i] == UInt8(ascii: "0")
            && (bytes[i + 1] | 0x20) == UInt8(ascii: "x") && digit(bytes[i + 2], 16) != nil
    }
    if (radix == 0 || radix == 16) && isHexPrefix(at) {
        radix = 16
        at += 2
    } else if radix == 0 {
        radix = at < bytes.count && bytes[at] == UInt8(ascii: "0") ? 8 : 10
    }
    let start = at
    var value: UInt64 = 0
    var overflow = false
    while at < bytes.count, let d = digit(bytes[at], radix) {
        let (times, o1) = value.multipliedReportingOverflow(by: UInt64(radix))
        let (sum, o2) = times.addingReportingOverflow(UInt64(d))
        if o1 || o2 { overflow = true }
        value = sum
        at += 1
    }
    if at == start { return StrtoullResult(value: 0, consumed: 0, overflow: false) }
    if overflow { return StrtoullResult(value: .max, consumed: at, overflow: true) }
    return StrtoullResult(value: negative ? 0 &- value : value, consumed: at, overflow: false)
}

private func digit(_ byte: UInt8, _ radix: Int) -> Int? {
    let d: Int
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): d = Int(byte - UInt8(ascii: "0"))
    case UInt8(ascii: "a")...UInt8(ascii: "z"): d = Int(byte - UInt8(ascii: "a")) + 10
    case UInt8(ascii: "A")...UInt8(ascii: "Z"): d = Int(byte - UInt8(ascii: "A")) + 10
    default: return nil
    }
    return d < radix ? d : nil
}

/// progs' arg_strtou64: any base strtoull takes, the whole argument, not negative, not ULLONG_MAX.
func argStrtou64(_ text: String) throws -> UInt64 {
    let parsed = strtoull(text, base: 0)
    if parsed.consumed != text.pathByteCount { throw CommandExit.error("\(text) is not a valid numeric value") }
    if text.hasPrefix("-") { throw CommandExit.error("\(text): negative value is invalid") }
    if parsed.value == .max { throw CommandExit.error("\(text) is too large") }
    return parsed.value
}

/// progs' parse_u64: a whole decimal argument (an empty one is 0, as in progs), else nil.
func parseU64(_ text: String) -> UInt64? {
    let parsed = strtoull(text, base: 10)
    return parsed.consumed == text.pathByteCount ? parsed.value : nil
}

/// progs' parse_size_from_string: a decimal number with an optional one-letter binary suffix
/// (b k m g t p e, any case).
func parseSizeFromString(_ text: String) throws -> UInt64 {
    if text.hasPrefix("-") { throw CommandExit.error("size value '\(text)' is less equal than 0") }
    let parsed = strtoull(text, base: 10)
    if parsed.consumed == 0 { throw CommandExit.error("size value '\(text)' is invalid") }
    let suffix = Array(text.pathBytes.dropFirst(parsed.consumed))
    if suffix.count > 1 {
        throw CommandExit.error(
            "illegal suffix contains character '\(String(pathBytes: [suffix[1]]))' in wrong position")
    }
    if parsed.overflow { throw CommandExit.error("size value '\(text)' is too large for u64") }
    var multiplier: UInt64 = 1
    if let letter = suffix.first {
        let lower = (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(letter) ? letter | 0x20 : letter
        guard let power = Array("bkmgtpe".utf8).firstIndex(of: lower) else {
            throw CommandExit.error("unknown size descriptor '\(String(pathBytes: [lower]))'")
        }
        multiplier = 1 << (10 * UInt64(power))
    }
    // progs: fls64(ret) + fls64(mult) - 1 > 64
    let bits = { (v: UInt64) in 64 - v.leadingZeroBitCount }
    if bits(parsed.value) + bits(multiplier) - 1 > 64 {
        throw CommandExit.error("size value '\(text)' is too large for u64")
    }
    return parsed.value &* multiplier
}

/// A whole plain decimal number that fits in 64 bits (digits only: no sign, no space), else nil:
/// for the arguments of python-btrfs's programs, which become unsigned 64-bit fields.
func parseDecimalU64(_ text: String) -> UInt64? {
    let bytes = text.pathBytes
    guard !bytes.isEmpty else { return nil }
    var value: UInt64 = 0
    for byte in bytes {
        guard byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") else { return nil }
        let (times, o1) = value.multipliedReportingOverflow(by: 10)
        let (sum, o2) = times.addingReportingOverflow(UInt64(byte - UInt8(ascii: "0")))
        if o1 || o2 { return nil }
        value = sum
    }
    return value
}
