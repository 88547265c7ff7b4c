#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Btrfs

/// A byte sink with a large buffer, flushed with write(2): the only way the tool prints.
/// With `fd` < 0 the bytes are kept in `captured` instead (for tests that run a command in-process).
public final class OutputStream {
    public let fd: Int32
    /// The one buffer: the library's renderers format straight into it (a tree dump passes it to
    /// them), and when it is full it drains here to write(2), so no byte is copied twice. Bytes
    /// written into it directly are not line-buffered: they go out when it fills or at `flush`.
    public let text: TextBuffer
    /// Everything written so far when the stream captures instead of writing.
    public private(set) var captured: [UInt8] = []
    /// Hand each completed line to the kernel at once (stderr, which is unbuffered in progs).
    public var lineBuffered = false
    /// A stream flushed before this one writes, to keep the two in order (stdout on a terminal
    /// before stderr, as progs' line-buffered stdout would be).
    public var flushesFirst: OutputStream?
    /// Whether a buffer-sized write went out yet (then a pipe behind `fd` is grown, once).
    private var bulk = false
    /// Bytes handed to write(2) so far.
    private var emitted = 0
    /// The errno of the first write(2) that failed (EPIPE, ENOSPC, EBADF, EIO …). Sticky: from
    /// then on bytes are dropped without a system call, so a long listing costs nothing more.
    public private(set) var failure: Int32?
    /// Called once, at the first failure. The tool's stdout reports it and ends the process
    /// there (Dispatcher.run), as the default SIGPIPE would, whatever SIGPIPE's disposition.
    public var onFailure: ((Int32) -> Void)?

    public init(fd: Int32, capacity: Int = 1 << 16) {
        self.fd = fd
        text = TextBuffer(capacity: max(capacity, 1))
        text.whenFull = { [unowned self] _ in self.flush() }
    }

    /// A stream that keeps its bytes in memory.
    public static func capture() -> OutputStream { OutputStream(fd: -1) }

    /// The captured bytes as text (lossless, see PathBytes).
    public var capturedText: String {
        flush()
        return String(pathBytes: captured)
    }

    /// Writes the bytes `text` stands for (PathBytes): an argument or a name decoded from bytes
    /// comes out as those bytes.
    @inline(__always)
    public func write(_ text: String) {
        PathBytes.withBytes(of: text) { write(bytes: $0) }
    }

    public func write(bytes: UnsafeBufferPointer<UInt8>) {
        guard bytes.count > 0 else { return }
        if bytes.count > text.capacity {
            // Bigger than the buffer: out whole, after what is buffered, without a copy.
            flush()
            flushesFirst?.flush()
            emit(UnsafeRawBufferPointer(bytes))
            return
        }
        text.write(bytes: UnsafeRawBufferPointer(bytes))
        if lineBuffered && bytes.contains(0x0A) { flush() }
    }

    public func write<S: Sequence>(bytes: S) where S.Element == UInt8 {
        if let done: Void = bytes.withContiguousStorageIfAvailable({ write(bytes: $0) }) { return done }
        Array(bytes).withUnsafeBufferPointer { write(bytes: $0) }
    }

    @inline(__always)
    public func write(byte: UInt8) {
        text.write(byte: byte)
        if lineBuffered && byte == 0x0A { flush() }
    }

    /// A size as `prettySize` prints it, without making a String.
    public func write(size: UInt64, mode: UnitMode) {
        withPrettySize(size, mode: mode) { write(bytes: $0) }
    }

    /// `count` spaces, as progs' hpad/fmt_indent.
    public func pad(_ count: Int) {
        var left = count
        while left > 0 {
            write(byte: UInt8(ascii: " "))
            left -= 1
        }
    }

    /// `%*s`: `text` right-aligned in `width` bytes (left-aligned for a negative width), as
    /// `cPad`, without building the padded string.
    public func padded(_ text: String, _ width: Int) {
        let fill = abs(width) - text.pathByteCount
        if width > 0 { pad(fill) }
        write(text)
        if width < 0 { pad(fill) }
    }

    /// Writes `text` and a newline.
    public func line(_ text: String = "") {
        write(text)
        write(byte: 0x0A)
    }

    /// Hands the buffered bytes to the kernel (or the capture).
    public func flush() {
        if text.count > 0 {
            // Before this buffer is taken: a failure reported from there appends to it in order.
            flushesFirst?.flush()
            text.drain { emit($0) }
        }
        if emitted >= 4 * Self.bulkCapacity && text.capacity < Self.bulkCapacity { text.reserveCapacity(Self.bulkCapacity) }
    }

    /// The buffer of bulk output (a tree dump), once 1 MiB went out: each write(2) into a pipe
    /// wakes its reader, which on two CPUs takes one from the dump's searching and formatting
    /// threads; a quarter as many writes as with the 64 KiB a command starts with. (Not sooner: a
    /// bigger buffer costs its page faults, more than a few hundred KiB of output saves.)
    /// Measured in Docs/PERFORMANCE.md.
    static let bulkCapacity = 1 << 18

    /// Writes `bytes` past the buffer, retrying short writes, EINTR and EAGAIN; any other error
    /// is the stream's failure.
    private func emit(_ bytes: UnsafeRawBufferPointer) {
        if failure != nil { return }
        if fd < 0 {
            captured.append(contentsOf: bytes)
            return
        }
        guard let base = bytes.baseAddress else { return }
        emitted &+= bytes.count
        if !bulk && bytes.count >= text.capacity / 2 {
            bulk = true
            growPipe()
        }
        var offset = 0
        while offset < bytes.count {
            let written = SystemCall.value { Glibc.write(fd, base + offset, bytes.count - offset) }  // EINTR retried
            if case .success(let n) = written, n > 0 {
                offset += n
                continue
            }
            let code = if case .failure(let e) = written { e.rawValue } else { EIO }
            if code == EAGAIN || code == EWOULDBLOCK, waitWritable() { continue }
            fail(code)
            return
        }
    }

    /// A non-blocking descriptor (a terminal shared with such a program) said "not now": wait.
    private func waitWritable() -> Bool {
        var request = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
        // EINTR retried inside.
        guard case .success(let ready) = SystemCall.value({ poll(&request, 1, -1) }), ready > 0 else { return false }
        return request.revents & Int16(POLLOUT) != 0
    }

    /// Makes `code` the stream's failure (for tests as well: a capture can fail too).
    func fail(_ code: Int32) {
        guard failure == nil else { return }
        failure = code
        text.removeAll()
        onFailure?(code)
    }

    /// Output that fills the buffer is bulk (a tree dump is 300 MB): through a default 64 KiB
    /// pipe every write wakes the reader four times over, and the dump spent a third of its wall
    /// time there. A 1 MiB pipe (the unprivileged maximum by default) takes a whole buffer.
    /// Best effort: not a pipe, or a pipe already as big, is left as it is.
    private func growPipe() {
        let getPipeSize: Int32 = 1032, setPipeSize: Int32 = 1031  // F_GETPIPE_SZ, F_SETPIPE_SZ (linux/fcntl.h)
        let wanted: Int32 = 1 << 20
        let current = fcntl(fd, getPipeSize)
        if current > 0 && current < wanted { _ = fcntl(fd, setPipeSize, wanted) }
    }

    deinit {
        flush()
    }
}
