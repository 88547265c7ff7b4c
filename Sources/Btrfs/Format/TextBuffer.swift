/// A growable byte buffer that text is formatted straight into: numbers are written digit by
/// digit, never through an intermediate String, so a tree dump allocates nothing per item.
/// The library never does I/O: whoever owns the buffer drains it (see `drain`), or hands it a
/// `whenFull` hook that writes the bytes out, so that text formatted here is the very memory
/// given to write(2) (the tool's OutputStream: one buffer, no second copy).
/// Its state lives behind a pointer held in a `let`: class stored `var`s would cost a dynamic
/// exclusivity check on every byte written (measured: 40% of a tree dump).
public final class TextBuffer {
    @usableFromInline struct State {
        @usableFromInline var storage: UnsafeMutablePointer<UInt8>
        @usableFromInline var capacity: Int
        @usableFromInline var count: Int
        /// The last timestamp's text (`PythonText.writeTimeSpec`): sec, nsec, length (-1: none).
        var memoSec: UInt64 = 0
        var memoNsec: UInt32 = 0
        var memoLength = -1
        var memo = UnsafeMutablePointer<UInt8>.allocate(capacity: TextBuffer.memoCapacity)
        /// How many times the buffer was emptied: text remembered across a drain is not there.
        var drains = 0
    }
    static let memoCapacity = 64
    @usableFromInline let state: UnsafeMutablePointer<State>

    @usableFromInline var storage: UnsafeMutablePointer<UInt8> {
        @inline(__always) get { state.pointee.storage }
    }
    @usableFromInline var _count: Int {
        @inline(__always) get { state.pointee.count }
        @inline(__always) set { state.pointee.count = newValue }
    }
    /// Bytes written and not yet drained.
    public var count: Int { state.pointee.count }

    /// Bytes the buffer holds before it grows or, with `whenFull`, is drained.
    @inlinable public var capacity: Int {
        @inline(__always) get { state.pointee.capacity }
    }

    /// Called when a write does not fit, before the buffer grows: the owner writes the bytes out
    /// and empties the buffer (`drain`, `removeAll`); the write then goes on in the room made, or
    /// the buffer grows if that is still too little. Without it the buffer only grows.
    public var whenFull: ((TextBuffer) -> Void)?

    /// An empty buffer of `capacity` bytes (at least 1); it grows as needed.
    public init(capacity: Int = 1 << 16) {
        let c = Swift.max(capacity, 1)
        state = .allocate(capacity: 1)
        state.initialize(to: State(storage: .allocate(capacity: c), capacity: c, count: 0))
    }

    deinit {
        state.pointee.memo.deallocate()
        state.pointee.storage.deallocate()
        state.deallocate()
    }

    /// The bytes written so far.
    public var bytes: [UInt8] { Array(UnsafeBufferPointer(start: storage, count: _count)) }

    /// The text written so far (lossy only if the bytes are not UTF-8).
    public var text: String { String(decoding: UnsafeBufferPointer(start: storage, count: _count), as: UTF8.self) }

    /// Hands the written bytes to `body` and empties the buffer.
    public func drain(_ body: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        try body(UnsafeRawBufferPointer(start: storage, count: _count))
        removeAll()
    }

    /// Forgets what was written, keeping the storage.
    public func removeAll() {
        _count = 0
        state.pointee.drains &+= 1
    }

    /// The slow path of every write: room for `needed` more bytes, made by the owner's
    /// `whenFull` when there is one, else by doubling. Never inlined: inlined, its read of
    /// `whenFull` (a class's var) took a dynamic exclusivity check on every call of the writer
    /// it was inlined into (a twentieth of a short dump's instructions).
    @usableFromInline @inline(never)
    func grow(_ needed: Int) {
        if let whenFull, _count > 0 {
            whenFull(self)
            if capacity &- _count >= needed { return }
        }
        var newCapacity = capacity &* 2
        while newCapacity &- _count < needed { newCapacity &*= 2 }
        reserveCapacity(newCapacity)
    }

    /// Room for `capacity` bytes in all, keeping what is written (never shrinks).
    public func reserveCapacity(_ capacity: Int) {
        guard capacity > self.capacity else { return }
        let fresh = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        fresh.update(from: storage, count: _count)
        storage.deallocate()
        state.pointee.storage = fresh
        state.pointee.capacity = capacity
    }

    @inlinable @inline(__always)
    func reserve(_ n: Int) {
        if capacity &- _count < n { grow(n) }
    }

    /// Appends a literal's bytes. Always inlined: the length is then a constant and the copy a
    /// few moves; as a call it was a fifth of the long dump of tree 5 (callgrind).
    @inlinable @inline(__always)
    public func write(_ s: StaticString) {
        let n = s.utf8CodeUnitCount
        reserve(n)
        Self.copy(to: storage + _count, from: s.utf8Start, count: n)
        _count &+= n
    }

    /// Copies `n` bytes. A length known only at run time (a field name passed down as a
    /// `StaticString`) is nearly always short: two overlapping unaligned moves copy it, where a
    /// memmove call per name and a memset per indent were a tenth of the long dump of tree 5.
    @inlinable @inline(__always)
    static func copy(to dst: UnsafeMutablePointer<UInt8>, from src: UnsafePointer<UInt8>, count n: Int) {
        let d = UnsafeMutableRawPointer(dst), s = UnsafeRawPointer(src)
        if n >= 16 && n <= 32 {
            let head = s.loadUnaligned(as: SIMD16<UInt8>.self)
            let tail = s.loadUnaligned(fromByteOffset: n &- 16, as: SIMD16<UInt8>.self)
            d.storeBytes(of: head, as: SIMD16<UInt8>.self)
            d.storeBytes(of: tail, toByteOffset: n &- 16, as: SIMD16<UInt8>.self)
        } else if n >= 8 && n < 16 {
            let head = s.loadUnaligned(as: UInt64.self)
            let tail = s.loadUnaligned(fromByteOffset: n &- 8, as: UInt64.self)
            d.storeBytes(of: head, as: UInt64.self)
            d.storeBytes(of: tail, toByteOffset: n &- 8, as: UInt64.self)
        } else if n < 8 {
            var i = 0
            while i < n { dst[i] = src[i]; i &+= 1 }
        } else {
            d.copyMemory(from: s, byteCount: n)
        }
    }

    /// Appends a string's UTF-8 bytes.
    public func write(text s: String) {
        var s = s
        s.withUTF8 { write(bytes: UnsafeRawBufferPointer($0)) }
    }

    /// Appends raw bytes.
    @inlinable
    public func write(bytes: UnsafeRawBufferPointer) {
        let n = bytes.count
        guard n > 0, let base = bytes.baseAddress else { return }
        reserve(n)
        Self.copy(to: storage + _count, from: base.assumingMemoryBound(to: UInt8.self), count: n)
        _count &+= n
    }

    /// Appends raw bytes.
    public func write(bytes: [UInt8]) {
        bytes.withUnsafeBytes { write(bytes: $0) }
    }

    /// Appends one byte.
    @inlinable
    public func write(byte: UInt8) {
        reserve(1)
        storage[_count] = byte
        _count &+= 1
    }

    /// Appends a newline.
    @inlinable
    public func newline() { write(byte: 10) }

    /// `level` times two spaces, as python-btrfs indents nested lines.
    @inlinable @inline(__always)
    public func indent(_ level: Int) {
        guard level > 0 else { return }
        let n = 2 &* level
        reserve(Swift.max(n, 16))
        Self.storeSpaces(storage + _count, n)
        _count &+= n
    }

    /// `n` spaces at `p`, which has room for at least 16 bytes and for `n`: up to 16 as one 16-byte
    /// store, of which the caller's count keeps `n` (no memset call).
    @inlinable @inline(__always)
    static func storeSpaces(_ p: UnsafeMutablePointer<UInt8>, _ n: Int) {
        if n <= 16 {
            UnsafeMutableRawPointer(p).storeBytes(of: SIMD16<UInt8>(repeating: 32), as: SIMD16<UInt8>.self)
        } else {
            UnsafeMutableRawPointer(p).initializeMemory(as: UInt8.self, repeating: 32, count: n)
        }
    }

    /// An indented name and two bytes after it (`name: `, `name:\n`): the start of nearly every
    /// line of a long dump, with one room check and one count update for the three parts, where
    /// separate writes were a fifth of the dump's formatting time.
    @inlinable @inline(__always)
    public func writeLabel(indent level: Int, _ name: StaticString, _ first: UInt8, _ second: UInt8) {
        let spaces = level > 0 ? 2 &* level : 0
        let n = name.utf8CodeUnitCount
        reserve(Swift.max(spaces, 16) &+ n &+ 2)
        let p = storage + _count
        Self.storeSpaces(p, spaces)
        Self.copy(to: p + spaces, from: name.utf8Start, count: n)
        p[spaces &+ n] = first
        p[spaces &+ n &+ 1] = second
        _count &+= spaces &+ n &+ 2
    }

    /// Decimal digits of `value`.
    @inlinable
    public func write<T: BinaryInteger>(_ value: T) {
        if value < 0 {
            write(byte: UInt8(ascii: "-"))
            writeUnsigned(UInt64(truncatingIfNeeded: 0 &- Int64(truncatingIfNeeded: value)))
        } else {
            writeUnsigned(UInt64(truncatingIfNeeded: value))
        }
    }

    /// Appends the decimal digits of `value`.
    @inlinable
    public func writeUnsigned(_ value: UInt64) {
        reserve(20)
        let p = storage + _count
        if value < 10 {
            p[0] = UInt8(truncatingIfNeeded: value) &+ 48
            _count &+= 1
            return
        }
        let digits = TextBuffer.decimalDigits(value)
        // Two digits per division, from the right.
        var v = value
        var i = digits
        while v >= 100 {
            let pair = Int(truncatingIfNeeded: v % 100) &* 2
            v /= 100
            i &-= 2
            p[i] = TextBuffer.digitPairs[pair]
            p[i &+ 1] = TextBuffer.digitPairs[pair &+ 1]
        }
        if v >= 10 {
            let pair = Int(truncatingIfNeeded: v) &* 2
            p[i &- 2] = TextBuffer.digitPairs[pair]
            p[i &- 1] = TextBuffer.digitPairs[pair &+ 1]
        } else {
            p[i &- 1] = UInt8(truncatingIfNeeded: v) &+ 48
        }
        _count &+= digits
    }

    /// How many decimal digits `v` (10 or more) has, in at most five comparisons: counting up
    /// by tens took one per digit, a quarter of `writeUnsigned`'s instructions.
    @inlinable static func decimalDigits(_ v: UInt64) -> Int {
        if v < 10_000 { return v < 100 ? 2 : (v < 1_000 ? 3 : 4) }
        if v < 100_000_000 {
            return v < 1_000_000 ? (v < 100_000 ? 5 : 6) : (v < 10_000_000 ? 7 : 8)
        }
        if v < 1_000_000_000_000 {
            return v < 10_000_000_000 ? (v < 1_000_000_000 ? 9 : 10) : (v < 100_000_000_000 ? 11 : 12)
        }
        if v < 10_000_000_000_000_000 {
            return v < 100_000_000_000_000 ? (v < 10_000_000_000_000 ? 13 : 14) : (v < 1_000_000_000_000_000 ? 15 : 16)
        }
        return v < 100_000_000_000_000_000 ? 17 : (v < 1_000_000_000_000_000_000 ? 18 : (v < 10_000_000_000_000_000_000 ? 19 : 20))
    }

    /// "00" through "99".
    @inlinable static var digitPairs: UnsafePointer<UInt8> {
        let pairs: StaticString = "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"
        return pairs.utf8Start
    }

    /// Lower-case hex digits of `value`, zero-padded to `width`.
    public func writeHex(_ value: UInt64, width: Int = 0) {
        writeDigits(value, bitsPerDigit: 4, width: width)
    }

    /// Octal digits of `value`, zero-padded to `width`.
    public func writeOctal(_ value: UInt64, width: Int = 0) {
        writeDigits(value, bitsPerDigit: 3, width: width)
    }

    /// Digits of a power-of-two radix (hex's table holds octal's digits too).
    private func writeDigits(_ value: UInt64, bitsPerDigit: UInt64, width: Int) {
        let table: StaticString = "0123456789abcdef"
        let mask: UInt64 = (1 << bitsPerDigit) - 1
        var digits = 1
        var v = value
        while v > mask { v >>= bitsPerDigit; digits += 1 }
        let pad = Swift.max(width - digits, 0)
        reserve(pad + digits)
        for _ in 0..<pad { storage[_count] = 48; _count &+= 1 }
        var i = _count &+ digits
        v = value
        repeat {
            i &-= 1
            storage[i] = table.utf8Start[Int(v & mask)]
            v >>= bitsPerDigit
        } while v != 0
        _count &+= digits
    }
}

extension TextBuffer {
    /// Writes the text last remembered for (`sec`, `nsec`), or has `write` write it and remembers
    /// it. One entry is enough for timestamps: the kernel stamps with a coarse clock, so an inode's
    /// four times and the inodes made in one burst mostly share one (the 200k-file fixture: 40000
    /// stamps, 325 distinct runs). Measured on the long dump of tree 5: see PythonText.writeTimeSpec.
    func writeRemembered(sec: UInt64, nsec: UInt32, _ write: (TextBuffer) -> Void) {
        let s = state
        reserve(TextBuffer.memoCapacity)   // no drain inside a text short enough to remember
        if s.pointee.memoLength >= 0 && s.pointee.memoSec == sec && s.pointee.memoNsec == nsec {
            self.write(bytes: UnsafeRawBufferPointer(start: s.pointee.memo, count: s.pointee.memoLength))
            return
        }
        let start = _count, drains = s.pointee.drains
        write(self)
        let length = _count &- start
        if length <= TextBuffer.memoCapacity && s.pointee.drains == drains {
            s.pointee.memo.update(from: storage + start, count: length)
            s.pointee.memoSec = sec
            s.pointee.memoNsec = nsec
            s.pointee.memoLength = length
        } else {
            s.pointee.memoLength = -1
        }
    }
}
