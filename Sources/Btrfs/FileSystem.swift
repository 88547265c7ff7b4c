/// The front door, as `btrfs.FileSystem` is in python-btrfs: one open descriptor on a
/// mounted btrfs, through which every kernel call of the library goes.
public final class FileSystem {
    public let descriptor: Descriptor

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
    /// fstat(2) of the open descriptor.
    func fileStatus() throws -> stat {
        var st = stat()
        guard fstat(descriptor.rawValue, &st) == 0 else { throw BtrfsError.cannotAccess(path: path, errno: errno) }
        return st
    }

    /// The inode number of what the descriptor is open on (256 for a subvolume's root).
    public func inodeNumber() throws -> UInt64 { UInt64(try fileStatus().st_ino) }

    /// Is the descriptor open on a regular file?
    public func isRegularFile() throws -> Bool { (try fileStatus().st_mode & S_IFMT) == S_IFREG }
}
