/// What the space accounting needs of one EXTENT_DATA item (btrfs_file_extent_item), in the
/// order of its file offsets.
public struct FileExtentRecord: Sendable {
    /// The extent's fields, as in `FileExtentItem`.
    public var diskBytenr: UInt64 = 0
    public var diskNumBytes: UInt64 = 0
    /// Bytes of the file this item covers.
    public var numBytes: UInt64 = 0
    public var ramBytes: UInt64
    /// Where in the extent the item's bytes start.
    public var extentOffset: UInt64 = 0
    /// Generation of the leaf the item was found in (the search header's transid).
    public var leafGeneration: UInt64
    /// Size of the item: an inline extent's data is what follows its 21-byte header.
    public var itemSize: UInt32
    public var type: UInt8
    public var compression: UInt8

    /// Whether the extent is inline, or preallocated.
    public var isInline: Bool { type == FileExtentItem.typeInline }
    public var isPrealloc: Bool { type == FileExtentItem.typePrealloc }
    /// A regular or preallocated item with no extent behind it.
    public var isHole: Bool { !isInline && diskBytenr == 0 }

    /// Reads the fields from an item's bytes; a regular item shorter than 53 bytes keeps
    /// zeros (compsize refuses such an item, by its size).
    init(_ data: UnsafeRawBufferPointer, leafGeneration: UInt64) throws {
        guard data.count >= FileExtentItem.headerSize else {
            throw BtrfsError.truncated(item: "file extent item", need: FileExtentItem.headerSize, have: data.count)
        }
        ramBytes = data.loadUnaligned(fromByteOffset: 8, as: UInt64.self).littleEndian
        compression = data[16]
        type = data[20]
        self.leafGeneration = leafGeneration
        itemSize = UInt32(truncatingIfNeeded: data.count)
        if type != FileExtentItem.typeInline && data.count >= FileExtentItem.size {
            diskBytenr = data.loadUnaligned(fromByteOffset: 21, as: UInt64.self).littleEndian
            diskNumBytes = data.loadUnaligned(fromByteOffset: 29, as: UInt64.self).littleEndian
            extentOffset = data.loadUnaligned(fromByteOffset: 37, as: UInt64.self).littleEndian
            numBytes = data.loadUnaligned(fromByteOffset: 45, as: UInt64.self).littleEndian
        }
    }
}

/// The EXTENT_DATA items of a set of inodes of one subvolume tree, fetched in bulk: the sorted
/// inode numbers are cut into runs of near neighbours and each run is one tree search over the
/// key range from its first to its last inode, so a whole subvolume costs one pass over its
/// leaves and a few scattered files cost a search each (as compsize's per-file search).
public struct FileExtentIndex: Sendable {
    /// The inodes asked for, sorted and unique.
    public let inodes: [UInt64]
    /// `records[starts[i]..<starts[i+1]]` are the items of `inodes[i]`.
    private let starts: [Int]
    /// Every file extent found, in tree order.
    public let records: [FileExtentRecord]

    /// Two wanted inodes further apart than this are fetched by separate searches: the items of
    /// the inodes between them would cost more to copy than a search call costs.
    public static let defaultGap: UInt64 = 16

    /// Loads the items of `inodes` (sorted, unique) of subvolume `tree`.
    public init(_ fs: FileSystem, tree: UInt64, inodes: [UInt64], gap: UInt64 = FileExtentIndex.defaultGap) throws {
        var records: [FileExtentRecord] = []
        records.reserveCapacity(inodes.count)
        var starts = [Int](repeating: 0, count: inodes.count + 1)
        var runStart = 0
        while runStart < inodes.count {
            var runEnd = runStart
            while runEnd + 1 < inodes.count, inodes[runEnd + 1] &- inodes[runEnd] <= gap { runEnd += 1 }
            let search = TreeSearch(tree: tree, min: Key(inodes[runStart], ItemType.extentData.rawValue, 0),
                                    max: Key(inodes[runEnd], ItemType.extentData.rawValue, .max))
            var wanted = runStart     // the run's inode whose items are being gathered
            starts[runStart] = records.count
            for item in fs.search(search) {
                let item = try item.get()
                guard item.key.type == ItemType.extentData.rawValue else { continue }
                let ino = item.key.objectID
                while wanted <= runEnd && inodes[wanted] < ino {
                    wanted += 1
                    starts[wanted] = records.count
                }
                guard wanted <= runEnd && inodes[wanted] == ino else { continue }
                records.append(try FileExtentRecord(item.data, leafGeneration: item.transid))
            }
            while wanted <= runEnd {
                wanted += 1
                starts[wanted] = records.count
            }
            runStart = runEnd + 1
        }
        self.inodes = inodes
        self.starts = starts
        self.records = records
    }

    /// The position of `ino` in `inodes`, nil when it was not asked for.
    public func position(of ino: UInt64) -> Int? { inodes.sortedPosition(of: ino) }

    /// The items of the inode at `position`, in file offset order.
    public func extents(at position: Int) -> ArraySlice<FileExtentRecord> {
        records[starts[position]..<starts[position + 1]]
    }
}

extension Array where Element == UInt64 {
    /// Binary search in a sorted array: the index of `value`, nil when it is not there.
    func sortedPosition(of value: UInt64) -> Int? {
        var low = 0
        var high = count
        while low < high {
            let mid = (low + high) / 2
            if self[mid] < value { low = mid + 1 } else { high = mid }
        }
        return low < count && self[low] == value ? low : nil
    }
}
