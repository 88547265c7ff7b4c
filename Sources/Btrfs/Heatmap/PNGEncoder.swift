import CZlib

/// A truecolour PNG (8-bit RGB, no interlace) compressed through zlib: the picture in memory,
/// each grid row widened and repeated `scale` times on the way, never the scaled image whole.
public struct PNGEncoder {
    /// Why encoding failed.
    public enum Failure: Error, CustomStringConvertible {
        case zlib(Int32)
        /// The failure as text.
        public var description: String { "zlib deflate failed (\(self))" }
    }

    /// Bytes of compressed data per IDAT chunk.
    static let chunkSize = 1 << 18

    /// The PNG of an RGB picture `width` × `height` (`pixels`: rows of 3 bytes a pixel),
    /// each pixel drawn as `scale` × `scale`. Level 1 and the RLE strategy: a heatmap is long
    /// runs of few colours, which this packs small and several times faster than level 6.
    public static func encode(pixels: [UInt8], width: Int, height: Int, scale: Int = 1,
                              level: Int32 = 1) throws -> [UInt8] {
        var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        let outWidth = width * scale, outHeight = height * scale
        var ihdr: [UInt8] = []
        appendBE(UInt32(outWidth), to: &ihdr)
        appendBE(UInt32(outHeight), to: &ihdr)
        ihdr += [8, 2, 0, 0, 0]  // bit depth, colour type RGB, deflate, filter 0, no interlace
        appendChunk("IHDR", ihdr, to: &png)

        var stream = z_stream()
        guard sb_deflate_init(&stream, level) == Z_OK else { throw Failure.zlib(Z_STREAM_ERROR) }
        defer { deflateEnd(&stream) }
        _ = deflateParams(&stream, level, Z_RLE)
        var out = [UInt8](repeating: 0, count: chunkSize)
        var row = [UInt8](repeating: 0, count: 1 + outWidth * 3)  // filter byte 0: none

        func pump(_ flush: Int32, into png: inout [UInt8]) throws {
            repeat {
                let status = out.withUnsafeMutableBufferPointer { o -> Int32 in
                    stream.next_out = o.baseAddress
                    stream.avail_out = UInt32(o.count)
                    return deflate(&stream, flush)
                }
                guard status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR else { throw Failure.zlib(status) }
                let produced = out.count - Int(stream.avail_out)
                if produced > 0 { appendChunk("IDAT", out[0..<produced], to: &png) }
                if flush == Z_FINISH ? status == Z_STREAM_END : stream.avail_out != 0 { return }
            } while true
        }

        for y in 0..<height {
            let source = y * width * 3
            if scale == 1 {
                for i in 0..<(width * 3) { row[1 + i] = pixels[source + i] }
            } else {
                var at = 1
                for x in 0..<width {
                    let p = source + x * 3
                    let (r, g, b) = (pixels[p], pixels[p + 1], pixels[p + 2])
                    for _ in 0..<scale {
                        row[at] = r; row[at + 1] = g; row[at + 2] = b
                        at += 3
                    }
                }
            }
            for _ in 0..<scale {
                try row.withUnsafeMutableBufferPointer { r in
                    stream.next_in = r.baseAddress
                    stream.avail_in = UInt32(r.count)
                    try pump(Z_NO_FLUSH, into: &png)
                }
            }
        }
        stream.next_in = nil
        stream.avail_in = 0
        try pump(Z_FINISH, into: &png)
        appendChunk("IEND", [], to: &png)
        return png
    }

    static func appendBE(_ v: UInt32, to bytes: inout [UInt8]) {
        bytes += [UInt8(v >> 24), UInt8(truncatingIfNeeded: v >> 16), UInt8(truncatingIfNeeded: v >> 8), UInt8(truncatingIfNeeded: v)]
    }

    /// length, type, data, CRC-32 of type and data.
    static func appendChunk<C: Collection>(_ type: StaticString, _ data: C, to png: inout [UInt8]) where C.Element == UInt8 {
        appendBE(UInt32(data.count), to: &png)
        let typeBytes = type.withUTF8Buffer { Array($0) }
        png += typeBytes
        png += data
        var crc = typeBytes.withUnsafeBufferPointer { crc32(0, $0.baseAddress, UInt32($0.count)) }
        let start = png.count - data.count
        crc = png.withUnsafeBufferPointer { crc32(crc, $0.baseAddress! + start, UInt32(data.count)) }
        appendBE(UInt32(truncatingIfNeeded: crc), to: &png)
    }
}
