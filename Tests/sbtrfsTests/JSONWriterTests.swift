import Testing
import TestRig
@testable import sbtrfs

/// The JSON writer's bytes, laid out as progs' format-output.c (the df differential test checks
/// the same layout against btrfs-progs itself on a real filesystem).
struct JSONWriterTests {
    @Test func progsLayout() {
        let out = OutputStream.capture()
        var json = JSONWriter(out: out, style: .progs)
        json.start()
        json.beginGroup("list", .array)
        json.beginGroup(nil, .map)
        json.raw("name", "a")
        json.number("size", UInt64(18446744073709551615))
        json.endGroup()
        json.beginGroup(nil, .map)
        json.number("size", UInt64(0))
        json.endGroup()
        json.endGroup()
        json.beginGroup("empty", .map)
        json.endGroup()
        json.beginGroup("values", .array)
        json.listValue("x")
        json.listValue("y")
        json.endGroup()
        json.end()
        #expect(out.capturedText == """
            {
              "__header": {
                "version": "1"
              },
              "list": [
                {
                  "name": "a",
                  "size": "18446744073709551615"
                },
                {
                  "size": "0"
                }
              ],
              "empty": {
              },
              "values": [
                    "x",
                    "y"
              ]
            }

            """)
    }

    @Test func nativeNumbersAndNull() {
        let out = OutputStream.capture()
        var json = JSONWriter(out: out, style: .native)
        json.start()
        json.number("n", Int64(-5))
        json.number("absent", nil as UInt64?)
        json.bool("yes", true)
        json.string("s", nil as String?)
        json.end()
        #expect(out.capturedText == """
            {
              "__header": {
                "version": "1"
              },
              "n": -5,
              "absent": null,
              "yes": true,
              "s": null
            }

            """)
    }

    @Test func escapingAsPrintEscaped() {
        let out = OutputStream.capture()
        var json = JSONWriter(out: out, style: .progs)
        json.string(nil, "a\"b\\c/d\n\t\r\u{08}\u{0C}\u{01}\u{0B}\u{1F}é")
        json.raw(nil, "q\"")
        #expect(out.capturedText == "\n  \"a\\\"b\\\\c/d\\n\\t\\r\\b\\f\\u0001\\u000b\\u001fé\",\n  \"q\\\"\"")
    }

    /// Keys, `%s` rows and list values go through the same escaper as string values.
    @Test func keysAndListValuesAreEscaped() {
        let out = OutputStream.capture()
        var json = JSONWriter(out: out, style: .native)
        json.beginGroup("a\"b\n", .map)
        json.string("k\\", "v")
        json.endGroup()
        json.beginGroup("l", .array)
        json.listValue("x\ty")
        json.endGroup()
        #expect(out.capturedText == "\n  \"a\\\"b\\n\": {\n    \"k\\\\\": \"v\"\n  },\n  \"l\": [\n        \"x\\ty\"\n  ]")
    }

    /// Bytes that are not UTF-8 become U+FFFD exactly as python decodes them with
    /// errors='replace', and every string reads back as python's json.dumps(ensure_ascii=False)
    /// writes it: the oracle for the one escaper, byte for byte.
    @Test(.needsTool("/usr/bin/python3", what: "python3"))
    func invalidUTF8IsReplacedAsPythonDoes() throws {
        let cases: [[UInt8]] = [
            [0xFF], Array("a\u{00}b".utf8) + [0xC3], [0xE2, 0x82], [0xF0, 0x9F, 0x98], [0xED, 0xA0, 0x80],
            [0xC0, 0xAF], [0xF4, 0x90, 0x80, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0x80, 0x80, 0x41],
            Array("q\"\\\n\t\u{7F}\u{1F}".utf8) + [0xFE, 0x22], [0xF4, 0x8F, 0xBE, 0x80], [0xE2, 0x80, 0xA8],
            Array("é€😀".utf8), [0xE0, 0x80, 0x80, 0xC2], [0xF1, 0x80, 0x80, 0xE1, 0x80, 0xC2],
        ]
        var ours: [String] = []
        for bytes in cases {
            let out = OutputStream.capture()
            JSONString.write(String(pathBytes: bytes), to: out)
            out.flush()
            ours.append(out.captured.map { String($0) }.joined(separator: ","))
        }
        let script = """
            import json, sys
            for arg in sys.argv[1:]:
                b = bytes(int(x) for x in arg.split(',') if x)
                print(','.join(str(c) for c in json.dumps(b.decode('utf-8', 'replace'), ensure_ascii=False).encode()))
            """
        let r = try Rig.python(script, args: cases.map { $0.map { String($0) }.joined(separator: ",") })
        #expect(r.status == 0, "\(r)")
        let theirs = r.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
        #expect(ours == theirs)
    }

    @Test func streamsThroughTheBuffer() {
        // More output than the buffer holds: flushed as it goes, nothing lost.
        let out = OutputStream.capture()
        var json = JSONWriter(out: out, style: .native)
        json.start()
        json.beginGroup("items", .array)
        for i in 0..<20_000 { json.number(nil, UInt64(i)) }
        json.endGroup()
        json.end()
        let text = out.capturedText
        #expect(text.hasSuffix("    19999\n  ]\n}\n"))
        #expect(text.split(separator: "\n").count == 20_000 + 7)
    }

    /// A compact group (search-metadata's one item per array element) is one line inside progs'
    /// layout; bytes that are not UTF-8 become an array of byte values, nothing lost.
    @Test func compactGroupsAreOneLine() {
        let out = OutputStream.capture()
        var json = JSONWriter(out: out, style: .native)
        json.start()
        json.beginGroup("items", .array)
        json.beginGroup(nil, .map, compact: true)
        json.number("a", UInt8(1))
        json.bytes("name", Array("é\"".utf8))
        json.bytes("raw", [0xFF, 0])
        json.objects("l", [1, 2]) { v, o in o.number("v", v) }
        json.beginGroup("e", .array)
        json.endGroup()
        json.endGroup()
        json.beginGroup(nil, .map, compact: true)
        json.endGroup()
        json.endGroup()
        json.end()
        #expect(out.capturedText == """
            {
              "__header": {
                "version": "1"
              },
              "items": [
                {"a": 1, "name": "é\\"", "raw": [255, 0], "l": [{"v": 1}, {"v": 2}], "e": []},
                {}
              ]
            }

            """)
    }
}
