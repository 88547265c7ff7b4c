import Btrfs

/// The one JSON writer: every JSON document sbtrfs prints is laid out here. It lays out bytes
/// as btrfs-progs' common/format-output.c does: `{` + `"__header": {"version": "1"}`, two spaces
/// per level, `,\n` between members, `\n}` at the end; a group begun `compact` (and everything in
/// it) is one line, `{"a": 1, "b": [2, 3]}`, as search-metadata prints one item per array element.
/// `.progs` writes numbers as strings as progs' `%llu` rows do; `.native` (for sbtrfs-only
/// commands) writes numbers bare and `null` for absent values. Nothing is kept but the nesting:
/// the bytes go straight into the stream's buffer.
public struct JSONWriter {
    public enum Style: Sendable { case progs, native }
    public enum Container: Sendable { case map, array }

    let text: TextBuffer
    public let style: Style
    /// Per depth: 0 no member yet, 1 one member, 2 more (progs' memb[]).
    private var members: [Int] = [0, 0]
    private var containers: [Container] = [.map, .map]
    private var depth = 1
    /// The depth of the outermost compact group open, or Int.max.
    private var compactDepth = Int.max
    public static let nestingLimit = 16

    public init(out: OutputStream, style: Style = .progs) {
        self.init(text: out.text, style: style)
    }

    /// A writer into a buffer (the stream's own, or one a test drains).
    init(text: TextBuffer, style: Style) {
        self.text = text
        self.style = style
    }

    /// fmt_start: the opening brace and the header.
    public mutating func start() {
        text.write(byte: UInt8(ascii: "{"))
        containers[depth] = .map
        members[depth] = 0
        beginGroup("__header", .map)
        separator()
        text.write("\"version\": \"1\"")
        members[depth] = 1
        endGroup()
    }

    /// fmt_end: the closing brace and a newline.
    public mutating func end() {
        if depth > 0 { depth -= 1 }
        separator()
        text.write("}\n")
    }

    /// fmt_print_start_group: `"name": {` or `[`, or a bare one inside an array. `compact`: this
    /// group and all in it on one line.
    public mutating func beginGroup(_ name: String?, _ container: Container, compact: Bool = false) {
        separator()
        // progs exits on deeper nesting; deeper documents are still valid JSON here.
        depth += 1
        if members.count <= depth {
            members.append(0)
            containers.append(container)
        }
        containers[depth] = container
        members[depth] = 0
        if compact && compactDepth > depth { compactDepth = depth }
        if let name { key(name) }
        text.write(byte: container == .map ? UInt8(ascii: "{") : UInt8(ascii: "["))
    }

    /// fmt_print_end_group: a newline, the indentation and the closing bracket (only the
    /// bracket in a compact group).
    public mutating func endGroup() {
        let container = containers[depth]
        if depth >= compactDepth {
            if depth == compactDepth { compactDepth = Int.max }
        } else {
            text.newline()
            text.indent(depth &- 1)
        }
        if depth > 0 { depth -= 1 }
        text.write(byte: container == .map ? UInt8(ascii: "}") : UInt8(ascii: "]"))
    }

    /// A string member, escaped as progs' print_escaped (`str` rows).
    public mutating func string(_ name: String?, _ value: String) {
        member(name)
        JSONString.write(value, to: text)
    }

    /// A string member of progs' `%s` rows. progs writes those unescaped; here they go through
    /// the one escaper too (the same bytes for what progs prints: names of types and profiles).
    public mutating func raw(_ name: String?, _ value: String) {
        string(name, value)
    }

    /// Bytes read from the filesystem (a name, xattr data): a string when they are UTF-8, else
    /// an array of the byte values, so that nothing is lost.
    public mutating func bytes(_ name: String?, _ value: [UInt8]) {
        value.withUnsafeBufferPointer { v in
            if PythonText.isValidUTF8(UnsafeRawBufferPointer(v)) {
                member(name)
                JSONString.write(bytes: v, to: text)
            } else {
                beginGroup(name, .array)
                for b in v { number(nil, b) }
                endGroup()
            }
        }
    }

    /// An unsigned number: `"123"` in progs style, `123` in native style.
    public mutating func number(_ name: String?, _ value: UInt64) {
        member(name)
        quotedInProgsStyle { $0.writeUnsigned(value) }
    }

    /// A signed number, as `number`.
    public mutating func number(_ name: String?, _ value: Int64) {
        member(name)
        quotedInProgsStyle { $0.write(value) }
    }

    /// Any other integer, as `number`.
    public mutating func number<T: BinaryInteger>(_ name: String?, _ value: T) {
        member(name)
        quotedInProgsStyle { $0.write(value) }
    }

    /// A boolean (`true`/`false`; quoted in progs style).
    public mutating func bool(_ name: String?, _ value: Bool) {
        member(name)
        quotedInProgsStyle { $0.write(value ? "true" : "false") }
    }

    /// `null` (native) or `"-"` (progs' placeholder for an absent value).
    public mutating func null(_ name: String?) {
        member(name)
        text.write(style == .native ? "null" : "\"-\"")
    }

    /// An optional number: the number, or null when absent.
    public mutating func number(_ name: String?, _ value: UInt64?) {
        if let value { number(name, value) } else { null(name) }
    }

    /// An optional string: the string, or null when absent.
    public mutating func string(_ name: String?, _ value: String?) {
        if let value { string(name, value) } else { null(name) }
    }

    /// An array of objects, each written by `body`.
    public mutating func objects<T>(_ name: String?, _ values: [T], _ body: (T, inout JSONWriter) -> Void) {
        beginGroup(name, .array)
        for v in values {
            beginGroup(nil, .map)
            body(v, &self)
            endGroup()
        }
        endGroup()
    }

    /// fmt_start_list_value + fmt_end_list_value: a quoted list item, with progs' doubled indent.
    public mutating func listValue(_ value: String) {
        separator()
        text.indent(depth)
        JSONString.write(value, to: text)
    }

    /// A floating point number in its shortest round-trip form; `null` when not finite.
    public mutating func number(_ name: String?, _ value: Double) {
        guard value.isFinite else { return null(name) }
        member(name)
        quotedInProgsStyle { $0.write(text: value.description) }
    }

    private func quotedInProgsStyle(_ body: (TextBuffer) -> Void) {
        if style == .progs { text.write(byte: UInt8(ascii: "\"")) }
        body(text)
        if style == .progs { text.write(byte: UInt8(ascii: "\"")) }
    }

    private mutating func member(_ name: String?) {
        separator()
        if let name { key(name) }
    }

    private func key(_ name: String) {
        JSONString.write(name, to: text)
        text.write(": ")
    }

    private mutating func separator() {
        let first = members[depth] == 0
        if members[depth] < 2 { members[depth] &+= 1 }
        if depth >= compactDepth {
            if !first { text.write(", ") }
            return
        }
        text.write(first ? "\n" : ",\n")
        text.indent(depth)
    }
}

/// The one JSON string escaper: every key and every string value of every JSON document sbtrfs
/// writes goes through it. Escapes as progs' print_escaped: `"` and `\`, control characters as
/// \b \t \n \f \r, the others as \u00XX. Every JSON string is UTF-8 (RFC 8259): a byte sequence
/// that is not well-formed UTF-8 becomes U+FFFD, one per maximal invalid subpart, as Python's
/// `decode(errors='replace')` does (Docs/CLI.md, "JSON output").
enum JSONString {
    static func write(_ text: String, to out: OutputStream) {
        write(text, to: out.text)
    }

    static func write(_ text: String, to sink: TextBuffer) {
        PathBytes.withBytes(of: text) { write(bytes: $0, to: sink) }
    }

    static func write(bytes: UnsafeBufferPointer<UInt8>, to sink: TextBuffer) {
        if PythonText.isValidUTF8(UnsafeRawBufferPointer(bytes)) {
            writeValid(bytes, to: sink)
        } else {
            var replaced = String(decoding: bytes, as: UTF8.self)
            replaced.withUTF8 { writeValid($0, to: sink) }
        }
    }

    /// Quotes well-formed UTF-8, copying the runs that need no escape whole.
    private static func writeValid(_ bytes: UnsafeBufferPointer<UInt8>, to sink: TextBuffer) {
        let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\")
        sink.write(byte: quote)
        var run = 0
        for (at, byte) in bytes.enumerated() where byte < 0x20 || byte == quote || byte == backslash {
            sink.write(bytes: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[run..<at])))
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
                sink.write("u")
                sink.writeHex(UInt64(byte), width: 4)
            }
        }
        sink.write(bytes: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[run...])))
        sink.write(byte: quote)
    }
}
