#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CBtrfs

/// libbtrfsutil's subvolume iterator: pre-order (or post-order) over the subvolumes beneath a
/// subvolume, with paths relative to it. As root it walks ROOT_REF items; otherwise it uses
/// GET_SUBVOL_ROOTREF and INO_LOOKUP_USER and lists only what the caller may reach.
/// A `ThrowingCursor` over `next()`; being a class, one walk however many loops read it.
public final class SubvolumeIterator: ThrowingCursor {
    let handle: OpaquePointer
    let fd: CInt
    let unprivileged: Bool
    let postOrder: Bool
    let path: String
    var yielded = 0

    /// An iterator below subvolume `top` (0: the subvolume `fs` is the root of).
    public init(_ fs: FileSystem, top: UInt64 = 0, postOrder: Bool = false) throws {
        // libbtrfsutil 1.2's unprivileged iterator closes the descriptor it was given when it
        // first descends: hand it a duplicate so the FileSystem's own stays open.
        let dup = try SystemCall.value { fcntl(fs.descriptor.rawValue, F_DUPFD_CLOEXEC, 0) }
            .get { .system(errno: $0, call: "dup", path: fs.path) }
        var raw: OpaquePointer? = nil
        let flags: Int32 = postOrder ? BTRFS_UTIL_SUBVOLUME_ITERATOR_POST_ORDER : 0
        do {
            try utilCall(path: fs.path) { btrfs_util_create_subvolume_iterator_fd(dup, top, flags, &raw) }
        } catch {
            close(dup)
            throw error
        }
        guard let raw else {
            close(dup)
            throw BtrfsError.malformed(what: "libbtrfsutil returned no iterator")
        }
        handle = raw
        fd = dup
        // The rule libbtrfsutil itself applies.
        unprivileged = top == 0 && geteuid() != 0
        self.postOrder = postOrder
        path = fs.path
    }

    deinit {
        btrfs_util_destroy_subvolume_iterator(handle)
        // Unprivileged, the library closed the duplicate when it returned its first subvolume;
        // otherwise it is still ours to close.
        if !(unprivileged && yielded > 0) { close(fd) }
    }

    /// The next subvolume's path (relative to the top, raw bytes) and id; nil at the end.
    public func next() throws -> (path: [UInt8], id: UInt64)? {
        while true {
            var raw: UnsafeMutablePointer<CChar>? = nil
            var id: UInt64 = 0
            let (err, e) = utilResult { btrfs_util_subvolume_iterator_next(handle, &raw, &id) }
            do { return try finish(err, e, raw) { id } } catch let e as BtrfsError where vanished(e) { continue }
        }
    }

    /// The next subvolume's path and information; nil at the end. Unprivileged, pre-order only:
    /// libbtrfsutil 1.2 reports the parent's information in post-order, so that combination throws.
    public func nextInfo() throws -> (path: [UInt8], info: SubvolumeInfo)? {
        if unprivileged && postOrder {
            throw BtrfsError.invalidArgument("unprivileged post-order iteration gives wrong subvolume information; "
                + "use next() and the subvolume's own info")
        }
        while true {
            var raw: UnsafeMutablePointer<CChar>? = nil
            var info = btrfs_util_subvolume_info()
            let (err, e) = utilResult { btrfs_util_subvolume_iterator_next_info(handle, &raw, &info) }
            do { return try finish(err, e, raw) { SubvolumeInfo(info) } } catch let e as BtrfsError where vanished(e) { continue }
        }
    }

    /// A subvolume deleted while the unprivileged walk passed it: its path lookup (INO_LOOKUP_USER)
    /// or, once descended into, its information (GET_SUBVOL_INFO) answers ENOENT. The library has
    /// already stepped past it, so the walk goes on without it, as if it had been deleted earlier;
    /// libbtrfsutil skips only the ENOENT of opening it. (As root the walk reads ROOT_REF items.)
    private func vanished(_ error: BtrfsError) -> Bool {
        guard unprivileged, case .util(let code, _, let e, _) = error, e == ENOENT else { return false }
        return code == UtilErrorCode.getSubvolInfoFailed.rawValue || code == UtilErrorCode.inoLookupUserFailed.rawValue
    }

    private func finish<T>(_ err: btrfs_util_error, _ e: Int32, _ raw: UnsafeMutablePointer<CChar>?,
                           _ value: () -> T) throws -> (path: [UInt8], T)? {
        defer { free(raw) }
        if err == BTRFS_UTIL_ERROR_STOP_ITERATION { return nil }
        // A path comes back only when the library appended a subvolume, i.e. descended.
        if raw != nil { yielded += 1 }
        if err != BTRFS_UTIL_OK {
            let code = UtilErrorCode(err)
            throw BtrfsError.util(code: code.rawValue, message: code.message, errno: e, path: path)
        }
        guard let raw else { return ([], value()) }
        return (Array(UnsafeRawBufferPointer(start: raw, count: strlen(raw))), value())
    }
}
