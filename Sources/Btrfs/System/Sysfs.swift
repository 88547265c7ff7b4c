#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The filesystem's directory in sysfs, /sys/fs/btrfs/<fsid>, read as btrfs-progs reads it.
public struct Sysfs: Sendable {
    /// The filesystem's sysfs directory (/sys/fs/btrfs/FSID).
    public let directory: String

    /// The directory of the filesystem with this fsid.
    public init(fsid: BtrfsUUID) { directory = "/sys/fs/btrfs/\(fsid)" }

    /// A directory laid out like the above (tests use a scratch copy).
    public init(directory: String) { self.directory = directory }

    /// Does `relativePath` exist (progs opens it and only checks it could)?
    public func exists(_ relativePath: String) -> Bool {
        (directory + "/" + relativePath).withPathCString { access($0, F_OK) } == 0
    }

    /// The leading decimal number of a file, as progs' sysfs_read_file + strtoull (nil when the
    /// file cannot be opened; 0 when it holds no number).
    public func number(_ relativePath: String) -> UInt64? {
        let fd = (directory + "/" + relativePath).withPathCString { open($0, O_RDONLY | O_CLOEXEC) }
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 64)
        let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, 63) }
        guard count > 0 else { return 0 }
        var value: UInt64 = 0
        var index = 0
        while index < count && (buffer[index] == 0x20 || (0x09...0x0D).contains(buffer[index])) { index += 1 }
        while index < count, (0x30...0x39).contains(buffer[index]) {
            let (times, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times.addingReportingOverflow(UInt64(buffer[index] - 0x30))
            if o1 || o2 { return UInt64.max }  // strtoull saturates
            value = sum
            index += 1
        }
        return value
    }
}

extension Sysfs {
    /// Is the filesystem zoned (progs looks for features/zoned)?
    public var isZoned: Bool { exists("features/zoned") }

    /// Bytes unusable in zones for the block group type of `flags`, as progs'
    /// device_get_zone_unusable after its zoned check: data (mixed too), else metadata, else
    /// system; nil for a type without a counter (the global reserve) or an unreadable file.
    public func zoneUnusable(flags: UInt64) -> UInt64? {
        let type: String
        if flags & 1 != 0 { type = "data" }           // BTRFS_BLOCK_GROUP_DATA
        else if flags & 4 != 0 { type = "metadata" }  // BTRFS_BLOCK_GROUP_METADATA
        else if flags & 2 != 0 { type = "system" }    // BTRFS_BLOCK_GROUP_SYSTEM
        else { return nil }
        return number("allocation/\(type)/bytes_zone_unusable")
    }
}

extension FileSystem {
    /// The sysfs directory of this filesystem (named by its fsid).
    public func sysfs() throws -> Sysfs { Sysfs(fsid: try fsInfo().fsid) }
}

extension Sysfs {
    /// exclusive_operation's word as progs' get_fs_exclop reads it ("none", "balance",
    /// "balance paused", "device add" …, trailing white space cut); nil when the kernel has no
    /// such file or it reads empty.
    public var exclusiveOperation: String? {
        let fd = (directory + "/exclusive_operation").withPathCString { open($0, O_RDONLY | O_CLOEXEC) }
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, 31) }
        guard count > 0 else { return nil }
        var bytes = Array(buffer.prefix(count))
        while let last = bytes.last, last == 0x20 || (0x09...0x0D).contains(last) { bytes.removeLast() }
        return String(pathBytes: bytes)
    }

    /// Waits until the kernel notifies a change of exclusive_operation or `milliseconds` pass
    /// (sysfs notifies with POLLPRI after the file was read once).
    public func waitForExclusiveOperationChange(milliseconds: Int32) {
        let fd = (directory + "/exclusive_operation").withPathCString { open($0, O_RDONLY | O_CLOEXEC) }
        guard fd >= 0 else { return }
        defer { close(fd) }
        var byte: UInt8 = 0
        _ = read(fd, &byte, 1)
        var entry = pollfd(fd: fd, events: Int16(POLLPRI | POLLERR), revents: 0)
        _ = poll(&entry, 1, milliseconds)
    }
}
