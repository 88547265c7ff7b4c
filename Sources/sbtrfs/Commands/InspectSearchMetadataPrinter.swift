import Btrfs

/// Writes found items in one of search-metadata's formats: keys (`print(obj.key)`), short
/// (`str_print`), long (`pretty_print` of the item stream: `-` then the item one level in),
/// or JSON (one object per item, every field).
struct SearchMetadataPrinter {
    let format: SearchMetadata.Format
    let out: TextBuffer
    let flush: (TextBuffer) throws -> Void
    let csumSize: Int
    /// Print unparsed types as python-btrfs does (tests use it to compare whole streams).
    var unparsedAsPython = false
    var itemCount = 0
    /// The JSON document, begun at the first item (or at the end, empty).
    var json: JSONWriter
    var jsonBegun = false
    static let flushThreshold = 1 << 18

    init(format: SearchMetadata.Format, out: TextBuffer, flush: @escaping (TextBuffer) throws -> Void, csumSize: Int) {
        self.format = format
        self.out = out
        self.flush = flush
        self.csumSize = csumSize
        json = JSONWriter(text: out, style: .native)
    }

    /// `readAhead` for whole-tree walks: the kernel searches on a second thread while this one formats.
    mutating func search(_ fs: FileSystem, tree: UInt64, min: Key, max: Key, readAhead: Bool = false) throws {
        var search = TreeSearch(tree: tree, min: min, max: max)
        search.readAhead = readAhead
        // Not the Sequence of Results, nor `next`'s optional items: destroying either per item
        // went through the runtime's generic enum witnesses.
        var cursor = fs.search(search)
        try cursor.forEachRemaining { item in try self.item(key: item.key, reader: item.reader()) }
    }

    mutating func item(key: Key, reader: ItemReader) throws {
        switch format {
        case .keys:
            key.write(to: out); out.newline()
        case .short:
            try ShortItemText.write(key: key, reader: reader, csumSize: csumSize, unparsedAsPython: unparsedAsPython, to: out)
        case .long:
            out.write("-\n")
            try LongItemText.write(key: key, reader: reader, level: 1, csumSize: csumSize, unparsedAsPython: unparsedAsPython, to: out)
        case .json:
            let item = try Item(key: key, reader: reader, csumSize: csumSize)
            beginJSON()
            ItemJSON.write(item, to: &json)
        }
        try step()
    }

    mutating func blockGroup(_ bg: BlockGroupItem) throws {
        switch format {
        case .keys: bg.key.write(to: out); out.newline()
        case .short: ShortItemText.writeBlockGroup(bg, to: out)
        case .long: out.write("-\n"); LongItemText.writeBlockGroup(bg, level: 1, to: out)
        case .json: beginJSON(); ItemJSON.write(.blockGroup(bg), to: &json)
        }
        try step()
    }

    /// Free space extents are helper objects, not items: the keys format prints nothing for them.
    mutating func freeSpaceExtent(_ e: FreeSpaceExtent) throws {
        switch format {
        case .keys: return
        case .short: ShortItemText.writeFreeSpaceExtent(e, to: out)
        case .long:
            out.write("-\n  <btrfs.free_space_tree.FreeSpaceExtent>\n  vaddr: "); out.write(e.vaddr)
            out.write("\n  length: "); out.write(e.length); out.newline()
        case .json:
            beginJSON()
            json.beginGroup(nil, .map, compact: true)
            json.number("vaddr", e.vaddr); json.number("length", e.length)
            json.endGroup()
        }
        try step()
    }

    /// `{"__header": …, "items": [` in progs' layout, once.
    mutating func beginJSON() {
        guard !jsonBegun else { return }
        jsonBegun = true
        json.start()
        json.beginGroup("items", .array)
    }

    mutating func step() throws {
        itemCount += 1
        if out.count >= SearchMetadataPrinter.flushThreshold { try flush(out) }
    }

    mutating func finish() throws {
        if format == .json {
            beginJSON()
            json.endGroup()
            json.end()
            json = JSONWriter(text: out, style: .native)
            jsonBegun = false
            itemCount = 0
        }
        try flush(out)
    }
}
