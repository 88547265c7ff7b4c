import Btrfs

/// A streaming JSON writer that lays out bytes as btrfs-progs' common/format-output.c does:
/// `{` + `"__header": {"version": "1"}`, two spaces per level, `,\n` between members, `\n}` at
/// the end. `.progs` writes numbers as strings as progs' `%llu` rows do; `.native` (for sbtrfs-only
/// commands) writes numbers bare and `null` for absent values. Nothing is kept but the nesting.
public struct JSONWriter {
    public enum Style: Sendable { case progs, native }
    public enum Container: Sendable { case map, array }

    public let out: OutputStream
    public let style: Style
    /// Per depth: 0 no member yet, 1 one member, 2 more (progs' memb[]).
    private var members: [Int] = [0, 0]
    private var containers: [Container] = [.map, .map]
    private var depth = 1
    public static let nestingLimit = 16

    public init(out: OutputStream, style: Style = .progs) {
        self.out = out
        self.style = style
    }

    /// fmt_start: the opening brace and the header.
    public mutating func start() {
        out.write(byte: UInt8(ascii: "{"))
        containers[depth] = .map
        members[depth] = 0
        beginGroup("__header", .map)
        separator()
        out.write("\"version\": \"1\"")
        members[depth] = 1
        endGroup()
    }

    /// fmt_end: the closing brace and a newline.
    public mutating func end() {
        if depth > 0 { depth -= 1 }
        separator()
        out.write("}\n")
    }

    /// fmt_print_start_group: `"name": {` or `[`, or a bare one inside an array.
    public mutating func beginGroup(_ name: String?, _ container: Container) {
        separator()
        // progs exits on deeper nesting; deeper documents are still valid JSON here.
        depth += 1
        if members.count <= depth {
            members.append(0)
            containers.append(container)
        }
        containers[depth] = container
        members[depth] = 0
        if let name { key(name) }
        out.write(byte: container == .map ? UInt8(ascii: "{") : UInt8(ascii: "["))
    }

    /// fmt_print_end_group: a newline, the indentation and the closing bracket.
    public mutating func endGroup() {
        let container = containers[depth]
        if depth > 0 { depth -= 1 }
        out.write(byte: 0x0A)
        indent(depth)
        out.write(byte: container == .map ? UInt8(ascii: "}") : UInt8(ascii: "]"))
    }

    /// A string member, escaped as progs' print_escaped (`str` rows).
    public mutating func string(_ name: String?, _ value: String) {
        member(name)
        quoted(value)
    }

    /// A string member of progs' `%s` rows. progs writes those unescaped; here they go through
    /// the one escaper too (the same bytes for what progs prints: names of types and profiles).
    public mutating func raw(_ name: String?, _ value: String) {
        member(name)
        quoted(value)
    }

    /// An unsigned number: `"123"` in progs style, `123` in native style.
    public mutating func number(_ name: String?, _ value: UInt64) {
        numberText(name, String(value))
    }

    /// A signed number, as `number`.
    public mutating func number(_ name: String?, _ value: Int64) {
        numberText(name, String(value))
    }

    /// A boolean (`true`/`false`; quoted in progs style).
    public mutating func bool(_ name: String?, _ value: Bool) {
        numberText(name, value ? "true" : "false")
    }

    /// `null` (native) or `"-"` (progs' placeholder for an absent value).
    public mutating func null(_ name: String?) {
        member(name)
        out.write(style == .native ? "null" : "\"-\"")
    }

    /// An optional number: the number, or null when absent.
    public mutating func number(_ name: String?, _ value: UInt64?) {
        if let value { number(name, value) } else { null(name) }
    }

    /// An optional string: the string, or null when absent.
    public mutating func string(_ name: String?, _ value: String?) {
        if let value { string(name, value) } else { null(name) }
    }

    /// fmt_start_list_value + fmt_end_list_value: a quoted list item, with progs' doubled indent.
    public mutating func listValue(_ value: String) {
        separator()
        indent(depth)
        quoted(value)
    }

    /// A floating point number in its shortest round-trip form; `null` when not finite.
    public mutating func number(_ name: String?, _ value: Double) {
        if value.isFinite { numberText(name, value.description) } else { null(name) }
    }

    private mutating func numberText(_ name: String?, _ text: String) {
        member(name)
        if style == .progs {
            out.write(byte: UInt8(ascii: "\""))
            out.write(text)
            out.write(byte: UInt8(ascii: "\""))
        } else {
            out.write(text)
        }
    }

    private mutating func member(_ name: String?) {
        separator()
        if let name { key(name) }
    }

    private func key(_ name: String) {
        quoted(name)
        out.write(": ")
    }

    private mutating func separator() {
        switch members[depth] {
        case 0:
            out.write(byte: 0x0A)
            members[depth] = 1
        case 1:
            out.write(",\n")
            members[depth] = 2
        default:
            out.write(",\n")
        }
        indent(depth)
    }

    private func indent(_ level: Int) { out.pad(2 * level) }

    private func quoted(_ value: String) { JSONString.write(value, to: out) }
}

/// Where JSON text goes: the tool's stream, or the TextBuffer search-metadata formats items into.
protocol JSONSink: AnyObject {
    func write(byte: UInt8)
    func write(bytes: UnsafeBufferPointer<UInt8>)
}

extension OutputStream: JSONSink {}

extension TextBuffer: JSONSink {
    func write(bytes: UnsafeBufferPointer<UInt8>) { write(bytes: UnsafeRawBufferPointer(bytes)) }
}

/// The one JSON string escaper: every key and every string value of every JSON document sbtrfs
/// writes goes through it. Escapes as progs' print_escaped: `"` and `\`, control characters as
/// \b \t \n \f \r, the others as \u00XX. Every JSON string is UTF-8 (RFC 8259): a byte sequence
/// that is not well-formed UTF-8 becomes U+FFFD, one per maximal invalid subpart, as Python's
/// `decode(errors='replace')` does (Docs/CLI.md, "JSON output").
enum JSONString {
    static func write<Sink: JSONSink>(_ text: String, to sink: Sink) {
        PathBytes.withBytes(of: text) { write(bytes: $0, to: sink) }
    }

    static func write<Sink: JSONSink>(bytes: UnsafeBufferPointer<UInt8>, to sink: Sink) {
        if PythonText.isValidUTF8(UnsafeRawBufferPointer(bytes)) {
            writeValid(bytes, to: sink)
        } else {
            var replaced = String(decoding: bytes, as: UTF8.self)
            replaced.withUTF8 { writeValid($0, to: sink) }
        }
    }

    /// Quotes well-formed UTF-8, copying the runs that need no escape whole.
    private static func writeValid<Sink: JSONSink>(_ bytes: UnsafeBufferPointer<UInt8>, to sink: Sink) {
        let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\")
        sink.write(byte: quote)
        var run = 0
        for (at, byte) in bytes.enumerated() where byte < 0x20 || byte == quote || byte == backslash {
            sink.write(bytes: UnsafeBufferPointer(rebasing: bytes[run..<at]))
            run = at + 1
            sink.write(byte: backslash)
            switch byte {
            case 0x08: sink.write(byte: UInt8(ascii: "b"))
            case 0x09: sink.write(byte: UInt8(ascii: "t"))
            case 0x0A: sink.write(byte: UInt8(ascii: "n"))
            case 0x0C: sink.write(byte: UInt8(ascii: "f"))
            case 0x0D: sink.write(byte: UInt8(ascii: "r"))
            case quote, backslash: sink.write(byte: byte)
            default:
                let hex: StaticString = "0123456789abcdef"
                for digit in [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                              hex.utf8Start[Int(byte >> 4)], hex.utf8Start[Int(byte & 0xF)]] {
                    sink.write(byte: digit)
                }
            }
        }
        sink.write(bytes: UnsafeBufferPointer(rebasing: bytes[run...]))
        sink.write(byte: quote)
    }
}
