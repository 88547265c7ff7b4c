#if canImport(Glibc)
import Glibc
#endif
import Btrfs

/// btrfs-progs' string table (common/string-table.c), byte for byte: cells carry an alignment
/// prefix ('<' left, '>' right, '*' fill the column with the next character); columns are as
/// wide as their widest cell (fill cells and one-character cells aside); unset cells are blank,
/// trailing padding included, one space between columns. Widths count bytes (`PathBytes`), as
/// strlen does, so a device path that is not UTF-8 lines up as in progs.
struct StringTable {
    let columns: Int
    let rows: Int
    private var cells: [String?]

    init(columns: Int, rows: Int) {
        self.columns = columns
        self.rows = rows
        cells = Array(repeating: nil, count: columns * rows)
    }

    /// Sets a cell; like progs' 99-byte vsnprintf buffer, keeps at most 98 bytes.
    subscript(column: Int, row: Int) -> String? {
        get { column < columns && row < rows ? cells[row * columns + column] : nil }
        set {
            guard column >= 0, row >= 0, column < columns, row < rows else { return }
            if let v = newValue, v.pathByteCount > 98 {
                cells[row * columns + column] = String(pathBytes: v.pathBytes.prefix(98))
            } else {
                cells[row * columns + column] = newValue
            }
        }
    }

    func lines() -> [String] {
        var widths = [Int](repeating: 0, count: columns)
        for c in 0..<columns {
            for r in 0..<rows {
                guard let cell = cells[r * columns + c] else { continue }
                let len = cell.pathByteCount - 1
                if len <= 0 || cell.hasPrefix("*") { continue }
                widths[c] = max(widths[c], len)
            }
        }
        var out = [String]()
        for r in 0..<rows {
            var line = ""
            for c in 0..<columns {
                let width = widths[c]
                let cell = cells[r * columns + c] ?? ""
                let bytes = cell.pathBytes
                if bytes.isEmpty {
                    line += String(repeating: " ", count: width)
                } else if bytes[0] == UInt8(ascii: "*") && bytes.count > 1 {
                    line += String(repeating: String(UnicodeScalar(bytes[1])), count: width)
                } else {
                    let text = String(pathBytes: bytes.dropFirst())
                    let fill = String(repeating: " ", count: max(0, width - (bytes.count - 1)))
                    line += bytes[0] == UInt8(ascii: "<") ? text + fill : fill + text
                }
                if c != columns - 1 { line += " " }
            }
            out.append(line)
        }
        return out
    }
}

/// A C printf of one double with a width (`%*.2f`), as progs' ratio lines.
func cFormat(width: Int, _ value: Double) -> String {
    cPad(formatFixed2(value), width)
}

/// `%*s`: right-aligned in `width` bytes (left-aligned for a negative width), never truncated.
func cPad(_ text: String, _ width: Int) -> String {
    let n = text.pathByteCount
    let w = abs(width)
    if n >= w { return text }
    let fill = String(repeating: " ", count: w - n)
    return width < 0 ? text + fill : fill + text
}
