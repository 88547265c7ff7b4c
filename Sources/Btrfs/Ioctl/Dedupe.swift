#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CBtrfs

/// One destination of FIDEDUPERANGE, as python-btrfs's `FileDedupeRangeInfo`: the file and
/// offset going in, the kernel's verdict coming out.
public struct FileDedupeRangeInfo: Sendable {
    /// The destination file (any open descriptor on it; root may dedupe into a read-only one).
    public var destination: CInt
    /// Where in the destination the range starts, in bytes.
    public var destOffset: UInt64
    /// Bytes that were found equal and now share the source's extents (nil before the call).
    public var bytesDeduped: UInt64?
    /// `FileDedupeRangeInfo.same`, `.differs`, or a negative errno (nil before the call).
    public var status: Int32?

    /// `status` values: FILE_DEDUPE_RANGE_SAME (deduplicated) and FILE_DEDUPE_RANGE_DIFFERS (contents
    /// differ, nothing done).
    public static let same: Int32 = 0       // FILE_DEDUPE_RANGE_SAME
    public static let differs: Int32 = 1    // FILE_DEDUPE_RANGE_DIFFERS

    /// A destination to fill in before the call: descriptor and offset.
    public init(destination: CInt, destOffset: UInt64) {
        self.destination = destination
        self.destOffset = destOffset
    }

    /// python-btrfs's `status_str`: RANGE_SAME, RANGE_DIFFERS or `ERROR <n>: <strerror>`.
    public var statusText: String {
        switch status {
        case nil: return "None"
        case FileDedupeRangeInfo.same: return "RANGE_SAME"
        case FileDedupeRangeInfo.differs: return "RANGE_DIFFERS"
        case let code?: return "ERROR \(code): \(errnoText(0 &- code))"
        }
    }
}

extension FileSystem {
    /// The byte size of struct file_dedupe_range and of each file_dedupe_range_info after it.
    static let dedupeHeaderSize = 24
    static let dedupeInfoSize = 32

    /// FIDEDUPERANGE from this descriptor (the source file): for each destination, the kernel
    /// compares `length` bytes at `sourceOffset` with the destination's and, where they are the
    /// same, makes the destination share the source's extents. Fills in `bytesDeduped` and
    /// `status`. Never retried on EINTR: it changes the filesystem.
    public func dedupeRange(sourceOffset: UInt64, length: UInt64, destinations: inout [FileDedupeRangeInfo]) throws {
        guard destinations.count <= Int(UInt16.max) else {
            throw BtrfsError.invalidArgument("too many dedupe destinations: \(destinations.count)")
        }
        let size = Self.dedupeHeaderSize + Self.dedupeInfoSize * destinations.count
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 8)
        defer { buffer.deallocate() }
        buffer.initializeMemory(as: UInt8.self, repeating: 0)
        buffer.storeBytes(of: sourceOffset.littleEndian, toByteOffset: 0, as: UInt64.self)
        buffer.storeBytes(of: length.littleEndian, toByteOffset: 8, as: UInt64.self)
        buffer.storeBytes(of: UInt16(destinations.count).littleEndian, toByteOffset: 16, as: UInt16.self)
        for (i, info) in destinations.enumerated() {
            let at = Self.dedupeHeaderSize + Self.dedupeInfoSize * i
            buffer.storeBytes(of: Int64(info.destination).littleEndian, toByteOffset: at, as: Int64.self)
            buffer.storeBytes(of: info.destOffset.littleEndian, toByteOffset: at + 8, as: UInt64.self)
        }
        let e = descriptor.ioctlErrno(SB_FIDEDUPERANGE, buffer.baseAddress, retryOnInterrupt: false)
        // FIDEDUPERANGE is a VFS call: ENOTTY here is not "not btrfs" but the call's own answer.
        if e != 0 { throw BtrfsError.system(errno: e, call: "dedupe range", path: path) }
        for i in destinations.indices {
            let at = Self.dedupeHeaderSize + Self.dedupeInfoSize * i
            destinations[i].bytesDeduped = UInt64(littleEndian: buffer.loadUnaligned(fromByteOffset: at + 16, as: UInt64.self))
            destinations[i].status = Int32(littleEndian: buffer.loadUnaligned(fromByteOffset: at + 24, as: Int32.self))
        }
    }
}
