#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CLzo
import CZstd

/// One zstd decompression stream, reused for every extent (as progs keeps one).
final class ZstdDecoder {
    let stream: OpaquePointer? = ZSTD_createDStream()

    deinit { if let stream { ZSTD_freeDStream(stream) } }

    static func name(_ code: Int) -> String { ZSTD_getErrorName(code).map { String(cString: $0) } ?? "\(code)" }

    /// decompress_zstd: decodes until either buffer runs out; what is left of `output` is zeroed.
    func decompress(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws {
        guard let stream else { throw ReceiveError("failed to create zstd dstream", errno: ENOMEM) }
        var r = ZSTD_initDStream(stream)
        if ZSTD_isError(r) != 0 { throw ReceiveError("failed to init zstd stream: \(Self.name(r))", errno: EIO) }
        var inBuffer = ZSTD_inBuffer(src: input.baseAddress, size: input.count, pos: 0)
        var outBuffer = ZSTD_outBuffer(dst: output.baseAddress, size: output.count, pos: 0)
        while inBuffer.pos < inBuffer.size && outBuffer.pos < outBuffer.size {
            r = ZSTD_decompressStream(stream, &outBuffer, &inBuffer)
            if r == 0 { break }
            if ZSTD_isError(r) != 0 { throw ReceiveError("failed to decompress zstd stream: \(Self.name(r))", errno: EIO) }
        }
        if outBuffer.pos < output.count, let base = output.baseAddress {
            memset(base + outBuffer.pos, 0, output.count &- outBuffer.pos)
        }
    }
}

enum LzoDecoder {
    static func le32(_ raw: UnsafeRawBufferPointer, _ at: Int) -> Int {
        var v = 0
        for i in (0..<4).reversed() { v = v << 8 | Int(raw[at &+ i]) }
        return v
    }

    /// decompress_lzo: btrfs's lzo layout, a total length, then per sector a segment length and
    /// the lzo1x data, segments never straddling a sector's last 4 bytes. Each segment decodes into
    /// at most what is left of `output` (progs allows a whole sector past it).
    static func decompress(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer,
                           sectorSize: Int) throws {
        guard input.count >= 4 else { throw ReceiveError("lzo header is truncated", errno: EIO) }
        let total = le32(input, 0)
        guard total <= input.count else { throw ReceiveError("lzo header is invalid", errno: EIO) }
        var inPos = 4
        var outPos = 0
        while inPos < total && outPos < output.count {
            let sectorRemaining = (sectorSize &- inPos % sectorSize) % sectorSize
            if sectorRemaining < 4 {
                if total &- inPos <= sectorRemaining { break }
                inPos &+= sectorRemaining
            }
            guard total &- inPos >= 4 else { throw ReceiveError("lzo segment header is truncated", errno: EIO) }
            let sourceLength = le32(input, inPos)
            inPos &+= 4
            guard sourceLength <= total &- inPos else { throw ReceiveError("lzo segment header is invalid", errno: EIO) }
            var produced = lzo_uint(min(sectorSize, output.count &- outPos))
            let r = lzo1x_decompress_safe(input.baseAddress!.assumingMemoryBound(to: UInt8.self) + inPos, lzo_uint(sourceLength),
                                          output.baseAddress!.assumingMemoryBound(to: UInt8.self) + outPos, &produced, nil)
            guard r == LZO_E_OK else { throw ReceiveError("lzo1x_decompress_safe failed: \(r)", errno: EIO) }
            inPos &+= sourceLength
            outPos &+= Int(produced)
        }
    }
}
