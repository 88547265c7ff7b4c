import CBtrfs

/// BTRFS_IOC_GET_DEV_STATS: the persistent error counters of one device.
public struct DevStats: Hashable, Sendable {
    /// The device, then its counters (struct btrfs_ioctl_get_dev_stats, BTRFS_DEV_STAT_*_ERRS): failed
    /// writes, failed reads, failed flushes, checksum or other corruption, blocks of an unexpected
    /// generation.
    public var devid: UInt64
    public var writeErrs: UInt64
    public var readErrs: UInt64
    public var flushErrs: UInt64
    public var corruptionErrs: UInt64
    public var generationErrs: UInt64
    /// How many counters the kernel filled in (older kernels know fewer).
    public var count: Int

    /// The counters the kernel filled in (`count` of them), in btrfs-progs' order, with its names.
    public var counters: [(name: String, value: UInt64)] {
        Array([("write_io_errs", writeErrs), ("read_io_errs", readErrs), ("flush_io_errs", flushErrs),
               ("corruption_errs", corruptionErrs), ("generation_errs", generationErrs)].prefix(max(count, 0)))
    }
}

extension FileSystem {
    /// Error counters of device `devid`; `reset` zeroes them after reading (needs CAP_SYS_ADMIN).
    public func devStats(devid: UInt64, reset: Bool = false) throws -> DevStats {
        var args = btrfs_ioctl_get_dev_stats()
        args.devid = devid
        args.nr_items = 5
        args.flags = reset ? UInt64(BTRFS_DEV_STATS_RESET) : 0
        // Not retried on EINTR when resetting: a second call would read zeroes.
        try descriptor.ioctl(SB_IOC_GET_DEV_STATS, &args, name: "get dev stats", retryOnInterrupt: !reset)
        let v = withUnsafeBytes(of: args.values) { Array($0.bindMemory(to: UInt64.self)) }
        let n = Swift.min(Int(clamping: args.nr_items), v.count)
        func value(_ i: Int) -> UInt64 { i < n ? v[i] : 0 }
        return DevStats(devid: devid, writeErrs: value(0), readErrs: value(1), flushErrs: value(2),
                        corruptionErrs: value(3), generationErrs: value(4), count: n)
    }
}
