#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Btrfs

/// What a row of `subvolume list` prints of a resolved `SubvolumeListing.Entry`, as plain values:
/// no heap storage of its own, so that holding 100k of them costs their bytes and nothing more.
struct SubvolumeRow {
    var numbers: Numbers
    var uuids: UUIDs

    /// Everything but the UUIDs (what a held row always keeps).
    struct Numbers {
        var id: UInt64
        var generation: UInt64
        var otransid: UInt64
        var parentID: UInt64
        var topLevel: UInt64
        var otime: Int64
    }

    /// The three UUIDs, printed only by -u, -q and -R (a held row keeps them only then).
    struct UUIDs {
        var uuid: (UInt64, UInt64) = (0, 0)
        var parent: (UInt64, UInt64) = (0, 0)
        var received: (UInt64, UInt64) = (0, 0)
    }

    var uuid: (UInt64, UInt64) { uuids.uuid }
    var parentUUID: (UInt64, UInt64) { uuids.parent }
    var receivedUUID: (UInt64, UInt64) { uuids.received }
}

extension SubvolumeRow {
    init(_ e: SubvolumeListing.Entry) {
        numbers = Numbers(id: e.id, generation: e.generation, otransid: e.otransid, parentID: e.parentID,
                          topLevel: e.topLevel, otime: e.otime)
        uuids = UUIDs(uuid: e.uuidBytes(.uuid), parent: e.uuidBytes(.parent), received: e.uuidBytes(.received))
    }
}

/// The rows `subvolume list` holds before printing: all of them when sorted other than by ascending
/// root id (filter_and_sort_subvol), or the unprivileged listing's. The one listing whose memory
/// grows with the subvolumes, so kept compact: 64 bytes of plain values per row in fixed chunks
/// (no copy as they grow, where a doubling array touches twice its final size), the UUIDs beside
/// them only for a layout that prints them, the printed paths (with `-a`'s prefix) in one byte
/// blob. On 100k subvolumes `-o --sort=-path` went from 45.1 MiB max RSS and 14.8k page faults
/// (the whole `SubvolumeListing`: three arrays per entry, and an id index) to the figures in
/// Docs/PERFORMANCE.md; page faults are most of what a held row costs.
struct SubvolumeRows {
    private static let chunkShift = 12
    private struct Held {
        var numbers: SubvolumeRow.Numbers
        /// Where its printed path lies in `paths`.
        var pathStart: Int
        var pathCount: Int
    }
    private var chunks: [[Held]] = []
    /// Each row's UUIDs, in chunks beside `chunks`; none unless `keepsUUIDs`.
    private var uuidChunks: [[SubvolumeRow.UUIDs]] = []
    private let keepsUUIDs: Bool
    private var paths: [UInt8] = []
    /// Print order: indices of rows.
    private var order: [Int]? = nil

    private(set) var count = 0

    init(for request: SubvolumeListRequest) {
        keepsUUIDs = !request.columns.isDisjoint(with: [.uuid, .parentUUID, .receivedUUID])
    }

    /// Keeps a resolved entry (the caller's may be reused).
    mutating func append(_ e: SubvolumeListing.Entry, prefixed: Bool) {
        let start = paths.count
        if prefixed { paths.append(contentsOf: SubvolumeListRequest.fsTreePrefix) }
        paths.append(contentsOf: e.path)
        if count & ((1 << Self.chunkShift) - 1) == 0 {
            chunks.append([])
            chunks[chunks.count - 1].reserveCapacity(1 << Self.chunkShift)
            if keepsUUIDs {
                uuidChunks.append([])
                uuidChunks[uuidChunks.count - 1].reserveCapacity(1 << Self.chunkShift)
            }
        }
        let row = SubvolumeRow(e)
        chunks[chunks.count - 1].append(Held(numbers: row.numbers, pathStart: start, pathCount: paths.count - start))
        if keepsUUIDs { uuidChunks[uuidChunks.count - 1].append(row.uuids) }
        count += 1
    }

    /// sort_comp: the keys in order, then the root id unless a key already compared it. The
    /// numbers compared are laid out in arrays of their own first (their count known by now), so
    /// a comparison touches no reference counts.
    mutating func sort(by keys: [(key: SubvolumeListRequest.SortKey, descending: Bool)]) {
        func column<T>(_ value: (Held) -> T) -> [T] {
            var values = [T]()
            values.reserveCapacity(count)
            for chunk in chunks { for h in chunk { values.append(value(h)) } }
            return values
        }
        let used = Set(keys.map(\.key))
        let ids = column { $0.numbers.id }
        let gens = used.contains(.gen) ? column { $0.numbers.generation } : []
        let ogens = used.contains(.ogen) ? column { $0.numbers.otransid } : []
        let spans = used.contains(.path) ? column { (start: $0.pathStart, count: $0.pathCount) } : []
        var order = Array(0 ..< count)
        paths.withUnsafeBytes { bytes in
            order.sort { a, b in
                var rootidCompared = false
                for (key, descending) in keys {
                    var r: Int
                    switch key {
                    case .rootid: r = Self.order(ids[a], ids[b]); rootidCompared = true
                    case .gen: r = Self.order(gens[a], gens[b])
                    case .ogen: r = Self.order(ogens[a], ogens[b])
                    case .path: r = Self.strcmpOrder(bytes, spans[a], spans[b])
                    }
                    if descending { r = -r }
                    if r != 0 { return r < 0 }
                }
                return rootidCompared ? false : ids[a] < ids[b]
            }
        }
        self.order = order
    }

    /// Each row in print order with its printed path.
    func forEach(_ body: (SubvolumeRow, ArraySlice<UInt8>) throws -> Void) rethrows {
        let mask = (1 << Self.chunkShift) - 1
        for n in 0 ..< count {
            let i = order?[n] ?? n
            let h = chunks[i >> Self.chunkShift][i & mask]
            let uuids = keepsUUIDs ? uuidChunks[i >> Self.chunkShift][i & mask] : SubvolumeRow.UUIDs()
            try body(SubvolumeRow(numbers: h.numbers, uuids: uuids), paths[h.pathStart ..< h.pathStart + h.pathCount])
        }
    }

    private static func order<T: Comparable>(_ a: T, _ b: T) -> Int { a < b ? -1 : (a > b ? 1 : 0) }

    /// strcmp on two byte ranges of `bytes`: unsigned, the shorter prefix first.
    private static func strcmpOrder(_ bytes: UnsafeRawBufferPointer, _ a: (start: Int, count: Int),
                                    _ b: (start: Int, count: Int)) -> Int {
        let n = Swift.min(a.count, b.count)
        if n > 0, let base = bytes.baseAddress {
            let r = memcmp(base + a.start, base + b.start, n)
            if r != 0 { return r < 0 ? -1 : 1 }
        }
        return order(a.count, b.count)
    }
}

extension SubvolumeListRequest {
    /// The rows this request prints of the resolved entries `each` hands to its argument (of a
    /// listing asked from subvolume `top`), in the request's order (filter_and_sort_subvol).
    func rows(top: UInt64, _ each: ((SubvolumeListing.Entry) -> Void) throws -> Void) rethrows -> SubvolumeRows {
        var rows = SubvolumeRows(for: self)
        let onlyDeleted = self.onlyDeleted
        try each { e in
            if let prefixed = shows(e, top: top, onlyDeleted: onlyDeleted) { rows.append(e, prefixed: prefixed) }
        }
        if needsAllRows { rows.sort(by: sort) }
        return rows
    }

    /// The rows of a resolved listing (the unprivileged one).
    func rows(_ listing: SubvolumeListing) -> SubvolumeRows {
        rows(top: listing.topID) { listing.entries.forEach($0) }
    }

    /// The text btrfs-progs prints for the rows, in the request's layout (the output stream's
    /// buffer drains itself when full).
    func render(_ rows: SubvolumeRows, into out: TextBuffer) {
        var printer = SubvolumeRowPrinter(self)
        printer.header(into: out)
        rows.forEach { e, path in printer.row(e, prefix: false, path: path, into: out) }
    }
}
