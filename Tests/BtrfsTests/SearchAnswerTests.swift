import Testing
@testable import Btrfs

/// The walk over one TREE_SEARCH_V2 answer (what the kernel writes after its arguments), without a
/// kernel: lengths the buffer cannot hold throw, never read past it. The fuzz target `search`
/// (Fuzz/Targets/search.swift) walks random answers the same way.
@Suite struct SearchAnswerTests {
    /// A search header for `key` announcing `length` bytes, then `data`.
    static func entry(_ key: Key, transid: UInt64 = 7, length: UInt32? = nil, data: [UInt8]) -> [UInt8] {
        func le<T: FixedWidthInteger>(_ v: T) -> [UInt8] { withUnsafeBytes(of: v.littleEndian) { Array($0) } }
        return le(transid) + le(key.objectID) + le(key.offset) + le(UInt32(key.type))
            + le(length ?? UInt32(data.count)) + data
    }

    static func walk(_ bytes: [UInt8], count: Int) throws -> [(Key, UInt64, [UInt8])] {
        try bytes.withUnsafeBytes { buffer in
            var answer = SearchAnswer(buffer: buffer, count: count)
            var found: [(Key, UInt64, [UInt8])] = []
            while let header = try answer.next() {
                found.append((header.key, header.transid, Array(header.data(in: buffer))))
            }
            return found
        }
    }

    @Test func walksEveryItemWithItsBytes() throws {
        let a = Key(256, ItemType.inodeItem.rawValue, 0), b = Key(257, ItemType.dirItem.rawValue, 9)
        let bytes = Self.entry(a, data: [1, 2, 3]) + Self.entry(b, transid: 9, data: [])
        let found = try Self.walk(bytes, count: 2)
        #expect(found.map { $0.0 } == [a, b])
        #expect(found.map { $0.1 } == [7, 9])
        #expect(found.map { $0.2 } == [[1, 2, 3], []])
    }

    @Test func exactlyEnoughBytesOneShortAndAHugeLength() throws {
        let key = Key(5, ItemType.rootItem.rawValue, 0)
        let exact = Self.entry(key, data: [9, 9, 9, 9])
        #expect(try Self.walk(exact, count: 1).count == 1)
        #expect(throws: BtrfsError.self) { try Self.walk(Array(exact.dropLast()), count: 1) }
        #expect(throws: BtrfsError.self) { try Self.walk(Self.entry(key, length: .max, data: []), count: 1) }
        // A header cut short is refused before any field is read.
        #expect(throws: BtrfsError.self) { try Self.walk(Array(exact.prefix(31)), count: 1) }
    }

    /// The kernel's item count is believed only as far as the bytes go.
    @Test func aCountBeyondTheBytesThrowsAfterTheLastWholeItem() throws {
        let bytes = Self.entry(Key(1, 1, 1), data: [0])
        #expect(throws: BtrfsError.self) { try Self.walk(bytes, count: 2) }
        #expect(try Self.walk(bytes, count: 1).count == 1)
        #expect(try Self.walk([], count: 0).isEmpty)
        #expect(throws: BtrfsError.self) { try Self.walk([], count: 1) }
    }
}
