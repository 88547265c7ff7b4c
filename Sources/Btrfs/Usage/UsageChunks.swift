/// What the usage reports read from the chunk tree, through the item model (Items/).
extension Chunk {
    /// The usage arithmetic divides by the stripe count, so there a chunk without stripes is
    /// malformed (the item model itself takes it as python-btrfs does).
    func checkedForUsage() throws -> Chunk {
        try Chunk.checkForUsage(numStripes: numStripes, vaddr: vaddr)
        return self
    }

    static func checkForUsage(numStripes: UInt16, vaddr: UInt64) throws {
        guard numStripes > 0 else { throw BtrfsError.malformed(what: "chunk \(vaddr) without stripes") }
    }
}

extension FileSystem {
    /// Every chunk, in virtual address order, each with at least one stripe (tree search: needs CAP_SYS_ADMIN).
    public func usageChunks() throws -> [Chunk] {
        var result = [Chunk]()
        for chunk in chunks() {
            let chunk = try chunk.get()
            result.append(try chunk.checkedForUsage())
        }
        return result
    }
}

extension FileSystem {
    /// Every device item, in devid order (tree search: needs CAP_SYS_ADMIN).
    public func deviceItems() throws -> [DevItem] {
        try devices().collect()
    }
}
