import Btrfs
import Testing
@testable import sbtrfs

/// Arguments that are not UTF-8 go through the tool as the bytes they are (in-process; the
/// real-filesystem differential is in PathBytesDfTests).
struct PathArgumentTests {
    let name = String(pathBytes: Array("/mnt/caf".utf8) + [0xE9, 0xFF, 0xFE])
    var bytes: [UInt8] { Array("/mnt/caf".utf8) + [0xE9, 0xFF, 0xFE] }

    @Test func outputWritesTheBytes() {
        let out = OutputStream.capture()
        out.write(name)
        out.line(" \(name)")
        out.flush()
        #expect(out.captured == bytes + [0x20] + bytes + [0x0A])
        // and the escapes' own UTF-8 in a name comes out as those bytes
        let own = String(pathBytes: [0xF4, 0x8F, 0xBF, 0xBF])
        let second = OutputStream.capture()
        second.write(own)
        second.flush()
        #expect(second.captured == [0xF4, 0x8F, 0xBF, 0xBF])
    }

    /// JSON is always valid UTF-8: the bytes that are not become U+FFFD, one per maximal invalid
    /// part as python decodes them (Docs/CLI.md; JSONWriterTests checks the rule against python).
    @Test func jsonStringsReplaceInvalidBytes() {
        let out = OutputStream.capture()
        var json = JSONWriter(out: out, style: .progs)
        json.start()
        json.string("path", name)
        json.end()
        out.flush()
        let replacement: [UInt8] = [0xEF, 0xBF, 0xBD]
        let expected = Array("\"path\": \"/mnt/caf".utf8) + replacement + replacement + replacement + [0x22]
        #expect(out.captured.indices.contains { out.captured[$0...].starts(with: expected) })
    }

    @Test func tableWidthsCountBytes() {
        var table = StringTable(columns: 2, rows: 2)
        table[0, 0] = "<" + String(pathBytes: [0xFF, 0xFE])
        table[1, 0] = ">1"
        table[0, 1] = "<abc"
        table[1, 1] = ">2"
        let lines = table.lines()
        #expect(lines.map(\.pathBytes) == [[0xFF, 0xFE, 0x20, 0x20, 0x31], Array("abc 2".utf8)])
    }

    /// getopt walks bytes: an attached value keeps its bytes, a bad letter is reported as its byte.
    @Test func optionClustersAreBytes() throws {
        let specs = [OptionSpec("a", nil, help: ""), OptionSpec("d", nil, value: .string, help: "")]
        let parser = OptionParser(specs)
        let parsed = try parser.parse([String(pathBytes: [0x2D, 0x64, 0xFF, 0x41]), name])
        #expect(parsed.options.first?.value?.pathBytes == [0xFF, 0x41])
        #expect(parsed.operands.map(\.pathBytes) == [bytes])
        #expect(throws: OptionError(kind: .invalidShort, token: String(pathBytes: [0x2D, 0xFF]), optopt: 0xFF)) {
            try parser.parse([String(pathBytes: [0x2D, 0xFF])])
        }
        // valid UTF-8 too: its first byte (not the last of the cluster: argv[optind - 1] is argv[0])
        #expect(throws: OptionError(kind: .invalidShort, token: "prog", optopt: 0xC3)) {
            try parser.parse(["-é"], previous: "prog")
        }
        // long option values after '='
        let long = OptionParser([OptionSpec(nil, "data", value: .string, help: "")])
        let value = try long.parse([String(pathBytes: Array("--data=".utf8) + [0x80])]).options.first?.value
        #expect(value?.pathBytes == [0x80])
    }

    @Test func numberMessagesQuoteTheByte() {
        do {
            _ = try parseSizeFromString(String(pathBytes: [0x31, 0x6B, 0xFF]))
            Issue.record("no error")
        } catch CommandExit.error(let text) {
            #expect(text.pathBytes == Array("illegal suffix contains character '".utf8) + [0xFF]
                        + Array("' in wrong position".utf8))
        } catch { Issue.record("\(error)") }
        #expect(throws: (any Error).self) { try argStrtou64(String(pathBytes: [0x31, 0xFF])) }
        #expect(parseU64(String(pathBytes: [0x31, 0xFF])) == nil)
    }

    /// The dispatcher echoes an argument it cannot resolve with the user's bytes.
    @Test func dispatcherEchoesTheBytes() {
        let context = Context.capturing()
        let token = String(pathBytes: [0x66, 0x69, 0xFF])
        let status = Dispatcher(root: CommandTree.root()).run(["sbtrfs", token], context: context)
        context.err.flush()
        #expect(status == 1)
        #expect(context.err.captured.starts(with: Array("sbtrfs: unknown token 'fi".utf8) + [0xFF, 0x27, 0x0A]))
    }

    /// A missing path: the library's error names it, the tool prints it as the user's bytes.
    @Test func errorsNameThePathBytes() {
        let context = Context.capturing()
        let path = String(pathBytes: Array("/nonexistent-sbtrfs/".utf8) + [0xFF, 0xC3])
        let status = Dispatcher(root: CommandTree.root()).run(["sbtrfs", "filesystem", "df", path], context: context)
        context.err.flush()
        #expect(status == 1)
        #expect(context.err.captured == Array("ERROR: cannot access '/nonexistent-sbtrfs/".utf8) + [0xFF, 0xC3]
                    + Array("': No such file or directory\n".utf8))
    }
}
