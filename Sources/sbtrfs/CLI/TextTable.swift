/// A generic column aligner: rows of cells laid out in columns as wide as their widest cell,
/// separated by `separator`, each cell left or right aligned. Widths count bytes (PathBytes), as
/// printf's `%-*s` does. Trailing padding of the last column is not written.
public struct TextTable {
    public enum Alignment: Sendable { case left, right }

    public var alignments: [Alignment]
    public var separator: String
    public private(set) var rows: [[String]] = []

    public init(alignments: [Alignment], separator: String = " ") {
        self.alignments = alignments
        self.separator = separator
    }

    public mutating func append(_ row: [String]) { rows.append(row) }

    /// The width of each column over all rows.
    public var widths: [Int] {
        var widths = [Int](repeating: 0, count: alignments.count)
        for row in rows {
            for (column, cell) in row.enumerated() where column < widths.count {
                widths[column] = max(widths[column], cell.pathByteCount)
            }
        }
        return widths
    }

    /// Writes every row and a newline after each.
    public func write(to out: OutputStream) {
        let widths = widths
        for row in rows {
            for (column, cell) in row.enumerated() {
                if column > 0 { out.write(separator) }
                let padding = column < widths.count ? widths[column] - cell.pathByteCount : 0
                let alignment = column < alignments.count ? alignments[column] : .left
                if alignment == .right { out.pad(padding) }
                out.write(cell)
                if alignment == .left && column < row.count - 1 { out.pad(padding) }
            }
            out.write(byte: 0x0A)
        }
    }
}
