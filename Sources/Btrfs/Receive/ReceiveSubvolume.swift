#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CBtrfs

extension StreamReceiver {
    /// The name of a received subvolume, as the ioctl's fixed name field takes it (strncpy_null).
    static func copyName(_ name: [UInt8], to raw: UnsafeMutableRawBufferPointer) {
        for (i, byte) in name.prefix(raw.count &- 1).enumerated() { raw[i] = byte }
    }

    func beginSubvolume(_ op: String, _ path: [UInt8], _ uuid: BtrfsUUID, _ ctransid: UInt64) throws {
        try finishSubvolume()
        guard path.count &+ destinationPath.count &+ 3 < 4096 else {
            throw ReceiveError("\(op): path invalid: \(String(streamBytes: path))", errno: ENAMETOOLONG)
        }
    }

    func openCreated(_ path: [UInt8], _ uuid: BtrfsUUID, _ ctransid: UInt64) throws {
        let fd = try withStreamCString(path) { p in
            SystemCall.value { openat(destinationFD, p, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) }
        }.get(receiving: "cannot open \(String(streamBytes: path))")
        current = Current(name: path, fd: fd, receivedUUID: uuid, stransid: ctransid,
                          fullPath: destinationPath + [0x2F] + path)
    }

    func subvol(_ path: [UInt8], _ uuid: BtrfsUUID, _ ctransid: UInt64) throws {
        try beginSubvolume("subvol", path, uuid, ctransid)
        let name = String(streamBytes: path)
        if verbosity > 0 { log("At subvol \(name)\n") }
        if verbosity >= 2 { log("receiving subvol \(name) uuid=\(uuid), stransid=\(ctransid)\n") }
        var args = btrfs_ioctl_vol_args()
        withUnsafeMutableBytes(of: &args.name) { Self.copyName(path, to: $0) }
        _ = try rawIoctl(destinationFD, SB_IOC_SUBVOL_CREATE, &args, retryOnInterrupt: false)
            .get(receiving: "creating subvolume \(name) failed")
        try openCreated(path, uuid, ctransid)
    }

    func snapshot(_ path: [UInt8], _ uuid: BtrfsUUID, _ ctransid: UInt64, _ parentUUID: BtrfsUUID, _ parentCtransid: UInt64) throws {
        try beginSubvolume("snapshot", path, uuid, ctransid)
        let name = String(streamBytes: path)
        if verbosity > 0 { note("At snapshot \(name)\n") }
        if verbosity >= 2 {
            log("receiving snapshot \(name) uuid=\(uuid), ctransid=\(ctransid) parent_uuid=\(parentUUID), parent_ctransid=\(parentCtransid)\n")
        }
        var parentID = existingSubvolume(parentUUID, received: true)
        if parentID == nil { parentID = existingSubvolume(parentUUID, received: false) }
        guard let parentID, var parentPath = try? mount.subvolumePath(id: parentID) else {
            throw ReceiveError("cannot find parent subvolume", errno: ENOENT)
        }
        if let root = fullRootPath {
            guard parentPath.starts(with: root), parentPath.count == root.count || parentPath[root.count] == 0x2F else {
                throw ReceiveError("parent subvol is not reachable from inside the root subvol", errno: ENOENT)
            }
            parentPath = parentPath.count == root.count ? [0x2E] : Array(parentPath.dropFirst(root.count &+ 1))
        }
        let opened = parentPath.isEmpty ? SystemCall.value { dup(mountFD) } : withStreamCString(parentPath) { p in
            SystemCall.value { openat(mountFD, p, O_RDONLY | openNoAtime | O_CLOEXEC) }
        }
        let parentFD: CInt
        switch opened {
        case .success(let fd): parentFD = fd
        case .failure(let failure):
            let e = failure.rawValue
            if e == ENOENT {
                log("It seems that you have changed your default subvolume or you specify other subvolume to\n"
                    + "mount btrfs, try to remount this btrfs filesystem with fs tree, and run btrfs receive again!\n")
                throw ReceiveError("", errno: e)
            }
            throw ReceiveError("cannot open \(String(streamBytes: parentPath)): \(errnoText(e))", errno: e)
        }
        var args = btrfs_ioctl_vol_args_v2()
        args.fd = Int64(parentFD)
        withUnsafeMutableBytes(of: &args.name) { Self.copyName(path, to: $0) }
        let created = rawIoctl(destinationFD, SB_IOC_SNAP_CREATE_V2, &args, retryOnInterrupt: false)
        Glibc.close(parentFD)
        _ = try created.get(receiving: "creating snapshot \(String(streamBytes: parentPath)) -> \(name) failed")
        try openCreated(path, uuid, ctransid)
    }

    /// finish_subvol: the received UUID and sent transid (stime stays zero, as progs leaves it),
    /// then read-only.
    public func finishSubvolume() throws {
        closeWrite()
        dropDirectoryCache()
        guard let cur = current else { return }
        current = nil
        defer { Glibc.close(cur.fd) }
        if verbosity >= 2 { log("BTRFS_IOC_SET_RECEIVED_SUBVOL uuid=\(cur.receivedUUID), stransid=\(cur.stransid)\n") }
        let fs = try FileSystem(duplicating: cur.fd, path: String(streamBytes: cur.fullPath))
        do {
            _ = try fs.setReceivedSubvol(uuid: cur.receivedUUID, stransid: cur.stransid, stime: TimeSpec(sec: 0, nsec: 0))
        } catch {
            let e = (error as? BtrfsError)?.errno ?? EINVAL
            throw ReceiveError("ioctl BTRFS_IOC_SET_RECEIVED_SUBVOL failed: \(errnoText(e))", errno: e)
        }
        var flags: UInt64 = 0
        _ = try rawIoctl(cur.fd, SB_IOC_SUBVOL_GETFLAGS, &flags, retryOnInterrupt: true)
            .get(receiving: "ioctl BTRFS_IOC_SUBVOL_GETFLAGS failed")
        flags |= UInt64(BTRFS_SUBVOL_RDONLY)
        _ = try rawIoctl(cur.fd, SB_IOC_SUBVOL_SETFLAGS, &flags, retryOnInterrupt: true)
            .get(receiving: "failed to make subvolume read only")
    }

    /// subvol_uuid_search: the UUID tree's subvolume for `uuid`, when its root item exists.
    func existingSubvolume(_ uuid: BtrfsUUID, received: Bool) -> UInt64? {
        guard let id = (try? mount.subvolumeID(uuid: uuid, received: received)) ?? nil else { return nil }
        var roots = mount.subvolumes(minID: id, maxID: id)
        return (try? roots.next()) == nil ? nil : id
    }

    /// The descriptor of the subvolume a clone reads from: the one being received, or the one
    /// whose received UUID is `uuid` (progs looks no further).
    func cloneSource(_ uuid: BtrfsUUID) throws -> (fd: CInt, owned: Bool) {
        let cur = try guardCurrent("clone")
        if uuid == cur.receivedUUID { return (cur.fd, false) }
        guard let id = existingSubvolume(uuid, received: true), var path = try? mount.subvolumePath(id: id) else {
            throw ReceiveError("clone: did not find source subvol", errno: ENOENT)
        }
        if let root = fullRootPath {
            guard path.count > root.count, path.starts(with: root), path[root.count] == 0x2F else {
                throw ReceiveError("clone: source subvol path \(String(streamBytes: path)) unreachable from \(String(streamBytes: root))",
                                   errno: ENOENT)
            }
            path = Array(path.dropFirst(root.count &+ 1))
        }
        let fd = try withStreamCString(path.isEmpty ? [0x2E] : path) { p in
            SystemCall.value { openat(mountFD, p, O_RDONLY | O_DIRECTORY | openNoAtime | O_CLOEXEC) }
        }.get(receiving: "cannot open \(String(streamBytes: path))")
        return (fd, true)
    }
}
