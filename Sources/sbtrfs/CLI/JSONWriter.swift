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

    /// A string member written as is inside quotes, as progs' `%s` rows do (no escaping).
    public mutating func raw(_ name: String?, _ value: String) {
        member(name)
        out.write(byte: UInt8(ascii: "\""))
        out.write(value)
        out.write(byte: UInt8(ascii: "\""))
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
        out.write(byte: UInt8(ascii: "\""))
        out.write(value)
        out.write(byte: UInt8(ascii: "\""))
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
        out.write(byte: UInt8(ascii: "\""))
        out.write(name)
        out.write("\": ")
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

    /// print_escaped: control characters as \b \t \n \f \r or \u00XX, `"` and `\` escaped,
    /// every other byte (UTF-8 or not: the bytes `value` stands for) as is.
    private func quoted(_ value: String) {
        out.write(byte: UInt8(ascii: "\""))
        for byte in value.pathBytes {
            switch byte {
            case 0x08: out.write("\\b")
            case 0x09: out.write("\\t")
            case 0x0A: out.write("\\n")
            case 0x0C: out.write("\\f")
            case 0x0D: out.write("\\r")
            case 0x00...0x1F:
                let hex: [UInt8] = Array("0123456789abcdef".utf8)
                out.write("\\u00")
                out.write(byte: hex[Int(byte >> 4)])
                out.write(byte: hex[Int(byte & 0xF)])
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                out.write(byte: UInt8(ascii: "\\"))
                out.write(byte: byte)
            default:
                out.write(byte: byte)
            }
        }
        out.write(byte: UInt8(ascii: "\""))
    }
}
