/// How many back references a data extent has, read from the extent tree: what the kernel's
/// FIEMAP sharedness check (btrfs_is_data_extent_shared) looks at first. Two or more references
/// (inline or keyed EXTENT_DATA_REF / SHARED_DATA_REF items, each one "prelim ref" there) make the
/// extent shared; with one, only the tree blocks above the file's leaf can still share it.
public struct DataExtentRefs: Sendable, Equatable {
    /// Back reference items (owner refs of simple quotas are not back references).
    public var references: Int = 0
    /// The one reference is a SHARED_DATA_REF (a full back reference from a leaf).
    public var onlyReferenceIsShared = false
}

/// The back references of a set of data extents, fetched in bulk from the extent tree: sorted
/// extent addresses cut into runs of near neighbours, one tree search per run, as
/// FileExtentIndex does for file extent items.
public struct ExtentRefIndex: Sendable {
    /// Data extent addresses in ascending order, and each one's references.
    public let addresses: [UInt64]
    public let refs: [DataExtentRefs]

    /// Two extents further apart than this are fetched by separate searches.
    public static let defaultGap: UInt64 = 1 << 20

    /// Reads the references of the data extents at `addresses` (sorted, unique).
    public init(_ fs: FileSystem, addresses: [UInt64], gap: UInt64 = ExtentRefIndex.defaultGap) throws {
        var refs = [DataExtentRefs](repeating: DataExtentRefs(), count: addresses.count)
        var runStart = 0
        while runStart < addresses.count {
            var runEnd = runStart
            while runEnd + 1 < addresses.count, addresses[runEnd + 1] &- addresses[runEnd] <= gap { runEnd += 1 }
            let search = TreeSearch(tree: ObjectID.extentTree.rawValue,
                                    min: Key(addresses[runStart], ItemType.extentItem.rawValue, 0),
                                    max: Key(addresses[runEnd], ItemType.sharedDataRef.rawValue, .max))
            var position = runStart
            for item in fs.search(search) {
                let item = try item.get()
                let address = item.key.objectID
                while position <= runEnd && addresses[position] < address { position += 1 }
                guard position <= runEnd && addresses[position] == address else { continue }
                switch ItemType(item.key.type) {
                case .extentItem:
                    var reader = item.reader(context: "EXTENT_ITEM")
                    try reader.skip(ExtentItem.size)
                    for ref in InlineRefIterator(reader: reader, data: true) {
                        let ref = try ref.get()
                        switch ref {
                        case .extentData: refs[position].add(shared: false)
                        case .sharedData: refs[position].add(shared: true)
                        default: break
                        }
                    }
                case .extentDataRef: refs[position].add(shared: false)
                case .sharedDataRef: refs[position].add(shared: true)
                default: break
                }
            }
            runStart = runEnd + 1
        }
        self.addresses = addresses
        self.refs = refs
    }

    /// The references of the extent at `address`, nil when it was not asked for (or not found).
    public func refs(at address: UInt64) -> DataExtentRefs? {
        addresses.sortedPosition(of: address).map { refs[$0] }
    }
}

extension DataExtentRefs {
    mutating func add(shared: Bool) {
        references += 1
        onlyReferenceIsShared = references == 1 && shared
    }
}
