/// Typed attributes of the current command, asked for in btrfs-progs' order, so a command missing
/// two attributes reports the same one progs does.
extension SendStreamReader {
    func attribute(_ type: Int) throws -> (start: Int, count: Int) {
        let start = attributes[type &* 2]
        guard start >= 0 else { throw SendStreamError.missingAttribute(type) }
        return (start, attributes[type &* 2 &+ 1])
    }

    func has(_ type: Int) -> Bool { attributes[type &* 2] >= 0 }

    func bytes(_ type: Int) throws -> [UInt8] {
        let a = try attribute(type)
        return Array(buffer[a.start..<(a.start &+ a.count)])
    }

    func slice(_ type: Int) throws -> ArraySlice<UInt8> {
        let a = try attribute(type)
        return buffer[a.start..<(a.start &+ a.count)]
    }

    /// A string attribute as progs keeps it: a C string, so it ends at its first NUL.
    func string(_ type: Int) throws -> [UInt8] {
        let a = try attribute(type)
        let all = buffer[a.start..<(a.start &+ a.count)]
        return Array(all.prefix { $0 != 0 })
    }

    func sized(_ type: Int, _ size: Int) throws -> Int {
        let a = try attribute(type)
        guard a.count == size else { throw SendStreamError.attributeSize(expected: size, got: a.count) }
        return a.start
    }

    func u8(_ type: Int) throws -> UInt8 { buffer[try sized(type, 1)] }
    func u32(_ type: Int) throws -> UInt32 { le32(try sized(type, 4)) }
    func u64(_ type: Int) throws -> UInt64 { le64(try sized(type, 8)) }
    func uuid(_ type: Int) throws -> BtrfsUUID {
        let at = try sized(type, 16)
        return BtrfsUUID(bytes: Array(buffer[at..<(at &+ 16)]))
    }
    func time(_ type: Int) throws -> TimeSpec {
        let at = try sized(type, 12)
        return TimeSpec(sec: le64(at), nsec: le32(at &+ 8))
    }

    typealias A = SendAttribute

    /// The command numbered `number`, from the attributes just parsed.
    func decode(_ number: UInt16) throws -> SendCommand {
        switch number {
        case 1: return .subvol(path: try string(A.path), uuid: try uuid(A.uuid), ctransid: try u64(A.ctransid))
        case 2:
            return .snapshot(path: try string(A.path), uuid: try uuid(A.uuid), ctransid: try u64(A.ctransid),
                             parentUUID: try uuid(A.cloneUUID), parentCtransid: try u64(A.cloneCtransid))
        case 3, 4, 6, 7:
            let path = try string(A.path)
            _ = try u64(A.ino)  // checked as progs does, not used
            switch number {
            case 3: return .mkfile(path: path)
            case 4: return .mkdir(path: path)
            case 6: return .mkfifo(path: path)
            default: return .mksock(path: path)
            }
        case 5:
            let path = try string(A.path)
            _ = try u64(A.ino)
            return .mknod(path: path, mode: try u64(A.mode), rdev: try u64(A.rdev))
        case 8:
            let path = try string(A.path)
            _ = try u64(A.ino)
            return .symlink(path: path, target: try string(A.pathLink))
        case 9: return .rename(from: try string(A.path), to: try string(A.pathTo))
        case 10: return .link(path: try string(A.path), target: try string(A.pathLink))
        case 11: return .unlink(path: try string(A.path))
        case 12: return .rmdir(path: try string(A.path))
        case 13:
            return .setXattr(path: try string(A.path), name: try string(A.xattrName), data: try bytes(A.xattrData))
        case 14: return .removeXattr(path: try string(A.path), name: try string(A.xattrName))
        case 15: return .write(path: try string(A.path), offset: try u64(A.fileOffset), data: try slice(A.data))
        case 16:
            let path = try string(A.path)
            let offset = try u64(A.fileOffset)
            // progs reads the length into an int and widens it again.
            let length = UInt64(bitPattern: Int64(Int32(truncatingIfNeeded: try u64(A.cloneLength))))
            return .clone(path: path, offset: offset, length: length, sourceUUID: try uuid(A.cloneUUID),
                          sourceCtransid: try u64(A.cloneCtransid), sourcePath: try string(A.clonePath),
                          sourceOffset: try u64(A.cloneOffset))
        case 17: return .truncate(path: try string(A.path), size: try u64(A.size))
        case 18: return .chmod(path: try string(A.path), mode: try u64(A.mode))
        case 19: return .chown(path: try string(A.path), uid: try u64(A.uid), gid: try u64(A.gid))
        case 20:
            return .utimes(path: try string(A.path), atime: try time(A.atime), mtime: try time(A.mtime),
                           ctime: try time(A.ctime))
        case 21: return .end
        case 22: return .updateExtent(path: try string(A.path), offset: try u64(A.fileOffset), length: try u64(A.size))
        case 23:
            let path = try string(A.path)
            let mode = Int32(bitPattern: try u32(A.fallocateMode))
            return .fallocate(path: path, mode: mode, offset: try u64(A.fileOffset), length: try u64(A.size))
        case 24: return .fileattr(path: try string(A.path), attributes: try u64(A.fileattr))
        case 25:
            let path = try string(A.path)
            let offset = try u64(A.fileOffset)
            let fileLength = try u64(A.unencodedFileLength)
            let length = try u64(A.unencodedLength)
            let unencodedOffset = try u64(A.unencodedOffset)
            let compression = has(A.compression) ? try u32(A.compression) : 0
            let encryption = has(A.encryption) ? try u32(A.encryption) : 0
            return .encodedWrite(EncodedWrite(path: path, offset: offset, unencodedFileLength: fileLength,
                                              unencodedLength: length, unencodedOffset: unencodedOffset,
                                              compression: compression, encryption: encryption, data: try slice(A.data)))
        case 26:
            return .enableVerity(path: try string(A.path), algorithm: try u8(A.verityAlgorithm),
                                 blockSize: try u32(A.verityBlockSize), salt: try bytes(A.veritySalt),
                                 signature: try bytes(A.veritySignature))
        default: return .unknown(number)
        }
    }
}
