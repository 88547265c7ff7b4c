#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Btrfs

/// How a message words an error. btrfs-progs words a failure in a few ways, call by call: `%m`
/// (strerror of the errno its helper returned, some fixed errno when it had none),
/// `error_btrfs_util` (libbtrfsutil's text, then errno's), or its own words for one errno. Each
/// call site picks one; `errorText` is the one place an Error becomes that text.
struct ErrorWording {
    /// A libbtrfsutil failure as error_btrfs_util prints it.
    var util = false
    /// strerror of the error's errno.
    var strerror = true
    /// The errno a "not btrfs" error stands for (the ioctl answered ENOTTY), nil: it has none.
    var notBtrfs: Int32?
    /// The errno whose strerror stands for an error that has none; nil: the error's own description.
    var otherwise: Int32?
    /// ENOTCONN's words where progs has its own ("quota not enabled").
    var notConnected: String?

    /// `%m` of the error's errno, else of `errno` (progs' callers pass EIO, ENOTTY …).
    static func strerror(orElse errno: Int32 = EIO) -> ErrorWording { ErrorWording(otherwise: errno) }
    /// `%m` of the errno a library call failed with, "not btrfs" as ENOTTY, else EIO.
    static let ioctl = ErrorWording(notBtrfs: ENOTTY, otherwise: EIO)
    /// `%m` of the errno, else the error as it describes itself.
    static let strerrorOrDescription = ErrorWording()
    /// error_btrfs_util for libbtrfsutil failures, anything else as it describes itself.
    static let util = ErrorWording(util: true, strerror: false)
    /// error_btrfs_util, else `%m`, else the description (subvolume list without privileges).
    static let utilOrStrerror = ErrorWording(util: true)
    /// The qgroup ioctls' words: "quota not enabled" for ENOTCONN, else `%m` (EIO without an errno).
    static let quota = ErrorWording(otherwise: EIO, notConnected: "quota not enabled")

    /// The errno the wording takes from `error`, nil when it has none.
    func errno(of error: Error) -> Int32? {
        if let e = error as? BtrfsError {
            if let code = e.errno { return code }
            if case .notBtrfs = e { return notBtrfs }
            return nil
        }
        if let e = error as? any CarriesErrno { return e.errno }
        return (error as? SystemError)?.rawValue
    }

    func text(of code: Int32) -> String {
        if code == ENOTCONN, let notConnected { return notConnected }
        return errnoText(code)
    }
}

/// A library error that always carries one errno (the kernel's answer).
protocol CarriesErrno: Error { var errno: Int32 { get } }
extension BalanceError: CarriesErrno {}

/// The text a message shows for `error`, worded as `wording` says (see ErrorWording).
func errorText(_ error: Error, _ wording: ErrorWording = .strerror()) -> String {
    if wording.util, let e = error as? BtrfsError, let text = e.utilProgsText { return text }
    if wording.strerror, let code = wording.errno(of: error) ?? wording.otherwise { return wording.text(of: code) }
    if let e = error as? ProgsError { return e.message }
    return "\(error)"
}

/// The errno behind a library error as progs' ioctl callers see it (ENOTTY for "not btrfs", EIO
/// when there is none).
func errnoOf(_ error: Error) -> Int32 { ErrorWording.ioctl.errno(of: error) ?? EIO }

extension BtrfsError {
    /// The text btrfs-progs' `error_btrfs_util` prints: the library's text and errno's, or errno's alone
    /// when they say the same thing.
    var utilProgsText: String? {
        guard case .util(_, let message, let e, _) = self else { return nil }
        let errnoString = errnoText(e)
        return message == errnoString ? errnoString : "\(message): \(errnoString)"
    }
}
