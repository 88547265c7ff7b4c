import CBtrfs
import Testing
@testable import Btrfs

/// The item parsers as the usage model uses them, on hand-made bytes: exactly enough, one short, and counts
/// that promise more than is there. Sizes pinned to the uapi structs.
@Suite struct UsageItemsTests {
    static func le<T: FixedWidthInteger>(_ v: T) -> [UInt8] { withUnsafeBytes(of: v.littleEndian) { Array($0) } }

    static func chunkBytes(stripes: UInt16, declared: UInt16? = nil) -> [UInt8] {
        var b = le(UInt64(1 << 30)) + le(UInt64(2)) + le(UInt64(65536)) + le(UInt64(0x11))
        b += le(UInt32(65536)) + le(UInt32(65536)) + le(UInt32(4096)) + le(declared ?? stripes) + le(UInt16(1))
        for i in 0..<stripes {
            b += le(UInt64(i + 1)) + le(UInt64(22_020_096 * UInt64(i + 1))) + [UInt8](repeating: UInt8(i), count: 16)
        }
        return b
    }

    static func parseChunk(_ bytes: [UInt8]) throws -> Chunk {
        try bytes.withUnsafeBytes { try Chunk(key: Key(256, 228, 13_631_488), reader: ItemReader($0)).checkedForUsage() }
    }

    @Test func layoutsMatchTheUapiStructs() {
        #expect(MemoryLayout<btrfs_chunk>.size == Chunk.size + Stripe.size)
        #expect(MemoryLayout<btrfs_stripe>.size == Stripe.size)
        #expect(MemoryLayout<btrfs_dev_item>.size == DevItem.size)
    }

    @Test func chunkParsesEveryField() throws {
        let c = try Self.parseChunk(Self.chunkBytes(stripes: 2))
        #expect(c.vaddr == 13_631_488 && c.length == 1 << 30 && c.owner == 2 && c.stripeLen == 65536)
        #expect(c.type == 0x11 && c.ioAlign == 65536 && c.ioWidth == 65536 && c.sectorSize == 4096)
        #expect(c.numStripes == 2 && c.subStripes == 1)
        #expect(c.stripes.map(\.devid) == [1, 2] && c.stripes[1].offset == 44_040_192)
        #expect(c.stripes[1].devUUID.bytes == [UInt8](repeating: 1, count: 16))
        #expect(RaidAttributes.devExtentLength(of: c) == 1 << 30)   // RAID1: each stripe holds it all
    }

    @Test func chunkOneByteShortThrows() {
        let bytes = Self.chunkBytes(stripes: 2)
        #expect(throws: BtrfsError.self) { try Self.parseChunk(Array(bytes.dropLast())) }
        #expect(throws: BtrfsError.self) { try Self.parseChunk(Array(bytes.prefix(47))) }
    }

    @Test func chunkPromisingMoreStripesThanItHasThrows() {
        #expect(throws: BtrfsError.self) { try Self.parseChunk(Self.chunkBytes(stripes: 1, declared: .max)) }
        #expect(throws: BtrfsError.self) { try Self.parseChunk(Self.chunkBytes(stripes: 0)) }
    }

    /// The in-place read the usage sums use gives the parser's fields and throws where it throws.
    @Test func chunkHeadReadInPlaceMatchesTheParser() throws {
        func head(_ bytes: [UInt8]) throws -> (length: UInt64, type: UInt64, devids: [UInt64]) {
            try bytes.withUnsafeBytes { raw in
                let r = ItemReader(raw)
                let h = try Chunk.head(in: r)
                return (h.length, h.type, try (0..<Int(h.numStripes)).map { try Chunk.stripeDevid(in: r, $0) })
            }
        }
        let bytes = Self.chunkBytes(stripes: 2)
        let c = try Self.parseChunk(bytes)
        let h = try head(bytes)
        #expect(h.length == c.length && h.type == c.type && h.devids == c.stripes.map(\.devid))
        #expect(throws: BtrfsError.self) { try head(Array(bytes.dropLast())) }
        #expect(throws: BtrfsError.self) { try head(Array(bytes.prefix(47))) }
        #expect(throws: BtrfsError.self) { try head(Self.chunkBytes(stripes: 1, declared: .max)) }
    }

    @Test func devItemExactAndShort() throws {
        var b = Self.le(UInt64(3)) + Self.le(UInt64(1 << 30)) + Self.le(UInt64(1 << 28))
        b += Self.le(UInt32(4096)) + Self.le(UInt32(4096)) + Self.le(UInt32(4096)) + Self.le(UInt64(0))
        b += Self.le(UInt64(7)) + Self.le(UInt64(0)) + Self.le(UInt32(0)) + [0, 0]
        b += [UInt8](repeating: 0xaa, count: 16) + [UInt8](repeating: 0xbb, count: 16)
        #expect(b.count == 98)
        let d = try b.withUnsafeBytes { try DevItem(key: Key(1, 216, 3), reader: ItemReader($0)) }
        #expect(d.devid == 3 && d.totalBytes == 1 << 30 && d.bytesUsed == 1 << 28 && d.generation == 7)
        #expect(d.uuid.bytes.allSatisfy { $0 == 0xaa } && d.fsid.bytes.allSatisfy { $0 == 0xbb })
        #expect(throws: BtrfsError.self) {
            try Array(b.dropLast()).withUnsafeBytes { try DevItem(key: Key(1, 216, 3), reader: ItemReader($0)) }
        }
    }

    /// gcc's x86-64 double → u64: in range truncates, NaN gives 1 << 63, +inf and ≥ 2^64 give 0.
    @Test func cDoubleToU64() {
        #expect(ProgsUsage.cToU64(12.9) == 12)
        #expect(ProgsUsage.cToU64(9_223_372_036_854_775_808.0) == 1 << 63)
        #expect(ProgsUsage.cToU64(1.8e19) == 18_000_000_000_000_000_000)
        #expect(ProgsUsage.cToU64(.nan) == 1 << 63)
        #expect(ProgsUsage.cToU64(.infinity) == 0)
        #expect(ProgsUsage.cToU64(-5.7) == UInt64(bitPattern: -5))
    }

    /// progs' cmp_chunk_block_group: by type bits (the global reserve has none: first), System
    /// last, profile bits ascending within a type.
    @Test func progsSpaceOrder() {
        let F = BlockGroupFlags.self
        let flags: [UInt64] = [F.system | F.raid1, F.metadata | F.dup, F.data | F.raid1, F.data, F.metadata | F.raid1,
                               F.globalReserve]
        let sorted = ProgsUsage.sortedSpaces(flags.map { SpaceInfo(flags: $0, totalBytes: 0, usedBytes: 0) }).map(\.flags)
        #expect(sorted == [F.globalReserve, F.data, F.data | F.raid1, F.metadata | F.raid1, F.metadata | F.dup, F.system | F.raid1])
    }

    /// calc_chunk_size: mirrored profiles hold the whole chunk per device, striped ones a share.
    @Test func deviceBytesPerProfile() {
        let F = BlockGroupFlags.self
        func bytes(_ type: UInt64, _ stripes: UInt64) -> UInt64 {
            ProgsUsage.ChunkInfo(type: type, devid: 1, numStripes: stripes, size: 6 << 30).deviceBytes
        }
        #expect(bytes(F.data | F.raid1, 2) == 6 << 30)
        #expect(bytes(F.data | F.dup, 2) == 6 << 30)
        #expect(bytes(F.data | F.raid0, 3) == 2 << 30)
        #expect(bytes(F.data | F.raid5, 4) == 2 << 30)
        #expect(bytes(F.data | F.raid6, 5) == 2 << 30)
        #expect(bytes(F.data | F.raid10, 4) == 3 << 30)
        #expect(bytes(F.data | F.raid5, 1) == 0)   // a count from disk that makes no sense: no trap
    }
}
