#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CBtrfs

/// A failure while receiving, with btrfs-progs' message (without "ERROR: ") and the errno its
/// callback returns.
public struct ReceiveError: Error, Equatable, CustomStringConvertible {
    /// What failed, and the errno.
    public var message: String
    public var errno: Int32
    /// An error from its text and errno.
    public init(_ message: String, errno: Int32) {
        self.message = message
        self.errno = errno
    }
    /// The message.
    public var description: String { message }
}

/// O_NOATIME is not in Swift's Glibc (it needs _GNU_SOURCE).
let openNoAtime: Int32 = 0o1000000
/// O_PATH, likewise.
let openPath: Int32 = 0o10000000

extension String {
    /// A name from a stream as the tool prints it (bytes kept, see PathBytes).
    init(streamBytes: [UInt8]) { self.init(pathBytes: streamBytes) }
}

/// Where a stream path lands: an open directory below the subvolume and a name in it, found
/// without following any symlink and without leaving the subvolume (openat2 RESOLVE_BENEATH).
struct ReceiveTarget {
    var directory: CInt
    var name: [UInt8]
    /// Whether `directory` must be closed (the subvolume's own descriptor is not).
    var owned: Bool

    func close() { if owned { _ = Glibc.close(directory) } }

    func withName<T>(_ body: (UnsafePointer<CChar>) -> T) -> T {
        (name + [0]).withUnsafeBufferPointer { $0.withMemoryRebound(to: CChar.self) { body($0.baseAddress!) } }
    }
}

enum ReceivePath {
    static let resolveFlags: UInt64 = UInt64(RESOLVE_BENEATH) | UInt64(RESOLVE_NO_SYMLINKS) | UInt64(RESOLVE_NO_MAGICLINKS)

    /// Splits a stream path into its directory and last name. nil for what a kernel never sends and
    /// what could leave the subvolume: an absolute path, a "." or ".." component.
    static func split(_ path: [UInt8]) -> (directory: [UInt8], name: [UInt8])? {
        var trimmed = path[...]
        while trimmed.last == 0x2F { trimmed = trimmed.dropLast() }
        if path.first == 0x2F { return nil }
        let parts = trimmed.split(separator: 0x2F, omittingEmptySubsequences: true)
        for part in parts where part.elementsEqual([0x2E]) || part.elementsEqual([0x2E, 0x2E]) { return nil }
        guard let last = parts.last else { return ([], []) }
        return (Array(trimmed[trimmed.startIndex..<last.startIndex]), Array(last))
    }

    /// openat2 below `root`; returns the descriptor or the errno.
    static func open(_ root: CInt, _ path: [UInt8], flags: Int32) -> (CInt, Int32) {
        let p = path.isEmpty ? [0x2E] : path
        return (p + [0]).withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { c -> (CInt, Int32) in
                while true {
                    let fd = sb_openat2(root, c.baseAddress!, flags | O_CLOEXEC, resolveFlags)
                    if fd >= 0 { return (fd, 0) }
                    if errno != EINTR { return (-1, errno) }
                }
            }
        }
    }
}
