#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Btrfs
import Synchronization

/// What least-used has done, and how it prints: python-btrfs's lines as they come when stdout
/// is not a terminal; on a terminal, whole lines above one live progress line (block group n of
/// m, bytes relocated, elapsed, estimate of what is left), redrawn by the signal watcher's tick.
/// Everything written goes through the lock: the watcher thread draws too.
final class LeastUsedProgress: @unchecked Sendable {
    struct State {
        var pending = ""
        var groups = 0
        var done = 0
        var bytesDone: UInt64 = 0
        var bytesLeft: UInt64 = 0
        var started: Double = 0
        var current: UInt64?
        var lineShown = false
    }

    /// Whether a balance call is under way (the watcher cancels only then).
    let inBalance = Atomic<Bool>(false)
    private let state = Mutex(State())
    private let out: OutputStream
    private let live: Bool

    init(out: OutputStream, live: Bool) {
        self.out = out
        self.live = live
    }

    /// One of python-btrfs's prints; `newline: false` is its `end=''` (flushed at once).
    func log(_ text: String, newline: Bool = true, current: BlockGroupItem? = nil) {
        state.withLock { s in
            if let current { s.current = current.vaddr }
            guard live else {
                out.write(text)
                if newline { out.write(byte: 0x0A) }
                out.flush()
                return
            }
            // A partial line waits for its end; the progress line stands for it meanwhile.
            guard newline else {
                s.pending += text
                if s.groups > 0 { draw(&s) }
                return
            }
            erase(&s)
            out.line(s.pending + text)
            s.pending = ""
            if s.groups > 0 { draw(&s) } else { out.flush() }
        }
    }

    /// The groups to balance are known.
    func begin(groups: Int, bytes: UInt64) {
        state.withLock { s in
            s.groups = groups
            s.bytesLeft = bytes
            s.started = monotonicSeconds()
        }
    }

    /// A group left the heap without a balance.
    func skip(_ used: UInt64) {
        state.withLock { s in
            s.groups -= 1
            s.bytesLeft = s.bytesLeft >= used ? s.bytesLeft - used : 0
        }
    }

    /// A group's usage was re-read and it stays in the heap.
    func grow(from old: UInt64, to new: UInt64) {
        state.withLock { s in s.bytesLeft = (s.bytesLeft >= old ? s.bytesLeft - old : 0) &+ new }
    }

    /// A group was balanced.
    func finished(_ used: UInt64) {
        state.withLock { s in
            s.done += 1
            s.bytesDone &+= used
            s.bytesLeft = s.bytesLeft >= used ? s.bytesLeft - used : 0
            s.current = nil
        }
    }

    /// The watcher's tick: the elapsed time moves.
    func redraw() {
        guard live else { return }
        state.withLock { s in if s.groups > 0 { draw(&s) } }
    }

    /// The run is over: the progress line goes, the terminal is left with whole lines only.
    func end() {
        guard live else { return }
        state.withLock { s in
            erase(&s)
            out.flush()
        }
    }

    /// What was done, for the line printed after an interrupt.
    func summary() -> String {
        state.withLock { s in
            "balanced \(s.done) of \(s.groups) block groups, \(prettySize(s.bytesDone, mode: .default)) relocated in \(clock(monotonicSeconds() - s.started))"
        }
    }

    private func erase(_ s: inout State) {
        if s.lineShown { out.write("\r\u{1B}[K") }
        s.lineShown = false
    }

    private func draw(_ s: inout State) {
        erase(&s)
        let elapsed = s.started > 0 ? monotonicSeconds() - s.started : 0
        // Short enough for 80 columns: a wrapped line would not be erased whole.
        var line = s.groups > 0 ? "block group \(min(s.done + 1, s.groups))/\(s.groups)" : "loading"
        if s.groups > 0 {
            line += ", \(prettySize(s.bytesDone, mode: .default)) relocated, \(clock(elapsed)) elapsed"
            if s.bytesDone > 0 {
                let left = elapsed * Double(s.bytesLeft) / Double(s.bytesDone)
                line += ", about \(clock(left)) left"
            }
        }
        out.write(line)
        out.flush()
        s.lineShown = true
    }

    /// m:ss, or h:mm:ss from an hour on.
    private func clock(_ seconds: Double) -> String {
        let total = seconds.isFinite && seconds > 0 ? Int(min(seconds, 1e9)) : 0
        let (h, m, sec) = (total / 3600, total / 60 % 60, total % 60)
        let two = { (n: Int) in n < 10 ? "0\(n)" : "\(n)" }
        return h > 0 ? "\(h):\(two(m)):\(two(sec))" : "\(m):\(two(sec))"
    }
}
