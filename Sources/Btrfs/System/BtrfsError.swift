#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Every failure the library reports: a value with its context, printed once by the caller.
public enum BtrfsError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A system call failed; `call` names it, `path` is what it was about.
    case system(errno: Int32, call: String, path: String)
    /// The path is on another filesystem, or the kernel refused a btrfs ioctl as unknown.
    case notBtrfs(path: String)
    /// stat, statfs or open of the path failed.
    case cannotAccess(path: String, errno: Int32)
    /// A directory was required.
    case notDirectory(path: String)
    /// Item bytes from the kernel were shorter than their type needs.
    case truncated(item: String, need: Int, have: Int)
    /// Bytes from the kernel that make no sense (a length past the end, a bad count).
    case malformed(what: String)
    /// libbtrfsutil returned an error; `message` is btrfs_util_strerror's text.
    case util(code: Int32, message: String, errno: Int32, path: String)
    /// A value given by the caller that the call cannot take.
    case invalidArgument(String)
    /// A look-up for exactly one item found none (python-btrfs's ItemNotFoundError).
    case itemNotFound(String)

    /// The errno behind the error, where there is one.
    public var errno: Int32? {
        switch self {
        case .system(let e, _, _): return e
        case .cannotAccess(_, let e): return e
        case .util(_, _, let e, _): return e == 0 ? nil : e
        default: return nil
        }
    }

    /// True for EMFILE/ENFILE: the process (or system) is out of file descriptors. Such a failure
    /// says nothing about the file, so an answer that treats it as "missing" or "not btrfs" is wrong.
    public var isDescriptorShortage: Bool { errno == EMFILE || errno == ENFILE }

    /// The error as one line of text (what failed, the path, strerror).
    public var description: String {
        switch self {
        case .system(let e, let call, let path):
            return "\(call) \(path): \(errnoText(e))"
        case .notBtrfs(let path):
            return "not a btrfs filesystem: \(path)"
        case .cannotAccess(let path, let e):
            return "cannot access '\(path)': \(errnoText(e))"
        case .notDirectory(let path):
            return "not a directory: \(path)"
        case .truncated(let item, let need, let have):
            return "truncated \(item): need \(need) bytes, have \(have)"
        case .malformed(let what):
            return "malformed data: \(what)"
        case .util(_, let message, let e, let path):
            return e == 0 ? "\(path): \(message)" : "\(path): \(message): \(errnoText(e))"
        case .invalidArgument(let text), .itemNotFound(let text):
            return text
        }
    }
}

/// EMFILE or ENFILE: no file descriptor to be had.
public func isDescriptorShortage(_ code: Int32) -> Bool { code == EMFILE || code == ENFILE }

/// strerror's text for an errno, as `%m` prints it.
public func errnoText(_ code: Int32) -> String {
    guard let text = strerror(code) else { return "Unknown error \(code)" }
    return String(cString: text)
}
