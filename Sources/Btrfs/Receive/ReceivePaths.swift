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

extension Result where Failure == SystemError {
    /// The call's value, or the receive error progs prints for it: `what`, then errno's text.
    @inline(__always)
    func get(receiving what: @autoclosure () -> String) throws -> Success {
        switch self {
        case .success(let value): return value
        case .failure(let e): throw ReceiveError("\(what()): \(errnoText(e.rawValue))", errno: e.rawValue)
        }
    }
}

/// Runs `body` with a stream name as a C string (its bytes, NUL added).
@inline(__always)
func withStreamCString<R>(_ name: [UInt8], _ body: (UnsafePointer<CChar>) throws -> R) rethrows -> R {
    try (name + [0]).withUnsafeBufferPointer { try $0.withMemoryRebound(to: CChar.self) { try body($0.baseAddress!) } }
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

    func withName<T>(_ body: (UnsafePointer<CChar>) -> T) -> T { withStreamCString(name, body) }
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

    /// openat2 below `root` (EINTR retried): the descriptor, or the errno.
    static func open(_ root: CInt, _ path: [UInt8], flags: Int32) -> Result<CInt, SystemError> {
        withStreamCString(path.isEmpty ? [0x2E] : path) { c in
            SystemCall.value { sb_openat2(root, c, flags | O_CLOEXEC, resolveFlags) }
        }
    }
}
