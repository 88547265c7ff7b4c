/// EXTENT_CSUM (csum tree, key (EXTENT_CSUM EXTENT_CSUM bytenr)): one checksum per sector from
/// bytenr on, each `csumSize` bytes (4 for crc32c, 8 for xxhash64, 32 for sha256 and blake2b).
public struct ExtentCsumItem: Hashable, Sendable {
    /// The item's key, (EXTENT_CSUM EXTENT_CSUM vaddr); the size of one checksum (by the filesystem's csum
    /// type); the checksums, one per sector from `bytenr` on, back to back.
    public var key: Key
    public var csumSize: Int
    public var csums: [UInt8]
    /// Start of the first checksummed sector (the key offset).
    public var bytenr: UInt64 { key.offset }
    public var count: Int { csumSize > 0 ? csums.count / csumSize : 0 }

    /// Takes the item bytes as checksums of `csumSize` bytes each; throws when `csumSize` is not positive
    /// or does not divide the item's length.
    public init(key: Key, reader: ItemReader, csumSize: Int) throws {
        guard csumSize > 0 else { throw BtrfsError.invalidArgument("checksum size \(csumSize)") }
        guard reader.count % csumSize == 0 else {
            throw BtrfsError.malformed(what: "EXTENT_CSUM of \(reader.count) bytes is not a multiple of \(csumSize)")
        }
        self.key = key
        self.csumSize = csumSize
        csums = try reader.getBytes(at: 0, length: reader.count)
    }

    /// The i-th checksum's bytes.
    public func csum(_ i: Int) -> ArraySlice<UInt8> { csums[(i * csumSize)..<((i + 1) * csumSize)] }
}
