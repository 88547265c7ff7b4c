/// Reads little-endian fields from a bounded slice of item bytes. Every read checks its
/// length first and throws `BtrfsError.truncated`; nothing here can trap on kernel bytes.
public struct ItemReader {
    @usableFromInline let base: UnsafeRawPointer?
    /// Number of bytes in the slice.
    public let count: Int
    /// Where the next `read*` starts.
    public var offset: Int
    /// Names the item in errors ("DIR_ITEM", "chunk stripe").
    public var context: String

    /// A reader over `buffer`; the bytes must outlive the reader.
    public init(_ buffer: UnsafeRawBufferPointer, context: String = "item") {
        self.base = buffer.baseAddress.map { UnsafeRawPointer($0) }
        self.count = buffer.count
        self.offset = 0
        self.context = context
    }

    /// Bytes left after `offset`.
    @inlinable public var remaining: Int { count &- offset }

    /// Throws unless `length` bytes are there at `at`; written so a huge length cannot overflow.
    @inlinable
    public func check(at: Int, length: Int) throws {
        guard at >= 0, length >= 0, at <= count, length <= count &- at else {
            throw BtrfsError.truncated(item: context, need: at > 0 && length > Int.max - at ? Int.max : at &+ length, have: count)
        }
    }

    /// The little-endian integer at `at`, without moving; throws when the bytes are not there.
    @inlinable
    public func getInteger<T: FixedWidthInteger>(at: Int, as: T.Type = T.self) throws -> T {
        try check(at: at, length: MemoryLayout<T>.size)
        guard let base else { throw BtrfsError.truncated(item: context, need: MemoryLayout<T>.size, have: 0) }
        return T(littleEndian: base.loadUnaligned(fromByteOffset: at, as: T.self))
    }

    /// The little-endian integer at `offset`, moving past it; throws when short.
    @inlinable
    public mutating func readInteger<T: FixedWidthInteger>(as: T.Type = T.self) throws -> T {
        let v: T = try getInteger(at: offset)
        offset &+= MemoryLayout<T>.size
        return v
    }

    /// Fixed-size reads at `offset` (unsigned 8 to 64 bits, signed 64), moving past them; throw when short.
    @inlinable public mutating func readU8() throws -> UInt8 { try readInteger() }
    @inlinable public mutating func readU16() throws -> UInt16 { try readInteger() }
    @inlinable public mutating func readU32() throws -> UInt32 { try readInteger() }
    @inlinable public mutating func readU64() throws -> UInt64 { try readInteger() }
    @inlinable public mutating func readI64() throws -> Int64 { try readInteger() }

    /// `length` raw bytes at `at`.
    public func getBytes(at: Int, length: Int) throws -> [UInt8] {
        try check(at: at, length: length)
        guard length > 0, let base else { return [] }
        return Array(UnsafeRawBufferPointer(start: base + at, count: length))
    }

    /// `length` raw bytes at `offset`, moving past them; throws when short.
    public mutating func readBytes(_ length: Int) throws -> [UInt8] {
        let v = try getBytes(at: offset, length: length)
        offset &+= length
        return v
    }

    /// Skips `length` bytes (padding, reserved fields), checking they are there.
    public mutating func skip(_ length: Int) throws {
        try check(at: offset, length: length)
        offset &+= length
    }

    /// A reader over `length` bytes starting at `at`, for a nested structure.
    public func subReader(at: Int, length: Int, context: String? = nil) throws -> ItemReader {
        try check(at: at, length: length)
        var r = ItemReader(UnsafeRawBufferPointer(start: base.map { $0 + at }, count: length),
                           context: context ?? self.context)
        r.offset = 0
        return r
    }

    /// A 16-byte UUID, read without a heap allocation.
    public mutating func readUUID() throws -> BtrfsUUID {
        let hi: UInt64 = try getInteger(at: offset)
        let lo: UInt64 = try getInteger(at: offset &+ 8)
        offset &+= 16
        return BtrfsUUID(high: UInt64(bigEndian: UInt64(littleEndian: hi)), low: UInt64(bigEndian: UInt64(littleEndian: lo)))
    }

    /// A checked view of `length` bytes at `at`, valid as long as the reader's bytes are.
    public func slice(at: Int, length: Int) throws -> UnsafeRawBufferPointer {
        try check(at: at, length: length)
        return UnsafeRawBufferPointer(start: base.map { $0 + at }, count: length)
    }

    /// A btrfs_disk_key: objectid, type, offset (17 bytes, packed).
    public mutating func readDiskKey() throws -> Key {
        let objectID = try readU64()
        let type = try readU8()
        let offset = try readU64()
        return Key(objectID, type, offset)
    }
}

/// A 16-byte btrfs UUID, printed the way uuid_unparse prints it (named apart from Foundation's `UUID`). Stored as two integers
/// (first byte most significant) so a parsed item holding UUIDs needs no heap.
public struct BtrfsUUID: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The first eight bytes (most significant first) and the last eight.
    public var high: UInt64
    public var low: UInt64

    /// A UUID from its two halves.
    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// Takes 16 bytes; a shorter array is zero-padded and a longer one cut, so no input can trap.
    public init(bytes: [UInt8]) {
        // Zero-pad or cut to 16 so no input can trap.
        let b = bytes.count == 16 ? bytes : Array((bytes + [UInt8](repeating: 0, count: 16)).prefix(16))
        var h: UInt64 = 0
        var l: UInt64 = 0
        for i in 0..<8 { h = h << 8 | UInt64(b[i]) }
        for i in 8..<16 { l = l << 8 | UInt64(b[i]) }
        self.init(high: h, low: l)
    }

    /// The first 16 bytes of `raw` (zero-padded when shorter), without an array on the heap.
    public init(raw: UnsafeRawBufferPointer) {
        guard raw.count >= 16 else {
            self.init(bytes: Array(raw))
            return
        }
        self.init(high: UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self)),
                  low: UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)))
    }

    /// The 16 bytes in disk order.
    public var bytes: [UInt8] {
        get {
            var out = [UInt8]()
            out.reserveCapacity(16)
            for i in (0..<8).reversed() { out.append(UInt8(truncatingIfNeeded: high >> UInt64(i * 8))) }
            for i in (0..<8).reversed() { out.append(UInt8(truncatingIfNeeded: low >> UInt64(i * 8))) }
            return out
        }
        set { self = BtrfsUUID(bytes: newValue) }
    }

    /// The all-zero UUID (btrfs's "none").
    public static let zero = BtrfsUUID(high: 0, low: 0)

    /// Whether all 16 bytes are zero.
    public var isZero: Bool { high == 0 && low == 0 }

    /// Byte order, as memcmp orders UUIDs.
    public static func < (a: BtrfsUUID, b: BtrfsUUID) -> Bool { (a.high, a.low) < (b.high, b.low) }

    /// Lower-case 8-4-4-4-12 form.
    public var description: String {
        let b = TextBuffer(capacity: 40)
        write(to: b)
        return b.text
    }

    /// The 8-4-4-4-12 form written into `out`.
    public func write(to out: TextBuffer) {
        out.writeHex(high >> 32, width: 8)
        out.write(byte: UInt8(ascii: "-"))
        out.writeHex((high >> 16) & 0xffff, width: 4)
        out.write(byte: UInt8(ascii: "-"))
        out.writeHex(high & 0xffff, width: 4)
        out.write(byte: UInt8(ascii: "-"))
        out.writeHex(low >> 48, width: 4)
        out.write(byte: UInt8(ascii: "-"))
        out.writeHex(low & 0xffff_ffff_ffff, width: 12)
    }
}
