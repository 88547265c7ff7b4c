// A send stream from somewhere else (a file, a pipe, a backup host): receive --dump's path.
// Input: the stream's bytes. Every command the reader decodes is printed as receive --dump would;
// a malformed stream must end in a thrown SendStreamError, never a trap or an endless loop.
@testable import Btrfs
@testable import sbtrfs

func fuzzOne(_ input: FuzzInput) {
    var reader = SendStreamReader(bytes: Array(input.rest))
    guard (try? reader.readHeader()) != nil else { return }
    var printer = DumpPrinter(out: OutputStream.capture())
    // Each command consumes at least its 10-byte header, so the input bounds the walk.
    var commands = 0
    while let command = try? reader.next() {
        commands += 1
        precondition(commands <= input.bytes.count / 10 + 1, "more commands than the stream can hold")
        _ = try? printer.print(command)
        if command == .end { break }
    }
}
