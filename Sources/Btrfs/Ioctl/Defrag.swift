#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CBtrfs

extension CompressionType {
    /// The algorithms a file can be compressed with, in number order (defragment's `-c` choices).
    public static let algorithms: [UInt8] = [zlib, lzo, zstd]

    /// The name as mount options and btrfs-progs spell it (`zlib`), nil for a number no kernel uses:
    /// each program spells unknown values its own way, so the caller picks the fallback.
    public static func knownName(_ type: UInt8) -> String? { staticName(type).map { $0.description } }

    /// The name as mount options and btrfs-progs spell it (`zlib`), else the number.
    public static func name(_ type: UInt8) -> String { knownName(type) ?? String(type) }

    /// btrfs-progs' parse_compress_type: zlib, lzo or zstd in any case; nil for anything else.
    public static func named(_ name: String) -> UInt8? {
        let lowered = name.lowercased()
        return algorithms.first { knownName($0) == lowered }
    }
}

/// The flags of BTRFS_IOC_DEFRAG_RANGE (python-btrfs's DEFRAG_RANGE_*; the last two are newer
/// than the installed uapi header: COMPRESS_LEVEL since Linux 6.15, NOCOMPRESS since 6.16).
public struct DefragRangeFlags: OptionSet, Hashable, Sendable {
    /// The bits as the kernel has them (BTRFS_DEFRAG_RANGE_*).
    public var rawValue: UInt64
    /// Flags from the kernel's bits.
    public init(rawValue: UInt64) { self.rawValue = rawValue }

    /// (Re)compress what is rewritten; the kernel then also starts I/O and rewrites every extent.
    public static let compress = DefragRangeFlags(rawValue: 1)
    /// Start writeback at once instead of leaving the rewritten data dirty in memory.
    public static let startIO = DefragRangeFlags(rawValue: 2)
    /// The compression argument carries a type and a level (struct compress {u8 type; s8 level}).
    public static let compressLevel = DefragRangeFlags(rawValue: 4)
    /// Rewrite without compression (uncompressing what was compressed).
    public static let noCompress = DefragRangeFlags(rawValue: 8)
}

/// The arguments of one DEFRAG_RANGE call (struct btrfs_ioctl_defrag_range_args, 48 bytes),
/// with python-btrfs's defaults: the whole file, the kernel's own extent threshold.
public struct DefragRange: Hashable, Sendable {
    /// Where in the file to start, in bytes.
    public var start: UInt64
    /// Bytes from `start`; `UInt64.max` for all (the kernel's `len`).
    public var length: UInt64
    public var flags: DefragRangeFlags
    /// Extents at least this long are left alone; 0 takes the kernel's default (256 KiB).
    public var extentThreshold: UInt32
    /// Compress with this type (a `CompressionType` value); setting one adds `.compress` to the flags sent.
    public var compression: UInt8?
    /// A compression level (zlib 1...9, zstd -15...15); setting one adds `.compressLevel`.
    public var level: Int8?

    /// sizeof(struct btrfs_ioctl_defrag_range_args) in bytes.
    public static let size = 48

    /// A range with python-btrfs `defrag_range`'s defaults: the whole file, no flags.
    public init(start: UInt64 = 0, length: UInt64 = .max, flags: DefragRangeFlags = [],
                extentThreshold: UInt32 = 0, compression: UInt8? = nil, level: Int8? = nil) {
        self.start = start
        self.length = length
        self.flags = flags
        self.extentThreshold = extentThreshold
        self.compression = compression
        self.level = level
    }

    /// The flags as the kernel gets them: `.compress` with a compression, `.compressLevel` with a level.
    public var effectiveFlags: DefragRangeFlags {
        var flags = self.flags
        if compression != nil {
            flags.insert(.compress)
            if level != nil { flags.insert(.compressLevel) }
        }
        return flags
    }

    /// The argument block: start, len, flags (u64 each), extent_thresh (u32), then compress_type
    /// (u32), or with a level the union's {u8 type; s8 level}, and 16 spare bytes of zero.
    public var argumentBytes: [UInt8] {
        var bytes = [UInt8](repeating: 0, count: Self.size)
        func put<T: FixedWidthInteger>(_ value: T, at offset: Int) {
            withUnsafeBytes(of: value.littleEndian) { bytes.replaceSubrange(offset..<(offset + $0.count), with: $0) }
        }
        let flags = effectiveFlags
        put(start, at: 0)
        put(length, at: 8)
        put(flags.rawValue, at: 16)
        put(extentThreshold, at: 24)
        if let compression {
            if flags.contains(.compressLevel), let level {
                bytes[28] = compression
                bytes[29] = UInt8(bitPattern: level)
            } else {
                put(UInt32(compression), at: 28)
            }
        }
        return bytes
    }

    /// DEFRAG_RANGE on an open file (its extents) or directory (its subvolume's tree, root only).
    /// Never retried on EINTR; returns the errno of a failed call (ENOTTY: not btrfs).
    public func apply(fd: CInt) -> Result<Void, SystemError> {
        var args = argumentBytes
        return rawIoctl(fd, SB_IOC_DEFRAG_RANGE, &args, retryOnInterrupt: false).map { _ in () }
    }
}

extension FileSystem {
    /// BTRFS_IOC_DEFRAG_RANGE on what this descriptor is open on, as python-btrfs's
    /// `btrfs.ioctl.defrag_range(fd, start, length, flags, extent_thresh, compress_type)`:
    /// a regular file has its extents rewritten (and, with `compression`, recompressed); a
    /// directory has its subvolume's tree defragmented.
    public func defragRange(start: UInt64 = 0, length: UInt64 = .max, flags: DefragRangeFlags = [],
                            extentThreshold: UInt32 = 0, compression: UInt8? = nil,
                            level: Int8? = nil) throws {
        try defragRange(DefragRange(start: start, length: length, flags: flags, extentThreshold: extentThreshold,
                                    compression: compression, level: level))
    }

    /// DEFRAG_RANGE with prepared arguments.
    public func defragRange(_ range: DefragRange) throws {
        if case .failure(let e) = range.apply(fd: descriptor.rawValue) {
            throw descriptor.error(e.rawValue, call: "defrag range")
        }
    }
}
