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

    @inlinable
    public func getInteger<T: FixedWidthInteger>(at: Int, as: T.Type = T.self) throws -> T {
        try check(at: at, length: MemoryLayout<T>.size)
        guard let base else { throw BtrfsError.truncated(item: context, need: MemoryLayout<T>.size, have: 0) }
        return T(littleEndian: base.loadUnaligned(fromByteOffset: at, as: T.self))
    }

    @inlinable
    public mutating func readInteger<T: FixedWidthInteger>(as: T.Type = T.self) throws -> T {
        let v: T = try getInteger(at: offset)
        offset &+= MemoryLayout<T>.size
        return v
    }

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

    /// A 16-byte UUID.
    public mutating func readUUID() throws -> UUID {
        let bytes = try readBytes(16)
        return UUID(bytes: bytes)
    }
}

/// A 16-byte btrfs UUID, printed the way uuid_unparse prints it.
public struct UUID: Hashable, Sendable, CustomStringConvertible {
    public var bytes: [UInt8]

    /// Takes 16 bytes; a shorter array is zero-padded and a longer one cut, so no input can trap.
    public init(bytes: [UInt8]) {
        if bytes.count == 16 {
            self.bytes = bytes
        } else {
            self.bytes = Array((bytes + [UInt8](repeating: 0, count: 16)).prefix(16))
        }
    }

    public static let zero = UUID(bytes: [UInt8](repeating: 0, count: 16))

    public var isZero: Bool { bytes.allSatisfy { $0 == 0 } }

    /// Lower-case 8-4-4-4-12 form.
    public var description: String {
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(36)
        for (i, b) in bytes.enumerated() {
            if i == 4 || i == 6 || i == 8 || i == 10 { out.append(UInt8(ascii: "-")) }
            out.append(hex[Int(b >> 4)])
            out.append(hex[Int(b & 0xf)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
