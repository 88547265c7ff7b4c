/// python-btrfs's estimate of future chunk allocations (`FsUsage._alloc_chunk` and
/// `_simulate_chunk_allocations`): allocate metadata and data chunks the way the kernel's
/// allocator would, in the data:metadata ratio, until no device set can take another chunk;
/// whatever is left on the devices is unallocatable.
struct ChunkAllocationSimulator {
    typealias F = BlockGroupFlags

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
        /// The allocation limit was hit: the figures are incomplete.
        var truncated = false
    }

    /// Chunk allocations one run may simulate. Each takes about 1 GiB of raw space on a big
    /// filesystem, so this covers some 4 PiB (seconds of work); past it (sizes of exabytes, a
    /// crafted device item) the simulation would run for hours, as python's does.
    static let allocationLimit = 1 << 22

    /// Runs the simulation from `sizes` (devid, allocatable bytes).
    func run(sizes: [(UInt64, Int)], limit: Int = allocationLimit) -> Result {
        var sizes = sizes
        var result = Result(unallocatable: [])
        var budget = limit
        // The profiles and a scratch list, made once: a run may allocate millions of chunks.
        let profiles = [metadataFlags, dataFlags, mixedFlags].map { $0.map { RaidAttributes(flags: $0 & F.profileMask) } }
        var candidates = [(index: Int, size: Int)]()
        candidates.reserveCapacity(sizes.count)
        if !mixedGroups {
            outer: while true {
                if budget <= 0 { result.truncated = true; break outer }
                let metadataChunk = allocChunk(&sizes, flags: metadataFlags, attrs: profiles[0], candidates: &candidates)
                if metadataChunk == 0 { break outer }
                budget -= 1
                result.metadata &+= metadataChunk
                while Double(result.data) / Double(result.metadata) < ratio {
                    if budget <= 0 { result.truncated = true; break outer }
                    let dataChunk = allocChunk(&sizes, flags: dataFlags, attrs: profiles[1], candidates: &candidates)
                    if dataChunk == 0 { break outer }
                    budget -= 1
                    result.data &+= dataChunk
                }
            }
        } else {
            while true {
                if budget <= 0 { result.truncated = true; break }
                let chunk = allocChunk(&sizes, flags: mixedFlags, attrs: profiles[2], candidates: &candidates)
                if chunk == 0 { break }
                budget -= 1
                result.mixed &+= chunk
            }
        }
        result.unallocatable = sizes
        return result
    }

    /// Allocates one chunk of `flags` (profile `attrs`) from `sizes` (reduced in place); its
    /// virtual size, or 0 when no chunk fits. An allocation that would take no bytes also counts
    /// as none: python loops forever there (only on devices of a few bytes). `candidates` is
    /// scratch space kept across calls.
    func allocChunk(_ sizes: inout [(UInt64, Int)], flags: UInt64?, attrs: RaidAttributes?,
                    candidates: inout [(index: Int, size: Int)]) -> Int {
        guard let flags, let attrs else { return 0 }
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
        candidates.removeAll(keepingCapacity: true)
        for (index, size) in sizes.enumerated() where size.1 > 0 { candidates.append((index, size.1)) }
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
        var chunkSize = attrs.chunkLength(numStripes: numStripes, stripeSize: stripeSize)
        if chunkSize > maxChunkSize {
            stripeSize = attrs.devExtentLength(numStripes: numStripes, chunkLength: maxChunkSize)
            chunkSize = maxChunkSize
        }
        if stripeSize <= 0 { return 0 }
        for c in candidates {
            sizes[c.index].1 &-= stripeSize &* attrs.devStripes
        }
        return chunkSize
    }
}
