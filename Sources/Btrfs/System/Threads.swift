#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A pthread running `body`, for work that blocks in the kernel beside the calling thread (scrub's
/// one thread per device, send's pipe pump), as btrfs-progs runs it. Joined by the caller.
public func startThread(_ body: @escaping @Sendable () -> Void) -> Result<pthread_t, SystemError> {
    let box = Unmanaged.passRetained(ThreadBody(body)).toOpaque()
    var thread = pthread_t()
    let created = pthread_create(&thread, nil, { raw in
        guard let raw else { return nil }
        Unmanaged<ThreadBody>.fromOpaque(raw).takeRetainedValue().body()
        return nil
    }, box)
    guard created == 0 else {
        Unmanaged<ThreadBody>.fromOpaque(box).release()
        return .failure(SystemError(created))
    }
    return .success(thread)
}

private final class ThreadBody {
    let body: @Sendable () -> Void
    init(_ body: @escaping @Sendable () -> Void) { self.body = body }
}
