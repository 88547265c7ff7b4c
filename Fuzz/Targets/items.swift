// Every item type the library parses from TREE_SEARCH_V2 results, and every way search-metadata
// prints one. Input: type (1 byte), objectid (8, little-endian), offset (8), checksum size (1),
// then the item's bytes. A parse may throw (truncated, garbled); it must never trap.
@testable import Btrfs
@testable import sbtrfs

func fuzzOne(_ input: FuzzInput) {
    var input = input
    let type = input.byte()
    let key = Key(input.u64(), type, input.u64())
    let csumSize = Int(input.byte())
    let data = input.rest
    if let item = try? Item(key: key, reader: ItemReader(data), csumSize: csumSize) {
        _ = item.key
        _ = item.description
        if case .freeSpaceBitmap(let bitmap) = item {
            _ = bitmap.unpack(sectorSize: UInt64(1) << (csumSize % 17))
        }
    }
    let out = TextBuffer()
    for format in SearchMetadata.Format.allCases {
        for unparsedAsPython in [false, true] {
            var printer = SearchMetadataPrinter(format: format, out: out, flush: { $0.removeAll() },
                                                csumSize: csumSize)
            printer.unparsedAsPython = unparsedAsPython
            try? printer.item(key: key, reader: ItemReader(data))
            try? printer.finish()
        }
    }
}
