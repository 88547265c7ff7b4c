/// `print(x)` of the library's values prints what python-btrfs's `str(x)` does: the info calls'
/// results (ioctl.py's `__str__`s) and every item (the first line of its short form, `Item.description`).

extension FsInfo: CustomStringConvertible {
    /// python-btrfs's `str(fs.fs_info())`.
    public var description: String {
        "max_id \(maxID) num_devices \(numDevices) fsid \(fsid) nodesize \(nodesize) sectorsize \(sectorsize) "
            + "clone_alignment \(cloneAlignment)"
    }
}

extension DevInfo: CustomStringConvertible {
    /// python-btrfs's `str(fs.dev_info(devid))`.
    public var description: String {
        "devid \(devid) uuid \(uuid) bytes_used \(bytesUsed) total_bytes \(totalBytes) path \(path)"
    }
}

extension DevStats: CustomStringConvertible {
    /// python-btrfs's `str(fs.dev_stats(devid))`.
    public var description: String {
        "devid \(devid) write_errs \(writeErrs) read_errs \(readErrs) flush_errs \(flushErrs) "
            + "corruption_errs \(corruptionErrs) generation_errs \(generationErrs)"
    }
}

extension SpaceInfo: CustomStringConvertible {
    /// python-btrfs's `str()` of a `fs.space_info()` row: `Data, single: total=1.00GiB, used=512.00KiB`.
    public var description: String {
        "\(PythonFormat.spaceFlags(flags)): total=\(PythonFormat.prettySize(totalBytes)), used=\(PythonFormat.prettySize(usedBytes))"
    }
}

extension FreeSpaceExtent: CustomStringConvertible {
    /// python-btrfs's `str()` of a free space extent, from the tree or unpacked from a bitmap.
    public var description: String { "free space extent vaddr \(vaddr) length \(length)" }
}

// Each item type prints as python-btrfs's class of it does, through `Item`.
extension InodeItem: CustomStringConvertible { public var description: String { Item.inode(self).description } }
extension InodeRefList: CustomStringConvertible { public var description: String { Item.inodeRef(self).description } }
extension InodeExtrefList: CustomStringConvertible { public var description: String { Item.inodeExtref(self).description } }
extension DirItemList: CustomStringConvertible { public var description: String { Item.dirItem(self).description } }
extension DirIndex: CustomStringConvertible { public var description: String { Item.dirIndex(self).description } }
extension FileExtentItem: CustomStringConvertible { public var description: String { Item.fileExtent(self).description } }
extension RootItem: CustomStringConvertible { public var description: String { Item.root(self).description } }
extension RootRef: CustomStringConvertible { public var description: String { Item.rootRef(self).description } }
extension OrphanItem: CustomStringConvertible { public var description: String { Item.orphan(self).description } }
extension ExtentItem: CustomStringConvertible { public var description: String { Item.extent(self).description } }
extension MetaDataItem: CustomStringConvertible { public var description: String { Item.metadata(self).description } }
extension TreeBlockRef: CustomStringConvertible { public var description: String { Item.treeBlockRef(self).description } }
extension SharedBlockRef: CustomStringConvertible { public var description: String { Item.sharedBlockRef(self).description } }
extension ExtentDataRef: CustomStringConvertible { public var description: String { Item.extentDataRef(self).description } }
extension SharedDataRef: CustomStringConvertible { public var description: String { Item.sharedDataRef(self).description } }
extension BlockGroupItem: CustomStringConvertible { public var description: String { Item.blockGroup(self).description } }
extension FreeSpaceInfo: CustomStringConvertible { public var description: String { Item.freeSpaceInfo(self).description } }
extension FreeSpaceBitmap: CustomStringConvertible { public var description: String { Item.freeSpaceBitmap(self).description } }
extension DevExtent: CustomStringConvertible { public var description: String { Item.devExtent(self).description } }
extension DevItem: CustomStringConvertible { public var description: String { Item.devItem(self).description } }
extension Chunk: CustomStringConvertible { public var description: String { Item.chunk(self).description } }
extension ExtentCsumItem: CustomStringConvertible { public var description: String { Item.extentCsum(self).description } }
extension UUIDTreeItem: CustomStringConvertible { public var description: String { Item.uuid(self).description } }
extension QgroupStatusItem: CustomStringConvertible { public var description: String { Item.qgroupStatus(self).description } }
extension QgroupInfoItem: CustomStringConvertible { public var description: String { Item.qgroupInfo(self).description } }
extension QgroupLimitItem: CustomStringConvertible { public var description: String { Item.qgroupLimit(self).description } }
extension QgroupRelationItem: CustomStringConvertible { public var description: String { Item.qgroupRelation(self).description } }
extension DevStatsItem: CustomStringConvertible { public var description: String { Item.devStats(self).description } }
extension BalanceItem: CustomStringConvertible { public var description: String { Item.balance(self).description } }
extension DevReplaceItem: CustomStringConvertible { public var description: String { Item.devReplace(self).description } }
extension RaidStripeItem: CustomStringConvertible { public var description: String { Item.raidStripe(self).description } }
extension VerityItem: CustomStringConvertible { public var description: String { Item.verity(self).description } }
extension DirLogItem: CustomStringConvertible { public var description: String { Item.dirLog(self).description } }

extension FileDedupeRangeInfo: CustomStringConvertible {
    /// python-btrfs's `str()` of a `FileDedupeRangeInfo` (`None` before the call).
    public var description: String {
        "dest_fd \(destination) dest_offset \(destOffset) bytes_deduped \(bytesDeduped.map(String.init) ?? "None") "
            + "status \(statusText)"
    }
}
