#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// One extent FS_IOC_FIEMAP reports (struct fiemap_extent).
public struct FiemapExtent: Hashable, Sendable {
    /// Byte offset in the file, byte offset on disk (btrfs: the virtual address), length in bytes,
    /// FIEMAP_EXTENT_* flags.
    public var logical: UInt64
    public var physical: UInt64
    public var length: UInt64
    public var flags: UInt32

    /// FIEMAP_EXTENT_LAST, _UNKNOWN, _DELALLOC, _DATA_INLINE, _SHARED.
    public static let last: UInt32 = 0x1
    public static let unknown: UInt32 = 0x2
    public static let delalloc: UInt32 = 0x4
    public static let dataInline: UInt32 = 0x200
    public static let shared: UInt32 = 0x2000
}

/// FS_IOC_FIEMAP, the generic file extent map (not btrfs-specific; compsize and `filesystem du` use it).
public enum Fiemap {
    /// _IOWR('f', 11, struct fiemap).
    static let request: CUnsignedLong = 0xC020_660B
    static let headerSize = 32      // struct fiemap
    static let extentSize = 56      // struct fiemap_extent
    /// btrfs-progs' du asks with a 16 KiB buffer: 292 extents per call.
    static let bufferSize = 16384

    /// The extents of the open file `fd`, asked for as `btrfs filesystem du` asks: from the end of
    /// the last extent returned until one carries FIEMAP_EXTENT_LAST or none come back.
    /// Returns the errno of a failed call.
    public static func extents(fd: CInt) -> Result<[FiemapExtent], SystemError> {
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: bufferSize, alignment: 8)
        defer { buffer.deallocate() }
        buffer.initializeMemory(as: UInt8.self, repeating: 0, count: headerSize)
        let capacity = (bufferSize - headerSize) / extentSize
        var extents: [FiemapExtent] = []
        var start: UInt64 = 0
        while true {
            buffer.storeBytes(of: start, toByteOffset: 0, as: UInt64.self)
            buffer.storeBytes(of: UInt64.max, toByteOffset: 8, as: UInt64.self)
            buffer.storeBytes(of: UInt32(capacity), toByteOffset: 24, as: UInt32.self)
            if case .failure(let e) = rawIoctl(fd, request, buffer, retryOnInterrupt: true) { return .failure(e) }
            let mapped = min(Int(buffer.load(fromByteOffset: 20, as: UInt32.self)), capacity)
            if mapped == 0 { break }
            var last = false
            for i in 0..<mapped {
                let at = headerSize + i * extentSize
                let extent = FiemapExtent(logical: buffer.load(fromByteOffset: at, as: UInt64.self),
                                          physical: buffer.load(fromByteOffset: at + 8, as: UInt64.self),
                                          length: buffer.load(fromByteOffset: at + 16, as: UInt64.self),
                                          flags: buffer.load(fromByteOffset: at + 40, as: UInt32.self))
                if extent.flags & FiemapExtent.last != 0 { last = true }
                extents.append(extent)
            }
            if last { break }
            let final = extents[extents.count - 1]
            start = final.logical &+ final.length
        }
        return .success(extents)
    }
}
