import Testing
import CBtrfs
@testable import Btrfs

/// DefragRange's argument block against the kernel's struct btrfs_ioctl_defrag_range_args: the
/// C struct filled with the same values has the same bytes; the level variant puts type and
/// level in the union's first two bytes, as the 6.15 uapi's `struct { __u8 type; __s8 level; }`.
@Suite struct DefragRangeTests {
    @Test func argumentBytesAreTheKernelStruct() {
        #expect(MemoryLayout<btrfs_ioctl_defrag_range_args>.size == DefragRange.size)
        var c = btrfs_ioctl_defrag_range_args()
        c.start = 0x0102_0304_0506_0708
        c.len = 0x1112_1314_1516_1718
        c.flags = UInt64(BTRFS_DEFRAG_RANGE_COMPRESS | BTRFS_DEFRAG_RANGE_START_IO)
        c.extent_thresh = 0x2122_2324
        c.compress_type = 3
        let expected = withUnsafeBytes(of: &c) { Array($0) }
        let range = DefragRange(start: 0x0102_0304_0506_0708, length: 0x1112_1314_1516_1718, flags: [.startIO],
                                extentThreshold: 0x2122_2324, compression: CompressionType.zstd)
        #expect(range.argumentBytes == expected)
    }

    @Test func defaultsAreThePythonOnes() {
        // python-btrfs: start=0, length=ULLONG_MAX, flags=0, extent_thresh=0, compress_type=0.
        var c = btrfs_ioctl_defrag_range_args()
        c.len = UInt64.max
        #expect(DefragRange().argumentBytes == withUnsafeBytes(of: &c) { Array($0) })
        #expect(DefragRange().effectiveFlags == [])
    }

    @Test func levelTravelsBesideTheType() {
        let bytes = DefragRange(compression: CompressionType.zstd, level: -5).argumentBytes
        #expect(bytes[16] == 1 | 4)                      // COMPRESS | COMPRESS_LEVEL
        #expect(Array(bytes[28..<32]) == [3, 0xFB, 0, 0]) // type, level (-5), padding
        #expect(bytes[32...].allSatisfy { $0 == 0 })
        // A level without a compression is not sent (progs ignores -L without -c).
        #expect(DefragRange(level: 9).argumentBytes == DefragRange().argumentBytes)
    }

    @Test func compressionNames() {
        #expect(CompressionType.named("ZsTd") == CompressionType.zstd)
        #expect(CompressionType.named("lzo") == CompressionType.lzo)
        #expect(CompressionType.named("zlib") == CompressionType.zlib)
        #expect(CompressionType.named("none") == nil && CompressionType.named("") == nil)
        #expect(CompressionType.name(CompressionType.zstd) == "zstd" && CompressionType.name(9) == "9")
    }
}
