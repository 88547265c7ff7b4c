/// One command of a send stream (kernel fs/btrfs/send.h, protocol versions 1 to 3), with its
/// attributes typed. Paths and names are bytes up to their first NUL, as btrfs-progs reads them
/// (a C string); data stays as sent.
public enum SendCommand: Sendable, Equatable {
    case subvol(path: [UInt8], uuid: BtrfsUUID, ctransid: UInt64)
    case snapshot(path: [UInt8], uuid: BtrfsUUID, ctransid: UInt64, parentUUID: BtrfsUUID, parentCtransid: UInt64)
    case mkfile(path: [UInt8])
    case mkdir(path: [UInt8])
    case mknod(path: [UInt8], mode: UInt64, rdev: UInt64)
    case mkfifo(path: [UInt8])
    case mksock(path: [UInt8])
    case symlink(path: [UInt8], target: [UInt8])
    case rename(from: [UInt8], to: [UInt8])
    /// A new name `path` for the existing `target`.
    case link(path: [UInt8], target: [UInt8])
    case unlink(path: [UInt8])
    case rmdir(path: [UInt8])
    case write(path: [UInt8], offset: UInt64, data: ArraySlice<UInt8>)
    /// `length` as btrfs-progs 6.2 keeps it: read into an `int`, then widened with its sign.
    case clone(path: [UInt8], offset: UInt64, length: UInt64, sourceUUID: BtrfsUUID, sourceCtransid: UInt64,
               sourcePath: [UInt8], sourceOffset: UInt64)
    case setXattr(path: [UInt8], name: [UInt8], data: [UInt8])
    case removeXattr(path: [UInt8], name: [UInt8])
    case truncate(path: [UInt8], size: UInt64)
    case chmod(path: [UInt8], mode: UInt64)
    case chown(path: [UInt8], uid: UInt64, gid: UInt64)
    case utimes(path: [UInt8], atime: TimeSpec, mtime: TimeSpec, ctime: TimeSpec)
    /// Sent with --no-data: the extent changed, its data is not in the stream.
    case updateExtent(path: [UInt8], offset: UInt64, length: UInt64)
    case end
    case fallocate(path: [UInt8], mode: Int32, offset: UInt64, length: UInt64)
    case fileattr(path: [UInt8], attributes: UInt64)
    case encodedWrite(EncodedWrite)
    case enableVerity(path: [UInt8], algorithm: UInt8, blockSize: UInt32, salt: [UInt8], signature: [UInt8])
    /// A command number this parser does not know; btrfs-progs 6.2 skips those silently.
    case unknown(UInt16)

    /// The command's number in the stream.
    public static let numbers: [String: UInt16] = [
        "subvol": 1, "snapshot": 2, "mkfile": 3, "mkdir": 4, "mknod": 5, "mkfifo": 6, "mksock": 7,
        "symlink": 8, "rename": 9, "link": 10, "unlink": 11, "rmdir": 12, "set_xattr": 13,
        "remove_xattr": 14, "write": 15, "clone": 16, "truncate": 17, "chmod": 18, "chown": 19,
        "utimes": 20, "end": 21, "update_extent": 22, "fallocate": 23, "fileattr": 24,
        "encoded_write": 25, "enable_verity": 26,
    ]
}

/// BTRFS_SEND_C_ENCODED_WRITE: compressed (or otherwise encoded) data as it lies on disk.
public struct EncodedWrite: Sendable, Equatable {
    /// The file's path in the stream, as bytes.
    public var path: [UInt8]
    /// Where in the file the unencoded bytes go.
    public var offset: UInt64
    /// How many bytes of the file this write covers.
    public var unencodedFileLength: UInt64
    /// Length of the whole decoded extent, and where in it the file's part starts.
    public var unencodedLength: UInt64
    public var unencodedOffset: UInt64
    /// BTRFS_ENCODED_IO_COMPRESSION_*: 0 none, 1 zlib, 2 zstd, 3…7 lzo with 4 KiB…64 KiB sectors.
    public var compression: UInt32
    public var encryption: UInt32
    public var data: ArraySlice<UInt8>

    /// A command from its fields.
    public init(path: [UInt8], offset: UInt64, unencodedFileLength: UInt64, unencodedLength: UInt64,
                unencodedOffset: UInt64, compression: UInt32, encryption: UInt32, data: ArraySlice<UInt8>) {
        self.path = path
        self.offset = offset
        self.unencodedFileLength = unencodedFileLength
        self.unencodedLength = unencodedLength
        self.unencodedOffset = unencodedOffset
        self.compression = compression
        self.encryption = encryption
        self.data = data
    }
}

/// The attribute numbers of a send stream (BTRFS_SEND_A_*).
enum SendAttribute {
    static let uuid = 1, ctransid = 2, ino = 3, size = 4, mode = 5, uid = 6, gid = 7, rdev = 8
    static let ctime = 9, mtime = 10, atime = 11, otime = 12, xattrName = 13, xattrData = 14
    static let path = 15, pathTo = 16, pathLink = 17, fileOffset = 18, data = 19
    static let cloneUUID = 20, cloneCtransid = 21, clonePath = 22, cloneOffset = 23, cloneLength = 24
    static let fallocateMode = 25, fileattr = 26, unencodedFileLength = 27, unencodedLength = 28
    static let unencodedOffset = 29, compression = 30, encryption = 31
    static let verityAlgorithm = 32, verityBlockSize = 33, veritySalt = 34, veritySignature = 35
    /// BTRFS_SEND_A_MAX of btrfs-progs 6.2: a higher type is an invalid attribute.
    static let max = 35
}
