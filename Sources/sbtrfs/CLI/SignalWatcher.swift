#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Synchronization

/// SIGINT and SIGTERM for a long-running command (the library never touches signals). Both are
/// blocked in the calling thread before a watcher thread starts, so only the watcher receives
/// them (sigtimedwait): it records the first, then calls `whileSignaled` every tenth of a second
/// until stopped (a cancel that found nothing to cancel yet is tried again), and `tick` about once
/// a second (a progress line). The handlers run on the watcher thread.
final class SignalWatcher: @unchecked Sendable {
    /// The signal received, 0 while none.
    private let received = Atomic<Int32>(0)
    private let stopping = Atomic<Bool>(false)
    private let whileSignaled: () -> Void
    private let tick: () -> Void
    private var thread: pthread_t?

    var signal: Int32 { received.load(ordering: .acquiring) }
    var interrupted: Bool { signal != 0 }

    init(whileSignaled: @escaping () -> Void, tick: @escaping () -> Void = {}) {
        self.whileSignaled = whileSignaled
        self.tick = tick
        var set = SignalWatcher.signals
        pthread_sigmask(SIG_BLOCK, &set, nil)
        var created = pthread_t()
        let box = Unmanaged.passRetained(self).toOpaque()
        if pthread_create(&created, nil, { argument in
            guard let argument else { return nil }
            let watcher = Unmanaged<SignalWatcher>.fromOpaque(argument).takeRetainedValue()
            watcher.watch()
            return nil
        }, box) == 0 {
            thread = created
        } else {
            Unmanaged<SignalWatcher>.fromOpaque(box).release()
            // No watcher: let the signals act as they would have.
            pthread_sigmask(SIG_UNBLOCK, &set, nil)
        }
    }

    /// Ends the watcher and waits for it. The signals stay blocked: the command ends next.
    func stop() {
        stopping.store(true, ordering: .releasing)
        if let thread { pthread_join(thread, nil) }
        thread = nil
    }

    private static var signals: sigset_t {
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        sigaddset(&set, SIGTERM)
        return set
    }

    private func watch() {
        var set = SignalWatcher.signals
        var wait = timespec(tv_sec: 0, tv_nsec: 100_000_000)
        var rounds = 0
        while !stopping.load(ordering: .acquiring) {
            let signo = sigtimedwait(&set, nil, &wait)
            if signo > 0 && received.load(ordering: .acquiring) == 0 {
                received.store(signo, ordering: .releasing)
            }
            if stopping.load(ordering: .acquiring) { break }
            if received.load(ordering: .acquiring) != 0 { whileSignaled() }
            rounds += 1
            if rounds % 10 == 0 { tick() }
        }
    }
}
