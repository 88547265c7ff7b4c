/// The front door, as `btrfs.FileSystem` is in python-btrfs: one open descriptor on a
/// mounted btrfs, through which every kernel call of the library goes.
public final class FileSystem {
    /// The open descriptor every call goes through (its `rawValue` is python-btrfs's `fs.fd`).
    public let descriptor: Descriptor
    /// FS_INFO as first asked: fsid, nodesize and sectorsize do not change while mounted.
    var cachedInfo: FsInfo?
    /// Whether block group items live in the block group tree (compat_ro BLOCK_GROUP_TREE).
    var cachedBlockGroupTree: Bool?

    /// The path the filesystem was opened by.
    public var path: String { descriptor.path }

    /// Opens `path` (a file or directory on a mounted btrfs; with `directoryOrFile`, nothing else).
    public init(path: String, requireDirectory: Bool = false, directoryOrFile: Bool = false) throws {
        descriptor = try Descriptor(path: path, requireDirectory: requireDirectory, directoryOrFile: directoryOrFile)
    }

    /// The filesystem an open descriptor is on (a duplicate of it is kept).
    public init(duplicating fd: CInt, path: String) throws {
        descriptor = try Descriptor(duplicating: fd, path: path)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

extension FileSystem {
    /// The filesystem's uuid (python-btrfs `fs.fsid`), read by the first FS_INFO and kept.
    public var fsid: BtrfsUUID { get throws { try identity().fsid } }
    /// Size of a metadata tree block (python-btrfs `fs.nodesize`), read once and kept.
    public var nodesize: UInt32 { get throws { try identity().nodesize } }
    /// Smallest unit of data allocation (python-btrfs `fs.sectorsize`), read once and kept.
    public var sectorsize: UInt32 { get throws { try identity().sectorsize } }

    /// python-btrfs asks FS_INFO when a FileSystem is made; here the first caller does, so
    /// opening stays one system call for the tool's commands that never need these.
    func identity() throws -> FsInfo {
        if let info = cachedInfo { return info }
        let info = try fsInfo()
        cachedInfo = info
        return info
    }

    /// fstat(2) of the open descriptor.
    func fileStatus() throws -> stat {
        try SystemCall.fstat(descriptor.rawValue).get { .cannotAccess(path: path, errno: $0) }
    }

    /// The inode number of what the descriptor is open on (256 for a subvolume's root).
    public func inodeNumber() throws -> UInt64 { UInt64(try fileStatus().st_ino) }

    /// Is the descriptor open on a regular file?
    public func isRegularFile() throws -> Bool { (try fileStatus().st_mode & S_IFMT) == S_IFREG }
}
