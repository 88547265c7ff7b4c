#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A tree search whose ioctls run on a second thread, up to `depth` answers ahead of the reader
/// (a bounded queue of filled search buffers). A dump then costs the larger of searching and
/// formatting instead of their sum: on two cores the kernel's walk of tree 5 (200k files) and the
/// formatting of its 300 MB of long text overlap (measurements in Docs/PERFORMANCE.md).
/// The reader hands a buffer back when it asks for the next answer, so the view contract of
/// `SearchItem` (valid until the next step) holds as without read-ahead.
final class SearchReadAhead: @unchecked Sendable {   // every shared var is behind `lock`
    struct Answer {
        let buffer: SearchBuffer
        let count: Int
        /// ioctls issued so far, for the cursor's `calls`.
        let calls: Int
    }

    /// Answers in flight: enough to cover the jitter of either side, few enough to keep memory flat.
    static let depth = 4

    private let descriptor: Descriptor
    private let search: TreeSearch
    private let slots: [SearchBuffer]
    private let lock = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let changed = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    // Shared state, under `lock`.
    private var free: [Int]
    private var filled: [(slot: Int, count: Int, calls: Int)] = []
    private var finished = false
    private var failure: Error?
    private var cancelled = false
    // The reader's side only.
    private var held: Int?
    private var thread: pthread_t?

    private init(descriptor: Descriptor, search: TreeSearch, first: SearchBuffer) {
        self.descriptor = descriptor
        self.search = search
        slots = [first] + (1..<SearchReadAhead.depth).map { _ in SearchBuffer(capacity: first.capacity) }
        free = Array(slots.indices)
        filled.reserveCapacity(SearchReadAhead.depth)
        pthread_mutex_init(lock, nil)
        pthread_cond_init(changed, nil)
    }

    /// Starts the searching thread; `first` (the cursor's own buffer) becomes one of the slots.
    static func start(descriptor: Descriptor, search: TreeSearch, first: SearchBuffer) throws -> SearchReadAhead {
        let ahead = SearchReadAhead(descriptor: descriptor, search: search, first: first)
        switch startThread({ ahead.produce() }) {
        case .success(let t): ahead.thread = t
        case .failure(let e): throw BtrfsError.system(errno: e.rawValue, call: "pthread_create", path: descriptor.path)
        }
        return ahead
    }

    deinit {
        pthread_mutex_lock(lock)
        cancelled = true
        pthread_cond_broadcast(changed)
        pthread_mutex_unlock(lock)
        if let thread { pthread_join(thread, nil) }
        pthread_cond_destroy(changed)
        pthread_mutex_destroy(lock)
        lock.deallocate()
        changed.deallocate()
    }

    /// The next filled answer (handing back the one before); nil at the end; the search's error
    /// where it failed.
    func next() throws -> Answer? {
        pthread_mutex_lock(lock)
        defer { pthread_mutex_unlock(lock) }
        if let slot = held {
            free.append(slot)
            held = nil
            pthread_cond_broadcast(changed)
        }
        while filled.isEmpty && !finished { pthread_cond_wait(changed, lock) }
        guard !filled.isEmpty else {
            if let failure { throw failure }
            return nil
        }
        let a = filled.removeFirst()
        held = a.slot
        return Answer(buffer: slots[a.slot], count: a.count, calls: a.calls)
    }

    /// The searching thread: fill a free slot, queue it, continue after its last key.
    private func produce() {
        var min: Key? = search.min <= search.max ? search.min : nil
        var fetched = 0
        var calls = 0
        while true {
            pthread_mutex_lock(lock)
            while free.isEmpty && !cancelled { pthread_cond_wait(changed, lock) }
            if cancelled { pthread_mutex_unlock(lock); return }
            let slot = free.removeLast()
            pthread_mutex_unlock(lock)

            var found = 0
            var failed: Error?
            if let from = min, search.limit.map({ fetched < $0 }) ?? true {
                let want = search.limit.map { UInt32(clamping: $0 - fetched) } ?? .max
                do {
                    found = try TreeSearchCursor.ask(descriptor, search, from: from, want: want,
                                                     into: slots[slot], calls: &calls)
                } catch { failed = error }
            }
            if found > 0 {
                fetched += found
                min = nextKey(after: slots[slot], count: found)
            }
            pthread_mutex_lock(lock)
            if found > 0 { filled.append((slot, found, calls)) } else { free.append(slot) }
            if found == 0 || min == nil {
                finished = true
                failure = failed
            }
            pthread_cond_broadcast(changed)
            pthread_mutex_unlock(lock)
            if found == 0 || min == nil { return }
        }
    }

    /// Where the walk continues after an answer: right after its last key, nil past the max key
    /// or when a header is broken (the reader meets that error itself when it walks the answer).
    private func nextKey(after buffer: SearchBuffer, count: Int) -> Key? {
        var answer = SearchAnswer(buffer: UnsafeRawBufferPointer(start: buffer.pointer, count: buffer.capacity),
                                  count: count, start: TreeSearchCursor.argsSize)
        var last: Key?
        do {
            while let header = try answer.next() { last = header.key }
        } catch { return nil }
        guard let successor = last?.successor, successor <= search.max else { return nil }
        return successor
    }
}
