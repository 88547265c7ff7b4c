#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CBtrfs

/// One subvolume tree of one mounted filesystem, as a directory walk meets them.
public struct SpaceTree: Hashable, Sendable {
    /// Index into `SubvolumeMap.filesystems`.
    public var filesystem: Int
    public var subvolume: UInt64
}

/// Which subvolume of which filesystem each directory of a walk is in. btrfs gives every
/// subvolume its own device number, so the kernel is asked (fstatfs, INO_LOOKUP, FS_INFO)
/// once per device number, not once per directory.
public final class SubvolumeMap {
    /// The filesystems opened, and the trees seen, in the order met.
    public private(set) var filesystems: [FileSystem] = []
    public private(set) var trees: [SpaceTree] = []
    private var fsids: [BtrfsUUID] = []
    /// st_dev → index into `trees`, or -1 for a filesystem that is not btrfs.
    private var byDevice: [UInt64: Int] = [:]

    /// An empty map.
    public init() {}

    /// BTRFS_EMPTY_SUBVOL_DIR_OBJECTID.
    public static let emptySubvolumeDirectory: UInt64 = 2

    /// The index in `trees` of the subvolume holding the open directory `fd` (whose device
    /// number and inode are `device` and `inode`), or nil when it is not on btrfs or is the empty
    /// stand-in a snapshot has where the source had a subvolume (inode 2, no tree of its own).
    public func tree(fd: CInt, device: UInt64, inode: UInt64, path: @autoclosure () -> String) throws -> Int? {
        if let known = byDevice[device] { return known < 0 ? nil : known }
        let sfs = try SystemCall.fstatfs(fd).get { .cannotAccess(path: path(), errno: $0) }
        guard UInt32(truncatingIfNeeded: sfs.f_type) == UInt32(truncatingIfNeeded: BTRFS_SUPER_MAGIC) else {
            byDevice[device] = -1
            return nil
        }
        if inode == SubvolumeMap.emptySubvolumeDirectory {
            byDevice[device] = -1
            return nil
        }
        let fs = try FileSystem(duplicating: fd, path: path())
        let subvolume = try fs.inoLookup().tree
        let fsid = try fs.fsInfo().fsid
        let index: Int
        if let known = fsids.firstIndex(of: fsid) {
            index = known
        } else {
            index = filesystems.count
            filesystems.append(fs)
            fsids.append(fsid)
        }
        let tree = SpaceTree(filesystem: index, subvolume: subvolume)
        let treeIndex = trees.firstIndex(of: tree) ?? {
            trees.append(tree)
            return trees.count - 1
        }()
        byDevice[device] = treeIndex
        return treeIndex
    }

    /// `tree(fd:…)` for a walk that owns `fd`: a failed lookup unwinds the walk, so `fd` is
    /// closed here then, not leaked.
    func tree(owning fd: CInt, device: UInt64, inode: UInt64, path: @autoclosure () -> String) throws -> Int? {
        do {
            return try tree(fd: fd, device: device, inode: inode, path: path())
        } catch {
            close(fd)
            throw error
        }
    }
}

/// The entries of an open directory in readdir order (on btrfs, the order of the directory's
/// index items): name bytes, d_type and inode number. Takes ownership of `fd`.
struct DirectoryStream {
    private let dir: OpaquePointer

    private init(_ dir: OpaquePointer) { self.dir = dir }

    /// The stream over open directory `fd` (then the stream's to close), or fdopendir's errno.
    static func adopting(_ fd: CInt) -> Result<DirectoryStream, SystemError> {
        SystemCall.pointer { fdopendir(fd) }.map(DirectoryStream.init)
    }

    func close() { closedir(dir) }

    /// The descriptor the stream reads, to open entries relative to it.
    var fd: CInt { dirfd(dir) }

    /// Calls `body` with each entry but `.` and `..`; the name is valid during the call only.
    /// Returns the errno of a failed readdir, 0 at the end.
    func forEach(_ body: (UnsafeBufferPointer<UInt8>, UInt8, UInt64) throws -> Void) rethrows -> Int32 {
        while true {
            let entry: UnsafeMutablePointer<dirent>
            switch SystemCall.clearingErrno({ readdir(dir) }) {
            case .failure(let e): return e.rawValue
            case .success(nil): return 0
            case .success(let found?): entry = found
            }
            let type = entry.pointee.d_type
            let ino = UInt64(entry.pointee.d_ino)
            try withUnsafePointer(to: &entry.pointee.d_name) { tuple in
                try tuple.withMemoryRebound(to: UInt8.self, capacity: MemoryLayout.size(ofValue: tuple.pointee)) { p in
                    let length = strlen(UnsafeRawPointer(p).assumingMemoryBound(to: CChar.self))
                    if p[0] == 0x2E && (length == 1 || (length == 2 && p[1] == 0x2E)) { return }
                    try body(UnsafeBufferPointer(start: p, count: length), type, ino)
                }
            }
        }
    }
}
