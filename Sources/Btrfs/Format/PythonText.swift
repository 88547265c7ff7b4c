#if canImport(Glibc)
import Glibc
#endif

/// Pieces of python-btrfs's text: names as `embedded_text_for_str` shows them, bytes as Python's
/// `repr`, timestamps as `TimeSpec.__str__`.
public enum PythonText {
    /// `embedded_text_for_str`: `<empty>`, `utf-8 '<text>'` when the bytes are valid UTF-8 (written
    /// as they are), else `raw '<repr(bytes)>'`.
    public static func writeEmbeddedText(_ bytes: UnsafeRawBufferPointer, to out: TextBuffer) {
        if bytes.isEmpty { out.write("<empty>"); return }
        if isValidUTF8(bytes) {
            out.write("utf-8 '")
            out.write(bytes: bytes)
            out.write(byte: UInt8(ascii: "'"))
        } else {
            out.write("raw '")
            writeBytesRepr(bytes, to: out)
            out.write(byte: UInt8(ascii: "'"))
        }
    }

    /// python-btrfs `utils.embedded_text_for_str(bytes)` as a string.
    public static func embeddedText(_ bytes: [UInt8]) -> String {
        let b = TextBuffer(capacity: bytes.count * 4 + 16)
        bytes.withUnsafeBytes { writeEmbeddedText($0, to: b) }
        return b.text
    }

    /// Python's `repr(bytes)`: `b'..'` (or `b".."` when only single quotes occur), with \t \n \r,
    /// \\, the quote escaped and everything outside printable ASCII as \xhh.
    public static func writeBytesRepr(_ bytes: UnsafeRawBufferPointer, to out: TextBuffer) {
        let quote: UInt8 = bytes.contains(UInt8(ascii: "'")) && !bytes.contains(UInt8(ascii: "\"")) ? UInt8(ascii: "\"") : UInt8(ascii: "'")
        out.write(byte: UInt8(ascii: "b"))
        out.write(byte: quote)
        for c in bytes {
            switch c {
            case quote, UInt8(ascii: "\\"): out.write(byte: UInt8(ascii: "\\")); out.write(byte: c)
            case 9: out.write("\\t")
            case 10: out.write("\\n")
            case 13: out.write("\\r")
            case 0x20..<0x7f: out.write(byte: c)
            default: out.write("\\x"); out.writeHex(UInt64(c), width: 2)
            }
        }
        out.write(byte: quote)
    }

    /// Strict UTF-8 as Python's decoder checks it: no overlong forms, no surrogates, nothing past U+10FFFF.
    public static func isValidUTF8(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var i = 0
        let n = bytes.count
        while i < n {
            let c = bytes[i]
            if c < 0x80 { i &+= 1; continue }
            var need = 0
            var lo: UInt8 = 0x80, hi: UInt8 = 0xbf
            switch c {
            case 0xc2...0xdf: need = 1
            case 0xe0: need = 2; lo = 0xa0
            case 0xe1...0xec, 0xee, 0xef: need = 2
            case 0xed: need = 2; hi = 0x9f
            case 0xf0: need = 3; lo = 0x90
            case 0xf1...0xf3: need = 3
            case 0xf4: need = 3; hi = 0x8f
            default: return false
            }
            guard n &- i > need else { return false }
            let c1 = bytes[i &+ 1]
            guard c1 >= lo && c1 <= hi else { return false }
            var k = 2
            while k <= need {
                let ck = bytes[i &+ k]
                guard ck >= 0x80 && ck <= 0xbf else { return false }
                k &+= 1
            }
            i &+= need &+ 1
        }
        return true
    }

    /// `TimeSpec.__str__`: `sec.nsec (iso8601)`. python-btrfs builds the float from the text
    /// "sec.nsec" (nsec not zero-padded) and lets datetime round it to microseconds half-even;
    /// the same double steps happen here.
    /// A timestamp's text depends on nothing else, and runs of equal ones are common: the last
    /// one is remembered (TextBuffer.writeRemembered; its gain on its own is not yet measured).
    public static func writeTimeSpec(sec: UInt64, nsec: UInt32, to out: TextBuffer) {
        out.writeRemembered(sec: sec, nsec: nsec) { out in
            out.write(sec)
            out.write(byte: UInt8(ascii: "."))
            out.write(nsec)
            out.write(" (")
            writeISO8601(sec: sec, nsec: nsec, to: out)
            out.write(byte: UInt8(ascii: ")"))
        }
    }

    /// `datetime.utcfromtimestamp(float("sec.nsec")).isoformat()`.
    public static func writeISO8601(sec: UInt64, nsec: UInt32, to out: TextBuffer) {
        let d = pythonFloat(sec: sec, nsec: nsec)
        var whole = 0.0
        var frac = modf(d, &whole)
        frac *= 1e6
        frac = frac.rounded(.toNearestOrEven)
        if frac >= 1e6 { frac -= 1e6; whole += 1 }
        guard whole < 9.2e18 else { out.write("out of range"); return }
        let seconds = Int64(whole)
        let micro = Int(frac)
        let days = seconds / 86400
        let secOfDay = Int(seconds % 86400)
        let (y, m, dd) = civilFromDays(days)
        out.writeUnsignedPadded(UInt64(clamping: y), width: 4)
        out.write(byte: UInt8(ascii: "-"))
        out.writeUnsignedPadded(UInt64(m), width: 2)
        out.write(byte: UInt8(ascii: "-"))
        out.writeUnsignedPadded(UInt64(dd), width: 2)
        out.write(byte: UInt8(ascii: "T"))
        out.writeUnsignedPadded(UInt64(secOfDay / 3600), width: 2)
        out.write(byte: UInt8(ascii: ":"))
        out.writeUnsignedPadded(UInt64(secOfDay / 60 % 60), width: 2)
        out.write(byte: UInt8(ascii: ":"))
        out.writeUnsignedPadded(UInt64(secOfDay % 60), width: 2)
        if micro != 0 {
            out.write(byte: UInt8(ascii: "."))
            out.writeUnsignedPadded(UInt64(micro), width: 6)
        }
    }

    /// `float("{sec}.{nsec}")`, correctly rounded by strtod, without building a String.
    static func pythonFloat(sec: UInt64, nsec: UInt32) -> Double {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: 40) { buf in
            var i = 0
            func put(_ v: UInt64) {
                var tmp = v
                var n = 1
                while tmp >= 10 { tmp /= 10; n += 1 }
                var j = i + n
                tmp = v
                repeat { j -= 1; buf[j] = CChar(48 + Int(tmp % 10)); tmp /= 10 } while tmp != 0
                i += n
            }
            put(sec)
            buf[i] = CChar(UInt8(ascii: ".")); i += 1
            put(UInt64(nsec))
            buf[i] = 0
            guard let base = buf.baseAddress else { return 0 }
            return strtod(base, nil)
        }
    }

    /// Proleptic Gregorian date of a day count since 1970-01-01 (Howard Hinnant's algorithm).
    static func civilFromDays(_ z0: Int64) -> (Int64, Int, Int) {
        let z = z0 + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = Int(doy - (153 * mp + 2) / 5 + 1)
        let m = Int(mp < 10 ? mp + 3 : mp - 9)
        return (m <= 2 ? y + 1 : y, m, d)
    }
}

extension TextBuffer {
    /// Decimal digits zero-padded to `width`.
    public func writeUnsignedPadded(_ value: UInt64, width: Int) {
        var digits = 1
        var v = value
        while v >= 10 { v /= 10; digits += 1 }
        for _ in 0..<Swift.max(width - digits, 0) { write(byte: 48) }
        writeUnsigned(value)
    }
}
