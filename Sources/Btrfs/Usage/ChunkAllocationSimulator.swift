/// python-btrfs's estimate of future chunk allocations (`FsUsage._alloc_chunk` and
/// `_simulate_chunk_allocations`): allocate metadata and data chunks the way the kernel's
/// allocator would, in the data:metadata ratio, until no device set can take another chunk;
/// whatever is left on the devices is unallocatable.
struct ChunkAllocationSimulator {
    typealias F = UsageItems.Flags

    let mixedGroups: Bool
    let total: Int
    let ratio: Double
    let metadataFlags: UInt64?
    let dataFlags: UInt64?
    let mixedFlags: UInt64?

    static let sz1G = 1 << 30
    static let sz256M = 1 << 28
    static let maxDataChunkSize = 10 << 30

    init(usage: FsUsage) {
        mixedGroups = usage.mixedGroups
        total = usage.total
        ratio = usage.mixedGroups ? 0 : usage.simulationDataMetadataRatio
        metadataFlags = usage.targetProfileMetadata
        dataFlags = usage.targetProfileData
        mixedFlags = usage.targetProfileMixed
    }

    struct Result {
        /// Bytes left per device (devid order kept) when nothing more fits.
        var unallocatable: [(UInt64, Int)]
        var metadata = 0
        var data = 0
        var mixed = 0
    }

    /// Runs the simulation from `sizes` (devid, allocatable bytes).
    func run(sizes: [(UInt64, Int)]) -> Result {
        var sizes = sizes
        var result = Result(unallocatable: [])
        if !mixedGroups {
            outer: while true {
                let metadataChunk = allocChunk(&sizes, flags: metadataFlags)
                if metadataChunk == 0 { break outer }
                result.metadata &+= metadataChunk
                while Double(result.data) / Double(result.metadata) < ratio {
                    let dataChunk = allocChunk(&sizes, flags: dataFlags)
                    if dataChunk == 0 { break outer }
                    result.data &+= dataChunk
                }
            }
        } else {
            while true {
                let chunk = allocChunk(&sizes, flags: mixedFlags)
                if chunk == 0 { break }
                result.mixed &+= chunk
            }
        }
        result.unallocatable = sizes
        return result
    }

    /// Allocates one chunk of `flags` from `sizes` (reduced in place); its virtual size, or 0
    /// when no chunk fits. An allocation that would take no bytes also counts as none: python
    /// loops forever there (only on devices of a few bytes).
    func allocChunk(_ sizes: inout [(UInt64, Int)], flags: UInt64?) -> Int {
        guard let flags else { return 0 }
        let attrs = RaidAttributes(flags: flags & F.profileMask)
        let maxStripeSize: Int
        var maxChunkSize: Int
        if flags & F.data != 0 {
            maxStripeSize = Self.sz1G
            maxChunkSize = Self.maxDataChunkSize
        } else if flags & F.metadata != 0 {
            maxStripeSize = total > 50 &* Self.sz1G ? Self.sz1G : Self.sz256M
            maxChunkSize = maxStripeSize
        } else {
            return 0
        }
        // No chunk larger than 10% of the writable space.
        maxChunkSize = Swift.min(total / 10, maxChunkSize)
        // Devices with space, most unallocated first; python's sort is stable, so ties stay in devid order.
        var candidates = sizes.enumerated().filter { $0.element.1 > 0 }
            .map { (index: $0.offset, size: $0.element.1) }
        candidates.sort { $0.size != $1.size ? $0.size > $1.size : $0.index < $1.index }
        // Keep a multiple of devs_increment.
        candidates.removeLast(candidates.count % attrs.devsIncrement)
        if candidates.count < attrs.devsMin { return 0 }
        if attrs.devsMax != 0 && candidates.count > attrs.devsMax {
            candidates.removeLast(candidates.count - attrs.devsMax)
        }
        guard let smallest = candidates.last else { return 0 }
        var stripeSize = Swift.min(maxStripeSize, smallest.size / attrs.devStripes)
        let numStripes = candidates.count &* attrs.devStripes
        var chunkSize = RaidAttributes.chunkLength(flags: flags, numStripes: numStripes, stripeSize: stripeSize)
        if chunkSize > maxChunkSize {
            stripeSize = RaidAttributes.devExtentLength(flags: flags, numStripes: numStripes, chunkLength: maxChunkSize)
            chunkSize = maxChunkSize
        }
        if stripeSize <= 0 { return 0 }
        for c in candidates {
            sizes[c.index].1 &-= stripeSize &* attrs.devStripes
        }
        return chunkSize
    }
}
