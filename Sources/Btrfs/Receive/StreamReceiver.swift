#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CBtrfs

/// Applies send-stream commands below a destination directory, as btrfs-progs 6.2's receive does
/// (cmds/receive.c): creates the subvolume or snapshot (parent found by received UUID, then by
/// UUID), replays each change, and finishes with SET_RECEIVED_SUBVOL and read-only. Unlike progs,
/// every path is resolved below the subvolume being received without following symlinks, so no
/// stream reaches a file outside it. Messages go to `log` (progs' stderr), errors are thrown.
public final class StreamReceiver {
    /// progs' bconf.verbose as receive adjusts it (1 by default: "At subvol" is printed).
    public var verbosity: Int
    public var forceDecompress = false
    let log: (String) -> Void
    /// progs' pr_verbose, which writes to stdout ("At snapshot").
    let note: (String) -> Void
    let mountFD: CInt
    let destinationFD: CInt
    /// The mounted subvolume's path from the top level (progs' full_root_path), nil at the top.
    let fullRootPath: [UInt8]?
    /// The destination as progs names it in messages, path_cat3's first two parts: the root mount
    /// and the destination below it, each without a trailing slash, joined by one ("/mnt/" when
    /// they are the same; "/" after chroot).
    let destinationPath: [UInt8]
    let mount: FileSystem

    struct Current {
        var name: [UInt8]
        var fd: CInt
        var receivedUUID: BtrfsUUID
        var stransid: UInt64
        var fullPath: [UInt8]
    }
    var current: Current?
    var writeFD: CInt = -1
    var writePath: [UInt8] = []
    var cachedDirectory: (path: [UInt8], fd: CInt)?
    var inflater: Inflater?
    var zstd: ZstdDecoder?

    /// Opens the destination and its filesystem as do_receive does; `rootMount` is `-m`.
    /// Messages go to `log` (stderr), except those progs prints on stdout, to `note`.
    public init(destination: String, rootMount: String?, chroot: Bool, verbosity: Int,
                log: @escaping (String) -> Void, note: @escaping (String) -> Void) throws {
        self.verbosity = verbosity
        self.log = log
        self.note = note
        let real = try SystemCall.realPath(destination).get(receiving: "realpath(\(destination)) failed")
        let destFD = try SystemCall.open(real, O_RDONLY | openNoAtime | O_CLOEXEC)
            .get(receiving: "cannot open destination directory \(real)")
        var rootPath: String
        if let rootMount {
            rootPath = rootMount
        } else {
            switch MountedFilesystems.mountRoot(of: real) {
            case .success(.btrfs(let point)): rootPath = point
            case .success(.notBtrfs):
                Glibc.close(destFD)
                throw ReceiveError("\(real) doesn't belong to btrfs mount point", errno: EINVAL)
            case .failure(let e):
                Glibc.close(destFD)
                throw ReceiveError("failed to determine mount point for \(real): \(errnoText(e.rawValue))", errno: EINVAL)
            }
        }
        let mntFD: CInt
        do {
            mntFD = try SystemCall.open(rootPath, O_RDONLY | openNoAtime | O_CLOEXEC).get(receiving: "cannot open \(rootPath)")
        } catch {
            Glibc.close(destFD)
            throw error
        }
        destinationFD = destFD
        mountFD = mntFD
        do {
            mount = try FileSystem(duplicating: mntFD, path: rootPath)
            let id = try mount.subvolumeID()
            let path = id == ObjectID.fsTree.rawValue ? [] : try mount.subvolumePath(id: id)
            fullRootPath = path.isEmpty ? nil : path
        } catch {
            Glibc.close(destFD)
            Glibc.close(mntFD)
            throw ReceiveError("cannot resolve rootid for path: \(errnoText((error as? BtrfsError)?.errno ?? EINVAL))",
                               errno: (error as? BtrfsError)?.errno ?? EINVAL)
        }
        var root = Array(rootPath.pathBytes)
        var below = Array(real.pathBytes.dropFirst(root.count))
        while below.first == 0x2F { below.removeFirst() }
        if chroot { (root, below) = ([], []) }
        if root.last == 0x2F { root.removeLast() }
        if below.last == 0x2F { below.removeLast() }
        destinationPath = root + [0x2F] + below
        if chroot {
            _ = try real.withPathCString { p in SystemCall.value(retryOnInterrupt: false) { Glibc.chroot(p) } }
                .get(receiving: "failed to chroot to \(real)")
            _ = try SystemCall.value(retryOnInterrupt: false) { chdir("/") }.get(receiving: "failed to chdir to / after chroot")
            log("Chroot to \(real)\n")
        }
    }

    deinit {
        closeWrite()
        dropDirectoryCache()
        if let current { Glibc.close(current.fd) }
        Glibc.close(destinationFD)
        Glibc.close(mountFD)
    }

    /// Applies one command (not `.end`, which ends the stream for the caller).
    public func apply(_ command: SendCommand) throws {
        switch command {
        case .subvol(let path, let uuid, let ctransid): try subvol(path, uuid, ctransid)
        case .snapshot(let path, let uuid, let ctransid, let parent, let parentCtransid):
            try snapshot(path, uuid, ctransid, parent, parentCtransid)
        default: try applyToFile(command)
        }
    }

    func guardCurrent(_ op: String) throws -> Current {
        guard let current else { throw ReceiveError("\(op): no subvolume received yet", errno: EINVAL) }
        return current
    }

    /// The directory and name a stream path stands for; the name is "." for the subvolume itself.
    func target(_ op: String, _ path: [UInt8]) throws -> ReceiveTarget {
        let cur = try guardCurrent(op)
        guard let (dir, name) = ReceivePath.split(path) else {
            throw ReceiveError("\(op): path invalid: \(String(streamBytes: path))", errno: EINVAL)
        }
        if name.isEmpty { return ReceiveTarget(directory: cur.fd, name: [0x2E], owned: false) }
        if dir.isEmpty { return ReceiveTarget(directory: cur.fd, name: name, owned: false) }
        if let cached = cachedDirectory, cached.path == dir {
            return ReceiveTarget(directory: cached.fd, name: name, owned: false)
        }
        let fd = try ReceivePath.open(cur.fd, dir, flags: openPath | O_DIRECTORY)
            .get(receiving: "\(op) \(String(streamBytes: path)) failed")
        dropDirectoryCache()
        cachedDirectory = (dir, fd)
        return ReceiveTarget(directory: fd, name: name, owned: false)
    }

    func dropDirectoryCache() {
        if let cached = cachedDirectory { Glibc.close(cached.fd) }
        cachedDirectory = nil
    }

    func closeWrite() {
        if writeFD >= 0 { Glibc.close(writeFD) }
        writeFD = -1
        writePath = []
    }

    /// The full path progs prints in some messages.
    func fullPath(_ path: [UInt8]) -> String {
        String(streamBytes: (current?.fullPath ?? destinationPath) + [0x2F] + path)
    }

    /// open_inode_for_write: one descriptor kept for consecutive writes to one path.
    func openForWrite(_ path: [UInt8]) throws -> CInt {
        if writeFD >= 0 && writePath == path { return writeFD }
        closeWrite()
        let cur = try guardCurrent("write")
        guard ReceivePath.split(path) != nil else {
            throw ReceiveError("write: path invalid: \(String(streamBytes: path))", errno: EINVAL)
        }
        let fd = try ReceivePath.open(cur.fd, path, flags: O_RDWR).get(receiving: "cannot open \(fullPath(path))")
        writeFD = fd
        writePath = path
        return fd
    }

    /// Stops the stream's subvolume half way (an error): no received UUID, and read-only, so
    /// nothing takes it for a complete copy or writes into it by mistake.
    public func abandon() {
        closeWrite()
        dropDirectoryCache()
        guard let cur = current else { return }
        current = nil
        if let fs = try? FileSystem(duplicating: cur.fd, path: String(streamBytes: cur.fullPath)) {
            try? fs.setSubvolumeReadOnly(true)
        }
        Glibc.close(cur.fd)
    }
}
