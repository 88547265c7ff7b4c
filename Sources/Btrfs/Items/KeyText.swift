/// Keys as python-btrfs prints and parses them (`ctree.Key.__str__`, `utils.parse_key_string`).
extension Key: CustomStringConvertible {
    /// `(257 DIR_ITEM 0)`: well-known objectids by name, -1 for the maximum, qgroup ids as
    /// level/subvolume, UUID halves in hex, exactly as python-btrfs prints a key.
    public var description: String {
        let b = TextBuffer(capacity: 64)
        write(to: b)
        return b.text
    }

    /// Writes `description` into `out` without building a String.
    public func write(to out: TextBuffer) {
        out.write(byte: UInt8(ascii: "("))
        Key.writeObjectID(objectID, type: type, to: out)
        out.write(byte: 32)
        if let name = ItemType(type).name { out.write(name) } else { out.write(type) }
        out.write(byte: 32)
        Key.writeOffset(offset, type: type, to: out)
        out.write(byte: UInt8(ascii: ")"))
    }

    /// python-btrfs's `_key_objectid_str`; `type` nil as for tree block backrefs.
    public static func writeObjectID(_ objectID: UInt64, type: UInt8?, to out: TextBuffer) {
        if let type {
            switch ItemType(type) {
            case .devExtent: out.write(objectID); return
            case .qgroupRelation: writeQgroup(objectID, to: out); return
            case .uuidKeySubvol, .uuidKeyReceivedSubvol:
                out.write("0x"); out.writeHex(objectID, width: 16); return
            case .devItem where objectID == 1: out.write("DEV_ITEMS"); return
            case .persistentItem where objectID == 0: out.write("DEV_STATS"); return
            case .chunkItem where objectID == 256: out.write("FIRST_CHUNK_TREE"); return
            default: break
            }
        }
        if objectID == .max { out.write("-1"); return }
        if let name = ObjectID(objectID).name { out.write(name) } else { out.write(objectID) }
    }

    /// python-btrfs's `_key_offset_str`.
    public static func writeOffset(_ offset: UInt64, type: UInt8, to out: TextBuffer) {
        switch ItemType(type) {
        case .qgroupRelation, .qgroupInfo, .qgroupLimit: writeQgroup(offset, to: out); return
        case .uuidKeySubvol, .uuidKeyReceivedSubvol:
            out.write("0x"); out.writeHex(offset, width: 16); return
        default: break
        }
        if offset == .max { out.write("-1"); return }
        if ItemType(type) == .rootItem, let name = ObjectID(offset).name { out.write(name); return }
        out.write(offset)
    }

    static func writeQgroup(_ id: UInt64, to out: TextBuffer) {
        out.write(id >> 48)
        out.write(byte: UInt8(ascii: "/"))
        out.write(id & ((1 << 48) - 1))
    }

    /// Parses a key as python-btrfs's `parse_key_string` does: `(257 DIR_ITEM 0)`, parentheses
    /// optional, names or numbers in each place, -1 for the maximum.
    public init(parsing text: String) throws {
        var s = Substring(text)
        if s.first == "(" && s.last == ")" && s.count >= 2 { s = s.dropFirst().dropLast() }
        let fields = s.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\u{0B}" || $0 == "\u{0C}" })
        guard fields.count == 3 else {
            throw BtrfsError.invalidArgument("Key representation needs 3 fields: objectid, type, offset: \(s)")
        }
        let type = try Key.parseType(String(fields[1]))
        let objectID = try Key.parseObjectID(String(fields[0]), type: type)
        let offset = try Key.parseOffset(String(fields[2]), type: type)
        self.init(objectID, type, offset)
    }

    static func parseType(_ s: String) throws -> UInt8 {
        if let n = PythonInt(s), n.fits(min: -1, max: 255) { return UInt8(truncatingIfNeeded: n.low) }
        if let t = ItemType(name: s) { return t.rawValue }
        throw BtrfsError.invalidArgument("Unknown key type \(s)")
    }

    static func parseObjectID(_ s: String, type: UInt8) throws -> UInt64 {
        if let n = PythonInt(s), n.fits(min: -255, max: nil) { return n.low }
        if let id = ObjectID(name: s) { return id.rawValue }
        return try parseQgroupOrHex(s, type: type, field: "objectid")
    }

    static func parseOffset(_ s: String, type: UInt8) throws -> UInt64 {
        if let n = PythonInt(s), n.fits(min: -1, max: nil) { return n.low }
        return try parseQgroupOrHex(s, type: type, field: "offset")
    }

    /// What objectid and offset both accept after their own numbers and names: `level/subvolid`
    /// for qgroup types, else `0x` hex.
    private static func parseQgroupOrHex(_ s: String, type: UInt8, field: String) throws -> UInt64 {
        switch ItemType(type) {
        case .qgroupRelation, .qgroupInfo, .qgroupLimit:
            if let q = parseQgroup(s) { return q }
            throw BtrfsError.invalidArgument("Unparsable key \(field) \(s) for qgroup type \(ItemType(type).name?.description ?? String(type))")
        default: break
        }
        if s.hasPrefix("0x"), let v = UInt64(s.dropFirst(2).filter { $0 != "_" }, radix: 16) { return v }
        throw BtrfsError.invalidArgument("Unparsable key \(field) \(s)")
    }

    /// `level/subvolid`, each plain decimal digits.
    static func parseQgroup(_ s: String) -> UInt64? {
        let parts = s.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let level = UInt64(parts[0]), let sub = UInt64(parts[1]) else { return nil }
        let (shifted, o1) = level.multipliedReportingOverflow(by: 1 << 48)
        let (sum, o2) = shifted.addingReportingOverflow(sub)
        return o1 || o2 ? nil : sum
    }
}

/// An integer as Python's `int(str)` reads it: surrounding whitespace, a sign, decimal digits with
/// single underscores between them; magnitude kept up to 2^64 - 1 (larger is out of every range).
struct PythonInt {
    var negative: Bool
    var magnitude: UInt64

    init?(_ text: String) {
        var s = Substring(text)
        while let c = s.first, c.isWhitespace { s.removeFirst() }
        while let c = s.last, c.isWhitespace { s.removeLast() }
        negative = false
        if s.first == "-" || s.first == "+" { negative = s.first == "-"; s.removeFirst() }
        guard let first = s.first, first.isASCII, first.isNumber, s.last != "_" else { return nil }
        var value: UInt64 = 0
        var previousUnderscore = false
        for c in s.utf8 {
            if c == UInt8(ascii: "_") {
                if previousUnderscore { return nil }
                previousUnderscore = true
                continue
            }
            previousUnderscore = false
            guard c >= 48 && c <= 57 else { return nil }
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(UInt64(c - 48))
            if o1 || o2 { return nil }
            value = a
        }
        magnitude = value
    }

    /// Within [min, max] (max nil: up to 2^64 - 1).
    func fits(min: Int64, max: UInt64?) -> Bool {
        if negative { return magnitude == 0 || magnitude <= UInt64(-min) }
        return magnitude <= (max ?? .max)
    }

    /// The value masked to 64 bits, as python-btrfs's `ULL()`.
    var low: UInt64 { negative ? 0 &- magnitude : magnitude }
}

extension ObjectID {
    /// python-btrfs's `parse_tree_name`: a number (as Python's int() reads it, negative values
    /// wrapping to 64 bits), or a tree name with optional `_tree` suffix in any case
    /// (`EXTENT_TREE`, `extent`, `free_space`, `data_reloc`).
    public static func parseTreeName(_ name: String) throws -> UInt64 {
        if let n = parsePythonInt(name) { return n }
        var lower = name.lowercased()
        if lower.hasSuffix("_tree") { lower.removeLast(5) }
        if let tree = treeNames.first(where: { $0.name == lower }) { return tree.id.rawValue }
        throw BtrfsError.invalidArgument("Unknown metadata tree name \(name)")
    }

    /// python-btrfs 15's tree names (utils `_tree_name_id_map`), in its order; shell completion offers them.
    public static let treeNames: [(name: String, id: ObjectID)] = [
        ("root", .rootTree), ("extent", .extentTree), ("chunk", .chunkTree), ("dev", .devTree), ("fs", .fsTree),
        ("csum", .csumTree), ("quota", .quotaTree), ("uuid", .uuidTree), ("free_space", .freeSpaceTree),
        ("block_group", .blockGroupTree), ("tree_log", .treeLog), ("tree_log_fixup", .treeLogFixup), ("tree_reloc", .treeReloc),
        ("data_reloc", .dataRelocTree),
    ]
}

/// Python's `int(text)` for an argument (whitespace, sign, digits with single underscores),
/// wrapped to 64 bits as python-btrfs's ULL() does; nil when Python would refuse it or it does
/// not fit in 64 bits.
public func parsePythonInt(_ text: String) -> UInt64? {
    guard let n = PythonInt(text), n.fits(min: Int64.min + 1, max: nil) else { return nil }
    return n.low
}
