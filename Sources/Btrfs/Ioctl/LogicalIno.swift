import CBtrfs

/// One reference to a data extent that LOGICAL_INO found: python-btrfs's `Inode(inum, offset, root)`.
public struct LogicalInoRef: Hashable, Sendable {
    /// The inode number.
    public var inum: UInt64
    /// The file offset at which the inode uses the address.
    public var offset: UInt64
    /// The subvolume tree holding the inode.
    public var root: UInt64

    /// A reference from its fields.
    public init(inum: UInt64, offset: UInt64, root: UInt64) {
        self.inum = inum
        self.offset = offset
        self.root = root
    }
}

/// What LOGICAL_INO answered: the references and the container's counters.
public struct LogicalInoResult: Hashable, Sendable {
    /// The references found, and the data container's counters (`bytesMissing` non-zero: the buffer was too
    /// small).
    public var refs: [LogicalInoRef]
    public var container: DataContainer
    /// Extra buffer bytes needed for the references left out (python-btrfs's `bytes_missing`).
    public var bytesMissing: UInt32 { container.bytesMissing }
}

extension FileSystem {
    /// The largest buffer each version of the call takes (the kernel caps it there).
    public static let logicalInoMaxBufferV1 = 64 << 10
    public static let logicalInoMaxBufferV2 = 16 << 20

    /// BTRFS_IOC_LOGICAL_INO: the inodes whose data uses the block at `logical` (python-btrfs 15
    /// `logical_ino`; 13 called it `logical_to_ino`). `bufferSize` is cut to 64 KiB, the most this
    /// version takes; `bytesMissing` says how much more a complete answer needs.
    public func logicalIno(_ logical: UInt64, bufferSize: Int = 4096) throws -> LogicalInoResult {
        try logicalInoCall(logical, bufferSize: bufferSize, ignoreOffset: false, v2: false)
    }

    /// BTRFS_IOC_LOGICAL_INO_V2 (python-btrfs 15 `logical_ino_v2`, 13's `logical_to_ino_v2`): as
    /// `logicalIno` with buffers up to 16 MiB; `ignoreOffset` returns every reference to the extent
    /// that starts at `logical`, not only those using that block.
    public func logicalInoV2(_ logical: UInt64, bufferSize: Int = 4096, ignoreOffset: Bool = false) throws -> LogicalInoResult {
        try logicalInoCall(logical, bufferSize: bufferSize, ignoreOffset: ignoreOffset, v2: true)
    }

    func logicalInoCall(_ logical: UInt64, bufferSize: Int, ignoreOffset: Bool, v2: Bool) throws -> LogicalInoResult {
        if ignoreOffset && !v2 { throw BtrfsError.invalidArgument("ignore offset needs LOGICAL_INO_V2") }
        let size = max(0, min(bufferSize, v2 ? Self.logicalInoMaxBufferV2 : Self.logicalInoMaxBufferV1))
        // Never less than the header: with a smaller size the kernel writes only `size` bytes,
        // and the rest of the header must read as zero.
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(size, DataContainer.headerSize), alignment: 8)
        defer { buffer.deallocate() }
        buffer.initializeMemory(as: UInt8.self, repeating: 0)
        var args = btrfs_ioctl_logical_ino_args()
        args.logical = logical
        args.size = UInt64(size)
        args.flags = ignoreOffset ? UInt64(BTRFS_LOGICAL_INO_ARGS_IGNORE_OFFSET) : 0
        args.inodes = UInt64(UInt(bitPattern: buffer.baseAddress))
        try descriptor.ioctl(v2 ? SB_IOC_LOGICAL_INO_V2 : SB_IOC_LOGICAL_INO, &args,
                             name: v2 ? "logical ino v2" : "logical ino")
        let container = DataContainer(UnsafeRawBufferPointer(rebasing: buffer[..<max(size, DataContainer.headerSize)]))
        var refs: [LogicalInoRef] = []
        let values = container.values
        refs.reserveCapacity(values.count / 3)
        var i = 0
        while i + 2 < values.count {
            refs.append(LogicalInoRef(inum: values[i], offset: values[i + 1], root: values[i + 2]))
            i += 3
        }
        return LogicalInoResult(refs: refs, container: container)
    }

    /// LOGICAL_INO_V2 with a buffer grown until every reference fits (or the kernel's 16 MiB cap
    /// is reached: then `bytesMissing` is not zero).
    public func logicalInoAll(_ logical: UInt64, ignoreOffset: Bool = false) throws -> LogicalInoResult {
        var size = 4096
        while true {
            let result = try logicalInoV2(logical, bufferSize: size, ignoreOffset: ignoreOffset)
            if result.bytesMissing == 0 || size >= Self.logicalInoMaxBufferV2 { return result }
            size = min(Self.logicalInoMaxBufferV2, size + Int(result.bytesMissing))
        }
    }
}
