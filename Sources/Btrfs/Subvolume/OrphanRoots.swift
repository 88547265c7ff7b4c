/// Deleted subvolumes waiting for the cleaner, as python-btrfs sees them: the ORPHAN_ITEMs of the
/// root tree, and each dead root's drop progress (where the cleaner has got to in its tree).
extension FileSystem {
    /// Ids from the root tree's (ORPHAN, ORPHAN_ITEM, id) items (python-btrfs' orphan_subvol_ids).
    public func orphanSubvolumeIDs() throws -> [UInt64] {
        let orphan = UInt64(bitPattern: -5), orphanItem: UInt8 = 48
        var ids: [UInt64] = []
        try forEachItem(TreeSearch(tree: 1, min: Key(orphan, orphanItem, 0), max: Key(orphan, orphanItem, .max))) {
            ids.append($0.key.offset)
        }
        return ids
    }

    /// The drop_progress key of each ROOT_ITEM of subvolume `id` (none once the root is gone).
    public func dropProgress(subvolume id: UInt64) throws -> [Key] {
        var keys: [Key] = []
        try forEachItem(TreeSearch(tree: 1, min: Key(id, 132, 0), max: Key(id, 132, .max))) { item in
            var r = item.reader(context: "ROOT_ITEM")
            r.offset = RootItem.Offset.dropProgress
            keys.append(try r.readDiskKey())
        }
        return keys
    }
}
