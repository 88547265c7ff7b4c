#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Reads a send stream (`btrfs send`'s output) command by command, as btrfs-progs 6.2's
/// common/send-stream.c does: the header (magic "btrfs-stream\0", version ≤ 2), then commands of
/// a length, a number and a CRC32C, each checked, their TLV attributes bounds-checked (from
/// version 2 on the data attribute has no length and runs to the command's end). Every malformed
/// byte is a thrown `SendStreamError`, never a trap.
public struct SendStreamReader {
    /// The longest command accepted; the kernel's are at most a few hundred KiB.
    public static let maxCommandLength: UInt32 = 256 << 20
    static let headerLength = 17
    static let commandHeaderLength = 10

    let fd: Int32
    var buffer: [UInt8]
    var start = 0
    var end = 0
    var atEOF = false
    /// Read past what was asked (faster); off when another reader takes the rest of the input.
    let readAhead: Bool
    /// The version of the stream being read (from its header).
    public private(set) var version: UInt32 = 0
    /// Bytes consumed so far, over all streams.
    public private(set) var position: UInt64 = 0
    /// Start and length of each attribute of the current command, by type; -1: absent.
    var attributes = [Int](repeating: -1, count: (SendAttribute.max + 1) * 2)

    /// Reads from descriptor `fd`.
    public init(fd: Int32, readAhead: Bool = true) {
        self.fd = fd
        self.readAhead = readAhead
        buffer = [UInt8](repeating: 0, count: readAhead ? 1 << 20 : 64 << 10)
    }

    /// Reads the stream in `bytes`.
    public init(bytes: [UInt8]) {
        fd = -1
        readAhead = true
        buffer = bytes
        end = bytes.count
        atEOF = true
    }

    /// Makes `count` bytes from `start` available if the input has them; returns how many are.
    mutating func fill(_ count: Int) throws -> Int {
        if end &- start >= count { return count }
        if atEOF { return end &- start }
        if start > 0 {
            buffer.withUnsafeMutableBytes { raw in
                guard let base = raw.baseAddress else { return }
                memmove(base, base + start, end &- start)
            }
            end &-= start
            start = 0
        }
        if buffer.count < count { buffer.append(contentsOf: repeatElement(0, count: count &- buffer.count)) }
        while end < count {
            let want = readAhead ? buffer.count &- end : count &- end
            let read = buffer.withUnsafeMutableBytes { raw in
                SystemCall.value { Glibc.read(fd, raw.baseAddress.map { $0 + end }, want) }
            }
            let n: Int
            switch read {
            case .success(let count): n = count
            case .failure(let e): throw SendStreamError.readFailed(errno: e.rawValue)
            }
            if n == 0 { atEOF = true; break }
            end &+= n
        }
        return min(end &- start, count)
    }

    mutating func consume(_ count: Int) {
        start &+= count
        position &+= UInt64(count)
    }

    func le16(_ at: Int) -> UInt16 { UInt16(buffer[at]) | UInt16(buffer[at &+ 1]) << 8 }
    func le32(_ at: Int) -> UInt32 {
        var v: UInt32 = 0
        for i in (0..<4).reversed() { v = v << 8 | UInt32(buffer[at &+ i]) }
        return v
    }
    func le64(_ at: Int) -> UInt64 {
        var v: UInt64 = 0
        for i in (0..<8).reversed() { v = v << 8 | UInt64(buffer[at &+ i]) }
        return v
    }

    /// Reads a stream header and returns its version. `.noData` when the input ends before it.
    @discardableResult
    public mutating func readHeader() throws -> UInt32 {
        let have = try fill(Self.headerLength)
        if have == 0 { throw SendStreamError.noData }
        if have < Self.headerLength {
            consume(have)
            throw SendStreamError.shortRead(expected: Self.headerLength, read: have)
        }
        let magic = Array("btrfs-stream".utf8) + [0]
        let matches = buffer[start..<(start &+ 13)].elementsEqual(magic)
        let v = le32(start &+ 13)
        consume(Self.headerLength)
        guard matches else { throw SendStreamError.badMagic }
        guard v <= 2 else { throw SendStreamError.unsupportedVersion(v) }
        version = v
        return v
    }

    /// Reads, checks and decodes the next command. The input ending here is `.unexpectedEOF`
    /// (a stream ends with its `end` command).
    public mutating func next() throws -> SendCommand {
        let have = try fill(Self.commandHeaderLength)
        if have < Self.commandHeaderLength {
            consume(have)
            if have == 0 { throw SendStreamError.unexpectedEOF }
            throw SendStreamError.shortRead(expected: Self.commandHeaderLength, read: have)
        }
        let length = le32(start)
        let number = le16(start &+ 4)
        let crc = le32(start &+ 6)
        guard length <= Self.maxCommandLength else {
            consume(Self.commandHeaderLength)
            throw SendStreamError.commandTooLarge(length)
        }
        let total = Self.commandHeaderLength &+ Int(length)
        let got = try fill(total)
        if got < total {
            consume(got)
            let body = got &- Self.commandHeaderLength
            if body == 0 { throw SendStreamError.unexpectedEOF }
            throw SendStreamError.shortRead(expected: Int(length), read: body)
        }
        let bodyStart = start &+ Self.commandHeaderLength
        let computed = buffer.withUnsafeBytes { raw -> UInt32 in
            let zeroed: [UInt8] = Array(raw[start..<(start &+ 6)]) + [0, 0, 0, 0]
            return Crc32c.update(Crc32c.update(0, zeroed), UnsafeRawBufferPointer(rebasing: raw[bodyStart..<(bodyStart &+ Int(length))]))
        }
        consume(total)
        guard computed == crc else { throw SendStreamError.crcMismatch }
        try parseAttributes(from: bodyStart, length: Int(length))
        return try decode(number)
    }

    /// Splits a command's body into its attributes, as read_cmd does.
    mutating func parseAttributes(from base: Int, length: Int) throws {
        for i in attributes.indices { attributes[i] = -1 }
        var pos = 0
        while pos < length {
            guard length &- pos >= 2 else { throw SendStreamError.truncated }
            let type = le16(base &+ pos)
            guard type != 0, Int(type) <= SendAttribute.max else { throw SendStreamError.invalidAttributeType(type) }
            pos &+= 2
            let size: Int
            if version >= 2, Int(type) == SendAttribute.data {
                size = length &- pos
            } else {
                guard length &- pos >= 2 else { throw SendStreamError.truncated }
                size = Int(le16(base &+ pos))
                pos &+= 2
            }
            guard length &- pos >= size else { throw SendStreamError.truncated }
            attributes[Int(type) &* 2] = base &+ pos
            attributes[Int(type) &* 2 &+ 1] = size
            pos &+= size
        }
    }
}
