/// btrfs-heatmap's colours: block group types for the device and chunk views, the owning tree
/// for metadata blocks inside a block group.
public enum HeatmapPalette {
    /// btrfs-heatmap's colours.
    public static let red = HeatmapColor(0xff, 0x00, 0x33)
    public static let blue = HeatmapColor(0x00, 0x00, 0xff)
    public static let blueWhite = HeatmapColor(0x99, 0xcc, 0xff)

    /// Data white, metadata blue, system red, mixed light blue; the profile bits do not matter.
    public static func blockGroupColor(flags: UInt64) -> HeatmapColor {
        switch flags & BlockGroupFlags.typeMask {
        case BlockGroupFlags.metadata: blue
        case BlockGroupFlags.system: red
        case BlockGroupFlags.data | BlockGroupFlags.metadata: blueWhite
        default: .white  // data (btrfs-heatmap has no colour for other mixes and stops)
        }
    }

    /// The colour of a tree block owned by `root` (the subvolume colour for every subvolume
    /// and for shared blocks); trees without a colour of their own are white.
    public static func treeColor(root: UInt64) -> HeatmapColor {
        switch root {
        case ObjectID.rootTree.rawValue: HeatmapColor(0xca, 0x53, 0x5c)       // p_red
        case ObjectID.extentTree.rawValue: HeatmapColor(0x9d, 0x54, 0x9c)     // beet
        case ObjectID.chunkTree.rawValue: HeatmapColor(0x81, 0x88, 0x3c)      // moss
        case ObjectID.devTree.rawValue: HeatmapColor(0x6a, 0x5a, 0x7f)        // aubergine
        case ObjectID.fsTree.rawValue: HeatmapColor(0xaa, 0xcc, 0xeb)         // bluebell
        case ObjectID.csumTree.rawValue: HeatmapColor(0x6e, 0xa6, 0x34)       // clover
        case ObjectID.quotaTree.rawValue: HeatmapColor(0xde, 0x5d, 0x94)      // fuchsia
        case ObjectID.uuidTree.rawValue: HeatmapColor(0x6f, 0x5e, 0x55)       // chocolate
        case ObjectID.freeSpaceTree.rawValue: HeatmapColor(0xdb, 0xc9, 0xea)  // plum
        case ObjectID.dataRelocTree.rawValue: HeatmapColor(0x75, 0x77, 0x7b)  // slate
        default: .white
        }
    }

    /// btrfs-heatmap's _get_metadata_root: blocks with several owners, shared blocks and
    /// subvolume blocks count as the top level subvolume's.
    public static func metadataRoot(refs: UInt64, treeBlockRoots: [UInt64], sharedBlockRefs: Int) -> UInt64 {
        let fsTree = ObjectID.fsTree.rawValue
        guard refs <= 1, sharedBlockRefs == 0, let root = treeBlockRoots.first else { return fsTree }
        if root >= ObjectID.firstFree.rawValue && root <= ObjectID.lastFree.rawValue { return fsTree }
        return root
    }
}
