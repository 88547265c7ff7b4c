import Testing
@testable import Btrfs

@Suite struct TextBufferTests {
    @Test func numbersAsStringPrintsThem() {
        var values: [UInt64] = [0, 9, 10, 11, 99, 100, 101, 999, 1000, UInt64.max, UInt64.max - 1, 1 << 63]
        var p: UInt64 = 1
        for _ in 0..<19 { p *= 10; values += [p - 1, p, p + 1] }
        var rng = SystemRandomNumberGenerator()
        values += (0..<5000).map { _ in UInt64.random(in: 0...UInt64.max, using: &rng) >> UInt64.random(in: 0...63, using: &rng) }
        let b = TextBuffer(capacity: 8)   // small: growth on the way
        for v in values { b.write(v); b.write(byte: 32); b.writeHex(v, width: 3); b.write(byte: 32); b.writeOctal(v, width: 5); b.newline() }
        b.write(Int64(-42)); b.write(Int32.min)
        let expected = values.map { v -> String in
            let hex = String(v, radix: 16), oct = String(v, radix: 8)
            return "\(v) \(String(repeating: "0", count: max(0, 3 - hex.count)))\(hex) \(String(repeating: "0", count: max(0, 5 - oct.count)))\(oct)\n"
        }.joined() + "-42-2147483648"
        #expect(b.text == expected)
        var drained: [UInt8] = []
        b.drain { drained = Array($0) }
        #expect(drained == Array(expected.utf8) && b.count == 0)
    }
}
