#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Btrfs

/// `subvolume list` after the kernel has answered: btrfs-progs 6.2's filters, sort and three layouts
/// (cmds/subvolume-list.c), as pure functions over resolved `SubvolumeListing` entries.
struct SubvolumeListRequest {
    /// Columns in btrfs-progs' fixed order; the raw value is the index.
    enum Column: Int, CaseIterable {
        case id, generation, ogeneration, parent, topLevel, otime, parentUUID, receivedUUID, uuid, path

        /// The name printed before a value and in the table header.
        var name: String {
            switch self {
            case .id: return "ID"
            case .generation: return "gen"
            case .ogeneration: return "cgen"
            case .parent: return "parent"
            case .topLevel: return "top level"
            case .otime: return "otime"
            case .parentUUID: return "parent_uuid"
            case .receivedUUID: return "received_uuid"
            case .uuid: return "uuid"
            case .path: return "path"
            }
        }
    }

    enum Layout { case `default`, table }

    enum Filter {
        case snapshotOnly
        case flags(UInt64)
        case generation(Comparison, UInt64)
        case ogeneration(Comparison, UInt64)
        case deleted
    }

    enum Comparison { case equal, atMost, atLeast }

    enum SortKey: String, CaseIterable { case rootid, ogen, gen, path }

    var columns = Set<Column>()
    var layout = Layout.default
    var filters: [Filter] = []
    var sort: [(key: SortKey, descending: Bool)] = []
    var listAll = false
    var onlyInPath = false

    var onlyDeleted: Bool { filters.contains { if case .deleted = $0 { return true } else { return false } } }

    /// `--sort=` as btrfs_list_parse_sort_string reads it: comma-separated keys, each optionally
    /// prefixed by `+` (ascending, the default) or `-`. Nil for an unknown key.
    static func parseSort(_ text: String) -> [(key: SortKey, descending: Bool)]? {
        var result: [(key: SortKey, descending: Bool)] = []
        for token in text.split(separator: ",", omittingEmptySubsequences: true) {
            var name = Substring(token)
            var descending = false
            if name.first == "+" { name = name.dropFirst() } else if name.first == "-" {
                descending = true
                name = name.dropFirst()
            }
            guard let key = SortKey(rawValue: String(name)) else { return nil }
            result.append((key, descending))
        }
        return result
    }

    /// `-G`/`-C` values: `+N` at least, `-N` at most, `N` exactly. The number is parsed by the caller's
    /// arg_strtou64 so that its messages are progs'.
    static func splitComparison(_ text: String) -> (Comparison, String) {
        if text.hasPrefix("+") { return (.atLeast, String(text.dropFirst())) }
        if text.hasPrefix("-") { return (.atMost, String(text.dropFirst())) }
        return (.equal, text)
    }
}

extension SubvolumeListRequest {
    static let fsTreePrefix: [UInt8] = Array("<FS_TREE>/".utf8)

    /// Entries come in id order: only a sort other than by ascending root id needs every row read
    /// before the first is printed (and then the rows are held in memory, see `SubvolumeRows`).
    var needsAllRows: Bool {
        guard let first = sort.first else { return false }
        return !(first.key == .rootid && !first.descending)
    }

    /// Where btrfs-progs' resolve_root stops building paths for a listing asked from subvolume
    /// `top`: at `top` itself, or (with -a or -o) at the top level only.
    func stopAt(top: UInt64) -> UInt64 { (listAll || onlyInPath) ? 0 : top }

    /// Whether a resolved entry is printed: nil if not, else whether `-a` prefixes its path.
    func shows(_ e: SubvolumeListing.Entry, top: UInt64, onlyDeleted: Bool) -> Bool? {
        // The top level is never printed; deleted ones only with -d, and then only them.
        if e.id == Subvolume.topLevelID || e.isDeleted != onlyDeleted || !passes(e) { return nil }
        if onlyInPath && e.topLevel != top { return nil }
        return listAll && e.topLevel != top
    }

    private func passes(_ e: SubvolumeListing.Entry) -> Bool {
        for filter in filters {
            switch filter {
            case .deleted: continue
            case .snapshotOnly: if e.rootOffset == 0 { return false }
            case .flags(let f): if e.flags & f == 0 { return false }
            case .generation(let c, let v): if !Self.holds(c, e.generation, v) { return false }
            case .ogeneration(let c, let v): if !Self.holds(c, e.otransid, v) { return false }
            }
        }
        return true
    }

    private static func holds(_ c: Comparison, _ value: UInt64, _ bound: UInt64) -> Bool {
        switch c {
        case .equal: return value == bound
        case .atMost: return value <= bound
        case .atLeast: return value >= bound
        }
    }
}

/// btrfs-progs' default and table layouts, one row at a time (a streamed listing prints each
/// subvolume as it is read).
struct SubvolumeRowPrinter {
    private let shown: [SubvolumeListRequest.Column]
    private let names: [[UInt8]]
    private let table: Bool
    /// The bytes before and after each shown column's value, in one blob: a row then touches no
    /// reference counts (per-column label arrays were a tenth of a listing's user time).
    private let around: [UInt8]
    private let spans: [(before: Range<Int>, after: Range<Int>)]
    private var time = TimeFormatter()

    init(_ request: SubvolumeListRequest) {
        shown = SubvolumeListRequest.Column.allCases.filter { request.columns.contains($0) }
        names = shown.map { Array($0.name.utf8) }
        table = request.layout == .table
        var around: [UInt8] = []
        var spans: [(before: Range<Int>, after: Range<Int>)] = []
        for (c, name) in zip(shown, names) {
            let start = around.count
            // Default layout: "name value" separated by spaces; table: tab-separated values, with
            // an extra tab after the top level as progs prints it.
            if !table { around += name + [32] }
            let middle = around.count
            if c != .path { around.append(table ? 9 : 32) }
            if table && c == .topLevel { around.append(9) }
            spans.append((start ..< middle, middle ..< around.count))
        }
        self.around = around
        self.spans = spans
    }

    /// The table layout's two header lines; nothing for the default layout.
    func header(into out: TextBuffer) {
        guard table else { return }
        for name in names { out.write(bytes: name); out.write(byte: 9) }
        out.newline()
        for name in names {
            for _ in name { out.write(byte: UInt8(ascii: "-")) }
            out.write(byte: 9)
        }
        out.newline()
    }

    /// A row as it is read: `-a`'s prefix, if any, before the entry's own path.
    mutating func row(_ e: SubvolumeListing.Entry, prefixed: Bool, into out: TextBuffer) {
        row(SubvolumeRow(e), prefix: prefixed, path: e.path[...], into: out)
    }

    /// A row whose printed path is given apart from it (held rows keep theirs in one blob). Written
    /// straight into the output stream's buffer, as the tree dumps are: building rows in an array
    /// first cost its generic appends, a third of a listing's user time.
    mutating func row(_ row: SubvolumeRow, prefix: Bool, path: ArraySlice<UInt8>, into out: TextBuffer) {
        let e = row.numbers
        around.withUnsafeBytes { bytes in
            for k in shown.indices {
                let span = spans[k]
                out.write(bytes: UnsafeRawBufferPointer(rebasing: bytes[span.before]))
                switch shown[k] {
                case .id: out.writeUnsigned(e.id)
                case .generation: out.writeUnsigned(e.generation)
                case .ogeneration: out.writeUnsigned(e.otransid)
                case .parent: out.writeUnsigned(e.parentID)
                case .topLevel: out.writeUnsigned(e.topLevel)
                case .otime:
                    if e.otime != 0 { time.write(e.otime, to: out) } else { out.write(byte: UInt8(ascii: "-")) }
                case .parentUUID: writeUUIDColumn(row.parentUUID, to: out)
                case .receivedUUID: writeUUIDColumn(row.receivedUUID, to: out)
                case .uuid: writeUUIDColumn(row.uuid, to: out)
                case .path:
                    if prefix { out.write(bytes: SubvolumeListRequest.fsTreePrefix) }
                    path.withUnsafeBytes { out.write(bytes: $0) }
                }
                out.write(bytes: UnsafeRawBufferPointer(rebasing: bytes[span.after]))
            }
        }
        out.newline()
    }
}

/// `%-36s` of uuid_unparse's text, or of `-` for a null UUID.
func writeUUIDColumn(_ words: (UInt64, UInt64), to out: TextBuffer) {
    if words == (0, 0) {
        out.write("-                                   ")
        return
    }
    withUUIDText(words) { out.write(bytes: $0) }
}

/// uuid_unparse's lower-case 8-4-4-4-12 text, handed to `body`.
func withUUIDText<T>(_ words: (UInt64, UInt64), _ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
    // Two hex digits per byte from one table, written into a fixed 36-byte buffer.
    var text: (UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0)
    withUnsafeBytes(of: words) { bytes in
        withUnsafeMutableBytes(of: &text) { t in
            let digits: StaticString = "0123456789abcdef"
            var o = 0
            for i in 0..<16 {
                if i == 4 || i == 6 || i == 8 || i == 10 { t[o] = UInt8(ascii: "-"); o += 1 }
                let b = Int(bytes[i])
                t[o] = digits.utf8Start[b >> 4]
                t[o + 1] = digits.utf8Start[b & 0xf]
                o += 2
            }
        }
    }
    return try withUnsafeBytes(of: text) { try body(UnsafeRawBufferPointer(rebasing: $0[0..<36])) }
}

/// strftime of a local time, caching the last second (lists print many equal times).
struct TimeFormatter {
    var format: String = "%Y-%m-%d %X"
    private var lastSeconds: Int64 = .min
    private var last: [UInt8] = []

    init(format: String = "%Y-%m-%d %X") { self.format = format }

    mutating func write(_ seconds: Int64, to out: TextBuffer) {
        if seconds != lastSeconds {
            last = Array(localTimeText(seconds, format: format).utf8)
            lastSeconds = seconds
        }
        out.write(bytes: last)
    }
}

/// localtime_r + strftime, as btrfs-progs prints times.
func localTimeText(_ seconds: Int64, format: String) -> String {
    var t = time_t(truncatingIfNeeded: seconds)
    var parts = tm()
    guard localtime_r(&t, &parts) != nil else { return "-" }
    var buffer = [CChar](repeating: 0, count: 256)
    let n = strftime(&buffer, buffer.count, format, &parts)
    return String(decoding: buffer.prefix(n).map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
