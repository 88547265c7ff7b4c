#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Paths and names are bytes (argv, the kernel, libc), Swift text is Unicode. This is the one
/// lossless mapping between the two, in the manner of Python's surrogateescape but with scalars a
/// String can hold:
///
/// - Bytes that are well-formed UTF-8 decode to their scalars,
/// - except each byte 0x80...0xFF that is not part of well-formed UTF-8 decodes to the private-use
///   scalar U+10FF00 + byte (U+10FF80...U+10FFFF, the *escapes*),
/// - and well-formed UTF-8 that encodes an escape itself (F4 8F BE 80 ... F4 8F BF BF) is escaped
///   byte by byte as well, so decoding never yields an escape that was not put there for a byte.
///
/// Encoding writes an escape as its byte and every other scalar as UTF-8, hence
/// `String(pathBytes: b).pathBytes == b` for every byte string b. ASCII is never escaped (NUL
/// stays NUL). Strings compare by canonical equivalence in Swift; the bytes are what count.
/// The one String that does not come back as itself is one not made by decoding that holds
/// U+10FF80...U+10FFFF (private use): those scalars are written as single bytes. Hence names
/// read as bytes become Strings with `String(pathBytes:)`, never `String(decoding:as:)`.
public enum PathBytes {
    /// The first scalar of the escapes; byte b is U+10FF00 + b.
    static let escapeBase: UInt32 = 0x10FF00
    static let escapes: ClosedRange<UInt32> = 0x10FF80...0x10FFFF
    /// The UTF-8 lead byte of every escape: strings without it need no mapping.
    @usableFromInline static let escapeLead: UInt8 = 0xF4

    /// Decodes bytes; valid UTF-8 without an 0xF4 byte (about all real names) is a plain String.
    public static func decode<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        if let text = bytes.withContiguousStorageIfAvailable(decode(buffer:)) { return text }
        return Array(bytes).withUnsafeBufferPointer(decode(buffer:))
    }

    static func decode(buffer: UnsafeBufferPointer<UInt8>) -> String {
        if !buffer.contains(escapeLead) {
            // String(decoding:) is the fast validator: when it replaced nothing its bytes are ours
            // (a replacement puts EF BF BD where the input cannot have it, being invalid there).
            let plain = String(decoding: buffer, as: UTF8.self)
            if plain.utf8.withContiguousStorageIfAvailable({ $0.elementsEqual(buffer) }) == true { return plain }
        }
        return slowDecode(buffer)
    }

    private static func slowDecode(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        var scalars = String.UnicodeScalarView()
        var at = 0
        while at < bytes.count {
            if let (scalar, length) = wellFormedScalar(bytes, at), !escapes.contains(scalar) {
                scalars.append(Unicode.Scalar(scalar) ?? "\u{FFFD}")  // never nil: checked above
                at += length
            } else {
                scalars.append(escape(bytes[at]))
                at += 1
            }
        }
        return String(scalars)
    }

    /// The scalar of the UTF-8 sequence at `at` and its length, if it is well formed (no
    /// overlong forms, surrogates or values past U+10FFFF: the Unicode table 3-7 ranges).
    static func wellFormedScalar(_ bytes: UnsafeBufferPointer<UInt8>, _ at: Int) -> (UInt32, Int)? {
        let lead = bytes[at]
        if lead < 0x80 { return (UInt32(lead), 1) }
        let length: Int
        var second: ClosedRange<UInt8> = 0x80...0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; second = 0xA0...0xBF
        case 0xED: length = 3; second = 0x80...0x9F
        case 0xE1...0xEF: length = 3
        case 0xF0: length = 4; second = 0x90...0xBF
        case 0xF4: length = 4; second = 0x80...0x8F
        case 0xF1...0xF3: length = 4
        default: return nil
        }
        guard bytes.count - at >= length, second.contains(bytes[at + 1]) else { return nil }
        var value = UInt32(lead) & (0xFF >> (length + 1))
        for i in 1..<length {
            let byte = bytes[at + i]
            guard i == 1 || (0x80...0xBF).contains(byte) else { return nil }
            value = value << 6 | UInt32(byte & 0x3F)
        }
        return (value, length)
    }

    @inline(__always)
    static func escape(_ byte: UInt8) -> Unicode.Scalar {
        Unicode.Scalar(escapeBase + UInt32(byte)) ?? "\u{FFFD}"  // never nil: a plane-16 scalar
    }

    /// Does `text` hold a scalar of plane 16 (an escape among them)? Else its UTF-8 is its bytes.
    @inlinable @inline(__always)
    static func needsMapping(_ text: String) -> Bool {
        text.utf8.withContiguousStorageIfAvailable { $0.contains(escapeLead) } ?? text.utf8.contains(escapeLead)
    }

    /// Calls `body` with the bytes of `text`: its UTF-8 storage itself when nothing is escaped.
    /// Inlinable, as are the other generic entry points, so callers in other modules get it
    /// specialized (unspecialized, each call looks up Optional<R>'s metadata).
    @inlinable
    public static func withBytes<R>(of text: String, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        if !needsMapping(text), let result = try text.utf8.withContiguousStorageIfAvailable(body) {
            return result
        }
        return try encode(text).withUnsafeBufferPointer(body)
    }

    /// The bytes of `text`.
    public static func encode(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            if escapes.contains(scalar.value) {
                bytes.append(UInt8(truncatingIfNeeded: scalar.value - escapeBase))
            } else {
                bytes.append(contentsOf: scalar.utf8)
            }
        }
        return bytes
    }
}

/// Decodes path or name bytes losslessly (see `PathBytes`); the same as `String(pathBytes:)`.
public func decodePathBytes<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
    PathBytes.decode(bytes)
}

extension String {
    /// Decodes path or name bytes losslessly (see `PathBytes`).
    public init<C: Collection>(pathBytes: C) where C.Element == UInt8 {
        self = PathBytes.decode(pathBytes)
    }

    /// Decodes a NUL-terminated C string (argv, a libc result) losslessly.
    public init(pathCString: UnsafePointer<CChar>) {
        let count = strlen(pathCString)
        self = pathCString.withMemoryRebound(to: UInt8.self, capacity: count) {
            PathBytes.decode(UnsafeBufferPointer(start: $0, count: count))
        }
    }

    /// The bytes this String stands for (see `PathBytes`): what goes to the kernel or the terminal.
    public var pathBytes: [UInt8] { PathBytes.withBytes(of: self) { Array($0) } }

    /// How many bytes `pathBytes` has, as C's strlen or printf's `%-*s` counts.
    public var pathByteCount: Int { PathBytes.withBytes(of: self) { $0.count } }

    /// Calls `body` with the path as a NUL-terminated C string of its bytes: the way every String
    /// path reaches libc or the kernel (`path.withPathCString { open($0, O_RDONLY) }`). As in C,
    /// an embedded NUL ends the path.
    @inlinable
    public func withPathCString<R>(_ body: (UnsafePointer<CChar>) throws -> R) rethrows -> R {
        if !PathBytes.needsMapping(self) { return try withCString(body) }
        let cString = PathBytes.encode(self).map { CChar(bitPattern: $0) } + [0]
        return try body(cString)
    }
}

/// realpath(3) of `path` (decoded losslessly); nil when it cannot be resolved (for the errno, ask
/// `SystemCall.realPath`).
public func realPath(_ path: String) -> String? {
    try? SystemCall.realPath(path).get()
}
