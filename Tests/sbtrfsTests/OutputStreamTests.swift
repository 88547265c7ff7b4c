import Foundation
import Testing
@testable import sbtrfs

/// Buffering and the order of stdout and stderr, observed through one pipe both write to.
struct OutputStreamTests {
    func throughPipe(terminal: Bool) throws -> String {
        var fds: [Int32] = [0, 0]
        try #require(pipe(&fds) == 0)
        defer { close(fds[0]) }
        let out = OutputStream(fd: fds[1])
        let err = OutputStream(fd: fds[1])
        err.lineBuffered = true
        if terminal { err.flushesFirst = out }
        out.line("row 1")
        err.write("WARNING: ")
        err.line("something")
        out.line("row 2")
        err.flush()
        out.flush()
        close(fds[1])
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fds[0], $0.baseAddress, 4096) }
            if n <= 0 { break }
            bytes += chunk[..<n]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test func pipedStdoutComesAtExit() throws {
        #expect(try throughPipe(terminal: false) == "WARNING: something\nrow 1\nrow 2\n")
    }

    @Test func terminalKeepsChronologicalOrder() throws {
        #expect(try throughPipe(terminal: true) == "row 1\nWARNING: something\nrow 2\n")
    }

    @Test func largeOutputIsFlushedInChunks() {
        let out = OutputStream(fd: -1, capacity: 16)
        for i in 0..<100 { out.line("line \(i)") }
        #expect(out.capturedText.split(separator: "\n").count == 100)
    }

    /// The buffer is fixed memory: a write bigger than it goes out whole, after what was buffered;
    /// every path (text, bytes, sequences, single bytes, padding) keeps the order.
    @Test func writesBiggerThanTheBufferKeepOrder() {
        let out = OutputStream(fd: -1, capacity: 8)
        out.write("ab")
        let big = (0..<50).map { UInt8(ascii: "A") + UInt8($0 % 26) }
        big.withUnsafeBufferPointer { out.write(bytes: $0) }
        out.write(bytes: "cd".utf8)
        out.pad(11)
        out.write(byte: UInt8(ascii: "!"))
        out.write(bytes: [UInt8]())
        let expected = "ab" + String(decoding: big, as: UTF8.self) + "cd" + String(repeating: " ", count: 11) + "!"
        #expect(out.capturedText == expected)
    }

    /// Bulk output grows a pipe on stdout to 1 MiB once (a tree dump spent a third of its wall
    /// time waking a 64 KiB pipe's reader); short output leaves it alone.
    @Test func bulkOutputGrowsThePipe() throws {
        let getPipeSize: Int32 = 1032  // F_GETPIPE_SZ
        func pipeSize(afterWriting count: Int) throws -> Int32 {
            var fds: [Int32] = [0, 0]
            try #require(pipe(&fds) == 0)
            defer { close(fds[0]); close(fds[1]) }
            let out = OutputStream(fd: fds[1], capacity: 64)
            out.write(String(repeating: "x", count: count))
            out.flush()
            return fcntl(fds[1], getPipeSize)
        }
        let fresh = try pipeSize(afterWriting: 0)
        try #require(fresh > 0 && fresh < 1 << 20)
        #expect(try pipeSize(afterWriting: 10) == fresh)
        #expect(try pipeSize(afterWriting: 200) == 1 << 20)
    }

    /// Bulk output goes out in bigger pieces: once 1 MiB went out the buffer grows to
    /// `bulkCapacity` (a quarter as many wake-ups of a pipe's reader); shorter output keeps the
    /// buffer it started with. The bytes arrive whole and in order either way.
    @Test func bulkOutputWritesBiggerPieces() throws {
        var fds: [Int32] = [0, 0]
        try #require(pipe(&fds) == 0)
        defer { close(fds[0]) }
        // The reader's bytes, read only once it has finished.
        final class Received: @unchecked Sendable { var bytes: [UInt8] = [] }
        let received = Received()
        let readEnd = fds[0]
        let reader = Thread {
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            while true {
                let n = read(readEnd, &chunk, chunk.count)
                if n <= 0 { break }
                received.bytes.append(contentsOf: chunk.prefix(n))
            }
        }
        reader.start()
        let out = OutputStream(fd: fds[1], capacity: 4096)
        var expected: [UInt8] = []
        var capacities: [Int] = []
        var line = [UInt8](repeating: 0, count: 10000)
        line[9999] = 10
        for i in 0 ..< 140 {
            for j in 0 ..< 9999 { line[j] = UInt8(48 + i % 10) }
            out.write(bytes: line)
            expected += line
            if i % 20 == 0 { out.flush(); capacities.append(out.text.capacity) }
        }
        out.flush()
        close(fds[1])
        while !reader.isFinished { usleep(1000) }
        #expect(capacities.first == 4096)
        #expect(capacities.last == OutputStream.bulkCapacity)
        #expect(received.bytes == expected)
    }

    /// Text formatted into `text` (as the tree dumps do) is the very buffer write(2) is given:
    /// it drains when full, never grows, and keeps its order with the stream's own writes.
    @Test func formattersWriteIntoTheStreamsBuffer() {
        let out = OutputStream(fd: -1, capacity: 64)
        var expected = ""
        for i in 0..<1000 {
            out.text.write("n=")
            out.text.write(UInt64(i))
            out.write(" s\n")
            expected += "n=\(i) s\n"
        }
        #expect(out.text.capacity == 64)
        #expect(out.capturedText == expected)
    }

    /// After a failure, what formatters write into the buffer is dropped as the stream's own
    /// writes are: nothing more goes out, the buffer does not grow, the failure is reported once.
    @Test func formattedBytesAfterAFailureAreDropped() {
        let out = OutputStream(fd: -1, capacity: 64)
        var failures: [Int32] = []
        out.onFailure = { failures.append($0) }
        out.write("kept\n")
        out.flush()
        out.fail(EPIPE)
        for i in 0..<1000 { out.text.write(UInt64(i)); out.text.newline() }
        out.write("dropped\n")
        #expect(out.capturedText == "kept\n")
        #expect(failures == [EPIPE] && out.text.capacity == 64)
    }
}
