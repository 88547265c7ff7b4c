#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Btrfs

/// Where logical-resolve can reach a subvolume's root directory. btrfs-progs 6.2 looks only at
/// PATH (for the top level) and at a mount of exactly that subvolume, found by a mountinfo parser
/// that misreads lines without exactly one optional field; everything else is "not mounted".
/// Here the subvolume's path from the top level (through the root tree's backrefs) is placed
/// below PATH or below any mount of the same filesystem. Each candidate is checked: same fsid,
/// the expected tree, inode 256 (its root).
struct SubvolumeDirectories {
    let fs: FileSystem
    /// PATH as the user typed it: progs prints it as given.
    let pathOperand: String
    private var cache: [UInt64: (path: String, fs: FileSystem)?] = [:]
    private var pathLocation: [UInt8]??
    private var mounts: Result<[MountInfoEntry], BtrfsError>?
    private var fsid: BtrfsUUID?

    init(fs: FileSystem, pathOperand: String) {
        self.fs = fs
        self.pathOperand = pathOperand
    }

    /// A directory that is the root of subvolume `root`, whose path from the top level is `name`.
    /// Throws where the answer would otherwise be a wrong "not mounted": no descriptor left to open
    /// a candidate, or no mount table to look in (no /proc) when PATH did not hold it.
    mutating func directory(root: UInt64, name: [UInt8]) throws -> (path: String, fs: FileSystem)? {
        if let known = cache[root] { return known }
        let found = try find(root: root, name: name)
        cache[root] = found
        return found
    }

    private mutating func find(root: UInt64, name: [UInt8]) throws -> (path: String, fs: FileSystem)? {
        let location = locationOfPath()
        // PATH is that subvolume's root: what progs does for the top level, and right for any.
        if let location, location == name { return (pathOperand, fs) }
        let table = mountTable()
        let mounts = (try? table.get()) ?? []
        // progs' find_mount_fsroot: a mount of exactly this subvolume (the first one: not a bind).
        for entry in mounts where entry.root == [UInt8(ascii: "/")] + name && entry.option("subvolid") == "\(root)" {
            if let hit = try check(String(pathBytes: entry.mountPoint), root: root) { return hit }
        }
        // Below PATH, then below any mount of this filesystem.
        if let location, let rest = below(name, location),
           let hit = try check(pathOperand + "/" + String(pathBytes: rest), root: root) {
            return hit
        }
        if case .failure(let error) = table { throw error }
        for entry in mounts {
            let mountRoot = Array(entry.root.drop { $0 == UInt8(ascii: "/") })
            guard let rest = mountRoot == name ? [] : below(name, mountRoot) else { continue }
            let point = String(pathBytes: entry.mountPoint)
            if let hit = try check(rest.isEmpty ? point : point + "/" + String(pathBytes: rest), root: root) { return hit }
        }
        return nil
    }

    /// `name` below directory `location` (both from the top level, no leading '/'): the rest.
    private func below(_ name: [UInt8], _ location: [UInt8]) -> [UInt8]? {
        if location.isEmpty { return name.isEmpty ? nil : name }
        guard name.count > location.count + 1, name.starts(with: location),
              name[location.count] == UInt8(ascii: "/") else { return nil }
        return Array(name[(location.count + 1)...])
    }

    /// PATH's location from the top level: its subvolume's path, then its path inside it.
    private mutating func locationOfPath() -> [UInt8]? {
        if let known = pathLocation { return known }
        var result: [UInt8]? = nil
        if case .success(let st) = SystemCall.fstat(fs.descriptor.rawValue), let tree = try? fs.inoLookup().tree,
           let subvolume = InspectCommands.resolveSubvolumePath(fs, tree, report: nil) {
            if st.st_ino == ObjectID.firstFree.rawValue {
                result = subvolume
            } else if var inner = try? fs.inoLookup(objectid: UInt64(st.st_ino)).path {
                if inner.last == UInt8(ascii: "/") { inner.removeLast() }
                result = subvolume.isEmpty ? inner : subvolume + [UInt8(ascii: "/")] + inner
            }
        }
        pathLocation = .some(result)
        return result
    }

    private mutating func mountTable() -> Result<[MountInfoEntry], BtrfsError> {
        if let mounts { return mounts }
        let table = Result<[MountInfoEntry], Error> { try MountInfoEntry.btrfsMounts() }
            .mapError { $0 as? BtrfsError ?? .malformed(what: "\($0)") }
        mounts = table
        return table
    }

    /// `path` opened, if it is the root directory of tree `root` of this filesystem.
    private mutating func check(_ path: String, root: UInt64) throws -> (path: String, fs: FileSystem)? {
        guard let ours = fsid ?? (try? fs.fsInfo().fsid) else { return nil }
        fsid = ours
        let candidate: FileSystem?
        do { candidate = try FileSystem(path: path, requireDirectory: true) } catch let e as BtrfsError where e.isDescriptorShortage {
            throw e
        } catch { candidate = nil }
        guard let other = candidate, (try? other.fsInfo().fsid) == ours, (try? other.inoLookup().tree) == root else { return nil }
        guard case .success(let st) = SystemCall.fstat(other.descriptor.rawValue), st.st_ino == ObjectID.firstFree.rawValue else { return nil }
        return (path, other)
    }
}
