import Testing
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
        #expect(out.capturedText == "\n  \"a\\\"b\\\\c/d\\n\\t\\r\\b\\f\\u0001\\u000b\\u001fé\",\n  \"q\"\"")
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
}
