import Foundation
import Testing
import TestRig
@testable import Btrfs

/// The lossless bytes <-> String mapping for paths and names.
struct PathBytesTests {
    func scalars(_ text: String) -> [UInt32] { text.unicodeScalars.map(\.value) }
    func escaped(_ bytes: UInt8...) -> [UInt32] { bytes.map { 0x10FF00 + UInt32($0) } }

    /// Random byte strings biased towards the interesting parts: ASCII, valid multi-byte UTF-8
    /// (the escapes' own encoding among it), broken sequences and any byte at all.
    static func randomBytes<G: RandomNumberGenerator>(using rng: inout G) -> [UInt8] {
        var bytes: [UInt8] = []
        for _ in 0..<Int.random(in: 0...12, using: &rng) {
            switch Int.random(in: 0..<7, using: &rng) {
            case 0: bytes.append(UInt8.random(in: 0x20...0x7E, using: &rng))
            case 1: bytes.append(UInt8.random(in: 0x80...0xFF, using: &rng))
            case 2: bytes.append(UInt8.random(in: 0...0xFF, using: &rng))
            case 3:  // an escape's own UTF-8, or its neighbours U+10FF00...U+10FF7F
                bytes += [0xF4, 0x8F, UInt8.random(in: 0xBC...0xBF, using: &rng), UInt8.random(in: 0x80...0xBF, using: &rng)]
            case 4:  // any valid scalar
                var scalar: Unicode.Scalar? = nil
                while scalar == nil { scalar = Unicode.Scalar(UInt32.random(in: 0...0x10FFFF, using: &rng)) }
                bytes += Array(String(scalar ?? "x").utf8)
            case 5:  // a valid multi-byte sequence cut short
                let full = Array(String(Unicode.Scalar(UInt32.random(in: 0x80...0xD7FF, using: &rng)) ?? "x").utf8)
                bytes += full.prefix(Int.random(in: 1...max(1, full.count - 1), using: &rng))
            default:  // lead bytes that are never valid, and plane 16
                bytes.append([0xC0, 0xC1, 0xF5, 0xFF, 0xF4, 0xED, 0xE0, 0xF0].randomElement(using: &rng) ?? 0xC0)
            }
        }
        return bytes
    }

    @Test func roundTripOverRandomBytes() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<50_000 {
            let bytes = Self.randomBytes(using: &rng)
            let text = String(pathBytes: bytes)
            #expect(text.pathBytes == bytes, "\(bytes)")
            #expect(text.pathByteCount == bytes.count)
            // what a decoded String encodes to decodes to the same scalars
            #expect(scalars(String(pathBytes: text.pathBytes)) == scalars(text))
            if !bytes.contains(0) {
                let viaC = text.withPathCString { Array(UnsafeBufferPointer(start: $0, count: strlen($0))) }
                #expect(viaC.map { UInt8(bitPattern: $0) } == bytes)
            }
        }
    }

    /// Every byte string of length 0...2 and every 3-byte string from a set of interesting bytes.
    @Test func roundTripExhaustiveShort() {
        var all: [[UInt8]] = [[]]
        for a in 0...255 { all.append([UInt8(a)]) }
        for a in 0...255 { for b in 0...255 { all.append([UInt8(a), UInt8(b)]) } }
        let picks: [UInt8] = [0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0xA0, 0xBE, 0xBF, 0xC0, 0xC2, 0xDF, 0xE0,
                              0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF]
        for a in picks { for b in picks { for c in picks { for d in picks { all.append([a, b, c, d]) } } } }
        for bytes in all {
            let text = String(pathBytes: bytes)
            if text.pathBytes != bytes { Issue.record("round trip of \(bytes) gives \(text.pathBytes)") }
        }
    }

    /// Where it is valid and outside the escapes, the decoding is Swift's own UTF-8 decoding.
    @Test func validUTF8DecodesAsSwiftDoes() {
        var rng = SystemRandomNumberGenerator()
        var checked = 0
        for _ in 0..<20_000 {
            let bytes = Self.randomBytes(using: &rng)
            guard let swift = String(validating: bytes, as: UTF8.self) else { continue }
            guard !swift.unicodeScalars.contains(where: { PathBytes.escapes.contains($0.value) }) else { continue }
            #expect(scalars(String(pathBytes: bytes)) == scalars(swift))
            checked += 1
        }
        #expect(checked > 1000)
    }

    /// Python's surrogateescape is the reference for which bytes are escaped: U+DC80 + b there,
    /// U+10FF00 + b here, plus our escaping of a valid U+10FF80...U+10FFFF byte by byte.
    @Test func escapesTheBytesPythonsSurrogateescapeEscapes() throws {
        var rng = SystemRandomNumberGenerator()
        let samples = (0..<3000).map { _ in Self.randomBytes(using: &rng) }
        let input = samples.map { $0.map { String(format: "%02x", $0) }.joined() }.joined(separator: "\n") + "\n"
        let script = """
            import sys
            for line in sys.stdin.read().split("\\n")[:-1]:
                s = bytes.fromhex(line).decode("utf-8", "surrogateescape")
                print(" ".join("x%x" % (ord(c) - 0xDC00) if 0xDC80 <= ord(c) <= 0xDCFF else "%x" % ord(c)
                               for c in s))
            """
        let r = try Rig.python(script, stdin: Array(input.utf8))
        try #require(r.status == 0, "\(r)")
        let lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        try #require(lines.count == samples.count + 1)
        for (bytes, line) in zip(samples, lines) {
            var expected: [UInt32] = []
            for token in line.split(separator: " ") {
                if token.hasPrefix("x"), let byte = UInt32(token.dropFirst(), radix: 16) {
                    expected.append(0x10FF00 + byte)
                } else if let scalar = UInt32(token, radix: 16) {
                    if PathBytes.escapes.contains(scalar) {
                        expected += Array(String(Unicode.Scalar(scalar) ?? "x").utf8).map { 0x10FF00 + UInt32($0) }
                    } else {
                        expected.append(scalar)
                    }
                } else {
                    Issue.record("python printed \(token)")
                }
            }
            #expect(scalars(String(pathBytes: bytes)) == expected, "\(bytes)")
        }
    }

    @Test func specificSequences() {
        // lone continuation bytes
        #expect(scalars(String(pathBytes: [0x80])) == escaped(0x80))
        #expect(scalars(decodePathBytes([0x80, 0x41][...])) == escaped(0x80) + [0x41])
        #expect(scalars(String(pathBytes: [0x41, 0xBF, 0x42])) == [0x41] + escaped(0xBF) + [0x42])
        // overlong forms of '/' and of U+0000, surrogate U+D800, past U+10FFFF, never-valid bytes
        #expect(scalars(String(pathBytes: [0xC0, 0xAF])) == escaped(0xC0, 0xAF))
        #expect(scalars(String(pathBytes: [0xE0, 0x80, 0xAF])) == escaped(0xE0, 0x80, 0xAF))
        #expect(scalars(String(pathBytes: [0xF0, 0x80, 0x80, 0xAF])) == escaped(0xF0, 0x80, 0x80, 0xAF))
        #expect(scalars(String(pathBytes: [0xC0, 0x80])) == escaped(0xC0, 0x80))
        #expect(scalars(String(pathBytes: [0xED, 0xA0, 0x80])) == escaped(0xED, 0xA0, 0x80))
        #expect(scalars(String(pathBytes: [0xF4, 0x90, 0x80, 0x80])) == escaped(0xF4, 0x90, 0x80, 0x80))
        #expect(scalars(String(pathBytes: [0xF5, 0xFE, 0xFF])) == escaped(0xF5, 0xFE, 0xFF))
        // truncated multi-byte sequences at the end
        #expect(scalars(String(pathBytes: [0x63, 0xC3])) == [0x63] + escaped(0xC3))
        #expect(scalars(String(pathBytes: [0xE2, 0x82])) == escaped(0xE2, 0x82))
        #expect(scalars(String(pathBytes: [0x61, 0xF0, 0x9F, 0x98])) == [0x61] + escaped(0xF0, 0x9F, 0x98))
        // truncated in the middle: the ASCII after it is itself
        #expect(scalars(String(pathBytes: [0xE2, 0x82, 0x41])) == escaped(0xE2, 0x82) + [0x41])
        // Latin-1 "café" (not UTF-8)
        #expect(scalars(String(pathBytes: Array("caf".utf8) + [0xE9])) == [0x63, 0x61, 0x66] + escaped(0xE9))
        // valid multi-byte: plain Strings, equal to the literal, same storage bytes
        for text in ["café", "€", "😀", "日本語/ディレクトリ", "\u{10FF7F}", "\u{100000}", ""] {
            let decoded = String(pathBytes: Array(text.utf8))
            #expect(scalars(decoded) == scalars(text))
            #expect(Array(decoded.utf8) == Array(text.utf8))
            #expect(decoded.pathBytes == Array(text.utf8))
        }
        // the escapes' own UTF-8: escaped byte by byte, so they come back as those 4 bytes
        #expect(scalars(String(pathBytes: [0xF4, 0x8F, 0xBF, 0xBF])) == escaped(0xF4, 0x8F, 0xBF, 0xBF))
        #expect(scalars(String(pathBytes: [0xF4, 0x8F, 0xBE, 0x80])) == escaped(0xF4, 0x8F, 0xBE, 0x80))
        #expect(String(pathBytes: [0xF4, 0x8F, 0xBF, 0xBF]).pathBytes == [0xF4, 0x8F, 0xBF, 0xBF])
        // just below them: a plain scalar
        #expect(scalars(String(pathBytes: [0xF4, 0x8F, 0xBD, 0xBF])) == [0x10FF7F])
    }

    @Test func stringSide() {
        // a String not from decoding: an escape scalar stands for its byte (documented)
        #expect("a\u{10FFFF}".pathBytes == [0x61, 0xFF])
        #expect("\u{10FF80}\u{10FFE9}".pathByteCount == 2)
        // other plane-16 scalars are UTF-8 as usual
        #expect("\u{10FF7F}".pathBytes == [0xF4, 0x8F, 0xBD, 0xBF])
        #expect("\u{10FFFF}".withPathCString { strlen($0) } == 1)
    }

    /// ASCII (NUL included) never escapes; a NUL in the String is a NUL byte, where C's strings end.
    @Test func nul() {
        #expect(String(pathBytes: [0x61, 0x00, 0xFF]).pathBytes == [0x61, 0x00, 0xFF])
        #expect(scalars(String(pathBytes: [0x00])) == [0])
        #expect("a\u{0}b".withPathCString { strlen($0) } == 1)
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<10_000 {
            let bytes = Self.randomBytes(using: &rng).filter { $0 != 0 }
            let text = String(pathBytes: bytes)
            #expect(!text.unicodeScalars.contains("\u{0}") && !text.pathBytes.contains(0))
        }
    }

    @Test func cString() {
        let raw: [CChar] = [0x2F, 0x6D, -1, -2, 0x00, 0x41].map { CChar(truncatingIfNeeded: $0) }
        let text = raw.withUnsafeBufferPointer { $0.baseAddress.map { String(pathCString: $0) } }
        #expect(text?.pathBytes == [0x2F, 0x6D, 0xFF, 0xFE])
    }

    /// Descriptor goes by the bytes: a directory whose name is not UTF-8 is found, and a missing one
    /// is reported with its own name.
    @Test func descriptorUsesTheBytes() throws {
        let base = FileManager.default.temporaryDirectory.path + "/sbtrfs-pathbytes-\(getpid())"
        let name = String(pathBytes: Array(base.utf8) + [0xFF, 0x63, 0xE9])
        try #require(name.withPathCString { mkdir($0, 0o700) } == 0)
        defer { _ = name.withPathCString { rmdir($0) } }
        // /tmp is not btrfs here (or is, on some boxes): either way not "cannot access"
        do {
            _ = try Descriptor(path: name)
        } catch let error as BtrfsError {
            if case .cannotAccess = error { Issue.record("\(error)") }
        }
        let missing = String(pathBytes: Array(base.utf8) + [0xFE])
        #expect(throws: BtrfsError.cannotAccess(path: missing, errno: ENOENT)) { try Descriptor(path: missing) }
        // the lossy decoding names another path: that one must not be found instead
        #expect(throws: BtrfsError.cannotAccess(path: base + "\u{FFFD}c\u{FFFD}", errno: ENOENT)) {
            try Descriptor(path: base + "\u{FFFD}c\u{FFFD}")
        }
    }
}
