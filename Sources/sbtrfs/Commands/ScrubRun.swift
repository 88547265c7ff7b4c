#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Btrfs

/// Set by SIGINT during a scrub; the progress thread cancels the kernel's scrub when it sees it.
nonisolated(unsafe) var scrubInterrupted: sig_atomic_t = 0

/// One device of a running scrub (progs' struct scrub_progress): what the device thread was
/// given and, once it ends, what the kernel answered. Shared fields are read under the run's lock.
struct ScrubSlot {
    var devid: UInt64
    var start: UInt64 = 0
    var skip = false
    var resumed: ScrubRecord?
    var progress = ScrubProgress()
    var stats = ScrubStats()
    var errno: Int32?
    var ioprioErrno: Int32?

    /// scrub_resumed_stats: a resumed device's line adds the earlier run's counters and time.
    func fileRecord(fsid: String) -> ScrubRecord {
        var r = ScrubRecord(fsid: fsid, devid: devid)
        r.progress = progress
        r.stats = stats
        guard let old = resumed, !skip else { return r }
        let summed: [WritableKeyPath<ScrubProgress, UInt64>] = [
            \.dataExtentsScrubbed, \.treeExtentsScrubbed, \.dataBytesScrubbed, \.treeBytesScrubbed, \.readErrors,
            \.csumErrors, \.verifyErrors, \.noCsum, \.csumDiscards, \.superErrors, \.mallocErrors,
            \.uncorrectableErrors, \.correctedErrors,
        ]
        for path in summed { r.progress[keyPath: path] = old.progress[keyPath: path] &+ progress[keyPath: path] }
        r.stats.tResumed = stats.tStart
        r.stats.tStart = old.stats.tStart
        r.stats.duration = old.stats.duration &+ stats.duration
        return r
    }
}

/// A scrub of several devices at once: one pthread per device in SCRUB, one progress thread
/// that asks SCRUB_PROGRESS, answers the progress socket and rewrites the status file (every 5 s,
/// or whenever asked), and on a terminal draws a live line every second.
final class ScrubRun: @unchecked Sendable {
    let fs: FileSystem
    let fsid: String
    let readOnly: Bool
    let ioClass: Int32, ioData: Int32
    let record: Bool
    let socket: Int32
    /// Total bytes for the live line; nil: no live line.
    let liveTotal: UInt64?
    private(set) var slots: [ScrubSlot]
    private let lock = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private var wake: [Int32] = [-1, -1]
    private var stopping = false
    /// An errno that ended the progress thread (progs: "recording progress failed").
    private(set) var progressErrno: Int32?

    init(fs: FileSystem, fsid: String, slots: [ScrubSlot], readOnly: Bool, ioClass: Int32, ioData: Int32,
         record: Bool, socket: Int32, liveTotal: UInt64?) {
        self.fs = fs
        self.fsid = fsid
        self.slots = slots
        self.readOnly = readOnly
        self.ioClass = ioClass
        self.ioData = ioData
        self.record = record
        self.socket = socket
        self.liveTotal = liveTotal
        pthread_mutex_init(lock, nil)
        _ = pipe(&wake)
    }

    deinit {
        pthread_mutex_destroy(lock)
        lock.deallocate()
        for fd in wake where fd >= 0 { close(fd) }
    }

    private func locked<T>(_ body: () -> T) -> T {
        pthread_mutex_lock(lock)
        defer { pthread_mutex_unlock(lock) }
        return body()
    }

    /// The status file's lines for the slots as they are now.
    func fileRecords() -> [ScrubRecord] { locked { slots.map { $0.fileRecord(fsid: fsid) } } }

    /// Writes the status file (scrub_write_progress); the errno on failure.
    func writeStatus(_ records: [ScrubRecord]) -> Int32? { ScrubStatusFile.write(records, fsid: fsid)?.rawValue }

    /// A thread that did not start: the device's (nil: the progress thread), with the code
    /// pthread_create returned (it sets no errno).
    struct ThreadFailure {
        var devid: UInt64?
        var code: SystemError
        /// progs' message before the code's text.
        var message: String {
            devid.map { "creating scrub_one_dev[\($0)] thread failed" } ?? "creating progress thread failed"
        }
    }

    /// Runs every device that is not skipped and waits for them; the thread that could not start.
    func run() -> ThreadFailure? {
        var threads: [pthread_t] = []
        for i in slots.indices {
            let skip = locked { () -> Bool in
                guard slots[i].skip else {
                    slots[i].stats.tStart = Int64(time(nil))
                    return false
                }
                if let old = slots[i].resumed {
                    slots[i].progress = old.progress
                    slots[i].stats = old.stats
                }
                slots[i].stats.finished = 1
                return true
            }
            if skip { continue }
            switch startThread({ self.scrubOne(i) }) {
            case .success(let t): threads.append(t)
            case .failure(let e): return ThreadFailure(devid: locked { slots[i].devid }, code: e)
            }
        }
        let progressThread: pthread_t
        switch startThread({ self.progressCycle() }) {
        case .success(let t): progressThread = t
        case .failure(let e): return ThreadFailure(devid: nil, code: e)
        }
        for t in threads { pthread_join(t, nil) }
        locked { stopping = true }
        var byte: UInt8 = 1
        _ = write(wake[1], &byte, 1)
        pthread_join(progressThread, nil)
        if liveTotal != nil { drawLive(nil) }
        return nil
    }

    /// scrub_one_dev.
    private func scrubOne(_ i: Int) {
        let (devid, start, tStart) = locked { (slots[i].devid, slots[i].start, slots[i].stats.tStart) }
        let ioprio = IOPriority.setForCurrentThread(class: ioClass, data: ioData)
        let outcome = fs.scrub(devid: devid, start: start, readOnly: readOnly)
        let now = Int64(time(nil))
        locked {
            slots[i].ioprioErrno = ioprio
            slots[i].progress = outcome.progress
            slots[i].errno = outcome.errno
            slots[i].stats.duration = UInt64(bitPattern: now &- tStart)
            slots[i].stats.canceled = outcome.errno == nil ? 0 : 1
            slots[i].stats.finished = 1
        }
    }

    /// scrub_progress_cycle, waking every second to notice SIGINT and the end of the run.
    private func progressCycle() {
        var current = locked { slots }
        for i in current.indices where !current[i].skip { current[i].stats.finished = 0 }
        var lastCycle: Int64 = 0
        var canceled = false
        while true {
            var fds = [pollfd(fd: wake[0], events: Int16(POLLIN), revents: 0)]
            if socket >= 0 { fds.append(pollfd(fd: socket, events: Int16(POLLIN), revents: 0)) }
            let ready = poll(&fds, nfds_t(fds.count), 1000)
            if locked({ stopping }) { return }
            if scrubInterrupted != 0 && !canceled {
                canceled = true
                try? fs.cancelScrub()
            }
            var peer: Int32 = -1
            if ready > 0 && fds.count > 1 && fds[1].revents & Int16(POLLIN) != 0 {
                peer = accept(socket, nil, nil)
            }
            let now = Int64(time(nil))
            guard peer >= 0 || liveTotal != nil || now - lastCycle >= 5 else { continue }
            lastCycle = now
            for i in current.indices where current[i].stats.finished == 0 {
                do {
                    current[i].progress = try fs.scrubProgress(devid: current[i].devid)
                    current[i].stats.duration = UInt64(bitPattern: now &- current[i].stats.tStart)
                } catch let e as BtrfsError {
                    let code = e.errno ?? EIO
                    guard code == ENOTCONN || code == ENODEV else {
                        progressErrno = code
                        if peer >= 0 { close(peer) }
                        return
                    }
                    // Finished or gone: take the device thread's final numbers once it has them.
                    let shared = locked { slots[i] }
                    if shared.stats.finished != 0 { current[i] = shared }
                } catch {}
            }
            let records = current.map { $0.fileRecord(fsid: fsid) }
            if peer >= 0 {
                _ = ScrubStatusFile.encode(records).withUnsafeBytes { send(peer, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                close(peer)
            }
            if liveTotal != nil { drawLive(current) }
            if record, let e = writeStatus(records) {
                progressErrno = e
                return
            }
        }
    }

    /// The live line on stderr: bytes scrubbed of the total; nil clears it.
    private func drawLive(_ current: [ScrubSlot]?) {
        var text = "\r\u{1B}[K"
        if let current, let total = liveTotal {
            let done = current.reduce(UInt64(0)) { $0 &+ $1.progress.bytesScrubbed }
            let percent = total == 0 ? 0 : 100.0 * Double(done) / Double(total)
            text += "Scrubbed \(prettySize(done, mode: .default)) of \(prettySize(total, mode: .default)) (\(formatFixed2(percent))%)"
        }
        _ = Array(text.utf8).withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    }
}
