import Testing
@testable import Btrfs

/// Item bytes captured from a real filesystem (tree, objectid, type, offset, hex data), one of
/// each type, checked for what the bytes must mean, then truncated and garbled: parsing and
/// printing must throw or succeed, never trap.
let capturedItems: [(tree: UInt64, objectID: UInt64, type: UInt8, offset: UInt64, hex: String)] = [
    (1, 6, 1, 0, "03000000000000000000000000000000000000000000000000400000000000000000000000000000010000000000000000000000ed41000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000005b77086b00000000000000005b77086b00000000000000005b77086b00000000000000005b77086b0000000000000000"),
    (1, 5, 12, 6, "0000000000000000070064656661756c74"),
    (5, 258, 24, 153960099, "000000000000000000000000000000000007000000000000000300060008757365722e7876616c"),
    (1, 6, 84, 2378154706, "050000000000000084ffffffffffffffff0000000000000000000007000264656661756c74"),
    (5, 256, 96, 2, "01010000000000000100000000000000000700000000000000000001000264"),
    (5, 258, 108, 0, "0a000000000000000300000000000000000000000068690a"),
    (7, 18446744073709551606, 128, 13631488, "69fc36b2470dabe017667b7713c2de8b"),
    (1, 2, 132, 0, "01000000000000000000000000000000030000000000000000400000000000000000000000000000010000000000000000000000ed41000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000d0000000000000000000000000000000000db0100000000000000000000000000400000000000000000000000000000000000000000000001000000000000000000000000000000000000000000000d00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"),
    (1, 256, 144, 5, "0001000000000000050000000000000002007376"),
    (1, 5, 156, 256, "0001000000000000050000000000000002007376"),
    (2, 13631488, 168, 3145728, "020000000000000007000000000000000100000000000000b205000000000000000401000000000000000000000000000001000000b205000000000000000301000000000000000000000000000001000000"),
    (2, 22036480, 169, 0, "010000000000000006000000000000000200000000000000b00300000000000000"),
    (2, 13631488, 192, 8388608, "000030000000000000010000000000000100000000000000"),
    (10, 1048576, 198, 4194304, "0100000000000000"),
    (10, 1048576, 199, 4194304, ""),
    (4, 1, 204, 13631488, "030000000000000000010000000000000000d000000000000000800000000000eca25d6631394030bb736c5176ebd36e"),
    (3, 1, 216, 1, "010000000000000000000040000000000000e6070000000000100000001000000010000000000000000000000000000000000000000000000000000000000000000036cf675c4762458bae5e8d7593bf8ec3a85f25a88f4a4e7f91a7acdb29fddb5e"),
    (3, 256, 228, 13631488, "00008000000000000200000000000000000001000000000001000000000000000000010000000100001000000100010001000000000000000000d0000000000036cf675c4762458bae5e8d7593bf8ec3"),
    (8, 0, 240, 0, "01000000000000000d000000000000000100000000000000ffffffffffffffff0000000000000000"),
    (8, 0, 242, 5, "0b000000000000000040300000000000004030000000000000403000000000000040300000000000"),
    (8, 0, 244, 5, "00000000000000000000000000000000000000000000000000000000000000000000000000000000"),
    (4, 0, 249, 1, "00000000000000000000000000000000000000000000000000000000000000000000000000000000"),
    (9, 5334133961921905905, 251, 5363234904466217646, "0001000000000000"),
]

func bytes(fromHex hex: String) -> [UInt8] {
    var out: [UInt8] = []
    var it = hex.utf8.makeIterator()
    while let a = it.next(), let b = it.next() {
        out.append(UInt8(String(decoding: [a, b], as: UTF8.self), radix: 16) ?? 0)
    }
    return out
}

/// Parses and prints in all three forms; returns whether parsing succeeded.
@discardableResult
func parseAndPrint(_ key: Key, _ data: [UInt8]) -> Bool {
    data.withUnsafeBytes { raw in
        let reader = ItemReader(raw)
        let out = TextBuffer()
        var ok = true
        do { _ = try Item(key: key, reader: reader, csumSize: 4) } catch { ok = false }
        do { try ShortItemText.write(key: key, reader: reader, to: out) } catch { ok = false }
        do { try LongItemText.write(key: key, reader: reader, to: out) } catch { ok = false }
        return ok
    }
}

@Suite struct ItemParsingTests {
    @Test func capturedBytesParseToWhatTheyHold() throws {
        for c in capturedItems {
            let data = bytes(fromHex: c.hex)
            let key = Key(c.objectID, c.type, c.offset)
            #expect(parseAndPrint(key, data), "\(key)")
            let item = try data.withUnsafeBytes { try Item(key: key, reader: ItemReader($0)) }
            #expect(item.key == key)
            let fromBytes = TextBuffer()
            try data.withUnsafeBytes { try ShortItemText.write(key: key, reader: ItemReader($0), to: fromBytes) }
            #expect(item.shortText == fromBytes.text)
            #expect(item.description == String(fromBytes.text.prefix { $0 != "\n" }))
            // The long form too: written from the bytes and from the parsed item, the same lines.
            let longFromBytes = TextBuffer()
            try data.withUnsafeBytes { try LongItemText.write(key: key, reader: ItemReader($0), level: 0, to: longFromBytes) }
            #expect(item.longText == longFromBytes.text)
            switch item {
            case .devItem(let d): #expect(d.devid == key.offset)
            case .chunk(let ch): #expect(ch.stripes.count == Int(ch.numStripes)); #expect(ch.stripes.first?.devid == 1)
            case .dirItem(let l):
                #expect(l.items.count == 1)
                // The key offset is the crc32c name hash of the entry's name.
                #expect(UInt64(Crc32c.nameHash(l.items[0].name)) == key.offset)
            case .inodeRef(let l): #expect(l.refs.map { String(decoding: $0.name, as: UTF8.self) } == ["default"])
            case .extent(let e): #expect(e.extentDataRefs.count == Int(e.refs))
            case .metadata(let m): #expect(m.treeBlockRefs.count == Int(m.refs))
            case .rootRef(let r): #expect(String(decoding: r.name, as: UTF8.self) == "sv"); #expect(r.tree == 256 && r.parentTree == 5)
            case .uuid(let u): #expect(u.subvolIDs == [256])
            case .extentCsum(let cs): #expect(cs.count == data.count / 4)
            case .fileExtent(let f): #expect(f.isInline && f.inlineEncodedNbytes == data.count - 21)
            default: break
            }
        }
    }

    @Test func fixedSizesMatchTheKernelStructs() {
        #expect(DevItem.size == 98)
        #expect(Chunk.size + Stripe.size == 80)
        #expect(DevExtent.size == 48)
        #expect(InodeItem.size == 160)
        #expect(RootItem.size + 64 == 439)
        #expect(FileExtentItem.size == 53)
        #expect(BalanceItem.size == 8 + 3 * BalanceArgs.size + 32)
    }

    @Test func everyTruncationThrowsOrParsesNeverTraps() {
        for c in capturedItems {
            let data = bytes(fromHex: c.hex)
            let key = Key(c.objectID, c.type, c.offset)
            for length in 0..<data.count {
                let ok = parseAndPrint(key, Array(data.prefix(length)))
                // Fixed-size items must refuse any shorter form.
                if [1, 132, 192, 204, 216, 228, 242, 244].contains(c.type), length < min(data.count, 239) {
                    #expect(!ok, "\(key) accepted \(length) of \(data.count) bytes")
                }
            }
        }
    }

    @Test func garbledBytesThrowOrParseNeverTrap() {
        var rng = SystemRandomNumberGenerator()
        for c in capturedItems {
            let data = bytes(fromHex: c.hex)
            for _ in 0..<300 {
                var g = data
                if g.isEmpty { g = (0..<Int.random(in: 0..<64, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) } }
                for _ in 0..<Int.random(in: 1...4, using: &rng) where !g.isEmpty {
                    g[Int.random(in: 0..<g.count, using: &rng)] = [0xff, 0x00, 0x7f, UInt8.random(in: 0...255, using: &rng)][Int.random(in: 0..<4, using: &rng)]
                }
                parseAndPrint(Key(c.objectID, c.type, c.offset), g)
            }
        }
        // Random bytes under every key type.
        for type in 0...255 {
            for length in [0, 1, 8, 17, 24, 30, 48, 98, 160, 239, 375, 448] {
                let g = (0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) }
                parseAndPrint(Key(UInt64.random(in: 0...UInt64.max, using: &rng), UInt8(type), UInt64.random(in: 0...300, using: &rng)), g)
                parseAndPrint(Key(0, UInt8(type), 0), g)
            }
        }
    }

    @Test func hugeLengthsInsideItemsThrow() {
        // A dir item claiming a 65535-byte name in 40 bytes, an inode ref claiming 65535.
        var dir = bytes(fromHex: "050000000000000084ffffffffffffffff0000000000000000000007000264656661756c74")
        dir[27] = 0xff; dir[28] = 0xff
        #expect(!parseAndPrint(Key(6, 84, 1), dir))
        #expect(!parseAndPrint(Key(5, 12, 6), bytes(fromHex: "0000000000000000ffff64656661756c74")))
        // A chunk claiming 65535 stripes.
        var chunk = bytes(fromHex: "00008000000000000200000000000000000001000000000001000000000000000000010000000100001000000100010001000000000000000000d0000000000036cf675c4762458bae5e8d7593bf8ec3")
        chunk[44] = 0xff; chunk[45] = 0xff
        #expect(!parseAndPrint(Key(256, 228, 1), chunk))
    }

    @Test func unknownTypesStayRawBytes() throws {
        let data: [UInt8] = [1, 2, 3]
        let item = try data.withUnsafeBytes { try Item(key: Key(1, 3, 0), reader: ItemReader($0)) }
        #expect(item == .raw(RawItem(key: Key(1, 3, 0), bytes: data)))
        let out = TextBuffer()
        try data.withUnsafeBytes { try ShortItemText.write(key: Key(1, 3, 0), reader: ItemReader($0), to: out) }
        #expect(out.text == "unknown item data (3 bytes)\n")
    }

    @Test func freeSpaceBitmapRunsAreLeastSignificantBitFirst() {
        let bitmap = FreeSpaceBitmap.self
        var ranges: [FreeSpaceExtent] = []
        let bits: [UInt8] = [0b0000_0110, 0xff, 0x01, 0x00, 0x80]
        bits.withUnsafeBytes { bitmap.forEachRange($0, start: 1000, sectorSize: 10) { ranges.append($0) } }
        // Bits 1-2, then 8-16, then 39 to the end.
        #expect(ranges == [FreeSpaceExtent(vaddr: 1010, length: 20), FreeSpaceExtent(vaddr: 1080, length: 90),
                           FreeSpaceExtent(vaddr: 1390, length: 10)])
    }
}
