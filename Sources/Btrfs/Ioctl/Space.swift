import CBtrfs

/// One row of BTRFS_IOC_SPACE_INFO: a block group type and profile with its allocation.
public struct SpaceInfo: Hashable, Sendable {
    /// Block group type and profile bits (`BlockGroupFlags`), or the global reserve bit.
    public var flags: UInt64
    /// Bytes allocated to block groups of these flags, and bytes used in them (virtual: before the
    /// profile's copies).
    public var totalBytes: UInt64
    public var usedBytes: UInt64

    /// A row from its fields.
    public init(flags: UInt64, totalBytes: UInt64, usedBytes: UInt64) {
        self.flags = flags
        self.totalBytes = totalBytes
        self.usedBytes = usedBytes
    }
}

extension FileSystem {
    /// Space info per type and profile, in the kernel's order (the two-call pattern btrfs-progs uses).
    /// Needs no privileges.
    public func spaceInfo() throws -> [SpaceInfo] {
        let headerSize = MemoryLayout<btrfs_ioctl_space_args>.size
        let infoSize = MemoryLayout<btrfs_ioctl_space_info>.size
        var probe = btrfs_ioctl_space_args()
        try descriptor.ioctl(SB_IOC_SPACE_INFO, &probe, name: "space info")
        var slots = Int(clamping: probe.total_spaces)
        if slots == 0 { return [] }
        // A new block group type may appear between the calls; ask again with more room then.
        // A kernel has a dozen spaces at most: a count that would overflow the buffer size (or
        // need gigabytes) is malformed, not something to multiply.
        let maxSlots = 1 << 16
        while true {
            guard slots <= maxSlots else { throw BtrfsError.malformed(what: "space info count \(slots)") }
            let byteCount = headerSize + slots * infoSize
            let buffer = UnsafeMutableRawPointer.allocate(byteCount: byteCount, alignment: 8)
            defer { buffer.deallocate() }
            buffer.initializeMemory(as: UInt8.self, repeating: 0, count: byteCount)
            buffer.storeBytes(of: UInt64(slots), toByteOffset: 0, as: UInt64.self)
            try descriptor.ioctl(SB_IOC_SPACE_INFO, buffer, name: "space info")
            let total = Int(clamping: buffer.load(fromByteOffset: 8, as: UInt64.self))
            if total > slots {
                slots = total
                continue
            }
            var result = [SpaceInfo]()
            result.reserveCapacity(total)
            for i in 0..<total {
                let at = headerSize + i * infoSize
                result.append(SpaceInfo(
                    flags: buffer.load(fromByteOffset: at, as: UInt64.self),
                    totalBytes: buffer.load(fromByteOffset: at + 8, as: UInt64.self),
                    usedBytes: buffer.load(fromByteOffset: at + 16, as: UInt64.self)))
            }
            return result
        }
    }
}
