import Testing
@testable import sbtrfs

struct TextTableTests {
    @Test func alignsColumns() {
        var table = TextTable(alignments: [.left, .right, .left], separator: "  ")
        table.append(["Path", "Size", "Name"])
        table.append(["/a/long/path", "1", "x"])
        table.append(["/b", "12345", "y"])
        table.append(["é", "2"])  // widths count bytes, as printf's %-*s
        let out = OutputStream.capture()
        table.write(to: out)
        #expect(table.widths == [12, 5, 4])
        #expect(out.capturedText == """
            Path           Size  Name
            /a/long/path      1  x
            /b            12345  y
            é                2

            """)
    }

    @Test func emptyTableWritesNothing() {
        let out = OutputStream.capture()
        TextTable(alignments: [.left]).write(to: out)
        #expect(out.capturedText == "")
    }
}
