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

    /// With `whenFull` the buffer is drained instead of grown (the tool's stdout: the renderers
    /// format into the memory write(2) is given): every byte reaches the owner once, in order,
    /// remembered timestamps included, and the memory stays the size it was given.
    @Test func whenFullDrainsInsteadOfGrowing() {
        let b = TextBuffer(capacity: 128), plain = TextBuffer(capacity: 128)
        var drained: [UInt8] = []
        var drains = 0
        b.whenFull = { full in drains += 1; full.drain { drained += $0 } }
        for i in 0..<3000 as Range<UInt64> {
            for t in [b, plain] {
                t.write("item "); t.write(i &* 0x9E37_79B9_7F4A_7C15); t.indent(Int(i % 4)); t.writeHex(i, width: 6)
                t.write(byte: 32)
                PythonText.writeTimeSpec(sec: 1_700_000_000 &+ i / 7, nsec: UInt32(i % 3) &* 1000, to: t)
                t.newline()
            }
        }
        b.drain { drained += $0 }
        #expect(drained == plain.bytes)
        #expect(b.capacity == 128 && drains > 1000)
        // A write bigger than the whole buffer: drained first, then grown to take it.
        let big = [UInt8](repeating: 65, count: 300)
        b.write("x")
        b.write(bytes: big)
        #expect(drained.last == 120 && b.bytes == big && b.capacity >= 300)
    }
}
