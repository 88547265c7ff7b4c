import Testing
import TestRig
@testable import Btrfs

/// The send-stream parser on crafted bytes: every command decoded, every malformed input a thrown
/// error with btrfs-progs' message, never a trap.
@Suite("SendStreamReader")
struct SendStreamReaderTests {
    typealias B = StreamBuilder

    func commands(_ bytes: [UInt8]) throws -> [SendCommand] {
        var reader = SendStreamReader(bytes: bytes)
        try reader.readHeader()
        var all: [SendCommand] = []
        while true {
            let c = try reader.next()
            all.append(c)
            if c == .end { return all }
        }
    }

    func firstError(_ bytes: [UInt8]) -> SendStreamError? {
        do { _ = try commands(bytes) } catch let e as SendStreamError { return e } catch { return nil }
        return nil
    }

    @Test func decodesEveryCommand() throws {
        var s = B()
        s.subvol("vol")
        s.command(3, B.string(15, "f") + B.u64(3, 257))
        s.command(5, B.string(15, "dev") + B.u64(3, 258) + B.u64(5, 0o20644) + B.u64(8, 0x103))
        s.command(8, B.string(15, "l") + B.u64(3, 259) + B.string(17, "target"))
        s.command(15, B.string(15, "f") + B.u64(18, 4096) + B.attribute(19, [1, 2, 3]))
        s.command(16, B.string(15, "f") + B.u64(18, 0) + B.u64(24, 0xFFFF_FFFF) + B.uuid(20, 1) + B.u64(21, 5)
                  + B.string(22, "src") + B.u64(23, 8192))
        s.command(13, B.string(15, "f") + B.string(13, "user.a") + B.attribute(14, [0x61, 0, 0x62]))
        s.command(20, B.string(15, "f") + B.attribute(11, B.le(1, 8) + B.le(2, 4)) + B.attribute(10, B.le(3, 8) + B.le(4, 4))
                  + B.attribute(9, B.le(5, 8) + B.le(6, 4)))
        s.command(99, [])
        s.end()
        let c = try commands(s.bytes)
        #expect(c.count == 10)
        #expect(c[0] == .subvol(path: Array("vol".utf8), uuid: BtrfsUUID(bytes: [UInt8](repeating: 0xAB, count: 16)), ctransid: 7))
        #expect(c[2] == .mknod(path: Array("dev".utf8), mode: 0o20644, rdev: 0x103))
        #expect(c[4] == .write(path: [0x66], offset: 4096, data: [1, 2, 3][...]))
        // progs reads the clone length into an int: 0xFFFFFFFF comes back as -1 widened.
        if case .clone(_, _, let length, _, _, _, let sourceOffset) = c[5] {
            #expect(length == UInt64.max)
            #expect(sourceOffset == 8192)
        } else { Issue.record("no clone: \(c[5])") }
        #expect(c[6] == .setXattr(path: [0x66], name: Array("user.a".utf8), data: [0x61, 0, 0x62]))
        #expect(c[7] == .utimes(path: [0x66], atime: TimeSpec(sec: 1, nsec: 2), mtime: TimeSpec(sec: 3, nsec: 4),
                                ctime: TimeSpec(sec: 5, nsec: 6)))
        #expect(c[8] == .unknown(99))
    }

    @Test func version2DataRunsToTheEnd() throws {
        var s = B(version: 2)
        s.subvol("v")
        let data = [UInt8](repeating: 7, count: 70000)
        s.command(15, B.string(15, "f") + B.u64(18, 0) + B.attribute(19, data, dataLast: true))
        s.end()
        let c = try commands(s.bytes)
        if case .write(_, _, let got) = c[1] { #expect(Array(got) == data) } else { Issue.record("\(c[1])") }
    }

    @Test func stringsEndAtTheirFirstNul() throws {
        var s = B()
        s.command(1, B.attribute(15, [0x61, 0, 0x62]) + B.uuid(1, 0) + B.u64(2, 1))
        s.end()
        #expect(try commands(s.bytes)[0] == .subvol(path: [0x61], uuid: .zero, ctransid: 1))
    }

    @Test func malformedStreamsThrowProgsErrors() {
        #expect(firstError([]) == .noData)
        #expect(firstError(Array("btrfs-str".utf8)) == .shortRead(expected: 17, read: 9))
        #expect(firstError(B(magic: Array("btrfs-streaX".utf8) + [0]).bytes) == .badMagic)
        #expect(firstError(B(version: 3).bytes) == .unsupportedVersion(3))
        #expect(firstError(B().bytes) == .unexpectedEOF)
        var crc = B(); crc.command(1, B.string(15, "v"), crc: 1234)
        #expect(firstError(crc.bytes) == .crcMismatch)
        var short = B(); short.command(1, B.string(15, "v")); short.bytes.removeLast(2)
        #expect(firstError(short.bytes) == .shortRead(expected: 5, read: 3))
        var header = B(); header.bytes += [1, 0, 0]
        #expect(firstError(header.bytes) == .shortRead(expected: 10, read: 3))
        // An attribute whose length runs past the command.
        var past = B(); past.command(1, B.le(15, 2) + B.le(100, 2) + [0x61])
        #expect(firstError(past.bytes) == .truncated)
        var odd = B(); odd.command(1, [15])
        #expect(firstError(odd.bytes) == .truncated)
        var type = B(); type.command(1, B.string(36, "x"))
        #expect(firstError(type.bytes) == .invalidAttributeType(36))
        var zero = B(); zero.command(1, B.string(0, "x"))
        #expect(firstError(zero.bytes) == .invalidAttributeType(0))
        var missing = B(); missing.command(1, B.string(15, "v") + B.u64(2, 1))
        #expect(firstError(missing.bytes) == .missingAttribute(1))
        var size = B(); size.command(1, B.string(15, "v") + B.uuid(1, 0) + B.attribute(2, [1, 2]))
        #expect(firstError(size.bytes) == .attributeSize(expected: 8, got: 2))
        var huge = B(); huge.command(15, [], length: 0xFFFF_FFFF)
        #expect(firstError(huge.bytes) == .commandTooLarge(0xFFFF_FFFF))
        // Version 1: the data attribute has a length like any other.
        var v1 = B(); v1.command(15, B.string(15, "f") + B.u64(18, 0) + B.le(19, 2) + [1, 2, 3])
        #expect(firstError(v1.bytes) == .truncated)
    }

    @Test func everyPrefixOfAStreamFailsCleanly() throws {
        var s = B(version: 2)
        s.subvol("v")
        s.command(15, B.string(15, "f") + B.u64(18, 0) + B.attribute(19, [1, 2, 3, 4], dataLast: true))
        s.end()
        for n in 0..<s.bytes.count {
            #expect(firstError(Array(s.bytes.prefix(n))) != nil, "prefix \(n)")
        }
        // Every single-byte corruption is caught (CRC, header) or decodes to something; none traps.
        for i in 0..<s.bytes.count {
            var bad = s.bytes
            bad[i] ^= 0x5A
            _ = firstError(bad)
        }
    }
}
