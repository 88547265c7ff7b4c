/// A point in time as btrfs stores it (struct btrfs_timespec): seconds and nanoseconds since the
/// epoch. Items and libbtrfsutil's subvolume info both give times as this one type.
public struct TimeSpec: Hashable, Sendable, CustomStringConvertible {
    /// sizeof(struct btrfs_timespec): a 64-bit second and a 32-bit nanosecond.
    public static let size = 12
    public var sec: UInt64
    public var nsec: UInt32

    /// A time from seconds and nanoseconds.
    public init(sec: UInt64, nsec: UInt32) { self.sec = sec; self.nsec = nsec }

    /// The seconds as the kernel reads them (a signed time64_t): before 1970 is negative.
    public var seconds: Int64 { Int64(bitPattern: sec) }

    /// Reads a struct btrfs_timespec at the reader's offset; throws when short.
    public init(reader r: inout ItemReader) throws {
        sec = try r.readU64()
        nsec = try r.readU32()
    }

    /// python-btrfs's form: `1546280270.4044945 (2018-12-31T18:17:50.404495)`.
    public var description: String {
        let b = TextBuffer(capacity: 64)
        PythonText.writeTimeSpec(sec: sec, nsec: nsec, to: b)
        return b.text
    }
}

/// struct btrfs_inode_item (subvolume trees, key (ino INODE_ITEM 0); also embedded in root items).
public struct InodeItem: Hashable, Sendable {
    /// sizeof(struct btrfs_inode_item) in bytes.
    public static let size = 160
    /// Nil for the inode embedded in a root item.
    public var key: Key?
    /// The fields of struct btrfs_inode_item in its order: size and nbytes in bytes, `mode` as st_mode,
    /// flags `INODE_*`, times as `TimeSpec`.
    public var generation: UInt64
    public var transid: UInt64
    public var size: UInt64
    public var nbytes: UInt64
    public var blockGroup: UInt64
    public var nlink: UInt32
    public var uid: UInt32
    public var gid: UInt32
    public var mode: UInt32
    public var rdev: UInt64
    public var flags: UInt64
    public var sequence: UInt64
    public var atime: TimeSpec
    public var ctime: TimeSpec
    public var mtime: TimeSpec
    public var otime: TimeSpec

    /// Inode number (the key objectid).
    public var objectid: UInt64? { key?.objectID }

    /// Parses the item bytes; throws `BtrfsError.truncated` when they are short.
    public init(key: Key?, reader: ItemReader) throws {
        var r = reader
        try self.init(key: key, reader: &r)
    }

    /// Reads the inode item at the reader's offset (as embedded in a root item) and moves past it.
    public init(key: Key?, reader r: inout ItemReader) throws {
        let context = r.context
        r.context = "INODE_ITEM"
        defer { r.context = context }
        try r.check(at: r.offset, length: InodeItem.size)
        self.key = key
        generation = try r.readU64()
        transid = try r.readU64()
        size = try r.readU64()
        nbytes = try r.readU64()
        blockGroup = try r.readU64()
        nlink = try r.readU32()
        uid = try r.readU32()
        gid = try r.readU32()
        mode = try r.readU32()
        rdev = try r.readU64()
        flags = try r.readU64()
        sequence = try r.readU64()
        try r.skip(32)
        atime = try TimeSpec(reader: &r)
        ctime = try TimeSpec(reader: &r)
        mtime = try TimeSpec(reader: &r)
        otime = try TimeSpec(reader: &r)
    }
}

/// struct btrfs_inode_ref: one name of an inode in its parent directory.
public struct InodeRef: Hashable, Sendable {
    /// The name's index in the directory (its DIR_INDEX offset), the name's length and bytes.
    public var index: UInt64
    public var nameLen: UInt16
    public var name: [UInt8]
}

/// The INODE_REF item: every name of inode `objectid` in directory `parentObjectid`
/// (key (ino INODE_REF parent)).
public struct InodeRefList: Hashable, Sendable {
    /// The item's key, and each name the inode has in that directory.
    public var key: Key
    public var refs: [InodeRef]
    /// The inode number and the parent directory's (the key's objectid and offset).
    public var objectid: UInt64 { key.objectID }
    public var parentObjectid: UInt64 { key.offset }

    /// Parses every ref of the item; throws `BtrfsError.truncated` when one runs past its end.
    public init(key: Key, reader: ItemReader) throws {
        self.key = key
        refs = []
        for e in InodeRefIterator(reader: reader) {
            let e = try e.get()
            refs.append(InodeRef(index: e.index, nameLen: e.nameLen, name: Array(e.name)))
        }
    }
}

/// Walks the refs of an INODE_REF item; names are views into the item bytes.
public struct InodeRefIterator: ThrowingCursor {
    var reader: ItemReader
    /// Walks the refs of the item bytes `reader` holds.
    public init(reader: ItemReader) { self.reader = reader; self.reader.context = "INODE_REF" }
    /// The next ref, nil after the last; throws when one runs past the end.
    public mutating func next() throws -> (index: UInt64, nameLen: UInt16, name: UnsafeRawBufferPointer)? {
        guard reader.remaining > 0 else { return nil }
        let index = try reader.readU64()
        let nameLen = try reader.readU16()
        let name = try reader.slice(at: reader.offset, length: Int(nameLen))
        reader.offset &+= Int(nameLen)
        return (index, nameLen, name)
    }
}

/// struct btrfs_inode_extref: a name of an inode stored outside the INODE_REF item.
public struct InodeExtref: Hashable, Sendable {
    /// The parent directory's inode number, the name's index there, the name's length and bytes.
    public var parentObjectid: UInt64
    public var index: UInt64
    public var nameLen: UInt16
    public var name: [UInt8]
}

/// The INODE_EXTREF item (key (ino INODE_EXTREF extref_hash(parent, name))).
public struct InodeExtrefList: Hashable, Sendable {
    /// The item's key, and the refs stored under its hash (usually one).
    public var key: Key
    public var refs: [InodeExtref]
    /// The inode number and the key's hash of (parent, name).
    public var objectid: UInt64 { key.objectID }
    public var extrefHash: UInt64 { key.offset }

    /// Parses every ref of the item; throws `BtrfsError.truncated` when one runs past its end.
    public init(key: Key, reader: ItemReader) throws {
        self.key = key
        refs = []
        for e in InodeExtrefIterator(reader: reader) {
            let e = try e.get()
            refs.append(InodeExtref(parentObjectid: e.parentObjectid, index: e.index, nameLen: e.nameLen, name: Array(e.name)))
        }
    }
}

/// Walks the refs of an INODE_EXTREF item; names are views into the item bytes.
public struct InodeExtrefIterator: ThrowingCursor {
    var reader: ItemReader
    /// Walks the refs of the item bytes `reader` holds.
    public init(reader: ItemReader) { self.reader = reader; self.reader.context = "INODE_EXTREF" }
    /// The next ref, nil after the last; throws when one runs past the end.
    public mutating func next() throws -> (parentObjectid: UInt64, index: UInt64, nameLen: UInt16, name: UnsafeRawBufferPointer)? {
        guard reader.remaining > 0 else { return nil }
        let parent = try reader.readU64()
        let index = try reader.readU64()
        let nameLen = try reader.readU16()
        let name = try reader.slice(at: reader.offset, length: Int(nameLen))
        reader.offset &+= Int(nameLen)
        return (parent, index, nameLen, name)
    }
}
