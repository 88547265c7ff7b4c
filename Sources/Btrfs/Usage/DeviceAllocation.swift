/// Raw bytes of each block group profile per device, worked out without the chunk tree, which only
/// root may search. A normal user still gets SPACE_INFO (each profile's size, so its raw bytes:
/// size × copies, except RAID5/6 whose parity depends on each chunk's stripe count) and DEV_INFO
/// (each device's allocated bytes). Those are two sets of sums over the unknown table
/// profile × device, and often they pin the table down exactly: a single device holds everything,
/// a mirror with as many copies as there are devices has one copy on each, a device whose
/// allocation is accounted for holds nothing else, and a row or column with one cell left is its
/// remainder. Cells they leave open stay nil: nothing here is estimated.
public struct DeviceAllocation: Hashable, Sendable {
    /// The profiles (SPACE_INFO flags, global reserve left out), in the order given.
    public let profiles: [UInt64]
    /// The devices' ids, in the order given.
    public let devids: [UInt64]
    /// Raw bytes of each profile on all devices; nil for RAID5/6 unless the sums settle it.
    public let rawBytes: [UInt64?]
    /// Each device's allocated bytes (DEV_INFO bytes_used).
    public let deviceBytes: [UInt64]
    /// Each profile's size (SPACE_INFO total_bytes).
    let logicalBytes: [UInt64]
    /// cells[profile][device]: raw bytes of the profile on the device, nil where undetermined.
    let cells: [[UInt64?]]

    /// The profile's raw bytes on the device; nil where the sums leave it open (also for a
    /// profile or device not in the table).
    public func bytes(flags: UInt64, devid: UInt64) -> UInt64? {
        guard let p = profiles.firstIndex(of: flags), let d = devids.firstIndex(of: devid) else { return nil }
        return cells[p][d]
    }

    /// The profile's raw bytes on all devices (nil when unknown).
    public func rawBytes(flags: UInt64) -> UInt64? {
        profiles.firstIndex(of: flags).flatMap { rawBytes[$0] }
    }

    /// Bytes of the profile on devices whose share is undetermined: its raw bytes less the
    /// determined cells (nil when its raw bytes are unknown).
    public func undeterminedBytes(flags: UInt64) -> UInt64? {
        guard let p = profiles.firstIndex(of: flags), let raw = rawBytes[p] else { return nil }
        return raw &- cells[p].reduce(0) { $0 &+ ($1 ?? 0) }
    }

    /// Bytes of the device in profiles whose share on it is undetermined.
    public func undeterminedBytes(devid: UInt64) -> UInt64 {
        guard let d = devids.firstIndex(of: devid) else { return 0 }
        return deviceBytes[d] &- cells.reduce(0) { $0 &+ ($1[d] ?? 0) }
    }

    /// Whether every cell is known (then the table is what the chunk tree would give).
    public var isComplete: Bool { cells.allSatisfy { $0.allSatisfy { $0 != nil } } }

    /// Solves the table from the two sets of sums; nil when they contradict each other (the
    /// filesystem allocated or freed a chunk between the calls: read again).
    /// `devices` are (devid, bytes_used) from DEV_INFO, the missing ones included.
    public static func deduce(spaces: [SpaceInfo], devices: [(devid: UInt64, bytesUsed: UInt64)]) -> DeviceAllocation? {
        let spaces = spaces.filter { $0.flags & BlockGroupFlags.globalReserve == 0 }
        var raw: [UInt64?] = spaces.map { space in
            let attributes = RaidAttributes(flags: space.flags)
            guard attributes.nparity == 0 else { return nil }
            let (bytes, overflow) = space.totalBytes.multipliedReportingOverflow(by: UInt64(attributes.ncopies))
            return overflow ? nil : bytes
        }
        let used = devices.map(\.bytesUsed)
        var cells = [[UInt64?]](repeating: [UInt64?](repeating: nil, count: devices.count), count: spaces.count)
        for (p, space) in spaces.enumerated() {
            let attributes = RaidAttributes(flags: space.flags)
            if devices.count == 1 {
                cells[p][0] = raw[p]
            } else if let bytes = raw[p], attributes.devStripes == 1, attributes.subStripes == 1,
                      attributes.ncopies > 1, attributes.ncopies == devices.count {
                // raid1/raid1c3/raid1c4 on exactly as many devices: one copy of every chunk each.
                guard bytes % UInt64(attributes.ncopies) == 0 else { return nil }
                for d in devices.indices { cells[p][d] = bytes / UInt64(attributes.ncopies) }
            }
        }
        // Rows and columns with one open cell, or with nothing left, until nothing changes.
        var changed = true
        while changed {
            changed = false
            if spreadFullWidth(spaces, devices.count, used, &raw, &cells) { changed = true }
            for d in devices.indices {
                guard let left = remainder(used[d], cells.map { $0[d] }) else { return nil }
                let open = spaces.indices.filter { cells[$0][d] == nil }
                if open.isEmpty { if left != 0 { return nil } else { continue } }
                if left == 0 || open.count == 1 {
                    for p in open { cells[p][d] = open.count == 1 ? left : 0 }
                    changed = true
                }
            }
            for p in spaces.indices {
                let open = devices.indices.filter { cells[p][$0] == nil }
                guard let total = raw[p] else {
                    // RAID5/6: known once every device's share is.
                    if open.isEmpty { raw[p] = cells[p].reduce(0) { $0 &+ ($1 ?? 0) }; changed = true }
                    continue
                }
                guard let left = remainder(total, cells[p]) else { return nil }
                if open.isEmpty { if left != 0 { return nil } else { continue } }
                if left == 0 || open.count == 1 {
                    for d in open { cells[p][d] = open.count == 1 ? left : 0 }
                    changed = true
                }
            }
        }
        return DeviceAllocation(profiles: spaces.map(\.flags), devids: devices.map(\.devid), rawBytes: raw,
                                deviceBytes: used, logicalBytes: spaces.map(\.totalBytes), cells: cells)
    }

    /// A RAID5/6 chunk has at most one stripe on each device, so a profile takes the fewest raw
    /// bytes, logical × n/(n − parity), exactly when every chunk spans all n devices. Where the
    /// devices hold just that least amount beyond the known profiles, every RAID5/6 chunk spans
    /// every device, and each device holds logical/(n − parity) of each profile: fills those rows.
    static func spreadFullWidth(_ spaces: [SpaceInfo], _ n: Int, _ used: [UInt64],
                                _ raw: inout [UInt64?], _ cells: inout [[UInt64?]]) -> Bool {
        func leastRaw(_ p: Int) -> (stripe: UInt64, raw: UInt64)? {
            let parity = RaidAttributes(flags: spaces[p].flags).nparity
            guard parity > 0, n > parity else { return nil }
            let dataStripes = UInt64(n - parity), logical = spaces[p].totalBytes
            guard logical % dataStripes == 0 else { return nil }
            let (bytes, overflow) = (logical / dataStripes).multipliedReportingOverflow(by: UInt64(n))
            return overflow ? nil : (logical / dataStripes, bytes)
        }
        let parityProfiles = spaces.indices.filter { RaidAttributes(flags: spaces[$0].flags).nparity > 0 }
        let open = parityProfiles.filter { raw[$0] == nil }
        var changed = false
        let least = open.map { leastRaw($0)?.raw }
        // Every other profile's raw bytes must be known for the rest to be the open ones'.
        let othersKnown = raw.indices.allSatisfy { raw[$0] != nil || open.contains($0) }
        if !open.isEmpty, othersKnown, let devicesTotal = sum(used), let rest = remainder(devicesTotal, raw),
           let needed = sum(least.compactMap { $0 }), !least.contains(nil), rest == needed {
            for p in open { raw[p] = leastRaw(p)?.raw }
            changed = true
        }
        for p in parityProfiles where cells[p].contains(where: { $0 == nil }) {
            guard let least = leastRaw(p), raw[p] == least.raw else { continue }
            for d in cells[p].indices where cells[p][d] == nil { cells[p][d] = least.stripe }
            changed = true
        }
        return changed
    }

    /// Whether every chunk of the RAID5/6 profile `flags` is known to span all the devices
    /// (then progs' per-chunk figures follow: one stripe of logical/(n − parity) on each).
    public func spansAllDevices(flags: UInt64) -> Bool {
        guard let p = profiles.firstIndex(of: flags), RaidAttributes(flags: flags).nparity > 0,
              let raw = rawBytes[p], raw > 0 else { return false }
        let n = UInt64(devids.count), parity = UInt64(RaidAttributes(flags: flags).nparity)
        guard n > parity, raw % n == 0 else { return false }
        let stripe = raw / n
        return cells[p].allSatisfy { $0 == stripe } && stripe &* (n &- parity) == logicalBytes[p]
    }

    /// The sum; nil when it passes UInt64.max.
    static func sum(_ values: [UInt64]) -> UInt64? {
        var total: UInt64 = 0
        for v in values {
            let (s, overflow) = total.addingReportingOverflow(v)
            if overflow { return nil }
            total = s
        }
        return total
    }

    /// `total` less the known cells; nil when they add up to more.
    static func remainder(_ total: UInt64, _ known: [UInt64?]) -> UInt64? {
        var left = total
        for cell in known {
            guard let cell else { continue }
            if cell > left { return nil }
            left -= cell
        }
        return left
    }
}
