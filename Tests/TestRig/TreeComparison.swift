import CBtrfs
import Foundation

/// Compares two directory trees as a receive must reproduce them: every name (as bytes), file type,
/// mode, owner, size, device number, symlink target, access and modification times (to the
/// nanosecond), xattrs, contents, and which names are hard links of one another. Everything is
/// lstat'ed before any file is read, so reading cannot move an atime before it was recorded.
public enum TreeComparison {
    /// One entry of a tree, by its path relative to the top ("" is the top itself).
    public struct Entry: Equatable, CustomStringConvertible {
        public var mode: UInt32
        public var uid: UInt32
        public var gid: UInt32
        public var size: Int64?
        public var rdev: UInt64?
        public var atime: String
        public var mtime: String
        public var target: [UInt8]?
        public var xattrs: [String: [UInt8]]
        public var contentHash: UInt64?
        /// The smallest path sharing this entry's inode (hard links), for non-directories.
        public var linkGroup: [UInt8]?

        public var description: String {
            "mode=\(String(mode, radix: 8)) uid=\(uid) gid=\(gid) size=\(size.map(String.init) ?? "-") "
                + "rdev=\(rdev.map { String($0) } ?? "-") atime=\(atime) mtime=\(mtime) "
                + "target=\(target.map { String(decoding: $0, as: UTF8.self) } ?? "-") xattrs=\(xattrs) "
                + "content=\(contentHash.map { String($0, radix: 16) } ?? "-") "
                + "links=\(linkGroup.map { String(decoding: $0, as: UTF8.self) } ?? "-")"
        }
    }

    /// Differences between the trees under `a` and `b`, one readable line each; empty when identical.
    public static func differences(_ a: String, _ b: String, times: Bool = true) throws -> [String] {
        var left = try snapshot(a)
        var right = try snapshot(b)
        if !times {
            for k in left.keys { left[k]?.atime = ""; left[k]?.mtime = "" }
            for k in right.keys { right[k]?.atime = ""; right[k]?.mtime = "" }
        }
        var lines: [String] = []
        let names = Set(left.keys).union(right.keys).sorted { $0.lexicographicallyPrecedes($1) }
        for name in names {
            let shown = String(decoding: name, as: UTF8.self)
            switch (left[name], right[name]) {
            case let (l?, r?) where l != r: lines.append("\(shown): \(l) != \(r)")
            case (nil, _?): lines.append("\(shown): only in \(b)")
            case (_?, nil): lines.append("\(shown): only in \(a)")
            default: break
            }
        }
        return lines
    }

    /// Every entry under `top`, by relative path.
    public static func snapshot(_ top: String) throws -> [[UInt8]: Entry] {
        var entries: [[UInt8]: Entry] = [:]
        var inodes: [UInt64: [[UInt8]]] = [:]
        var regular: [[UInt8]] = []
        let root = Array(top.utf8)
        func full(_ rel: [UInt8]) -> [UInt8] { rel.isEmpty ? root : root + [0x2F] + rel }
        func visit(_ rel: [UInt8]) throws {
            var st = stat()
            let path = full(rel)
            guard withCString(path, { lstat($0, &st) }) == 0 else {
                throw RigError("lstat \(String(decoding: path, as: UTF8.self)): \(String(cString: strerror(errno)))")
            }
            let type = st.st_mode & S_IFMT
            var entry = Entry(mode: st.st_mode, uid: st.st_uid, gid: st.st_gid, size: nil, rdev: nil,
                              atime: "\(st.st_atim.tv_sec).\(st.st_atim.tv_nsec)",
                              mtime: "\(st.st_mtim.tv_sec).\(st.st_mtim.tv_nsec)",
                              target: nil, xattrs: try xattrs(path), contentHash: nil, linkGroup: nil)
            if type == S_IFREG || type == S_IFLNK { entry.size = Int64(st.st_size) }
            if type == S_IFCHR || type == S_IFBLK { entry.rdev = UInt64(st.st_rdev) }
            if type == S_IFLNK {
                var buffer = [UInt8](repeating: 0, count: 4096)
                let n = withCString(path) { p in buffer.withUnsafeMutableBytes { readlink(p, $0.baseAddress!.assumingMemoryBound(to: CChar.self), 4096) } }
                entry.target = n >= 0 ? Array(buffer.prefix(n)) : nil
            }
            if type == S_IFREG { regular.append(rel) }
            if type != S_IFDIR { inodes[UInt64(st.st_ino), default: []].append(rel) }
            entries[rel] = entry
            if type == S_IFDIR {
                for name in try children(path) { try visit(rel.isEmpty ? name : rel + [0x2F] + name) }
            }
        }
        try visit([])
        for (_, paths) in inodes {
            let first = paths.min { $0.lexicographicallyPrecedes($1) }
            for p in paths { entries[p]?.linkGroup = first }
        }
        for rel in regular { entries[rel]?.contentHash = try hash(full(rel)) }
        return entries
    }

    static func withCString<T>(_ bytes: [UInt8], _ body: (UnsafePointer<CChar>) -> T) -> T {
        (bytes + [0]).withUnsafeBufferPointer { $0.withMemoryRebound(to: CChar.self) { body($0.baseAddress!) } }
    }

    static func children(_ path: [UInt8]) throws -> [[UInt8]] {
        guard let dir = withCString(path, { opendir($0) }) else {
            throw RigError("opendir \(String(decoding: path, as: UTF8.self)): \(String(cString: strerror(errno)))")
        }
        defer { closedir(dir) }
        var names: [[UInt8]] = []
        while let ent = readdir(dir) {
            let name = withUnsafeBytes(of: ent.pointee.d_name) { raw in Array(raw.prefix { $0 != 0 }) }
            if name == [0x2E] || name == [0x2E, 0x2E] { continue }
            names.append(name)
        }
        return names
    }

    static func xattrs(_ path: [UInt8]) throws -> [String: [UInt8]] {
        var list = [CChar](repeating: 0, count: 65536)
        let n = withCString(path) { llistxattr($0, &list, list.count) }
        guard n >= 0 else { return [:] }
        var result: [String: [UInt8]] = [:]
        for name in list.prefix(n).split(separator: 0) {
            let key = String(decoding: name.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            var value = [UInt8](repeating: 0, count: 65536)
            let m = withCString(path) { p in
                (Array(name) + [0]).withUnsafeBufferPointer { lgetxattr(p, $0.baseAddress!, &value, value.count) }
            }
            result[key] = m >= 0 ? Array(value.prefix(m)) : nil
        }
        return result
    }

    /// FNV-1a of the contents (reading a FIFO or device is never attempted: regular files only).
    static func hash(_ path: [UInt8]) throws -> UInt64 {
        let fd = withCString(path) { open($0, O_RDONLY | 0o1000000 /* O_NOATIME */) }
        guard fd >= 0 else { throw RigError("open \(String(decoding: path, as: UTF8.self)) failed") }
        defer { close(fd) }
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 { throw RigError("read failed") }
            if n == 0 { return h }
            for b in buffer.prefix(n) { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        }
    }
}
