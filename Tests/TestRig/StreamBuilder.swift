/// Crafted send streams for hostile-input tests: a header and commands whose attributes,
/// lengths and CRCs can each be made wrong on purpose.
public struct StreamBuilder {
    public var bytes: [UInt8]
    public var version: UInt32

    public init(version: UInt32 = 1, magic: [UInt8] = Array("btrfs-stream".utf8) + [0]) {
        self.version = version
        bytes = magic
        for i in 0..<4 { bytes.append(UInt8(truncatingIfNeeded: version >> (8 * UInt32(i)))) }
    }

    /// One attribute: type, 16-bit length, value (`dataLast`: a v2 data attribute, no length).
    public static func attribute(_ type: UInt16, _ value: [UInt8], dataLast: Bool = false) -> [UInt8] {
        var a = le(UInt64(type), 2)
        if !dataLast { a += le(UInt64(value.count), 2) }
        return a + value
    }

    public static func le(_ v: UInt64, _ n: Int) -> [UInt8] { (0..<n).map { UInt8(truncatingIfNeeded: v >> (8 * UInt64($0))) } }
    public static func u64(_ type: UInt16, _ v: UInt64) -> [UInt8] { attribute(type, le(v, 8)) }
    public static func string(_ type: UInt16, _ s: String) -> [UInt8] { attribute(type, Array(s.utf8)) }
    public static func uuid(_ type: UInt16, _ byte: UInt8) -> [UInt8] { attribute(type, [UInt8](repeating: byte, count: 16)) }

    /// Appends command `cmd` with `body`; `crc` overrides the checksum, `length` the declared length.
    public mutating func command(_ cmd: UInt16, _ body: [UInt8], crc: UInt32? = nil, length: UInt32? = nil) {
        var header = StreamBuilder.le(UInt64(length ?? UInt32(body.count)), 4) + StreamBuilder.le(UInt64(cmd), 2) + [0, 0, 0, 0]
        let sum = crc ?? StreamBuilder.crc32c(header + body)
        header.replaceSubrange(6..<10, with: StreamBuilder.le(UInt64(sum), 4))
        bytes += header + body
    }

    /// subvol `name` with a UUID of `byte`s and ctransid 7.
    public mutating func subvol(_ name: String, uuidByte: UInt8 = 0xAB) {
        command(1, StreamBuilder.string(15, name) + StreamBuilder.uuid(1, uuidByte) + StreamBuilder.u64(2, 7))
    }

    public mutating func end() { command(21, []) }

    /// crc32c as the kernel's send computes it (seed 0, no final inversion).
    public static func crc32c(_ data: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0
        for b in data {
            crc ^= UInt32(b)
            for _ in 0..<8 { crc = crc & 1 != 0 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
        }
        return crc
    }
}
