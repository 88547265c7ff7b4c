import CBtrfs

/// What INO_PATHS answered: every path of an inode (one per hard link), relative to the root of
/// the subvolume the descriptor is in, and the container's counters.
public struct InoPathsResult: Hashable, Sendable {
    /// The paths as bytes, and the data container's counters (`bytesMissing` non-zero: the answer is cut
    /// short).
    public var paths: [[UInt8]]
    public var container: DataContainer
}

extension FileSystem {
    /// The buffer size the kernel takes at most for INO_PATHS (it cuts larger ones to this).
    public static let inoPathsMaxBuffer = 4096

    /// BTRFS_IOC_INO_PATHS: the paths of inode `inum` in the subvolume of this descriptor.
    /// Paths are bytes (names need not be UTF-8); `container.elemMissed` counts those that did
    /// not fit in `bufferSize` bytes.
    public func inoPaths(_ inum: UInt64, bufferSize: Int = inoPathsMaxBuffer) throws -> InoPathsResult {
        let size = max(DataContainer.headerSize, bufferSize)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 8)
        defer { buffer.deallocate() }
        buffer.initializeMemory(as: UInt8.self, repeating: 0)
        var args = btrfs_ioctl_ino_path_args()
        args.inum = inum
        args.size = UInt64(size)
        args.fspath = UInt64(UInt(bitPattern: buffer.baseAddress))
        try descriptor.ioctl(SB_IOC_INO_PATHS, &args, name: "ino paths")
        let raw = UnsafeRawBufferPointer(buffer)
        let container = DataContainer(raw)
        // Each value is the offset of a NUL-terminated path from the start of the values.
        var paths: [[UInt8]] = []
        for offset in container.values {
            guard offset < UInt64(size - DataContainer.headerSize) else {
                throw BtrfsError.malformed(what: "ino paths offset \(offset) past the \(size) byte buffer")
            }
            let start = DataContainer.headerSize + Int(offset)
            let end = raw[start...].firstIndex(of: 0) ?? raw.count
            paths.append(Array(raw[start..<end]))
        }
        return InoPathsResult(paths: paths, container: container)
    }
}
