#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CBtrfs

/// Creation with qgroup usage copies. libbtrfsutil's qgroup inherit cannot carry copies, so these
/// issue SUBVOL_CREATE_V2 / SNAP_CREATE_V2 themselves with a hand-built `btrfs_qgroup_inherit`.
extension Subvolume {
    /// One "copy the referenced usage of `source` into `destination`" entry of a qgroup inherit.
    public struct QgroupCopy: Equatable, Sendable {
        /// Copy the limits of qgroup `source` to qgroup `destination`.
        public var source: UInt64
        public var destination: UInt64
        /// A copy from one qgroup to another.
        public init(source: UInt64, destination: UInt64) {
            self.source = source
            self.destination = destination
        }
    }

    /// Creates subvolume `path` through SUBVOL_CREATE_V2 with `qgroups` and referenced-usage `copies`
    /// (laid out in the order given). Errors are `.system` with the ioctl's errno.
    public static func create(_ path: String, qgroups: [UInt64], copies: [QgroupCopy]) throws {
        let (directory, name) = splitPath(path)
        let dir = try Descriptor(path: directory, requireDirectory: true)
        try createV2(on: dir, request: SB_IOC_SUBVOL_CREATE_V2, name: name, sourceFD: 0, flags: 0,
                     qgroups: qgroups, copies: copies, call: "SUBVOL_CREATE_V2")
    }

    /// Snapshots `source` as `destination` through SNAP_CREATE_V2 with `qgroups` and `copies`.
    public static func snapshot(_ source: String, to destination: String, readOnly: Bool,
                                qgroups: [UInt64], copies: [QgroupCopy]) throws {
        let (directory, name) = splitPath(destination)
        let dir = try Descriptor(path: directory, requireDirectory: true)
        let src = try Descriptor(path: source, requireDirectory: true)
        try createV2(on: dir, request: SB_IOC_SNAP_CREATE_V2, name: name, sourceFD: Int64(src.rawValue),
                     flags: readOnly ? subvolReadOnly : 0, qgroups: qgroups, copies: copies, call: "SNAP_CREATE_V2")
    }

    // uapi btrfs.h values and layouts (checked against the header's sizeof/offsetof).
    static let subvolReadOnly: UInt64 = 1 << 1            // BTRFS_SUBVOL_RDONLY
    static let subvolQgroupInherit: UInt64 = 1 << 2       // BTRFS_SUBVOL_QGROUP_INHERIT
    static let volArgsV2Size = 4096, volArgsV2NameOffset = 56, volArgsV2NameMax = 4039
    static let inheritHeaderSize = 72                     // flags, 3 counts, btrfs_qgroup_limit (5 x u64)

    /// `dir/name` split at the last slash, as dirname/basename would for the paths the tool builds.
    static func splitPath(_ path: String) -> (String, String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let dir = String(path[..<slash])
        return (dir.isEmpty ? "/" : dir, String(path[path.index(after: slash)...]))
    }

    static func createV2(on dir: Descriptor, request: CUnsignedLong, name: String, sourceFD: Int64, flags: UInt64,
                         qgroups: [UInt64], copies: [QgroupCopy], call: String) throws {
        let nameBytes = name.pathBytes
        guard !nameBytes.isEmpty, nameBytes.count <= volArgsV2NameMax else {
            throw BtrfsError.invalidArgument("subvolume name length \(nameBytes.count)")
        }
        // btrfs_qgroup_inherit: num_qgroups u64 entries, then num_ref_copies (src, dst) pairs.
        let words = qgroups + copies.flatMap { [$0.source, $0.destination] }
        var inherit = [UInt8](repeating: 0, count: inheritHeaderSize + words.count * 8)
        func put(_ value: UInt64, at offset: Int, in bytes: inout [UInt8]) {
            for i in 0..<8 { bytes[offset + i] = UInt8(truncatingIfNeeded: value >> (8 * UInt64(i))) }
        }
        put(UInt64(qgroups.count), at: 8, in: &inherit)
        put(UInt64(copies.count), at: 16, in: &inherit)
        for (i, word) in words.enumerated() { put(word, at: inheritHeaderSize + 8 * i, in: &inherit) }

        var args = [UInt8](repeating: 0, count: volArgsV2Size)
        put(UInt64(bitPattern: sourceFD), at: 0, in: &args)
        put(flags | subvolQgroupInherit, at: 16, in: &args)
        put(UInt64(inherit.count), at: 24, in: &args)
        for (i, byte) in nameBytes.enumerated() { args[volArgsV2NameOffset + i] = byte }
        let e = inherit.withUnsafeMutableBytes { ip -> Int32 in
            put(UInt64(UInt(bitPattern: ip.baseAddress)), at: 32, in: &args)
            return args.withUnsafeMutableBytes { dir.ioctlErrno(request, $0.baseAddress) }
        }
        if e != 0 { throw BtrfsError.system(errno: e, call: call, path: dir.path) }
    }
}
