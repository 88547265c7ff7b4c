#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Btrfs

/// `receive --dump`: one line per command, byte for byte as btrfs-progs 6.2's cmds/receive-dump.c
/// prints it (C-escaped paths padded to 32 columns, raw xattr data and clone sources, local times).
struct DumpPrinter {
    let out: OutputStream
    /// The subvolume's path as progs builds it ("./name").
    var fullSubvolPath: [UInt8] = [0x2E]
    static let rootPath: [UInt8] = [0x2E]

    /// A failure of one command's line, as progs reports it (the line is not printed).
    struct LineError: Error {
        var message: String
        var errno: Int32
    }

    init(out: OutputStream) { self.out = out }

    /// path_cat_out: `p1/p2` without a trailing slash on either, refused at PATH_MAX.
    static func pathCat(_ p1: [UInt8], _ p2: [UInt8]) -> [UInt8]? {
        guard p1.count &+ p2.count &+ 2 < 4096 else { return nil }
        let a = p1.last == 0x2F ? p1.dropLast() : p1[...]
        let b = p2.last == 0x2F ? p2.dropLast() : p2[...]
        return Array(a) + [0x2F] + Array(b)
    }

    func cat(_ title: String, _ p1: [UInt8], _ p2: [UInt8]) throws -> [UInt8] {
        guard let joined = Self.pathCat(p1, p2) else {
            // progs' message ends in "\n" before error() adds its own.
            throw LineError(message: "\(title): path invalid: \(String(pathBytes: p2))\n", errno: ENAMETOOLONG)
        }
        return joined
    }

    /// print_path_escaped: C escapes for what could break the line, octal for the unprintable;
    /// returns how many characters it printed.
    @discardableResult
    func escaped(_ path: [UInt8]) -> Int {
        var text: [UInt8] = []
        text.reserveCapacity(path.count)
        for c in path {
            switch c {
            case 0x07: text += [0x5C, 0x61]
            case 0x08: text += [0x5C, 0x62]
            case 0x1B: text += [0x5C, 0x65]
            case 0x0C: text += [0x5C, 0x66]
            case 0x0A: text += [0x5C, 0x6E]
            case 0x0D: text += [0x5C, 0x72]
            case 0x09: text += [0x5C, 0x74]
            case 0x0B: text += [0x5C, 0x76]
            case 0x20: text += [0x5C, 0x20]
            case 0x5C: text += [0x5C, 0x5C]
            case 0x20...0x7E: text.append(c)
            default: text += [0x5C, 0x30 &+ (c >> 6), 0x30 &+ ((c >> 3) & 7), 0x30 &+ (c & 7)]
            }
        }
        out.write(bytes: text)
        return text.count
    }

    /// __print_dump: the title in 16 columns, the escaped path, then (when there are details)
    /// spaces to column 32 — at least one — and the details.
    func line(_ title: String, _ fullPath: [UInt8], _ details: [UInt8]?, newline: Bool = true) {
        out.write(title)
        if title.utf8.count < 16 { out.pad(16 &- title.utf8.count) }
        var width = escaped(fullPath)
        guard let details else { out.write(byte: 0x0A); return }
        repeat { out.write(byte: 0x20); width &+= 1 } while width < 32
        out.write(bytes: details)
        if newline { out.write(byte: 0x0A) }
    }

    func path(_ title: String, _ path: [UInt8]) throws -> [UInt8] { try cat(title, fullSubvolPath, path) }

    static func cString(_ bytes: [UInt8]) -> [UInt8] { Array(bytes.prefix { $0 != 0 }) }

    /// strftime("%FT%T%z") of the local time, as sprintf_timespec.
    static func timeText(_ t: TimeSpec) throws -> String {
        var seconds = time_t(Int64(bitPattern: t.sec))
        var tm = tm()
        guard localtime_r(&seconds, &tm) != nil else {
            let nsec = String(t.nsec)
            let padded = String(repeating: "0", count: max(0, 9 - nsec.count)) + nsec
            throw LineError(message: "failed to convert time \(Int64(bitPattern: t.sec)).\(padded) to local time", errno: EINVAL)
        }
        var buffer = [CChar](repeating: 0, count: 64)
        let n = strftime(&buffer, 63, "%FT%T%z", &tm)
        guard n > 0 else {
            throw LineError(message: "time \(Int64(bitPattern: t.sec)).\(t.nsec) is too long to convert into readable string", errno: EINVAL)
        }
        return String(decoding: buffer.prefix(n).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func octal(_ v: UInt64) -> String { String(v, radix: 8) }

    /// Prints one command's line; `.end` and unknown commands print nothing.
    mutating func print(_ command: SendCommand) throws {
        func d(_ text: String) -> [UInt8] { Array(text.utf8) }
        switch command {
        case .subvol(let p, let uuid, let ctransid):
            fullSubvolPath = try cat("subvol", Self.rootPath, p)
            line("subvol", fullSubvolPath, d("uuid=\(uuid) transid=\(ctransid)"))
        case .snapshot(let p, let uuid, let ctransid, let parent, let parentCtransid):
            fullSubvolPath = try cat("snapshot", Self.rootPath, p)
            line("snapshot", fullSubvolPath,
                 d("uuid=\(uuid) transid=\(ctransid) parent_uuid=\(parent) parent_transid=\(parentCtransid)"))
        case .mkfile(let p): line("mkfile", try path("mkfile", p), nil)
        case .mkdir(let p): line("mkdir", try path("mkdir", p), nil)
        case .mknod(let p, let mode, let rdev):
            line("mknod", try path("mknod", p), d("mode=\(Self.octal(mode)) dev=0x\(String(rdev, radix: 16))"))
        case .mkfifo(let p): line("mkfifo", try path("mkfifo", p), nil)
        case .mksock(let p): line("mksock", try path("mksock", p), nil)
        case .symlink(let p, let target):
            line("symlink", try path("symlink", p), d("dest="), newline: false)
            escaped(target)
            out.write(byte: 0x0A)
        case .rename(let from, let to):
            let fullTo = try path("rename", to)
            line("rename", try path("rename", from), d("dest="), newline: false)
            escaped(fullTo)
            out.write(byte: 0x0A)
        case .link(let p, let target):
            line("link", try path("link", p), d("dest="), newline: false)
            escaped(target)
            out.write(byte: 0x0A)
        case .unlink(let p): line("unlink", try path("unlink", p), nil)
        case .rmdir(let p): line("rmdir", try path("rmdir", p), nil)
        case .write(let p, let offset, let data):
            line("write", try path("write", p), d("offset=\(offset) len=\(data.count)"))
        case .clone(let p, let offset, let length, _, _, let source, let sourceOffset):
            let from = try path("clone", source)
            let full = try path("clone", p)
            line("clone", full, d("offset=\(offset) len=\(length) from=") + from + d(" clone_offset=\(sourceOffset)"))
        case .setXattr(let p, let name, let data):
            line("set_xattr", try path("set_xattr", p),
                 d("name=") + name + d(" data=") + Self.cString(data) + d(" len=\(data.count)"))
        case .removeXattr(let p, let name):
            line("remove_xattr", try path("remove_xattr", p), d("name=") + name)
        case .truncate(let p, let size): line("truncate", try path("truncate", p), d("size=\(size)"))
        case .chmod(let p, let mode): line("chmod", try path("chmod", p), d("mode=\(Self.octal(mode))"))
        case .chown(let p, let uid, let gid): line("chown", try path("chown", p), d("gid=\(gid) uid=\(uid)"))
        case .utimes(let p, let atime, let mtime, let ctime):
            let text = "atime=\(try Self.timeText(atime)) mtime=\(try Self.timeText(mtime)) ctime=\(try Self.timeText(ctime))"
            line("utimes", try path("utimes", p), d(text))
        case .updateExtent(let p, let offset, let length):
            line("update_extent", try path("update_extent", p), d("offset=\(offset) len=\(length)"))
        case .fallocate(let p, let mode, let offset, let length):
            line("fallocate", try path("fallocate", p), d("mode=\(mode) offset=\(offset) len=\(length)"))
        case .fileattr(let p, let attributes):
            // progs prints the decimal value after "0x".
            line("fileattr", try path("fileattr", p), d("fileattr=0x\(attributes)"))
        case .encodedWrite(let w):
            line("encoded_write", try path("encoded_write", w.path),
                 d("offset=\(w.offset) len=\(w.data.count), unencoded_file_len=\(w.unencodedFileLength), "
                   + "unencoded_len=\(w.unencodedLength), unencoded_offset=\(w.unencodedOffset), "
                   + "compression=\(w.compression), encryption=\(w.encryption)"))
        case .enableVerity(let p, let algorithm, let blockSize, let salt, let signature):
            line("enable_verity", try path("enable_verity", p),
                 d("algorithm=\(algorithm) block_size=\(blockSize) salt_len=\(salt.count) sig_len=\(signature.count)"))
        case .end, .unknown: break
        }
    }
}

/// A line that cannot be printed counts as the command's error in the stream's loop.
extension DumpPrinter.LineError: SendCommandError {}
