#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Btrfs
import Synchronization

// `sbtrfs balance least-used`: python-btrfs's btrfs-balance-least-used (its heap order and log
// lines), one data block group at a time, least used first, each one's usage read again just
// before it is balanced. Added: a live progress line on a terminal, --dry-run, a usage limit
// checked to be a percentage, and SIGINT/SIGTERM cancelling the relocation at hand (exit 130).
extension BalanceCommands {
    static let leastUsed = Command(
        "least-used", synopsis: ["[options] <path>"],
        summary: "Balance data block groups one at a time, least used first",
        description: ["Relocate the data block groups whose usage is at most USAGE percent, one at a",
                      "time and the least used first, re-reading each one's usage just before it is",
                      "balanced (python-btrfs's btrfs-balance-least-used). On a terminal one line",
                      "shows the progress. SIGINT or SIGTERM cancels the relocation at hand and",
                      "ends with status 130."],
        options: [
            OptionSpec("u", "usage", value: .number, valueName: "usage",
                       help: "only block groups at most this percent used (0..100, default 100)"),
            OptionSpec(nil, "dry-run", help: "list, in order, the block groups it would balance and change nothing"),
        ],
        operands: [OperandSpec("path", .path)], permutesOperands: true, run: runLeastUsed)

    @Sendable static func runLeastUsed(_ invocation: Invocation) throws -> Int32 {
        var maxUsedPercent: UInt64 = 100
        if let text = invocation.value("usage") {
            let digits = text.utf8.allSatisfy { (0x30...0x39).contains($0) } && !text.isEmpty
            guard digits, let value = UInt64(text), value <= 100 else {
                throw CommandExit.error("invalid usage: \(text) (a percentage from 0 to 100)")
            }
            maxUsedPercent = value
        }
        let fs = try FileSystem(path: invocation.operands[0], requireDirectory: true)
        var run = LeastUsedRun(fs: fs, maxUsedPercent: maxUsedPercent, dryRun: invocation.has("dry-run"),
                               context: invocation.context)
        return try run.run()
    }
}

/// One run of least-used: the heap of block groups and what was done so far.
struct LeastUsedRun {
    typealias Entry = (usedPercent: UInt64, group: BlockGroupItem)

    let fs: FileSystem
    let maxUsedPercent: UInt64
    let dryRun: Bool
    let context: Context
    let progress: LeastUsedProgress
    var heap = PythonHeap<Entry>([]) { _, _ in false }

    init(fs: FileSystem, maxUsedPercent: UInt64, dryRun: Bool, context: Context) {
        self.fs = fs
        self.maxUsedPercent = maxUsedPercent
        self.dryRun = dryRun
        self.context = context
        progress = LeastUsedProgress(out: context.out, live: !dryRun && isatty(1) == 1)
    }

    mutating func run() throws -> Int32 {
        // Cancel the balance at hand when a signal comes; retried while a balance call is under
        // way, since one sent before the kernel registered the balance finds nothing.
        let fs = self.fs
        let progress = self.progress
        let watcher = SignalWatcher(whileSignaled: {
            if progress.inBalance.load(ordering: .acquiring) { try? fs.cancelBalance() }
        }, tick: { progress.redraw() })
        defer {
            watcher.stop()
            progress.end()
        }
        var minUsedPercent: UInt64 = 101
        progress.log("Loading block group objects with used_pct <= \(maxUsedPercent) ...", newline: false)
        var entries: [Entry] = []
        for chunk in fs.chunks() {
            let chunk = try chunk.get()
            if watcher.interrupted { return interrupted(watcher) }
            guard chunk.type & BlockGroupFlags.data != 0 else { continue }
            let group: BlockGroupItem
            do { group = try fs.blockGroup(vaddr: chunk.vaddr, length: chunk.length) } catch BtrfsError.itemNotFound { continue }
            if group.usedPercent <= maxUsedPercent { entries.append((group.usedPercent, group)) }
            minUsedPercent = min(minUsedPercent, group.usedPercent)
        }
        heap = PythonHeap(entries, by: LeastUsedRun.less)
        progress.log(" found \(heap.count)")
        if heap.isEmpty {
            progress.log("Nothing to do, least used block group has used_pct \(minUsedPercent)")
            return 0
        }
        progress.begin(groups: heap.count, bytes: entries.reduce(0) { $0 &+ $1.group.used })
        while let (nextPercent, next) = heap.first {
            if watcher.interrupted { return interrupted(watcher) }
            let group: BlockGroupItem
            do {
                group = try fs.blockGroup(vaddr: next.vaddr, length: next.length)
            } catch BtrfsError.itemNotFound {
                heap.pop()
                progress.skip(next.used)
                continue
            }
            let usedPercent = group.usedPercent
            if usedPercent > nextPercent {
                if usedPercent > maxUsedPercent {
                    progress.log("Ignoring block group vaddr \(group.vaddr) used_pct changed \(nextPercent) -> \(usedPercent)")
                    heap.pop()
                    progress.skip(next.used)
                } else {
                    progress.log("Postponing block group vaddr \(group.vaddr) used_pct changed \(nextPercent) -> \(usedPercent)")
                    heap.replaceFirst(with: (usedPercent, group))
                    progress.grow(from: next.used, to: group.used)
                }
                continue
            }
            heap.pop()
            if dryRun {
                progress.log("Would balance block group vaddr \(group.vaddr) used_pct \(usedPercent)")
                continue
            }
            if let status = try balance(group, usedPercent: usedPercent, watcher: watcher) { return status }
        }
        return 0
    }

    /// Balances one block group; a status when the run ends here.
    private func balance(_ group: BlockGroupItem, usedPercent: UInt64, watcher: SignalWatcher) throws -> Int32? {
        let started = monotonicSeconds()
        progress.log("Balance block group vaddr \(group.vaddr) used_pct \(usedPercent) ...", newline: false,
                     current: group)
        // Announce the call before looking at the flag: either the flag is seen here, or the
        // watcher sees the call and cancels it.
        progress.inBalance.store(true, ordering: .releasing)
        if watcher.interrupted {
            progress.inBalance.store(false, ordering: .releasing)
            progress.log(" duration 0 sec")
            return interrupted(watcher)
        }
        let result: Result<BalanceProgress, BalanceError>
        do {
            result = .success(try fs.balance(BalanceRequest(dataArgs: BalanceArgs(vstart: group.vaddr, vend: group.vaddr &+ 1))))
        } catch {
            result = .failure(error)
        }
        progress.inBalance.store(false, ordering: .releasing)
        let seconds = Int(monotonicSeconds() - started)
        switch result {
        case .success(let done):
            progress.finished(group.used)
            progress.log(" duration \(seconds) sec total \(done.considered)")
            return watcher.interrupted ? interrupted(watcher) : nil
        case .failure(let error):
            if watcher.interrupted, case .canceled = error {
                progress.log(" duration \(seconds) sec")
                progress.log("Canceled the balance of block group vaddr \(group.vaddr)")
                return interrupted(watcher)
            }
            // python-btrfs prints the BalanceError (on stdout, after the dots) and exits 1.
            progress.log(error.description)
            return 1
        }
    }

    /// After SIGINT or SIGTERM: no balance left behind, what was done, exit 130.
    private func interrupted(_ watcher: SignalWatcher) -> Int32 {
        watcher.stop()
        // A balance this run started is cancelled; a paused one it left would be cancelled too.
        if (try? fs.balanceProgress()) != nil { try? fs.cancelBalance() }
        let name = watcher.signal == SIGTERM ? "SIGTERM" : "SIGINT"
        progress.log("Interrupted by \(name): " + progress.summary())
        progress.log("Exiting...")
        return 130
    }

    /// Python's tuple order: used_pct, then the block group's key.
    static func less(_ a: Entry, _ b: Entry) -> Bool {
        a.usedPercent != b.usedPercent ? a.usedPercent < b.usedPercent : a.group.key < b.group.key
    }
}

/// Seconds on the monotonic clock.
func monotonicSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}
