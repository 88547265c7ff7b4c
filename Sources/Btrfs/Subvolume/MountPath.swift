#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Where a path lies inside its btrfs filesystem, found without privileges from /proc/self/mountinfo:
/// the mount's root (the path of the mounted subvolume or directory from the top level) plus the path
/// below the mount point.
public struct MountPath {
    /// The mount point the path is under.
    public var mountPoint: [UInt8]
    /// The mount's root inside the filesystem, from the top level ("/" for the top level itself).
    public var mountRoot: [UInt8]
    /// The path's location from the top level, without a leading '/' ("" for the top level).
    public var pathFromTop: [UInt8]

    /// Resolves `path` (made absolute with realpath) against the longest mount point holding it whose
    /// device is the path's.
    public static func resolve(_ path: String) throws -> MountPath {
        let real: String
        switch SystemCall.realPath(path) {
        case .success(let resolved): real = resolved
        case .failure(let e): throw BtrfsError.cannotAccess(path: path, errno: e.rawValue)
        }
        let absolute = real.pathBytes
        var best: MountPath? = nil
        for entry in try MountInfoEntry.btrfsMounts() {
            let mountPoint = entry.mountPoint
            guard isUnder(absolute, mountPoint) else { continue }
            // The longest mount point wins; of mounts stacked on one point, the last (the visible one).
            if let current = best, current.mountPoint.count > mountPoint.count { continue }
            let root = entry.root
            var below = Array(absolute.dropFirst(mountPoint.count))
            while below.first == UInt8(ascii: "/") { below.removeFirst() }
            var fromTop = Array(root.drop { $0 == UInt8(ascii: "/") })
            if !below.isEmpty {
                if !fromTop.isEmpty { fromTop.append(UInt8(ascii: "/")) }
                fromTop += below
            }
            best = MountPath(mountPoint: mountPoint, mountRoot: root, pathFromTop: fromTop)
        }
        guard let best else { throw BtrfsError.notBtrfs(path: path) }
        return best
    }

    private static func isUnder(_ path: [UInt8], _ mountPoint: [UInt8]) -> Bool {
        if mountPoint == [UInt8(ascii: "/")] { return true }
        guard path.starts(with: mountPoint) else { return false }
        return path.count == mountPoint.count || path[mountPoint.count] == UInt8(ascii: "/")
    }

    /// mountinfo (and /proc/mounts) write space, tab, newline and backslash as octal escapes.
    static func unescape(_ field: ArraySlice<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        var i = field.startIndex
        while i < field.endIndex {
            let b = field[i]
            if b == UInt8(ascii: "\\"), field.endIndex - i >= 4 {
                let digits = field[(i + 1)...(i + 3)]
                if digits.allSatisfy({ $0 >= 48 && $0 <= 55 }) {
                    let value = digits.reduce(0) { $0 * 8 + Int($1 - 48) }
                    out.append(UInt8(truncatingIfNeeded: value))
                    i += 4
                    continue
                }
            }
            out.append(b)
            i += 1
        }
        return out
    }
}


/// One btrfs line of /proc/self/mountinfo: which directory of the filesystem is mounted where.
public struct MountInfoEntry: Hashable, Sendable {
    /// The mounted directory, from the top level, with its leading '/' ("/" for the top level).
    public var root: [UInt8]
    public var mountPoint: [UInt8]
    /// The filesystem's own options (after the source), e.g. `rw,subvolid=256,subvol=/a`.
    public var superOptions: String

    /// The value of `name=` among the super options, or nil.
    public func option(_ name: String) -> String? {
        for part in superOptions.split(separator: ",") where part.hasPrefix(name + "=") {
            return String(part.dropFirst(name.count + 1))
        }
        return nil
    }

    /// Every btrfs mount, in mountinfo order. Fields are found by the " - " separator, so any
    /// number of optional fields (shared:N, master:N) is read right.
    public static func btrfsMounts() throws -> [MountInfoEntry] {
        let file: UnsafeMutablePointer<FILE>
        switch SystemCall.pointer({ fopen("/proc/self/mountinfo", "r") }) {
        case .success(let opened): file = opened
        case .failure(let e):
            throw MountedFilesystems.mountTableError("/proc/self/mountinfo", e)
        }
        defer { fclose(file) }
        var result: [MountInfoEntry] = []
        var line: UnsafeMutablePointer<CChar>? = nil
        var capacity = 0
        defer { free(line) }
        while getline(&line, &capacity, file) > 0 {
            guard let line else { break }
            var bytes = Array(UnsafeRawBufferPointer(start: line, count: strlen(line)))
            if bytes.last == UInt8(ascii: "\n") { bytes.removeLast() }
            let fields = bytes.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false)
            guard fields.count > 9, let sep = fields.firstIndex(where: { $0.elementsEqual("-".utf8) }),
                  sep + 3 < fields.count, fields[sep + 1].elementsEqual("btrfs".utf8) else { continue }
            result.append(MountInfoEntry(root: MountPath.unescape(fields[3]), mountPoint: MountPath.unescape(fields[4]),
                                         superOptions: String(decoding: fields[sep + 3], as: UTF8.self)))
        }
        return result
    }
}
