/// python-btrfs's own words for the items it does not parse (`not implemented item data`,
/// `unknown item data`), for comparing whole dumps with it; sbtrfs's text of those items is
/// written by ShortItemText and LongItemText like every other type's.
public enum UnparsedItemText {
    /// A dev stats counter's name as python-btrfs names it; `valueN` past the names it knows.
    static func writeDevStatName(_ i: Int, to out: TextBuffer) {
        if i < DevStatsItem.names.count { out.write(text: DevStatsItem.names[i]) } else { out.write("value"); out.write(i) }
    }

    /// The class python-btrfs's `classify` gives an item it does not parse (NotImplementedItem
    /// or UnknownItem); nil for the types it parses.
    public static func pythonUnparsedClass(_ k: Key) -> StaticString? {
        switch k.itemType {
        case .inodeItem, .inodeRef, .inodeExtref, .xattrItem, .orphanItem, .dirItem, .dirIndex, .extentData,
             .rootItem, .rootRef, .extentItem, .metadataItem, .treeBlockRef, .extentDataRef, .sharedBlockRef,
             .sharedDataRef, .blockGroupItem, .freeSpaceInfo, .freeSpaceExtent, .freeSpaceBitmap, .devExtent,
             .devItem, .chunkItem:
            return nil
        case .dirLogItem, .dirLogIndex, .extentCsum, .rootBackref, .qgroupStatus, .qgroupInfo, .qgroupLimit,
             .devReplace, .uuidKeySubvol, .uuidKeyReceivedSubvol, .stringItem:
            return "NotImplementedItem"
        case .persistentItem where k.objectID == ObjectID.devStats.rawValue: return "NotImplementedItem"
        case .temporaryItem where k.objectID == ObjectID.balance.rawValue: return "NotImplementedItem"
        default: return "UnknownItem"
        }
    }

    /// python-btrfs's own text for an item it does not parse.
    static func writePythonUnparsed(_ key: Key, _ cls: StaticString, dataCount: Int, long: Bool, level: Int, to out: TextBuffer) {
        if long {
            LongItemTextLines(out: out).header(level, cls, key)
        } else {
            out.write(cls.description == "UnknownItem" ? "unknown item data (" : "not implemented item data (")
            out.write(dataCount); out.write(" bytes)\n")
        }
    }
}
