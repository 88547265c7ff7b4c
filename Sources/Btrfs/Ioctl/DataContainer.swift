/// struct btrfs_data_container, the answer buffer of LOGICAL_INO and INO_PATHS: four counters,
/// then `elemCount` 64-bit values. Read with bounds checks: the counts come from the kernel.
public struct DataContainer: Hashable, Sendable {
    /// Size of the header (four u32 counters) in front of the values.
    public static let headerSize = 16
    /// Bytes of the buffer the answer did not need.
    public var bytesLeft: UInt32
    /// Further bytes the buffer would have needed to hold every element.
    public var bytesMissing: UInt32
    public var elemCount: UInt32
    /// Elements that did not fit.
    public var elemMissed: UInt32
    /// The values; as many as both the count and the buffer allow.
    public var values: [UInt64]

    /// Parses `buffer` (the kernel wrote at most `buffer.count` bytes of it).
    init(_ buffer: UnsafeRawBufferPointer) {
        func u32(_ at: Int) -> UInt32 {
            at <= buffer.count &- 4 ? UInt32(littleEndian: buffer.loadUnaligned(fromByteOffset: at, as: UInt32.self)) : 0
        }
        bytesLeft = u32(0)
        bytesMissing = u32(4)
        elemCount = u32(8)
        elemMissed = u32(12)
        let room = buffer.count >= DataContainer.headerSize ? (buffer.count - DataContainer.headerSize) / 8 : 0
        let count = min(Int(elemCount), room)
        var values: [UInt64] = []
        values.reserveCapacity(count)
        for i in 0..<count {
            values.append(UInt64(littleEndian: buffer.loadUnaligned(fromByteOffset: DataContainer.headerSize + 8 * i,
                                                                     as: UInt64.self)))
        }
        self.values = values
    }
}
