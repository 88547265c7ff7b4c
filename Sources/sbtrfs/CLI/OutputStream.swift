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
    private var buffer: [UInt8]
    private let capacity: Int
    /// Everything written so far when the stream captures instead of writing.
    public private(set) var captured: [UInt8] = []
    /// Hand each completed line to the kernel at once (stderr, which is unbuffered in progs).
    public var lineBuffered = false
    /// A stream flushed before this one writes, to keep the two in order (stdout on a terminal
    /// before stderr, as progs' line-buffered stdout would be).
    public var flushesFirst: OutputStream?

    public init(fd: Int32, capacity: Int = 1 << 16) {
        self.fd = fd
        self.capacity = capacity
        buffer = []
        buffer.reserveCapacity(capacity)
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
        if buffer.count + bytes.count > capacity { flush() }
        buffer.append(contentsOf: bytes)
        if lineBuffered && bytes.contains(0x0A) { flush() }
    }

    public func write<S: Sequence>(bytes: S) where S.Element == UInt8 {
        let start = buffer.count
        buffer.append(contentsOf: bytes)
        if buffer.count >= capacity || (lineBuffered && buffer[start...].contains(0x0A)) { flush() }
    }

    @inline(__always)
    public func write(byte: UInt8) {
        buffer.append(byte)
        if buffer.count >= capacity || (lineBuffered && byte == 0x0A) { flush() }
    }

    /// `count` spaces, as progs' hpad/fmt_indent.
    public func pad(_ count: Int) {
        if count > 0 { buffer.append(contentsOf: repeatElement(UInt8(ascii: " "), count: count)) }
    }

    /// Writes `text` and a newline.
    public func line(_ text: String = "") {
        write(text)
        write(byte: 0x0A)
    }

    /// Hands the buffered bytes to the kernel (or the capture), retrying short writes and EINTR.
    public func flush() {
        if buffer.isEmpty { return }
        flushesFirst?.flush()
        if fd < 0 {
            captured.append(contentsOf: buffer)
            buffer.removeAll(keepingCapacity: true)
            return
        }
        buffer.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                guard let base = raw.baseAddress else { break }
                let n = Glibc.write(fd, base + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    break  // EPIPE and friends: nothing sensible left to do with the output
                }
                offset += n
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }

    deinit { flush() }
}
