import CBtrfs

extension FileSystem {
    /// BTRFS_IOC_INO_LOOKUP: the tree holding `objectid` (tree 0: the subvolume of this
    /// descriptor) and the inode's path inside it, ending in '/' (empty for the subvolume root).
    public func inoLookup(tree: UInt64 = 0, objectid: UInt64 = ObjectID.firstFree.rawValue) throws -> (tree: UInt64, path: [UInt8]) {
        // struct btrfs_ioctl_ino_lookup_args: treeid, objectid, name[4080].
        let size = 4096
        let p = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 8)
        defer { p.deallocate() }
        p.initializeMemory(as: UInt8.self, repeating: 0, count: size)
        p.storeBytes(of: tree, toByteOffset: 0, as: UInt64.self)
        p.storeBytes(of: objectid, toByteOffset: 8, as: UInt64.self)
        try descriptor.ioctl(SB_IOC_INO_LOOKUP, p, name: "ino lookup")
        let treeID = p.load(fromByteOffset: 0, as: UInt64.self)
        let name = UnsafeRawBufferPointer(start: p + 16, count: 4080)
        let length = name.firstIndex(of: 0) ?? 4080
        return (treeID, Array(name[0..<length]))
    }
}
