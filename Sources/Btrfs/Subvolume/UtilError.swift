#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CBtrfs

/// libbtrfsutil's error codes, as an open set: a code this build does not name still survives.
public struct UtilErrorCode: RawRepresentable, Hashable, Sendable {
    /// libbtrfsutil's enum btrfs_util_error value.
    public var rawValue: Int32
    /// The code with this value, known or not.
    public init(rawValue: Int32) { self.rawValue = rawValue }
    init(_ e: btrfs_util_error) { rawValue = Int32(bitPattern: e.rawValue) }

    /// BTRFS_UTIL_OK and the BTRFS_UTIL_ERROR_* codes.
    public static let ok = UtilErrorCode(BTRFS_UTIL_OK)
    public static let stopIteration = UtilErrorCode(BTRFS_UTIL_ERROR_STOP_ITERATION)
    public static let notBtrfs = UtilErrorCode(BTRFS_UTIL_ERROR_NOT_BTRFS)
    public static let notSubvolume = UtilErrorCode(BTRFS_UTIL_ERROR_NOT_SUBVOLUME)
    public static let subvolumeNotFound = UtilErrorCode(BTRFS_UTIL_ERROR_SUBVOLUME_NOT_FOUND)
    public static let openFailed = UtilErrorCode(BTRFS_UTIL_ERROR_OPEN_FAILED)
    public static let searchFailed = UtilErrorCode(BTRFS_UTIL_ERROR_SEARCH_FAILED)
    public static let inoLookupFailed = UtilErrorCode(BTRFS_UTIL_ERROR_INO_LOOKUP_FAILED)
    public static let getSubvolInfoFailed = UtilErrorCode(BTRFS_UTIL_ERROR_GET_SUBVOL_INFO_FAILED)
    public static let getSubvolRootrefFailed = UtilErrorCode(BTRFS_UTIL_ERROR_GET_SUBVOL_ROOTREF_FAILED)
    public static let inoLookupUserFailed = UtilErrorCode(BTRFS_UTIL_ERROR_INO_LOOKUP_USER_FAILED)

    /// btrfs_util_strerror's text.
    public var message: String {
        guard let text = btrfs_util_strerror(btrfs_util_error(rawValue: UInt32(bitPattern: rawValue))) else {
            return "Unknown error \(rawValue)"
        }
        return String(cString: text)
    }
}

extension BtrfsError {
    /// The libbtrfsutil code behind a `.util` error.
    public var utilCode: UtilErrorCode? {
        if case .util(let code, _, _, _) = self { return UtilErrorCode(rawValue: code) }
        return nil
    }
}

/// Runs a libbtrfsutil call: its code and the errno it left, read at once (0 when it set none).
@inline(__always)
func utilResult(_ body: () -> btrfs_util_error) -> (btrfs_util_error, Int32) { SystemCall.withErrno(body) }

/// Runs a libbtrfsutil call and turns its error code, with the errno it left, into a `BtrfsError.util`.
@inline(__always)
func utilCall(path: String, _ body: () -> btrfs_util_error) throws {
    let (result, e) = utilResult(body)
    if result == BTRFS_UTIL_OK { return }
    let code = UtilErrorCode(result)
    throw BtrfsError.util(code: code.rawValue, message: code.message, errno: e, path: path)
}
