// The walk over one TREE_SEARCH_V2 answer: search headers, each followed by its item's bytes,
// with lengths the buffer may not hold. Input: number of items the kernel claims (2 bytes,
// little-endian), checksum size (1), then the answer as the kernel lays it out after its
// arguments. Each item the walk yields is parsed and printed as search-metadata would.
@testable import Btrfs
@testable import sbtrfs

func fuzzOne(_ input: FuzzInput) {
    var input = input
    let claimed = Int(input.byte()) | Int(input.byte()) << 8
    let csumSize = Int(input.byte())
    var answer = SearchAnswer(buffer: input.rest, count: claimed)
    let out = TextBuffer()
    var printer = SearchMetadataPrinter(format: .short, out: out, flush: { $0.removeAll() }, csumSize: csumSize)
    var walked = 0
    while let header = try? answer.next() {
        walked += 1
        let data = header.data(in: answer.buffer)
        _ = try? Item(key: header.key, reader: ItemReader(data), csumSize: csumSize)
        try? printer.item(key: header.key, reader: ItemReader(data))
    }
    precondition(walked <= claimed, "walked more items than the answer holds")
}
