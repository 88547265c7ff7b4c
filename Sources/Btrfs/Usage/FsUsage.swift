/// Detailed usage of a filesystem: python-btrfs's `btrfs.fs_usage.FsUsage`, number for number.
/// Physical usage per device and space (with RAID5/6 parity), virtual usage per space and type,
/// and a simulation of future chunk allocations that estimates free space and the bytes that
/// can never be allocated (unequal device sizes: "hard") or not before a balance ("soft").
public struct FsUsage: Sendable {
    typealias F = BlockGroupFlags

    /// Whether data and metadata share block groups (python-btrfs `mixed_groups`).
    public var mixedGroups: Bool

    /// Profiles new chunks get (type bits included); nil where python-btrfs leaves them unset.
    public var targetProfileSystem: UInt64?
    public var targetProfileMetadata: UInt64?
    public var targetProfileData: UInt64?
    public var targetProfileMixed: UInt64?

    // Physical address space.
    /// Physical bytes: device sizes together, allocated to chunks, and of those reserved for RAID5/6
    /// parity.
    public var total: Int
    public var allocated: Int
    public var parity = 0
    /// Per device, in devid order.
    public var devUsage: [DevUsage]
    /// The devices sorted by devid, as python-btrfs's reports sort them before printing.
    public var devicesByID: [DevUsage] { devUsage.sorted { $0.devid < $1.devid } }
    /// Per block group type, in the order of the spaces.
    public var blockGroupTypeUsage: [BlockGroupTypeUsage] = []
    /// Per space, in the kernel's space info order.
    public var rawSpaceUsage: [RawSpaceUsage]

    // Virtual address space.
    /// Virtual bytes: the size of all chunks as files see them, and how much of it is used; then per type
    /// and per space.
    public var virtualTotal = 0
    public var virtualUsed = 0
    public var virtualBlockGroupTypeUsage: [VirtualBlockGroupTypeUsage] = []
    public var virtualSpaceUsage: [VirtualSpaceUsage] = []

    /// Data bytes per metadata byte in the simulation when nothing is known (200, or the caller's).
    public var defaultDataMetadataRatio: Int

    // Allocation simulation from the current state (soft) and from empty devices (hard).
    /// The simulation's answers in bytes (python-btrfs's names): physical bytes unallocatable now (soft),
    /// at best (hard), and what a balance could win back; virtual bytes each type could still get;
    /// allocatable physical bytes in all and left.
    public var unallocatableSoft = 0
    public var estimatedAllocatableVirtualMetadata = 0
    public var estimatedAllocatableVirtualData = 0
    public var estimatedAllocatableVirtualMixed = 0
    public var unallocatableHard = 0
    public var estimatedFullAllocatableVirtualMetadata = 0
    public var estimatedFullAllocatableVirtualData = 0
    public var estimatedFullAllocatableVirtualMixed = 0
    public var unallocatableReclaimable = 0
    public var allocatable = 0
    public var allocatableLeft = 0
    /// Estimated virtual space left: unused space in chunks plus what new chunks would add.
    public var freeMetadata = 0
    public var freeData = 0
    public var freeMixed = 0
    /// Chunk allocations each simulation run may make (see `ChunkAllocationSimulator`).
    public static let defaultSimulationLimit = ChunkAllocationSimulator.allocationLimit
    /// The allocation simulation stopped at its limit (sizes of exabytes): the unallocatable,
    /// allocatable and free estimates are incomplete and must not be shown as figures.
    public var simulationTruncated = false

    /// Reads the filesystem and computes its usage (needs CAP_SYS_ADMIN).
    public init(_ fs: FileSystem) throws {
        self.init(source: try Source(fs))
    }

    /// Computes the model from `source`. The target profiles (profile bits only) and the ratio
    /// override what the chunks say, as python-btrfs's space calculator does.
    public init(source: Source, dataMetadataRatio: Int? = nil, targetProfileMetadata: UInt64? = nil,
                targetProfileData: UInt64? = nil, targetProfileMixed: UInt64? = nil,
                simulationLimit: Int = FsUsage.defaultSimulationLimit) {
        mixedGroups = source.mixedGroups
        let spaces = source.spaces.filter { $0.flags != F.globalReserve }
        rawSpaceUsage = spaces.map(RawSpaceUsage.init(space:))
        devUsage = source.devices.map(DevUsage.init(device:))
        total = source.devices.reduce(0) { $0 &+ Int(clamping: $1.totalBytes) }
        allocated = source.devices.reduce(0) { $0 &+ Int(clamping: $1.bytesUsed) }

        if !mixedGroups {
            if let p = targetProfileMetadata {
                targetProfileSystem = p | F.system
                self.targetProfileMetadata = p | F.metadata
            }
            if let p = targetProfileData { self.targetProfileData = p | F.data }
        } else if let p = targetProfileMixed {
            targetProfileSystem = p | F.system
            self.targetProfileMixed = p | F.mixed
        }

        // Every chunk: parity and per-device allocation, and the last seen profile per type.
        for chunk in source.chunks {
            let flags = chunk.type
            guard let rawIndex = rawSpaceUsage.firstIndex(where: { $0.flags == flags }) else { continue }
            let type = flags & F.typeMask
            if type == F.system {
                targetProfileSystem = flags
            } else if !mixedGroups {
                if type == F.data { self.targetProfileData = flags }
                else if type == F.metadata { self.targetProfileMetadata = flags }
            } else {
                self.targetProfileMixed = flags
            }
            let devExtentLength = RaidAttributes.devExtentLength(of: chunk)
            let chunkParity = RaidAttributes.rawParityBytes(of: chunk)
            parity &+= chunkParity
            rawSpaceUsage[rawIndex].allocated &+= chunkParity
            rawSpaceUsage[rawIndex].parity &+= chunkParity
            let devExtentParity = chunkParity / Swift.max(chunk.stripes.count, 1)
            for stripe in chunk.stripes {
                guard let d = devUsage.firstIndex(where: { $0.devid == stripe.devid }) else { continue }
                devUsage[d].addUsage(flags: flags, allocated: devExtentLength, parity: devExtentParity)
            }
        }

        for raw in rawSpaceUsage {
            let type = raw.flags & F.typeMask
            var i = blockGroupTypeUsage.firstIndex(where: { $0.type == type }) ?? -1
            if i < 0 { blockGroupTypeUsage.append(BlockGroupTypeUsage(type: type)); i = blockGroupTypeUsage.count - 1 }
            blockGroupTypeUsage[i].allocated &+= raw.allocated
            blockGroupTypeUsage[i].parity &+= raw.parity
            blockGroupTypeUsage[i].used &+= raw.used
        }

        // python keys these by flags: a repeated flags value keeps its first place and last value.
        for space in spaces {
            let v = VirtualSpaceUsage(flags: space.flags, total: Int(clamping: space.totalBytes),
                                      used: Int(clamping: space.usedBytes))
            if let i = virtualSpaceUsage.firstIndex(where: { $0.flags == space.flags }) { virtualSpaceUsage[i] = v }
            else { virtualSpaceUsage.append(v) }
        }
        for v in virtualSpaceUsage {
            let type = v.flags & F.typeMask
            var i = virtualBlockGroupTypeUsage.firstIndex(where: { $0.type == type }) ?? -1
            if i < 0 { virtualBlockGroupTypeUsage.append(VirtualBlockGroupTypeUsage(type: type)); i = virtualBlockGroupTypeUsage.count - 1 }
            virtualBlockGroupTypeUsage[i].total &+= v.total
            virtualBlockGroupTypeUsage[i].used &+= v.used
        }
        virtualTotal = virtualSpaceUsage.reduce(0) { $0 &+ $1.total }
        virtualUsed = virtualSpaceUsage.reduce(0) { $0 &+ $1.used }
        defaultDataMetadataRatio = dataMetadataRatio ?? 200

        // Hard: start from empty devices of their full size.
        let hardStart = devUsage.map { ($0.devid, $0.total) }
        let hard = ChunkAllocationSimulator(usage: self).run(sizes: hardStart, limit: simulationLimit)
        for (devid, left) in hard.unallocatable {
            if let d = devUsage.firstIndex(where: { $0.devid == devid }) { devUsage[d].unallocatableHard = left }
        }
        unallocatableHard = hard.unallocatable.reduce(0) { $0 &+ $1.1 }
        if mixedGroups {
            estimatedFullAllocatableVirtualMixed = hard.mixed
        } else {
            estimatedFullAllocatableVirtualMetadata = hard.metadata
            estimatedFullAllocatableVirtualData = hard.data
        }

        // Soft: start from what is unallocated now.
        // Nothing allocated yet (the space calculator): the same start gives the same run.
        let softStart = devUsage.map { ($0.devid, $0.unallocated) }
        let soft = softStart.elementsEqual(hardStart, by: { $0 == $1 })
            ? hard : ChunkAllocationSimulator(usage: self).run(sizes: softStart, limit: simulationLimit)
        simulationTruncated = hard.truncated || soft.truncated
        for (devid, left) in soft.unallocatable {
            if let d = devUsage.firstIndex(where: { $0.devid == devid }) { devUsage[d].unallocatableSoft = left }
        }
        unallocatableSoft = soft.unallocatable.reduce(0) { $0 &+ $1.1 }
        if mixedGroups {
            estimatedAllocatableVirtualMixed = soft.mixed
        } else {
            estimatedAllocatableVirtualMetadata = soft.metadata
            estimatedAllocatableVirtualData = soft.data
        }

        unallocatableReclaimable = Swift.max(unallocatableSoft &- unallocatableHard, 0)
        for d in devUsage.indices {
            devUsage[d].unallocatableReclaimable = Swift.max(devUsage[d].unallocatableSoft &- devUsage[d].unallocatableHard, 0)
        }
        allocatable = total &- unallocatableSoft
        allocatableLeft = allocatable &- allocated

        if !mixedGroups {
            freeMetadata = estimatedAllocatableVirtualMetadata &+ (virtualTypeUsage(F.metadata)?.unused ?? 0)
            freeData = estimatedAllocatableVirtualData &+ (virtualTypeUsage(F.data)?.unused ?? 0)
        } else {
            freeMixed = estimatedAllocatableVirtualMixed &+ (virtualTypeUsage(F.mixed)?.unused ?? 0)
        }
    }

    /// Virtual usage of one block group type, if the filesystem has it.
    public func virtualTypeUsage(_ type: UInt64) -> VirtualBlockGroupTypeUsage? {
        virtualBlockGroupTypeUsage.first { $0.type == type }
    }

    /// Usage of one device, if it is known.
    public func device(_ devid: UInt64) -> DevUsage? {
        devUsage.first { $0.devid == devid }
    }

    /// The simulation's data:metadata ratio (`_data_metadata_ratio`): the current ratio weighted
    /// by how full the filesystem is, blended with the default.
    public var simulationDataMetadataRatio: Double {
        guard let meta = virtualTypeUsage(F.metadata), total != 0, meta.used != 0 else {
            // python divides by zero on an empty metadata space; the default is the sane answer.
            return Double(defaultDataMetadataRatio)
        }
        let usedFraction = Double(virtualUsed) / Double(total)
        let usedData = virtualTypeUsage(F.data)?.used ?? 0
        let usedRatio = Double(usedData) / Double(meta.used)
        return usedFraction * usedRatio + (1 - usedFraction) * Double(defaultDataMetadataRatio)
    }
}

extension FileSystem {
    /// python-btrfs's `FileSystem.usage()`: the filesystem's usage model, as `FsUsage(fs)`
    /// (needs CAP_SYS_ADMIN: it reads the chunk tree).
    public func usage() throws -> FsUsage { try FsUsage(self) }
}
