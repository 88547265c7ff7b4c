/// python-btrfs's named constants that items carry as plain numbers: inode flags, directory entry
/// file types, compression types, and the helpers to split a qgroup id.

/// Inode flags (btrfs_tree.h `BTRFS_INODE_*`, python-btrfs `INODE_*`), as `InodeItem.flags` has them.
public enum InodeFlags {
    /// The flags, lowest bit first (`INODE_NODATASUM` …).
    public static let nodatasum: UInt64 = 1 << 0
    public static let nodatacow: UInt64 = 1 << 1
    public static let readonly: UInt64 = 1 << 2
    public static let nocompress: UInt64 = 1 << 3
    public static let prealloc: UInt64 = 1 << 4
    public static let sync: UInt64 = 1 << 5
    public static let immutable: UInt64 = 1 << 6
    public static let append: UInt64 = 1 << 7
    public static let nodump: UInt64 = 1 << 8
    public static let noatime: UInt64 = 1 << 9
    public static let dirsync: UInt64 = 1 << 10
    public static let compress: UInt64 = 1 << 11
    /// Set in the inode item embedded in a root item once it has been initialised.
    public static let rootItemInit: UInt64 = 1 << 31

    /// Every flag with python-btrfs's name for it, lowest bit first.
    public static let names: [(flag: UInt64, name: String)] = [
        (nodatasum, "NODATASUM"), (nodatacow, "NODATACOW"), (readonly, "READONLY"), (nocompress, "NOCOMPRESS"),
        (prealloc, "PREALLOC"), (sync, "SYNC"), (immutable, "IMMUTABLE"), (append, "APPEND"), (nodump, "NODUMP"),
        (noatime, "NOATIME"), (dirsync, "DIRSYNC"), (compress, "COMPRESS"), (rootItemInit, "ROOT_ITEM_INIT"),
    ]
}

/// The file type of a directory entry (btrfs_tree.h `BTRFS_FT_*`, python-btrfs `FT_*`), as
/// `DirItem.type` and `DirIndex.type` have it.
public enum FileType {
    /// The types, `FT_UNKNOWN` … `FT_SYMLINK`.
    public static let unknown: UInt8 = 0
    public static let regularFile: UInt8 = 1
    public static let directory: UInt8 = 2
    public static let characterDevice: UInt8 = 3
    public static let blockDevice: UInt8 = 4
    public static let fifo: UInt8 = 5
    public static let socket: UInt8 = 6
    public static let symlink: UInt8 = 7
    /// An extended attribute (XATTR_ITEM entries share the directory entry layout).
    public static let xattr: UInt8 = 8
    /// One past the last type.
    public static let max: UInt8 = 9
}

/// How an extent's data is compressed (btrfs_tree.h `BTRFS_COMPRESS_*`, python-btrfs
/// `COMPRESS_*`), as `FileExtentItem.compression` has it and defragmenting asks for it.
public enum CompressionType {
    /// `COMPRESS_NONE`, `_ZLIB`, `_LZO`, `_ZSTD`.
    public static let none: UInt8 = 0
    public static let zlib: UInt8 = 1
    public static let lzo: UInt8 = 2
    public static let zstd: UInt8 = 3

    /// The one table of names, as mount options, btrfs-progs and python-btrfs spell them (`zlib`);
    /// nil for a number no kernel uses (each program spells those its own way). A StaticString:
    /// tree dumps print it for every extent without making a String.
    public static func staticName(_ type: UInt8) -> StaticString? {
        switch type {
        case none: "none"
        case zlib: "zlib"
        case lzo: "lzo"
        case zstd: "zstd"
        default: nil
        }
    }
}

extension BlockGroupFlags {
    /// No profile bit: the single profile (python-btrfs `BLOCK_GROUP_SINGLE`; the kernel has no name for it).
    public static let single: UInt64 = 0
}

/// Bits of a qgroup id below its level (python-btrfs `QGROUP_LEVEL_SHIFT`).
public let qgroupLevelShift: UInt64 = 48

/// The level of a qgroup id: 0 for a subvolume's own qgroup (python-btrfs `qgroup_level`).
@inlinable public func qgroupLevel(_ qgroupID: UInt64) -> UInt64 { qgroupID >> 48 }

/// The subvolume (or group) number of a qgroup id, without its level (python-btrfs `qgroup_subvid`).
@inlinable public func qgroupSubvid(_ qgroupID: UInt64) -> UInt64 { qgroupID & ((1 << 48) - 1) }

/// Powers of two by name (python-btrfs utils `SZ_1K` … `SZ_1G`, from the kernel's sizes.h).
public enum Sizes {
    /// 1 KiB … 1 GiB in bytes.
    public static let sz1K: UInt64 = 1 << 10
    public static let sz2K: UInt64 = 1 << 11
    public static let sz4K: UInt64 = 1 << 12
    public static let sz8K: UInt64 = 1 << 13
    public static let sz16K: UInt64 = 1 << 14
    public static let sz32K: UInt64 = 1 << 15
    public static let sz64K: UInt64 = 1 << 16
    public static let sz128K: UInt64 = 1 << 17
    public static let sz256K: UInt64 = 1 << 18
    public static let sz512K: UInt64 = 1 << 19
    public static let sz1M: UInt64 = 1 << 20
    public static let sz2M: UInt64 = 1 << 21
    public static let sz4M: UInt64 = 1 << 22
    public static let sz8M: UInt64 = 1 << 23
    public static let sz16M: UInt64 = 1 << 24
    public static let sz32M: UInt64 = 1 << 25
    public static let sz64M: UInt64 = 1 << 26
    public static let sz128M: UInt64 = 1 << 27
    public static let sz256M: UInt64 = 1 << 28
    public static let sz512M: UInt64 = 1 << 29
    public static let sz1G: UInt64 = 1 << 30
}
