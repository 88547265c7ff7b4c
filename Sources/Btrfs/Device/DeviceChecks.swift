#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CBlkid

/// The questions btrfs-progs asks of a device before it writes a filesystem's superblock on it
/// (mkfs/common.c test_dev_for_mkfs: swap, existing signatures, mounted, busy, block device).
/// Each answers with facts; the tool words the refusals.
public enum DeviceChecks {
    /// What libblkid finds on a device (progs' check_overwrite).
    public enum Signature: Hashable, Sendable {
        case nothing
        /// A filesystem, a RAID member, swap …: blkid's TYPE.
        case filesystem(String)
        /// blkid's PTTYPE.
        case partitionTable(String)
        /// A signature with neither value.
        case unknown
        /// The probe could not be set up or run.
        case probeFailed
    }

    /// blkid's full probe (superblocks and partition tables), as check_overwrite runs it.
    public static func probeSignature(_ path: String) -> Signature {
        guard let probe = path.withPathCString({ blkid_new_probe_from_filename($0) }) else { return .probeFailed }
        defer { blkid_free_probe(probe) }
        let size = blkid_probe_get_size(probe)
        if size < 0 { return .probeFailed }
        if size == 0 { return .nothing }
        if blkid_probe_enable_partitions(probe, 1) < 0 { return .probeFailed }
        let found = blkid_do_fullprobe(probe)
        if found < 0 { return .probeFailed }
        if found == 1 { return .nothing }
        if let type = value(probe, "TYPE") { return .filesystem(type) }
        if let type = value(probe, "PTTYPE") { return .partitionTable(type) }
        return .unknown
    }

    private static func value(_ probe: blkid_probe, _ name: String) -> String? {
        var data: UnsafePointer<CChar>?
        guard blkid_probe_lookup_value(probe, name, &data, nil) == 0, let data else { return nil }
        return String(pathCString: data)
    }

    /// check_btrfs_signature_zoned: a btrfs magic in the first 4 KiB (where a zoned filesystem
    /// keeps its superblock), or the errno of open or read.
    public static func hasZonedBtrfsSignature(_ path: String) -> Result<Bool, SystemError> {
        SystemCall.open(path, O_RDONLY | O_CLOEXEC).flatMap { fd in
            defer { close(fd) }
            var block = [UInt8](repeating: 0, count: 4096)
            return SystemCall.value { pread(fd, &block, block.count, 0) }
                .map { _ in block[64..<72].elementsEqual(Superblock.magic) }
        }
    }

    /// is_swap_device: is `path` (a block device, or a file) in /proc/swaps? stat's errno when
    /// `path` cannot be looked at; false for anything else or without /proc/swaps.
    public static func isSwap(_ path: String) -> Result<Bool, SystemError> {
        let st: stat
        switch SystemCall.stat(path) {
        case .failure(let e): return .failure(e)
        case .success(let answer): st = answer
        }
        let type = st.st_mode & S_IFMT
        guard type == S_IFBLK || type == S_IFREG else { return .success(false) }
        guard let table = MountedFilesystems.readFileBytes("/proc/swaps") else { return .success(false) }
        for line in table.split(separator: 0x0A, omittingEmptySubsequences: false).dropFirst() {
            let name = line.prefix { $0 != 0x20 && $0 != 0x09 }
            guard case .success(let other) = SystemCall.stat(String(pathBytes: MountPath.unescape(name))) else { continue }
            let otherType = other.st_mode & S_IFMT
            if otherType == S_IFBLK && type == S_IFBLK && other.st_rdev == st.st_rdev { return .success(true) }
            if otherType == S_IFREG && type == S_IFREG && other.st_dev == st.st_dev && other.st_ino == st.st_ino {
                return .success(true)
            }
        }
        return .success(false)
    }

    /// check_mounted: is `path` the device (or loop file) of a mounted filesystem? A device holding
    /// btrfs counts as mounted when any device of its filesystem is a btrfs mount's source; any
    /// other is compared with every mount's source. The errno of opening `path` or /proc/self/mounts.
    public static func isMounted(_ path: String) -> Result<Bool, SystemError> {
        switch SystemCall.open(path, O_RDONLY | O_CLOEXEC) {
        case .failure(let e): return .failure(e)
        case .success(let fd): close(fd)
        }
        let table: [UInt8]
        switch MountedFilesystems.fileContents("/proc/self/mounts") {
        case .failure(let e): return .failure(e)
        case .success(let read): table = read
        }
        let superblock = Superblock.read(path)
        for line in table.split(separator: 0x0A) {
            let fields = line.split(separator: 0x20, omittingEmptySubsequences: false)
            guard fields.count >= 3 else { continue }
            let source = String(pathBytes: MountPath.unescape(fields[0]))
            let isBtrfs = fields[2].elementsEqual("btrfs".utf8)
            if let superblock {
                guard isBtrfs else { continue }
                if isSameLoopFile(path, source) { return .success(true) }
                if superblock.numDevices > 1, let other = Superblock.read(source), other.fsid == superblock.fsid {
                    return .success(true)
                }
            } else {
                guard case .success(let st) = SystemCall.stat(source) else { continue }
                let type = st.st_mode & S_IFMT
                guard type == S_IFBLK || type == S_IFREG else { continue }
                if isSameLoopFile(path, source) { return .success(true) }
            }
        }
        return .success(false)
    }

    /// The open of test_dev_for_mkfs: `path` opened read-write and exclusively (a device another
    /// holder has open exclusively, a mounted one, answers EBUSY); whether it is a block device.
    public static func openExclusively(_ path: String) -> Result<Bool, SystemError> {
        SystemCall.open(path, O_RDWR | O_EXCL | O_CLOEXEC).flatMap { fd in
            defer { close(fd) }
            return SystemCall.fstat(fd).map { ($0.st_mode & S_IFMT) == S_IFBLK }
        }
    }

    /// zoned_model's question: is `path` a host-managed zoned block device (its whole disk's
    /// queue/zoned says so)? nil when `path` cannot be looked at.
    public static func isHostManagedZoned(_ path: String) -> Bool? {
        guard case .success(let st) = SystemCall.stat(path) else { return nil }
        guard (st.st_mode & S_IFMT) == S_IFBLK, let model = queueParameter(st.st_rdev, "zoned") else { return false }
        return model.hasPrefix("host-managed")
    }

    /// device_get_queue_param: /sys/block/<whole disk>/queue/<name> of a device number.
    static func queueParameter(_ device: dev_t, _ name: String) -> String? {
        var whole = [CChar](repeating: 0, count: Int(PATH_MAX))
        guard blkid_devno_to_wholedisk(device, &whole, whole.count, nil) == 0 else { return nil }
        let disk = whole.withUnsafeBufferPointer { String(pathCString: $0.baseAddress!) }
        return MountedFilesystems.readFile("/sys/block/\(disk)/queue/\(name)")
    }

    /// is_same_loop_file: the same path, the same block device or file, or a loop device and
    /// the file behind it.
    static func isSameLoopFile(_ a: String, _ b: String) -> Bool {
        isSameFile(loopBackingFile(a) ?? a, loopBackingFile(b) ?? b)
    }

    /// The backing file of a loop device (sysfs' loop/backing_file), nil for anything else.
    static func loopBackingFile(_ path: String) -> String? {
        var st = stat()
        guard path.withPathCString({ stat($0, &st) }) == 0, (st.st_mode & S_IFMT) == S_IFBLK,
              majorNumber(st.st_rdev) == 7, let real = realPath(path), let name = real.split(separator: "/").last,
              let text = MountedFilesystems.readFile("/sys/block/\(name)/loop/backing_file") else { return nil }
        return text.hasSuffix("\n") ? String(text.dropLast()) : text
    }

    /// A device number's major (glibc's gnu_dev_major, a macro Swift cannot call).
    static func majorNumber(_ device: dev_t) -> UInt64 {
        let d = UInt64(device)
        return ((d >> 8) & 0xfff) | ((d >> 32) & ~UInt64(0xfff))
    }

    /// is_same_blk_file.
    static func isSameFile(_ a: String, _ b: String) -> Bool {
        if (realPath(a) ?? a) == (realPath(b) ?? b) { return true }
        var sa = stat(), sb = stat()
        guard a.withPathCString({ stat($0, &sa) }) == 0, b.withPathCString({ stat($0, &sb) }) == 0 else { return false }
        if (sa.st_mode & S_IFMT) == S_IFBLK && (sb.st_mode & S_IFMT) == S_IFBLK && sa.st_rdev == sb.st_rdev { return true }
        return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino
    }
}

/// The few superblock fields the device checks need, from the primary copy at 64 KiB, and only
/// when it is one (magic, and a crc32c checksum that matches where that is the checksum type).
struct Superblock {
    static let magic = Array("_BHRfS_M".utf8)
    var fsid: [UInt8]
    var numDevices: UInt64

    static func read(_ device: String) -> Superblock? {
        guard let bytes = try? superblockBytes(device: device, offset: 0, count: 4096), bytes.count == 4096,
              bytes[64..<72].elementsEqual(magic) else { return nil }
        let csumType = UInt16(bytes[196]) | UInt16(bytes[197]) << 8
        if csumType == 0 {
            let stored = UInt32(bytes[0]) | UInt32(bytes[1]) << 8 | UInt32(bytes[2]) << 16 | UInt32(bytes[3]) << 24
            guard Crc32c.checksum(Array(bytes[32...])) == stored else { return nil }
        }
        return Superblock(fsid: Array(bytes[32..<48]), numDevices: bytes.load(at: 136))
    }
}
