/// struct btrfs_dir_item: a name in a directory (DIR_ITEM, DIR_INDEX) or an extended attribute
/// (XATTR_ITEM, name and value).
public struct DirItem: Hashable, Sendable {
    /// sizeof(struct btrfs_dir_item) before the name, in bytes.
    public static let headerSize = 30
    /// Key of what the name points to (an inode item or a subvolume's root item).
    public var location: Key
    /// Then the fields of struct btrfs_dir_item: transaction, data and name lengths, the file type
    /// (`FT_*`), the name bytes and the xattr value (empty for names).
    public var transid: UInt64
    public var dataLen: UInt16
    public var nameLen: UInt16
    public var type: UInt8
    public var name: [UInt8]
    public var data: [UInt8]

    init(_ v: DirItemView) {
        location = v.location
        transid = v.transid
        dataLen = v.dataLen
        nameLen = v.nameLen
        type = v.type
        name = Array(v.name)
        data = Array(v.data)
    }
}

/// A dir item whose name and data are views into the item bytes (valid while those are).
public struct DirItemView {
    /// The fields of struct btrfs_dir_item; `name` and `data` point into the item bytes.
    public var location: Key
    public var transid: UInt64
    public var dataLen: UInt16
    public var nameLen: UInt16
    public var type: UInt8
    public var name: UnsafeRawBufferPointer
    public var data: UnsafeRawBufferPointer

    init(location: Key, transid: UInt64, dataLen: UInt16, nameLen: UInt16, type: UInt8,
         name: UnsafeRawBufferPointer, data: UnsafeRawBufferPointer) {
        self.location = location; self.transid = transid; self.dataLen = dataLen; self.nameLen = nameLen
        self.type = type; self.name = name; self.data = data
    }

    /// Reads one dir item at the reader's offset and moves past its name and data
    /// (DIR_INDEX: python-btrfs reads no data, so `readData` false leaves it empty).
    public init(reader r: inout ItemReader, readData: Bool = true) throws {
        try r.check(at: r.offset, length: DirItem.headerSize)
        location = try r.readDiskKey()
        transid = try r.readU64()
        dataLen = try r.readU16()
        nameLen = try r.readU16()
        type = try r.readU8()
        name = try r.slice(at: r.offset, length: Int(nameLen))
        r.offset &+= Int(nameLen)
        if readData {
            data = try r.slice(at: r.offset, length: Int(dataLen))
            r.offset &+= Int(dataLen)
        } else {
            data = UnsafeRawBufferPointer(start: nil, count: 0)
        }
    }
}

/// DIR_ITEM and XATTR_ITEM items: the entries whose names share one crc32c name hash
/// (key (dir or file ino, DIR_ITEM or XATTR_ITEM, name_hash)).
public struct DirItemList: Hashable, Sendable {
    /// The item's key, (directory or file inode, DIR_ITEM or XATTR_ITEM, crc32c name hash), and its entries
    /// (usually one; more when names collide).
    public var key: Key
    public var items: [DirItem]
    /// The directory's (or file's) inode number, the name hash of the key, and whether these are extended
    /// attributes.
    public var objectid: UInt64 { key.objectID }
    public var nameHash: UInt64 { key.offset }
    public var isXAttr: Bool { key.itemType == .xattrItem }

    /// Parses every entry of the item; throws `BtrfsError.truncated` when an entry runs past its end.
    public init(key: Key, reader: ItemReader) throws {
        self.key = key
        var r = reader
        r.context = key.itemType == .xattrItem ? "XATTR_ITEM" : "DIR_ITEM"
        items = []
        while r.remaining > 0 { items.append(DirItem(try DirItemView(reader: &r))) }
    }
}

/// DIR_INDEX: one name of a directory in creation order (key (dir ino, DIR_INDEX, index)).
public struct DirIndex: Hashable, Sendable {
    /// The item's key, (directory inode, DIR_INDEX, index); then the fields of its one struct
    /// btrfs_dir_item.
    public var key: Key
    public var location: Key
    public var transid: UInt64
    public var dataLen: UInt16
    public var nameLen: UInt16
    public var type: UInt8
    public var name: [UInt8]

    /// The directory's inode number and the entry's index (creation order).
    public var objectid: UInt64 { key.objectID }
    public var index: UInt64 { key.offset }

    /// Parses the item bytes; throws `BtrfsError.truncated` when they are short.
    public init(key: Key, reader: ItemReader) throws {
        var r = reader
        r.context = "DIR_INDEX"
        let v = try DirItemView(reader: &r, readData: false)
        self.key = key
        location = v.location
        transid = v.transid
        dataLen = v.dataLen
        nameLen = v.nameLen
        type = v.type
        name = Array(v.name)
    }
}

/// python-btrfs's names for the xattr forms: the same struct btrfs_dir_item, name and value.
public typealias XAttrItem = DirItem
/// XATTR_ITEM: the entries sharing one name hash, as a dir item list.
public typealias XAttrItemList = DirItemList

/// struct btrfs_dir_log_item (log trees, DIR_LOG_ITEM / DIR_LOG_INDEX): end of a logged range.
public struct DirLogItem: Hashable, Sendable {
    /// The item's key, (directory inode, DIR_LOG_ITEM or DIR_LOG_INDEX, start), and the end of the logged
    /// range.
    public var key: Key
    public var end: UInt64
    /// Parses the item bytes; throws `BtrfsError.truncated` when they are short.
    public init(key: Key, reader: ItemReader) throws {
        var r = reader
        r.context = "DIR_LOG_ITEM"
        self.key = key
        end = try r.readU64()
    }
}

extension DirItem {
    /// The entry as a view of its name and data, as the text renderers read entries from bytes.
    func withView<R>(_ body: (DirItemView) throws -> R) rethrows -> R {
        try name.withUnsafeBytes { n in
            try data.withUnsafeBytes { d in
                try body(DirItemView(location: location, transid: transid, dataLen: dataLen, nameLen: nameLen,
                                     type: type, name: n, data: d))
            }
        }
    }
}

extension DirIndex {
    /// The entry as a view of its name (DIR_INDEX data is not read).
    func withView<R>(_ body: (DirItemView) throws -> R) rethrows -> R {
        try name.withUnsafeBytes { n in
            try body(DirItemView(location: location, transid: transid, dataLen: dataLen, nameLen: nameLen,
                                 type: type, name: n, data: UnsafeRawBufferPointer(start: nil, count: 0)))
        }
    }
}
