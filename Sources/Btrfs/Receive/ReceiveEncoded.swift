#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CBtrfs
import CZlib

/// One zlib inflate stream, reset for every extent (progs keeps one too).
final class Inflater {
    var stream = z_stream()
    var ready = false

    deinit { if ready { inflateEnd(&stream) } }

    /// decompress_zlib: inflates `input` into `output` until either runs out.
    func inflate(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws {
        let status = ready ? inflateReset(&stream) : sb_inflate_init(&stream)
        guard status == Z_OK else { throw ReceiveError("zlib inflate init failed: \(status)", errno: EIO) }
        ready = true
        stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
        stream.avail_in = uInt(input.count)
        stream.next_out = output.baseAddress?.assumingMemoryBound(to: Bytef.self)
        stream.avail_out = uInt(output.count)
        while stream.avail_in > 0 && stream.avail_out > 0 {
            let r = CZlib.inflate(&stream, Z_FINISH)
            if r == Z_STREAM_END { break }
            if r != Z_OK { throw ReceiveError("zlib inflate failed: \(r)", errno: EIO) }
        }
    }
}

extension StreamReceiver {
    /// BTRFS_ENCODED_IO_COMPRESSION_* values.
    static let compressionZlib: UInt32 = 1, compressionZstd: UInt32 = 2, compressionLzoFirst: UInt32 = 3,
               compressionLzoLast: UInt32 = 7

    func encodedWrite(_ w: EncodedWrite) throws {
        let p = String(streamBytes: w.path)
        trace(3, "encoded_write \(p) - offset=\(w.offset), len=\(w.data.count), unencoded_offset=\(w.unencodedOffset), "
              + "unencoded_file_len=\(w.unencodedFileLength), unencoded_len=\(w.unencodedLength), "
              + "compression=\(w.compression), encryption=\(w.encryption)")
        if w.encryption != 0 { throw ReceiveError("encoded_write: encryption not supported", errno: EOPNOTSUPP) }
        let fd = try openForWrite(w.path)
        if !forceDecompress {
            let written = w.data.withUnsafeBytes { raw in
                var vector = iovec(iov_base: UnsafeMutableRawPointer(mutating: raw.baseAddress), iov_len: raw.count)
                return withUnsafePointer(to: &vector) { iov in
                    var args = btrfs_ioctl_encoded_io_args()
                    args.iov = iov
                    args.iovcnt = 1
                    args.offset = Int64(bitPattern: w.offset)
                    args.len = w.unencodedFileLength
                    args.unencoded_len = w.unencodedLength
                    args.unencoded_offset = w.unencodedOffset
                    args.compression = w.compression
                    args.encryption = w.encryption
                    return rawIoctl(fd, SB_IOC_ENCODED_WRITE, &args, retryOnInterrupt: false)
                }
            }
            guard case .failure(let failure) = written else { return }
            let e = failure.rawValue
            guard e == ENOSPC || e == ENOTTY || e == EINVAL else {
                throw ReceiveError("encoded_write: writing to \(p) failed: \(errnoText(e))", errno: e)
            }
            trace(3, "encoded_write \(p) - falling back to decompress and write due to errno \(e) (\"\(errnoText(e))\")")
        }
        try decompressAndWrite(fd, w)
    }

    /// decompress_and_write: the whole extent decoded, then the file's part of it written.
    func decompressAndWrite(_ fd: CInt, _ w: EncodedWrite) throws {
        // The decoded extent of a send stream is at most 128 KiB; a stream asking for more is refused
        // rather than allocated.
        guard w.unencodedLength <= 1 << 27, w.unencodedOffset <= w.unencodedLength,
              w.unencodedFileLength <= w.unencodedLength &- w.unencodedOffset else {
            throw ReceiveError("encoded_write: invalid unencoded lengths for \(String(streamBytes: w.path))", errno: EINVAL)
        }
        var decoded = [UInt8](repeating: 0, count: Int(w.unencodedLength))
        switch w.compression {
        case Self.compressionZlib:
            if inflater == nil { inflater = Inflater() }
            try w.data.withUnsafeBytes { input in
                try decoded.withUnsafeMutableBytes { try inflater?.inflate(input, into: $0) }
            }
        case Self.compressionZstd:
            if zstd == nil { zstd = ZstdDecoder() }
            try w.data.withUnsafeBytes { input in
                try decoded.withUnsafeMutableBytes { try zstd?.decompress(input, into: $0) }
            }
        case Self.compressionLzoFirst...Self.compressionLzoLast:
            // 4 KiB sectors for the first, doubling up to 64 KiB.
            let sectorSize = 1 << Int(w.compression &- Self.compressionLzoFirst &+ 12)
            try w.data.withUnsafeBytes { input in
                try decoded.withUnsafeMutableBytes { try LzoDecoder.decompress(input, into: $0, sectorSize: sectorSize) }
            }
        default:
            throw ReceiveError("unknown compression: \(Int32(bitPattern: w.compression))", errno: EOPNOTSUPP)
        }
        let start = Int(w.unencodedOffset)
        try writeAll(fd, decoded[start..<(start &+ Int(w.unencodedFileLength))], at: w.offset) {
            "writing unencoded data failed: \($0)"
        }
    }
}
