/// btrfs-heatmap's three walks: dev extents per device (physical), chunks in address order
/// (virtual), and the extents inside one block group. Each fills a `HeatmapGrid`; what it
/// passes on the way goes to `trace` for the tool's verbose lines. The grids come back with
/// their last pixel unsettled, as btrfs-heatmap's do until written: call `finish()` first.
public enum HeatmapEvent {
    /// Before the grid: the devids of a physical walk, nil for the chunk walk, or the block group.
    case scopeDevices([UInt64])
    case scopeChunks
    case scopeBlockGroup(UInt64)
    case grid(HeatmapGrid)
    /// -v: one dev extent and its block group's used fraction.
    case devExtent(DevExtent, BlockGroupItem, usedFraction: Double)
    /// -v: one chunk, its block group and the physical bytes it takes.
    case chunk(Chunk, BlockGroupItem, allocated: UInt64)
    /// -v: the block group whose extents follow.
    case blockGroup(BlockGroupItem)
    /// -v: one extent or metadata item at grid offset `firstByte`.
    case extent(vaddr: UInt64, firstByte: UInt64, type: ItemType, length: UInt64)
}

/// How to draw: btrfs-heatmap's --order, --size and --curve.
public struct HeatmapOptions {
    /// The picture's Hilbert order (nil: from `size`), its size in pixels, and the curve.
    public var order: Int?
    public var size: Int?
    public var curve: HeatmapCurve
    /// Keep each pixel's weighted usage (for output as data).
    public var recordUsage: Bool
    /// The grid's -vv events (and -vvv ones with `tracePixels`).
    public var gridTrace: ((HeatmapGridEvent) -> Void)?
    public var tracePixels = false

    /// Options with btrfs-heatmap's defaults.
    public init(order: Int? = nil, size: Int? = nil, curve: HeatmapCurve = .hilbert, recordUsage: Bool = false) {
        self.order = order
        self.size = size
        self.curve = curve
        self.recordUsage = recordUsage
    }
}

extension FileSystem {
    /// btrfs-heatmap's default granularity of the filesystem views: 32 MiB a pixel.
    static let heatmapGranularity: UInt64 = 32 << 20

    func heatmapGrid(_ options: HeatmapOptions, totalBytes: UInt64, granularity: UInt64,
                     trace: ((HeatmapEvent) -> Void)?) throws -> HeatmapGrid {
        let (order, size) = try HeatmapGrid.chooseOrderSize(order: options.order, size: options.size,
                                                            totalBytes: totalBytes, granularity: granularity)
        var grid = try HeatmapGrid(order: order, size: size, totalBytes: totalBytes, curve: options.curve,
                                   recordUsage: options.recordUsage)
        grid.trace = options.gridTrace
        grid.tracePixels = options.tracePixels
        trace?(.grid(grid))
        return grid
    }

    /// Every device end to end; each dev extent shaded by its block group's usage (walk_dev_extents).
    public func heatmapPhysical(_ options: HeatmapOptions, trace: ((HeatmapEvent) -> Void)? = nil) throws -> HeatmapGrid {
        let devices = try self.devices().collect()
        trace?(.scopeDevices(devices.map(\.devid)))
        var offsets = [UInt64: UInt64]()
        var total: UInt64 = 0
        for device in devices {
            offsets[device.devid] = total
            total = total &+ device.totalBytes
        }
        var grid = try heatmapGrid(options, totalBytes: total, granularity: Self.heatmapGranularity, trace: trace)
        var blockGroups = [UInt64: BlockGroupItem]()
        for devExtent in devExtents() {
            let devExtent = try devExtent.get()
            let blockGroup: BlockGroupItem
            if let known = blockGroups[devExtent.vaddr] {
                blockGroup = known
            } else {
                do { blockGroup = try self.blockGroup(vaddr: devExtent.vaddr) } catch BtrfsError.itemNotFound { continue }
                blockGroups[devExtent.vaddr] = blockGroup
            }
            let used = Double(blockGroup.used) / Double(blockGroup.length)
            trace?(.devExtent(devExtent, blockGroup, usedFraction: used))
            let first = (offsets[devExtent.devid] ?? 0) &+ devExtent.paddr
            grid.fill(firstByte: first, length: devExtent.length, usedFraction: used,
                      color: HeatmapPalette.blockGroupColor(flags: blockGroup.flags))
        }
        return grid
    }

    /// Chunks in address order, each taking its physical size (walk_chunks).
    public func heatmapVirtual(_ options: HeatmapOptions, trace: ((HeatmapEvent) -> Void)? = nil) throws -> HeatmapGrid {
        let devices = try self.devices().collect()
        trace?(.scopeChunks)
        let total = devices.reduce(UInt64(0)) { $0 &+ $1.totalBytes }
        var grid = try heatmapGrid(options, totalBytes: total, granularity: Self.heatmapGranularity, trace: trace)
        var offset: UInt64 = 0
        for chunk in chunks() {
            let chunk = try chunk.get()
            guard !chunk.stripes.isEmpty else { continue }
            let blockGroup: BlockGroupItem
            do { blockGroup = try self.blockGroup(vaddr: chunk.vaddr, length: chunk.length) } catch BtrfsError.itemNotFound { continue }
            let used = Double(blockGroup.used) / Double(blockGroup.length)
            let length = UInt64(clamping: RaidAttributes.devExtentLength(of: chunk)) &* UInt64(chunk.stripes.count)
            trace?(.chunk(chunk, blockGroup, allocated: length))
            grid.fill(firstByte: offset, length: length, usedFraction: used,
                      color: HeatmapPalette.blockGroupColor(flags: blockGroup.flags))
            offset = offset &+ length
        }
        return grid
    }

    /// The extents inside one block group; data block groups take a shortcut through the
    /// extent item keys alone, the others load back references to colour each tree (walk_extents).
    public func heatmapBlockGroup(_ blockGroup: BlockGroupItem, _ options: HeatmapOptions,
                                  trace: ((HeatmapEvent) -> Void)? = nil) throws -> HeatmapGrid {
        let info = try fsInfo()
        trace?(.scopeBlockGroup(blockGroup.vaddr))
        var grid = try heatmapGrid(options, totalBytes: blockGroup.length, granularity: UInt64(info.sectorsize), trace: trace)
        trace?(.blockGroup(blockGroup))
        let start = blockGroup.vaddr
        let end = start &+ blockGroup.length
        guard end > start else { return grid }
        if blockGroup.flags & BlockGroupFlags.typeMask == BlockGroupFlags.data {
            // Large buffers: a data block group can hold hundreds of thousands of extents.
            let search = TreeSearch(tree: ObjectID.extentTree.rawValue, min: Key(start, 0, 0),
                                    max: Key(end - 1, 255, .max), bufferSize: 1 << 20)
            try forEachItem(search) { item in
                guard item.key.type == ItemType.extentItem.rawValue else { return }
                let first = item.key.objectID &- start
                trace?(.extent(vaddr: item.key.objectID, firstByte: first, type: .extentItem, length: item.key.offset))
                grid.fill(firstByte: first, length: item.key.offset, usedFraction: 1, color: .white)
            }
        } else {
            for record in extents(minVaddr: start, maxVaddr: end - 1, loadDataRefs: true, loadMetadataRefs: true) {
                let record = try record.get()
                let length: UInt64, color: HeatmapColor
                switch record {
                case .extent(let e):
                    length = e.length
                    color = e.flags & ExtentItem.flagData != 0 ? .white : HeatmapPalette.treeColor(
                        root: HeatmapPalette.metadataRoot(refs: e.refs, treeBlockRoots: e.treeBlockRefs.map(\.root),
                                                          sharedBlockRefs: e.sharedBlockRefs.count))
                case .metadata(let m):
                    length = UInt64(info.nodesize)
                    color = HeatmapPalette.treeColor(
                        root: HeatmapPalette.metadataRoot(refs: m.refs, treeBlockRoots: m.treeBlockRefs.map(\.root),
                                                          sharedBlockRefs: m.sharedBlockRefs.count))
                }
                let key = record.key
                let first = key.objectID &- start
                trace?(.extent(vaddr: key.objectID, firstByte: first, type: key.itemType, length: length))
                grid.fill(firstByte: first, length: length, usedFraction: 1, color: color)
            }
        }
        return grid
    }
}
