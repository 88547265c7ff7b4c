#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Btrfs

/// How send finds the subvolumes it names: progs' init_root_path, set_root_info, get_root_id,
/// is_subvol_ro and find_good_parent, with their messages.
extension Send {
    /// init_root_path: the mount point of the filesystem, from the first subvolume that needs it.
    static func initRootPath(_ state: State, _ subvol: String) throws -> String {
        if let known = state.rootPath { return known }
        switch MountedFilesystems.mountRoot(of: subvol) {
        case .failure(let e):
            throw state.fail("failed to determine mount point for \(subvol): \(errorText(e))")
        case .success(.notBtrfs):
            throw state.fail("\(subvol) doesn't belong to btrfs mount point")
        case .success(.btrfs(let mount)):
            switch SystemCall.open(mount, O_RDONLY | O_CLOEXEC) {
            case .success(let fd): close(fd)
            case .failure(let e): throw state.fail("cannot open '\(mount)': \(errorText(e))")
            }
            state.rootPath = mount
            return mount
        }
    }

    /// set_root_info: the root id of the subvolume `subvol` (a real path) is in.
    static func rootInfo(_ state: State, _ subvol: String) throws -> UInt64 {
        let mount = try initRootPath(state, subvol)
        return try rootID(state, stripMountPoint(state, mount, subvol), mountPoint: mount,
                          failure: "cannot resolve rootid for \(subvol)")
    }

    /// subvol_strip_mountpoint: `path` relative to `mount`; a path not below it ends the run.
    static func stripMountPoint(_ state: State, _ mount: String, _ path: String) throws -> String {
        let m = mount.pathBytes, p = path.pathBytes
        guard !m.isEmpty else { return path }
        guard p.starts(with: m), m.count == 1 || (p.count > m.count && p[m.count] == UInt8(ascii: "/")) else {
            throw state.fail("not on mount point: \(mount)")
        }
        let cut = m.last == UInt8(ascii: "/") ? m.count : m.count + 1
        return String(pathBytes: Array(p.dropFirst(cut)))
    }

    /// get_root_id: INO_LOOKUP on `relative` below the mount point, the tree it is in.
    static func rootID(_ state: State, _ relative: String, mountPoint: String, failure: String) throws -> UInt64 {
        let full = mountPoint.hasSuffix("/") ? mountPoint + relative : mountPoint + "/" + relative
        let fs: FileSystem
        do {
            fs = try FileSystem(path: full)
        } catch let error as BtrfsError {
            state.context.error("open \(relative) failed: \(errorText(error, .strerror(orElse: ENOTTY)))")
            throw state.fail(failure)
        }
        do {
            return try fs.inoLookup().tree
        } catch let error as BtrfsError {
            state.context.error("cannot resolve rootid for path: \(errorText(error, .strerror(orElse: ENOTTY)))")
            throw state.fail(failure)
        }
    }

    /// is_subvol_ro: BTRFS_IOC_SUBVOL_GETFLAGS on the path.
    static func isReadOnly(_ state: State, _ subvol: String) throws -> Bool {
        let fs: FileSystem
        do {
            fs = try FileSystem(path: subvol)
        } catch BtrfsError.notBtrfs {
            throw state.fail("failed to get flags for subvolume \(subvol): \(errnoText(ENOTTY))")
        } catch let error as BtrfsError {
            throw state.fail("cannot open \(subvol): \(errorText(error, .strerror(orElse: EINVAL)))")
        }
        do {
            return try fs.subvolumeFlags() & FileSystem.subvolumeReadOnlyFlag != 0
        } catch let error as BtrfsError {
            throw state.fail("failed to get flags for subvolume \(subvol): \(errorText(error, .strerror(orElse: ENOTTY)))")
        }
    }
}

/// progs' find_good_parent: with clone sources but no -p, the parent of an incremental send is
/// the subvolume's own parent (its parent UUID) when that is a clone source, else the clone
/// source with the same parent whose ctransid is closest to the parent's.
enum SendParent {
    static func find(for rootID: UInt64, among clones: [UInt64], mountPoint: String) throws -> UInt64 {
        let fs = try FileSystem(path: mountPoint)
        guard let parent = try parentOf(rootID, fs) else { throw BtrfsError.itemNotFound("no parent of \(rootID)") }
        if clones.contains(parent.id) { return parent.id }
        var best: (id: UInt64, diff: UInt64)?
        for clone in clones {
            guard let cloneParent = try? parentOf(clone, fs), cloneParent.id == parent.id else { continue }
            let info = try fs.subvolumeInfo(id: clone)
            let diff = info.ctransid >= parent.ctransid ? info.ctransid - parent.ctransid : parent.ctransid - info.ctransid
            if diff < (best?.diff ?? .max) { best = (clone, diff) }
        }
        guard let best else { throw BtrfsError.itemNotFound("no clone source shares the parent of \(rootID)") }
        return best.id
    }

    /// get_parent: the subvolume whose UUID is `id`'s parent UUID, through the UUID tree.
    static func parentOf(_ id: UInt64, _ fs: FileSystem) throws -> SubvolumeInfo? {
        let info = try fs.subvolumeInfo(id: id)
        guard let parentID = try fs.subvolumeID(uuid: info.parentUUID) else { return nil }
        return try fs.subvolumeInfo(id: parentID)
    }
}
