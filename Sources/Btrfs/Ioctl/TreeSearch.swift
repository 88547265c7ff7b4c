import CBtrfs
import Synchronization

/// One item found by a tree search: its header and a view of its bytes in the search buffer.
/// The view is valid until the cursor takes its next step; parse or copy it before then.
public struct SearchItem {
    /// The item's key.
    public let key: Key
    /// Generation of the leaf the item was found in.
    public let transid: UInt64
    /// The item's bytes, inside the cursor's buffer.
    public let data: UnsafeRawBufferPointer
    /// Keeps the buffer alive while the view is in use.
    @usableFromInline let owner: SearchBuffer

    /// A bounds-checked reader over the item's bytes.
    @inlinable
    public func reader(context: String = "item") -> ItemReader { ItemReader(data, context: context) }

    /// A copy of the item's bytes that outlives the search.
    public var bytes: [UInt8] { Array(data) }
}

/// The buffer a search fills, shared with the items that point into it.
public final class SearchBuffer {
    @usableFromInline var pointer: UnsafeMutableRawPointer
    @usableFromInline var capacity: Int
    /// Whether `pointer` came from mmap (else from malloc).
    var mapped: Bool

    init(capacity: Int) {
        self.capacity = capacity
        (pointer, mapped) = SearchBuffer.allocate(capacity)
    }

    func grow(to newCapacity: Int) {
        release()
        capacity = newCapacity
        (pointer, mapped) = SearchBuffer.allocate(newCapacity)
    }

    deinit { release() }

    /// Memory for `capacity` bytes. A big buffer is mapped with its pages in place: the kernel
    /// faults the whole buffer in before every search, and one mmap with MAP_POPULATE costs less
    /// than a page fault per page (16 for the default 64 KiB). malloc for small ones, or when
    /// mmap fails.
    static func allocate(_ capacity: Int) -> (UnsafeMutableRawPointer, Bool) {
        if capacity == spareCapacity, let p = UnsafeMutableRawPointer(bitPattern: spare.exchange(0, ordering: .acquiring)) {
            return (p, true)
        }
        if capacity >= 1 << 14,
           let p = mmap(nil, capacity, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0),
           p != MAP_FAILED {
            return (p, true)
        }
        return (.allocate(byteCount: capacity, alignment: 8), false)
    }

    private func release() {
        guard mapped else { return pointer.deallocate() }
        if capacity == SearchBuffer.spareCapacity {
            let parked = SearchBuffer.spare.exchange(UInt(bitPattern: pointer), ordering: .acquiringAndReleasing)
            if let older = UnsafeMutableRawPointer(bitPattern: parked) { munmap(older, capacity) }
        } else {
            munmap(pointer, capacity)
        }
    }

    /// One default-size buffer kept, mapped and populated, for the next search instead of
    /// unmapped: a search after it (the next listing, dump or report in the process) skips the
    /// mmap, and the last one its munmap, 2% of `filesystem usage`. At most one is kept.
    static let spare = Atomic<UInt>(0)
    static let spareCapacity = TreeSearchCursor.argsSize + TreeSearch.defaultBufferSize
}

/// One `btrfs_ioctl_search_header` in a search answer, checked against the buffer: the header
/// and the item bytes it announces lie inside `buffer`, whatever lengths the bytes claim. Pure, so
/// the walk over an answer is tested and fuzzed without a kernel (Fuzz/Targets/search.swift).
struct SearchHeader {
    static let size = 32    // sizeof(struct btrfs_ioctl_search_header)

    let transid: UInt64
    let key: Key
    /// Where the item's bytes start and end in the buffer.
    let dataStart: Int
    let dataEnd: Int

    init(in buffer: UnsafeRawBufferPointer, at position: Int) throws {
        let capacity = buffer.count
        guard position >= 0, position <= capacity &- SearchHeader.size, let p = buffer.baseAddress else {
            throw BtrfsError.malformed(what: "search header past the buffer end")
        }
        transid = p.loadUnaligned(fromByteOffset: position, as: UInt64.self)
        let objectID = p.loadUnaligned(fromByteOffset: position + 8, as: UInt64.self)
        let offset = p.loadUnaligned(fromByteOffset: position + 16, as: UInt64.self)
        let type = p.loadUnaligned(fromByteOffset: position + 24, as: UInt32.self)
        let length = Int(p.loadUnaligned(fromByteOffset: position + 28, as: UInt32.self))
        dataStart = position + SearchHeader.size
        guard length <= capacity &- dataStart else {
            throw BtrfsError.malformed(what: "search item length \(length) past the buffer end")
        }
        dataEnd = dataStart + length
        key = Key(objectID, UInt8(truncatingIfNeeded: type), offset)
    }

    func data(in buffer: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: buffer[dataStart..<dataEnd])
    }
}

/// The items of one search answer as the kernel lays them out: `count` headers, each followed by
/// its item's bytes. What `TreeSearchCursor` walks after each ioctl.
struct SearchAnswer {
    let buffer: UnsafeRawBufferPointer
    var position: Int
    var pending: Int

    init(buffer: UnsafeRawBufferPointer, count: Int, start: Int = 0) {
        self.buffer = buffer
        self.position = start
        self.pending = count
    }

    /// The next header, or nil after `count` of them; throws where a length points outside.
    mutating func next() throws -> SearchHeader? {
        guard pending > 0 else { return nil }
        let header = try SearchHeader(in: buffer, at: position)
        position = header.dataEnd
        pending -= 1
        return header
    }
}

/// Parameters of a TREE_SEARCH_V2 walk: a compound key range in one tree, a transid range,
/// an optional limit on the number of items.
public struct TreeSearch {
    /// The tree to search (its id; 0 is the tree of the subvolume the descriptor is in), the key range
    /// (inclusive, compound order), the range of leaf generations, the most items to return (nil: all).
    public var tree: UInt64
    public var min: Key
    public var max: Key
    public var minTransid: UInt64
    public var maxTransid: UInt64
    public var limit: Int?
    /// Bytes of item data per ioctl; 64-256 KiB walks a tree fastest (the kernel clears the buffer each call).
    public var bufferSize: Int
    /// Run the ioctls on a second thread a few answers ahead of the reader (`SearchReadAhead`):
    /// for long walks whose items take as long to use as to find, such as tree dumps.
    public var readAhead = false

    /// The kernel refuses larger buffers.
    public static let maxBufferSize = 16 << 20
    /// The default, which walks a tree fastest here.
    public static let defaultBufferSize = 64 << 10

    /// A search of `tree` between `min` and `max` (python-btrfs `search_v2(fd, tree, min_key, max_key,
    /// …)`).
    public init(tree: UInt64, min: Key = .min, max: Key = .max,
                minTransid: UInt64 = 0, maxTransid: UInt64 = .max,
                limit: Int? = nil, bufferSize: Int = TreeSearch.defaultBufferSize) {
        self.tree = tree
        self.min = min
        self.max = max
        self.minTransid = minTransid
        self.maxTransid = maxTransid
        self.limit = limit
        self.bufferSize = bufferSize
    }
}

/// Walks a tree search: a `ThrowingCursor` (`for item in cursor { let item = try item.get() }`),
/// since a kernel call can fail mid-walk.
public struct TreeSearchCursor: ThrowingCursor {
    let descriptor: Descriptor
    /// What this cursor walks.
    public let search: TreeSearch
    @usableFromInline let buffer: SearchBuffer
    /// Next key to ask the kernel for; nil when the walk is done.
    var nextMin: Key?
    /// The headers of the current batch not yet walked.
    var answer = SearchAnswer(buffer: UnsafeRawBufferPointer(start: nil, count: 0), count: 0)
    var yielded = 0
    /// The buffer the current answer lies in (one of the read-ahead's when it runs).
    @usableFromInline var owner: SearchBuffer
    /// The second thread's search, started at the first step when `search.readAhead` asks for it.
    var readAhead: SearchReadAhead?
    /// Number of ioctls issued, for tests and benchmarks.
    public private(set) var calls = 0

    static let argsSize = 112     // sizeof(struct btrfs_ioctl_search_args_v2)

    init(descriptor: Descriptor, search: TreeSearch) {
        self.descriptor = descriptor
        self.search = search
        let size = Swift.min(Swift.max(search.bufferSize, 256), TreeSearch.maxBufferSize)
        self.buffer = SearchBuffer(capacity: TreeSearchCursor.argsSize + size)
        self.owner = buffer
        self.nextMin = search.min <= search.max ? search.min : nil
        if let limit = search.limit, limit <= 0 { nextMin = nil }
    }

    /// The next item, or nil at the end of the range.
    public mutating func next() throws -> SearchItem? {
        guard let header = try nextHeader() else { return nil }
        return SearchItem(key: header.key, transid: header.transid, data: header.data(in: answer.buffer), owner: owner)
    }

    /// Every item left, in order, to `body`: `next` in a loop without an optional item per step
    /// (destroying one went through the runtime's generic witnesses, a twentieth of a short
    /// dump's instructions).
    public mutating func forEachRemaining(_ body: (SearchItem) throws -> Void) throws {
        while let header = try nextHeader() {
            try body(SearchItem(key: header.key, transid: header.transid, data: header.data(in: answer.buffer), owner: owner))
        }
    }

    /// The next item's header, or nil at the end of the range.
    mutating func nextHeader() throws -> SearchHeader? {
        if let limit = search.limit, yielded >= limit { return nil }
        if answer.pending == 0 {
            guard try fill() else { return nil }
        }
        guard let header = try answer.next() else { return nil }
        yielded += 1
        if answer.pending == 0 {
            // Continue right after the last key of the batch; past the max key, stop.
            if let successor = header.key.successor, successor <= search.max { nextMin = successor } else { nextMin = nil }
        }
        return header
    }

    /// Asks the kernel for the next batch; false when there is nothing more.
    mutating func fill() throws -> Bool {
        guard let min = nextMin else { return false }
        if search.readAhead {
            if readAhead == nil { readAhead = try SearchReadAhead.start(descriptor: descriptor, search: search, first: buffer) }
            guard let ahead = readAhead, let next = try ahead.next() else {
                nextMin = nil
                return false
            }
            calls = next.calls
            owner = next.buffer
            answer = SearchAnswer(buffer: UnsafeRawBufferPointer(start: next.buffer.pointer, count: next.buffer.capacity),
                                  count: next.count, start: TreeSearchCursor.argsSize)
            return true
        }
        let found = try TreeSearchCursor.ask(descriptor, search, from: min, want: wanted, into: buffer, calls: &calls)
        if found == 0 {
            nextMin = nil
            return false
        }
        // The headers start after the arguments; their lengths are checked against the
        // whole buffer as the kernel filled it.
        answer = SearchAnswer(buffer: UnsafeRawBufferPointer(start: buffer.pointer, count: buffer.capacity),
                              count: found, start: TreeSearchCursor.argsSize)
        return true
    }

    /// How many items the next ioctl may return.
    var wanted: UInt32 { search.limit.map { UInt32(clamping: $0 - yielded) } ?? .max }

    /// One TREE_SEARCH_V2 from `min` into `buffer` (grown when one item does not fit): the
    /// number of items the kernel put there, 0 at the end of the range.
    static func ask(_ descriptor: Descriptor, _ search: TreeSearch, from min: Key, want: UInt32,
                    into buffer: SearchBuffer, calls: inout Int) throws -> Int {
        while true {
            calls += 1
            let p = buffer.pointer
            let max = search.max
            p.initializeMemory(as: UInt8.self, repeating: 0, count: TreeSearchCursor.argsSize)
            p.storeBytes(of: search.tree, toByteOffset: 0, as: UInt64.self)
            p.storeBytes(of: min.objectID, toByteOffset: 8, as: UInt64.self)
            p.storeBytes(of: max.objectID, toByteOffset: 16, as: UInt64.self)
            p.storeBytes(of: min.offset, toByteOffset: 24, as: UInt64.self)
            p.storeBytes(of: max.offset, toByteOffset: 32, as: UInt64.self)
            p.storeBytes(of: search.minTransid, toByteOffset: 40, as: UInt64.self)
            p.storeBytes(of: search.maxTransid, toByteOffset: 48, as: UInt64.self)
            p.storeBytes(of: UInt32(min.type), toByteOffset: 56, as: UInt32.self)
            p.storeBytes(of: UInt32(max.type), toByteOffset: 60, as: UInt32.self)
            p.storeBytes(of: want, toByteOffset: 64, as: UInt32.self)
            let bufSize = buffer.capacity - TreeSearchCursor.argsSize
            p.storeBytes(of: UInt64(bufSize), toByteOffset: 104, as: UInt64.self)
            let e = descriptor.ioctlErrno(SB_IOC_TREE_SEARCH_V2, p)
            if e == EOVERFLOW {
                // One item is bigger than the buffer: the kernel says how much it needs.
                let needed = Int(clamping: p.load(fromByteOffset: 104, as: UInt64.self))
                let grown = Swift.min(Swift.max(needed, bufSize * 2), TreeSearch.maxBufferSize)
                guard grown > bufSize else {
                    throw BtrfsError.system(errno: e, call: "tree search", path: descriptor.path)
                }
                buffer.grow(to: TreeSearchCursor.argsSize + grown)
                continue
            }
            if e != 0 { throw descriptor.error(e, call: "tree search") }
            return Int(p.load(fromByteOffset: 64, as: UInt32.self))
        }
    }
}

#if canImport(Glibc)
import Glibc
#endif

extension FileSystem {
    /// A cursor over the items of `search`, fetched lazily in batches.
    public func search(_ search: TreeSearch) -> TreeSearchCursor {
        TreeSearchCursor(descriptor: descriptor, search: search)
    }

    /// Calls `body` with each item of `search`; the item's bytes are valid only during the call.
    public func forEachItem(_ search: TreeSearch, _ body: (SearchItem) throws -> Void) throws {
        // Not the Sequence of Results (whose per-item destroy goes through the runtime's generic
        // enum witnesses).
        var cursor = self.search(search)
        try cursor.forEachRemaining(body)
    }
}
