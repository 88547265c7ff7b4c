extension ProgsUsage {
    /// The "Overall:" figures of `btrfs filesystem usage` (`print_filesystem_usage_overall`),
    /// computed with progs' u64 wrap-around and double steps so every digit matches.
    public struct Overall: Hashable, Sendable {
        /// btrfs-progs' overall numbers, in bytes: device sizes, allocated to chunks.
        public var deviceSize: UInt64 = 0
        public var allocated: UInt64 = 0
        /// Wraps below zero as progs' u64 does; printed signed.
        public var unallocated: UInt64 = 0
        public var missing: UInt64 = 0
        public var slack: UInt64 = 0
        public var used: UInt64 = 0
        public var freeEstimated: UInt64 = 0
        public var freeMin: UInt64 = 0
        public var dataRatio: Double = 0
        public var metadataRatio: Double = 0
        public var globalReserve: UInt64 = 0
        public var globalReserveUsed: UInt64 = 0
        public var mixed = false
        /// Sum over the spaces of sysfs' bytes_zone_unusable (zoned filesystems).
        public var zoneUnusable: UInt64 = 0
    }

    static let minUnallocatedThreshold: UInt64 = 16 << 20

    /// The overall figures from progs-sorted `spaces`, the chunk infos (empty without root) and
    /// the devices; nil when the devices add up to nothing (progs: "cannot get space info").
    public static func overall(spaces: [SpaceInfo], chunks: [ChunkInfo], devices: [DeviceInfo],
                               zoneUnusable: (UInt64) -> UInt64? = { _ in nil }) -> Overall? {
        var o = Overall()
        for d in devices {
            o.deviceSize &+= d.size
            o.slack &+= d.slack
            if d.deviceSize == 0 { o.missing &+= d.size }
        }
        if o.deviceSize == 0 { return nil }

        var rDataChunks: UInt64 = 0, rDataUsed: UInt64 = 0, lDataChunks: UInt64 = 0
        var rMetadataChunks: UInt64 = 0, rMetadataUsed: UInt64 = 0, lMetadataChunks: UInt64 = 0
        var rSystemChunks: UInt64 = 0, rSystemUsed: UInt64 = 0
        var maxDataRatio = 1.0

        // RAID5/6: raw sizes come from the chunks, used bytes from the logical fill ratio.
        let r5 = logicalRatios(spaces, profile: F.raid5)
        let r6 = logicalRatios(spaces, profile: F.raid6)
        for info in chunks {
            let ratios: (data: Double, metadata: Double, system: Double)
            if info.type & F.raid5 != 0 { ratios = r5 } else if info.type & F.raid6 != 0 { ratios = r6 } else { continue }
            let parities = UInt64(RaidAttributes(flags: info.type).nparity)
            let dataStripes = info.numStripes &- parities
            let rt = Double(info.numStripes) / Double(dataStripes)
            if rt > maxDataRatio { maxDataRatio = rt }
            let size = dataStripes == 0 ? 0 : info.size / dataStripes
            if info.type & F.data != 0 {
                rDataChunks &+= size
                rDataUsed = cToU64(Double(rDataUsed) + Double(size) * ratios.data)
            } else if info.type & F.metadata != 0 {
                rMetadataChunks &+= size
                rMetadataUsed = cToU64(Double(rMetadataUsed) + Double(size) * ratios.metadata)
            } else if info.type & F.system != 0 {
                rSystemChunks &+= size
                rSystemUsed = cToU64(Double(rSystemUsed) + Double(size) * ratios.system)
            }
        }

        for space in spaces {
            let flags = space.flags
            var ratio = UInt64(RaidAttributes.ncopies(flags: flags))
            // RAID5/6 were counted from the chunks above.
            if flags & (F.raid5 | F.raid6) != 0 { ratio = 0 }
            if Double(ratio) > maxDataRatio { maxDataRatio = Double(ratio) }
            if flags & F.globalReserve != 0 {
                o.globalReserve = space.totalBytes
                o.globalReserveUsed = space.usedBytes
            }
            if flags & F.mixed == F.mixed {
                o.mixed = true
            } else if let unusable = zoneUnusable(flags) {
                o.zoneUnusable &+= unusable
            }
            if flags & F.data != 0 {
                rDataUsed &+= space.usedBytes &* ratio
                rDataChunks &+= space.totalBytes &* ratio
                lDataChunks &+= space.totalBytes
            }
            if flags & F.metadata != 0 {
                rMetadataUsed &+= space.usedBytes &* ratio
                rMetadataChunks &+= space.totalBytes &* ratio
                lMetadataChunks &+= space.totalBytes
            }
            if flags & F.system != 0 {
                rSystemUsed &+= space.usedBytes &* ratio
                rSystemChunks &+= space.totalBytes &* ratio
            }
        }

        o.allocated = rDataChunks &+ rSystemChunks
        o.used = rDataUsed &+ rSystemUsed
        if !o.mixed {
            o.allocated &+= rMetadataChunks
            o.used &+= rMetadataUsed
        }
        o.unallocated = o.deviceSize &- o.allocated
        o.dataRatio = Double(rDataChunks) / Double(lDataChunks)
        o.metadataRatio = o.mixed ? o.dataRatio : Double(rMetadataChunks) / Double(lMetadataChunks)

        var freeEstimated = cToU64(Double(rDataChunks &- rDataUsed) / o.dataRatio)
        if o.mixed { freeEstimated &-= o.globalReserve &- o.globalReserveUsed }
        var freeMin = freeEstimated
        if o.unallocated >= minUnallocatedThreshold {
            freeEstimated = cToU64(Double(freeEstimated) + Double(o.unallocated) / o.dataRatio)
            freeMin = cToU64(Double(freeMin) + Double(o.unallocated) / maxDataRatio)
        }
        o.freeEstimated = freeEstimated
        o.freeMin = freeMin
        return o
    }

    /// `get_raid56_logical_ratio`: used/total per type over the spaces of `profile`, -1 where none.
    static func logicalRatios(_ spaces: [SpaceInfo], profile: UInt64) -> (data: Double, metadata: Double, system: Double) {
        var dataChunk: UInt64 = 0, dataUsed: UInt64 = 0, metaChunk: UInt64 = 0, metaUsed: UInt64 = 0
        var sysChunk: UInt64 = 0, sysUsed: UInt64 = 0
        for space in spaces where space.flags & profile != 0 {
            if space.flags & F.data != 0 {
                dataUsed &+= space.usedBytes; dataChunk &+= space.totalBytes
            } else if space.flags & F.metadata != 0 {
                metaUsed &+= space.usedBytes; metaChunk &+= space.totalBytes
            } else if space.flags & F.system != 0 {
                sysUsed &+= space.usedBytes; sysChunk &+= space.totalBytes
            }
        }
        return (dataChunk != 0 ? Double(dataUsed) / Double(dataChunk) : -1,
                metaChunk != 0 ? Double(metaUsed) / Double(metaChunk) : -1,
                sysChunk != 0 ? Double(sysUsed) / Double(sysChunk) : -1)
    }

    /// C's double → u64 conversion as gcc compiles it for x86-64 (out of range and NaN included),
    /// so a division by a zero ratio (RAID5/6 seen without root) prints what progs prints.
    public static func cToU64(_ d: Double) -> UInt64 {
        let two63 = 9_223_372_036_854_775_808.0
        func cvttsd2si(_ x: Double) -> Int64 {
            (x.isNaN || x >= two63 || x < -two63) ? Int64.min : Int64(x)
        }
        // comisd + jae: NaN is unordered, so it takes the signed path (giving 1 << 63).
        if d.isNaN || d < two63 { return UInt64(bitPattern: cvttsd2si(d)) }
        return UInt64(bitPattern: cvttsd2si(d - two63)) ^ (1 << 63)
    }
}
