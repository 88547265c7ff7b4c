import CBtrfs

extension FileSystem {
    /// BTRFS_IOC_INO_LOOKUP: the tree holding `objectid` (tree 0: the subvolume of this
    /// descriptor) and the inode's path inside it, ending in '/' (empty for the subvolume root).
    public func inoLookup(tree: UInt64 = 0, objectid: UInt64 = ObjectID.firstFree.rawValue) throws -> (tree: UInt64, path: [UInt8]) {
        var args = btrfs_ioctl_ino_lookup_args()
        args.treeid = tree
        args.objectid = objectid
        try descriptor.ioctl(SB_IOC_INO_LOOKUP, &args, name: "ino lookup")
        let path = withUnsafeBytes(of: args.name) { raw in Array(raw.prefix(raw.firstIndex(of: 0) ?? raw.count)) }
        return (args.treeid, path)
    }
}
