import Foundation
import Testing
@testable import sbtrfs

/// strtoull against glibc's own, and progs' number parsers' messages.
struct NumberArgumentsTests {
    static let samples = ["0", "1", "42", "  7", "\t+9", "-1", "-0", "0x1f", "0X1F", "0x", "0xg", "017", "08",
                          "09", "019", "18446744073709551615", "18446744073709551616", "99999999999999999999999",
                          "-18446744073709551615", "0xffffffffffffffff", "0x10000000000000000", "", " ", "+", "-",
                          "12abc", "1e3", "12 ", "z", "0b101", "007", "0x0x1", "1k", "1K", "3g"]

    /// What glibc's strtoull makes of the bytes of `text`.
    static func glibcStrtoull(_ text: String, base: Int) -> StrtoullResult {
        errno = 0
        var end: UnsafeMutablePointer<CChar>? = nil
        let (value, consumed): (UInt64, Int) = text.withPathCString { start in
            let v = Foundation.strtoull(start, &end, Int32(base))
            return (UInt64(v), end.map { $0 - UnsafeMutablePointer(mutating: start) } ?? 0)
        }
        return StrtoullResult(value: value, consumed: consumed, overflow: errno == ERANGE)
    }

    @Test(arguments: [0, 10, 16, 8])
    func strtoullMatchesGlibc(_ base: Int) {
        for text in Self.samples {
            #expect(strtoull(text, base: base) == Self.glibcStrtoull(text, base: base), "strtoull(\"\(text)\", \(base))")
        }
    }

    func message(_ body: () throws -> UInt64) -> String {
        do {
            return "value \(try body())"
        } catch let CommandExit.error(text) {
            return text
        } catch {
            return "other \(error)"
        }
    }

    @Test func argStrtou64AsProgs() {
        #expect(message { try argStrtou64("0x10") } == "value 16")
        #expect(message { try argStrtou64("010") } == "value 8")
        #expect(message { try argStrtou64("12a") } == "12a is not a valid numeric value")
        #expect(message { try argStrtou64("-5") } == "-5: negative value is invalid")
        #expect(message { try argStrtou64("18446744073709551615") } == "18446744073709551615 is too large")
        #expect(message { try argStrtou64("99999999999999999999") } == "99999999999999999999 is too large")
        #expect(message { try argStrtou64("") } == "value 0")
        #expect(parseU64("12") == 12)
        #expect(parseU64("0x12") == nil)
        #expect(parseU64("") == 0)
    }

    @Test func sizesAsProgs() {
        #expect(message { try parseSizeFromString("4096") } == "value 4096")
        #expect(message { try parseSizeFromString("1k") } == "value 1024")
        #expect(message { try parseSizeFromString("2M") } == "value 2097152")
        #expect(message { try parseSizeFromString("3b") } == "value 3")
        #expect(message { try parseSizeFromString("16e") } == "size value '16e' is too large for u64")
        #expect(message { try parseSizeFromString("15e") } == "value \(UInt64(15) << 60)")
        #expect(message { try parseSizeFromString("1x") } == "unknown size descriptor 'x'")
        #expect(message { try parseSizeFromString("1kb") } == "illegal suffix contains character 'b' in wrong position")
        #expect(message { try parseSizeFromString("-1") } == "size value '-1' is less equal than 0")
        #expect(message { try parseSizeFromString("k") } == "size value 'k' is invalid")
        #expect(message { try parseSizeFromString("99999999999999999999") } == "size value '99999999999999999999' is too large for u64")
    }
}
