/// crc32c (Castagnoli) as btrfs uses it for name hashes and data checksums (python-btrfs crc32c.py).
public enum Crc32c {
    static let table: [UInt32] = (0..<256).map { i -> UInt32 in
        var c = UInt32(i)
        for _ in 0..<8 { c = c & 1 != 0 ? (c >> 1) ^ 0x82F6_3B78 : c >> 1 }
        return c
    }

    /// The raw update: no pre- or post-inversion beyond what `seed` carries.
    public static func update(_ seed: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        var crc = seed
        table.withUnsafeBufferPointer { t in
            for b in bytes { crc = t[Int((crc ^ UInt32(b)) & 0xff)] ^ (crc >> 8) }
        }
        return crc
    }

    /// `update` over an array (python-btrfs `crc32c(crc, data)`).
    public static func update(_ seed: UInt32, _ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBytes { update(seed, $0) }
    }

    /// Checksum of a data block as stored in the csum tree.
    public static func checksum(_ bytes: [UInt8]) -> UInt32 { ~update(~0, bytes) }

    /// Offset of a DIR_ITEM / XATTR_ITEM key: crc32c(~1, name).
    public static func nameHash(_ name: [UInt8]) -> UInt32 { update(~1, name) }

    /// Offset of an INODE_EXTREF key: crc32c seeded with the parent directory's inode number.
    public static func extrefHash(parent: UInt64, name: [UInt8]) -> UInt32 {
        update(UInt32(truncatingIfNeeded: parent), name)
    }
}
