#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CBlkid

/// A device opened read-write to join a filesystem, and the writes btrfs-progs makes before it
/// hands the device to the kernel (common/device-utils.c btrfs_prepare_device): an optional
/// whole-device discard, then zeros over the first and last 2 MiB and over each superblock copy
/// that fits, so no stale superblock or signature survives.
public final class DevicePreparation {
    /// The device's path.
    public let path: String
    let fd: CInt

    /// Opens `path` read-write (progs: "unable to open device"); throws the errno.
    public init(path: String) throws {
        fd = try SystemCall.open(path, O_RDWR | O_CLOEXEC).get { .cannotAccess(path: path, errno: $0) }
        self.path = path
    }

    deinit { close(fd) }

    /// device_get_partition_size_fd_stat: a file's length, a block device's size, else 0.
    public func size() throws -> UInt64 {
        let st = try SystemCall.fstat(fd).get { .system(errno: $0, call: "stat", path: path) }
        switch st.st_mode & S_IFMT {
        case S_IFREG: return UInt64(max(st.st_size, 0))
        case S_IFBLK: return Self.blockDeviceSize(fd)
        default: return 0
        }
    }

    /// discard_supported: the whole disk's queue/discard_granularity is not 0.
    public static func discardSupported(_ path: String) -> Bool {
        guard case .success(let st) = SystemCall.stat(path), (st.st_mode & S_IFMT) == S_IFBLK,
              let text = DeviceChecks.queueParameter(st.st_rdev, "discard_granularity") else { return false }
        return atoi(text) != 0
    }

    /// device_discard_blocks over [0, size) in 1 GiB steps; stops at the first error, which
    /// progs ignores (a discard is an optimisation), so it is returned, not thrown.
    @discardableResult
    public func discard(size: UInt64) -> Int32? {
        var start: UInt64 = 0
        while start < size {
            var range: [UInt64] = [start, min(size - start, 1 << 30)]
            if case .failure(let e) = rawIoctl(fd, SB_BLKDISCARD, &range, retryOnInterrupt: false) { return e.rawValue }
            start += range[1]
        }
        return nil
    }

    /// The byte ranges progs zeroes on a device of `size` bytes: 2 MiB at the start, 4 KiB at
    /// each superblock copy (64 KiB, 64 MiB, 256 GiB), 2 MiB at the end; each cut at the end of
    /// the device.
    public static func zeroRanges(size: UInt64) -> [Range<UInt64>] {
        let twoMiB: UInt64 = 2 << 20
        func clamped(_ start: UInt64, _ length: UInt64) -> Range<UInt64> {
            let from = min(start, size)
            return from..<max(from, min(start &+ length, size))
        }
        var ranges = [clamped(0, twoMiB)]
        for copy in 0..<3 { ranges.append(clamped(copy == 0 ? 65536 : (16 << 10) << (12 * UInt64(copy)), 4096)) }
        ranges.append(size >= twoMiB ? clamped(size - twoMiB, twoMiB) : size..<size)
        return ranges
    }

    /// Writes the zeros of `zeroRanges`; throws EIO for a short write, as progs reports it.
    public func zeroSuperblockAreas(size: UInt64) throws {
        for range in Self.zeroRanges(size: size) where !range.isEmpty {
            let zeros = [UInt8](repeating: 0, count: Int(range.count))
            let written = zeros.withUnsafeBytes { z in
                SystemCall.value { pwrite(fd, z.baseAddress, z.count, off_t(range.lowerBound)) }
            }
            guard case .success(zeros.count) = written else { throw BtrfsError.system(errno: EIO, call: "zero device", path: path) }
        }
    }

    /// The size of a block device by path (device_get_partition_size), 0 when it cannot be read:
    /// `ProgsUsage.partitionSize`, the one reading of a device's size (its sysfs fallback in bytes).
    public static func partitionSize(_ path: String) -> UInt64 {
        (try? ProgsUsage.partitionSize(path)) ?? 0
    }

    /// BLKGETSIZE64 of an open block device; 0 when the kernel does not say.
    static func blockDeviceSize(_ fd: CInt) -> UInt64 {
        var bytes: UInt64 = 0
        guard case .success = rawIoctl(fd, SB_BLKGETSIZE64, &bytes, retryOnInterrupt: true) else { return 0 }
        return bytes
    }
}
