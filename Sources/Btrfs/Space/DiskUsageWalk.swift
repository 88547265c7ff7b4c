#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// What `btrfs filesystem du` (progs 6.2, cmds/filesystem-du.c) meets walking one argument, in
/// its order: files to account, directories entered and left, its warnings and its error. The
/// walk asks the kernel per directory only; the files' extents are read in bulk afterwards.
struct DiskUsageWalk {
    enum Event {
        /// A regular file not seen before under this argument (hard links count once).
        case file(name: Range<Int>, tree: Int, ino: UInt64)
        /// A directory whose entries follow, up to its `leave`.
        case enter(name: Range<Int>)
        /// The end of a directory; `failed` when its walk broke off (no line, no sums upward).
        case leave(failed: Bool)
        /// progs' `warning("cannot access '%s': %m\n")` for an entry that failed.
        case warning(name: Range<Int>, errno: Int32)
        /// progs' `error("cannot check space of '%s': %m")` for the argument.
        case failed(errno: Int32)
    }

    var events: [Event] = []
    /// Names of the events, and the argument first.
    var names: [UInt8] = []
    let subvolumes: SubvolumeMap
    /// (subvolume, inode) met under this argument: progs' hard-link detection.
    var seen = PairSet()

    init(subvolumes: SubvolumeMap) {
        self.subvolumes = subvolumes
    }

    /// du_add_file for the argument (top level): follows a symbolic link, as progs' stat does.
    mutating func walk(argument: String) throws {
        let name = append(PathBytes.encode(argument))
        let st: stat
        switch SystemCall.stat(argument) {
        case .success(let answer): st = answer
        case .failure(let e):
            events.append(.failed(errno: e.rawValue))
            return
        }
        let mode = st.st_mode & S_IFMT
        guard mode == S_IFREG || mode == S_IFDIR else { return }
        let fd: CInt
        switch SystemCall.open(argument, O_RDONLY | O_CLOEXEC | (mode == S_IFDIR ? O_DIRECTORY : 0)) {
        case .success(let opened): fd = opened
        case .failure(let e):
            events.append(.failed(errno: e.rawValue))
            return
        }
        let code = try entry(fd: fd, name: name, st: st, path: argument)
        if code != 0 { events.append(.failed(errno: code)) }
    }

    /// The part of du_add_file after open: subvolume, hard-link check, then the file or the
    /// directory's walk. Returns progs' error code (an errno), 0 when fine; closes `fd`.
    mutating func entry(fd: CInt, name: Range<Int>, st: stat, path: String) throws -> Int32 {
        var tree: Int?
        let ino = UInt64(st.st_ino)
        if ino != SubvolumeMap.emptySubvolumeDirectory {
            guard let found = try subvolumes.tree(owning: fd, device: UInt64(st.st_dev), inode: ino, path: path) else {
                close(fd)
                return ENOTTY     // lookup_path_rootid's INO_LOOKUP on another filesystem
            }
            tree = found
            guard seen.insert(subvolumes.trees[found].subvolume, ino) else {
                close(fd)
                return 0
            }
        }
        if st.st_mode & S_IFMT == S_IFREG {
            close(fd)
            if let tree { events.append(.file(name: name, tree: tree, ino: ino)) }
            return 0
        }
        events.append(.enter(name: name))
        let code = try directory(fd: fd, tree: tree)
        events.append(.leave(failed: code != 0))
        return code
    }

    /// du_walk_dir: regular files and directories; an entry's error is a warning, and ends the
    /// walk unless it is ENOTTY or EACCES. Closes `fd`.
    mutating func directory(fd: CInt, tree: Int?) throws -> Int32 {
        let stream: DirectoryStream
        switch DirectoryStream.adopting(fd) {
        case .success(let opened): stream = opened
        case .failure(let e):
            close(fd)
            return e.rawValue
        }
        defer { stream.close() }
        var failure: Int32 = 0
        _ = try stream.forEach { entryName, type, ino in
            guard failure == 0, type == DT_REG || type == DT_DIR else { return }
            let name = append(entryName)
            var code: Int32 = 0
            if type == DT_REG {
                // Not opened: the inode from readdir, the subvolume of the directory.
                if let tree, seen.insert(subvolumes.trees[tree].subvolume, ino) {
                    events.append(.file(name: name, tree: tree, ino: ino))
                }
            } else {
                code = try child(of: stream.fd, name: entryName, range: name)
            }
            if code != 0 {
                events.append(.warning(name: name, errno: code))
                if code != ENOTTY && code != EACCES { failure = code }
            }
        }
        return failure
    }

    /// A directory entry of a directory: opened (crossing a mount point, as progs' stat does).
    mutating func child(of dirfd: CInt, name: UnsafeBufferPointer<UInt8>, range: Range<Int>) throws -> Int32 {
        let opened = name.withMemoryRebound(to: CChar.self) { chars -> Result<CInt, SystemError> in
            guard let p = chars.baseAddress else { return .failure(SystemError(ENOENT)) }
            return SystemCall.value { openat(dirfd, p, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
        }
        let fd: CInt
        switch opened {
        case .success(let descriptor): fd = descriptor
        case .failure(let e): return e.rawValue
        }
        let st: stat
        switch SystemCall.fstat(fd) {
        case .success(let answer): st = answer
        case .failure(let e):
            close(fd)
            return e.rawValue
        }
        let path = String(pathBytes: names[range])
        return try entry(fd: fd, name: range, st: st, path: path)
    }

    mutating func append<C: Collection>(_ bytes: C) -> Range<Int> where C.Element == UInt8 {
        let start = names.count
        names.append(contentsOf: bytes)
        return start..<names.count
    }
}
