#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// What can be wrong with a send stream. The descriptions are btrfs-progs 6.2's messages
/// (common/send-stream.c), and `errno` the code its reader returns for each.
public enum SendStreamError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No byte at all where a stream header should be: the end of a run of streams.
    case noData
    case readFailed(errno: Int32)
    /// Fewer bytes than a header or command needs, but more than none.
    case shortRead(expected: Int, read: Int)
    case unexpectedEOF
    case badMagic
    case unsupportedVersion(UInt32)
    case crcMismatch
    case truncated
    case invalidAttributeType(UInt16)
    case missingAttribute(Int)
    case attributeSize(expected: Int, got: Int)
    /// A command longer than this reader accepts (btrfs-progs would try to allocate it).
    case commandTooLarge(UInt32)

    /// The error as progs words it.
    public var description: String {
        switch self {
        case .noData: return "no data in stream"
        case .readFailed(let e): return "read from stream failed: \(errnoText(e))"
        case .shortRead(let expected, let read): return "short read from stream: expected \(expected) read \(read)"
        case .unexpectedEOF: return "unexpected EOF in stream"
        case .badMagic: return "unexpected header"
        case .unsupportedVersion(let v):
            return "stream version \(Int32(bitPattern: v)) not supported, please use newer version"
        case .crcMismatch: return "crc32 mismatch in command"
        case .truncated: return "send stream is truncated"
        case .invalidAttributeType(let t): return "invalid tlv in cmd tlv_type = \(t)"
        case .missingAttribute(let a): return "attribute \(a) requested but not present"
        case .attributeSize(let expected, let got): return "invalid size for attribute, expected = \(expected), got = \(got)"
        case .commandTooLarge(let n): return "send stream command of \(n) bytes is larger than \(SendStreamReader.maxCommandLength) bytes"
        }
    }

    /// The (positive) errno btrfs-progs' reader returns for this error.
    public var errno: Int32 {
        switch self {
        case .noData: return ENODATA
        case .readFailed(let e): return e
        case .shortRead: return EIO
        case .missingAttribute: return ENOENT
        case .commandTooLarge: return ENOMEM
        default: return EINVAL
        }
    }

    /// Whether the input has ended, so nothing more can be read after this error.
    public var endsInput: Bool {
        switch self {
        case .noData, .readFailed, .shortRead, .unexpectedEOF, .badMagic, .unsupportedVersion, .commandTooLarge: return true
        default: return false
        }
    }
}
