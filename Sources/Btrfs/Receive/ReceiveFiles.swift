#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CBtrfs

extension StreamReceiver {
    /// Runs `body` on the command's target (not retried on EINTR, as progs does not); a -1 result
    /// is the failure `message` with errno.
    func at(_ op: String, _ path: [UInt8], _ message: @autoclosure () -> String,
            _ body: (CInt, UnsafePointer<CChar>) -> Int32) throws {
        let t = try target(op, path)
        defer { t.close() }
        _ = try t.withName { name in SystemCall.value(retryOnInterrupt: false) { body(t.directory, name) } }
            .get(receiving: message())
    }

    func trace(_ level: Int, _ text: @autoclosure () -> String) {
        if verbosity >= level { log(text() + "\n") }
    }

    func applyToFile(_ command: SendCommand) throws {
        func s(_ p: [UInt8]) -> String { String(streamBytes: p) }
        switch command {
        case .mkfile(let p):
            trace(3, "mkfile \(s(p))")
            try at("mkfile", p, "mkfile \(s(p)) failed") { dir, name in
                let fd = openat(dir, name, O_CREAT | O_WRONLY | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0o600)
                if fd >= 0 { Glibc.close(fd) }
                return fd < 0 ? -1 : 0
            }
        case .mkdir(let p):
            trace(3, "mkdir \(s(p))")
            try at("mkdir", p, "mkdir \(s(p)) failed") { mkdirat($0, $1, 0o700) }
        case .mknod(let p, let mode, let rdev):
            trace(3, "mknod \(s(p)) mode=\(mode), dev=\(rdev)")
            try at("mknod", p, "mknod \(s(p)) failed") { mknodat($0, $1, mode_t(truncatingIfNeeded: mode) & S_IFMT, dev_t(rdev)) }
        case .mkfifo(let p):
            trace(3, "mkfifo \(s(p))")
            try at("mkfifo", p, "mkfifo \(s(p)) failed") { mkfifoat($0, $1, 0o600) }
        case .mksock(let p):
            trace(3, "mksock \(s(p))")
            try at("mksock", p, "mknod \(s(p)) failed") { mknodat($0, $1, 0o600 | S_IFSOCK, 0) }
        case .symlink(let p, let target):
            trace(3, "symlink \(s(p)) -> \(s(target))")
            try at("symlink", p, "symlink \(s(p)) -> \(s(target)) failed") { dir, name in
                (target + [0]).withUnsafeBufferPointer { b in
                    b.withMemoryRebound(to: CChar.self) { symlinkat($0.baseAddress!, dir, name) }
                }
            }
        case .rename(let from, let to):
            trace(3, "rename \(s(from)) -> \(s(to))")
            closeWrite()
            let source = try target("rename", from)
            // The destination's directory is opened on its own: the cache holds one directory.
            let (dir, name) = try ownedTarget("rename", to)
            defer { Glibc.close(dir) }
            let result = source.withName { a in
                name.withName { b in SystemCall.value(retryOnInterrupt: false) { renameat(source.directory, a, dir, b) } }
            }
            dropDirectoryCache()
            _ = try result.get(receiving: "rename \(s(from)) -> \(s(to)) failed")
        case .link(let p, let linked):
            trace(3, "link \(s(p)) -> \(s(linked))")
            let existing = try target("link", linked)
            let (dir, name) = try ownedTarget("link", p)
            defer { Glibc.close(dir) }
            _ = try existing.withName { a in
                name.withName { b in SystemCall.value(retryOnInterrupt: false) { linkat(existing.directory, a, dir, b, 0) } }
            }.get(receiving: "link \(s(p)) -> \(s(linked)) failed")
        case .unlink(let p):
            trace(3, "unlink \(s(p))")
            closeWrite()
            try at("unlink", p, "unlink \(s(p)) failed") { unlinkat($0, $1, 0) }
        case .rmdir(let p):
            trace(3, "rmdir \(s(p))")
            try at("rmdir", p, "rmdir \(s(p)) failed") { unlinkat($0, $1, AT_REMOVEDIR) }
            dropDirectoryCache()
        case .write(let p, let offset, let data):
            let fd = try openForWrite(p)
            trace(2, "write \(s(p)) - offset=\(offset) length=\(data.count)")
            try writeAll(fd, data, at: offset) { "writing to \(s(p)) failed: \($0)" }
        case .clone(let p, let offset, let length, let uuid, _, let sourcePath, let sourceOffset):
            try clone(p, offset, length, uuid, sourcePath, sourceOffset)
        case .setXattr(let p, let name, let data):
            trace(3, "set_xattr \(s(p)) - name=\(s(name)) data_len=\(data.count) data=\(s(data.prefix { $0 != 0 }))")
            try xattr(p, "set_xattr", "lsetxattr \(s(p)) \(s(name))=\(s(data.prefix { $0 != 0 })) failed") { path in
                (name + [0]).withUnsafeBufferPointer { n in
                    n.withMemoryRebound(to: CChar.self) { lsetxattr(path, $0.baseAddress!, data, data.count, 0) }
                }
            }
        case .removeXattr(let p, let name):
            trace(3, "remove_xattr \(s(p)) - name=\(s(name))")
            try xattr(p, "remove_xattr", "lremovexattr \(s(p)) \(s(name)) failed") { path in
                (name + [0]).withUnsafeBufferPointer { n in n.withMemoryRebound(to: CChar.self) { lremovexattr(path, $0.baseAddress!) } }
            }
        case .truncate(let p, let size):
            trace(3, "truncate \(s(p)) size=\(size)")
            let fd = try openForWrite(p)
            _ = try SystemCall.value(retryOnInterrupt: false) { ftruncate(fd, off_t(Int64(bitPattern: size))) }
                .get(receiving: "truncate \(s(p)) failed")
        case .chmod(let p, let mode):
            trace(3, "chmod \(s(p)) - mode=0\(String(UInt32(truncatingIfNeeded: mode), radix: 8))")
            try at("chmod", p, "chmod \(s(p)) failed") { dir, name in
                // A symlink's own mode cannot change; following it could leave the subvolume.
                var st = stat()
                if fstatat(dir, name, &st, AT_SYMLINK_NOFOLLOW) == 0, st.st_mode & S_IFMT == S_IFLNK {
                    errno = EOPNOTSUPP
                    return -1
                }
                return fchmodat(dir, name, mode_t(truncatingIfNeeded: mode), 0)
            }
        case .chown(let p, let uid, let gid):
            trace(3, "chown \(s(p)) - uid=\(uid), gid=\(gid)")
            try at("chown", p, "chown \(s(p)) failed") {
                fchownat($0, $1, uid_t(truncatingIfNeeded: uid), gid_t(truncatingIfNeeded: gid), AT_SYMLINK_NOFOLLOW)
            }
        case .utimes(let p, let atime, let mtime, _):
            trace(3, "utimes \(s(p))")
            var times = [timespec(tv_sec: Int(Int64(bitPattern: atime.sec)), tv_nsec: Int(atime.nsec)),
                         timespec(tv_sec: Int(Int64(bitPattern: mtime.sec)), tv_nsec: Int(mtime.nsec))]
            try at("utimes", p, "utimes \(s(p)) failed") { utimensat($0, $1, &times, AT_SYMLINK_NOFOLLOW) }
        case .updateExtent(let p, let offset, let length):
            trace(3, "update_extent \(s(p)): offset=\(offset), len=\(length)")
        case .encodedWrite(let w): try encodedWrite(w)
        case .fallocate(let p, let mode, let offset, let length):
            trace(3, "fallocate \(s(p)) - offset=\(offset), len=\(length), mode=\(mode)")
            let fd = try openForWrite(p)
            _ = try SystemCall.value(retryOnInterrupt: false) {
                sb_fallocate(fd, mode, Int64(bitPattern: offset), Int64(bitPattern: length))
            }.get(receiving: "fallocate: fallocate on \(s(p)) failed")
        case .fileattr:
            break  // progs 6.2 ignores it too: the flags need translating first
        case .enableVerity(let p, let algorithm, let blockSize, let salt, let signature):
            try enableVerity(p, algorithm, blockSize, salt, signature)
        case .subvol, .snapshot, .end, .unknown: break
        }
    }

    /// A target whose directory descriptor is the caller's to close (two at once for rename/link).
    func ownedTarget(_ op: String, _ path: [UInt8]) throws -> (CInt, ReceiveTarget) {
        let cur = try guardCurrent(op)
        guard let (dir, name) = ReceivePath.split(path), !name.isEmpty else {
            throw ReceiveError("\(op): path invalid: \(String(streamBytes: path))", errno: EINVAL)
        }
        let fd = try ReceivePath.open(cur.fd, dir, flags: openPath | O_DIRECTORY)
            .get(receiving: "\(op) \(String(streamBytes: path)) failed")
        return (fd, ReceiveTarget(directory: fd, name: name, owned: false))
    }

    /// xattr calls take a path: the directory is checked to lie below the subvolume without
    /// symlinks first, and the l* calls do not follow the last name.
    func xattr(_ path: [UInt8], _ op: String, _ message: @autoclosure () -> String,
               _ body: (UnsafePointer<CChar>) -> Int32) throws {
        let t = try target(op, path)
        defer { t.close() }
        let cur = try guardCurrent(op)
        let full = cur.fullPath + [0x2F] + (path.isEmpty ? [0x2E] : path)
        _ = try withStreamCString(full) { p in SystemCall.value(retryOnInterrupt: false) { body(p) } }.get(receiving: message())
    }

    func writeAll(_ fd: CInt, _ data: ArraySlice<UInt8>, at offset: UInt64, _ message: (String) -> String) throws {
        var done = 0
        try data.withUnsafeBytes { raw in
            while done < raw.count {
                switch SystemCall.value({ pwrite(fd, raw.baseAddress! + done, raw.count &- done,
                                                 off_t(Int64(bitPattern: offset &+ UInt64(done)))) }) {
                case .success(let n): done &+= n
                case .failure(let e): throw ReceiveError(message(errnoText(e.rawValue)), errno: e.rawValue)
                }
            }
        }
    }

    func clone(_ path: [UInt8], _ offset: UInt64, _ length: UInt64, _ uuid: BtrfsUUID, _ sourcePath: [UInt8],
               _ sourceOffset: UInt64) throws {
        let fd = try openForWrite(path)
        let source = try cloneSource(uuid)
        defer { if source.owned { Glibc.close(source.fd) } }
        guard ReceivePath.split(sourcePath) != nil else {
            throw ReceiveError("clone: target path invalid: \(String(streamBytes: sourcePath))", errno: EINVAL)
        }
        let sourceFD = try ReceivePath.open(source.fd, sourcePath, flags: O_RDONLY | openNoAtime)
            .get(receiving: "cannot open \(String(streamBytes: sourcePath))")
        defer { Glibc.close(sourceFD) }
        trace(2, "clone \(String(streamBytes: path)) - source=\(String(streamBytes: sourcePath)) source offset=\(sourceOffset) offset=\(offset) length=\(length)")
        var args = btrfs_ioctl_clone_range_args(src_fd: Int64(sourceFD), src_offset: sourceOffset, src_length: length, dest_offset: offset)
        _ = try rawIoctl(fd, SB_IOC_CLONE_RANGE, &args, retryOnInterrupt: false)
            .get(receiving: "failed to clone extents to \(String(streamBytes: path))")
    }

    func enableVerity(_ path: [UInt8], _ algorithm: UInt8, _ blockSize: UInt32, _ salt: [UInt8], _ signature: [UInt8]) throws {
        let cur = try guardCurrent("enable_verity")
        guard ReceivePath.split(path) != nil else {
            throw ReceiveError("write: path invalid: \(String(streamBytes: path))", errno: EINVAL)
        }
        let fd = try ReceivePath.open(cur.fd, path, flags: O_RDONLY).get(receiving: "cannot open \(fullPath(path)) for verity ioctl")
        defer { Glibc.close(fd) }
        // Enabling verity refuses a file open for writing.
        closeWrite()
        var args = fsverity_enable_arg()
        args.version = 1
        args.hash_algorithm = UInt32(algorithm)
        args.block_size = blockSize
        let result = salt.withUnsafeBytes { saltRaw in
            signature.withUnsafeBytes { sigRaw in
                if !salt.isEmpty {
                    args.salt_size = UInt32(salt.count)
                    args.salt_ptr = UInt64(UInt(bitPattern: saltRaw.baseAddress))
                }
                if !signature.isEmpty {
                    args.sig_size = UInt32(signature.count)
                    args.sig_ptr = UInt64(UInt(bitPattern: sigRaw.baseAddress))
                }
                return rawIoctl(fd, SB_FS_IOC_ENABLE_VERITY, &args, retryOnInterrupt: false)
            }
        }
        // progs prints the negative errno here, not its text.
        if case .failure(let e) = result {
            throw ReceiveError("failed to enable verity on \(fullPath(path)): -\(e.rawValue)", errno: e.rawValue)
        }
    }
}
