/// python-btrfs's `btrfs-space-calculator` without a filesystem: empty devices of given sizes,
/// target profiles and a data:metadata ratio in; usable virtual space and unallocatable bytes
/// (the "hard" figures of `FsUsage`) out. Unlike python-btrfs it refuses layouts that cannot
/// exist (fewer devices than the profile needs) instead of reporting zero usable space.
public struct SpaceCalculator: Sendable {
    /// The imaginary devices' sizes in bytes.
    public var deviceSizes: [UInt64]
    /// Profile bits (0 for single).
    public var metadataProfile: UInt64
    public var dataProfile: UInt64
    public var mixedGroups: Bool
    /// Data bytes per metadata byte; nil means python-btrfs's default, 200.
    public var ratio: Int?

    /// The profile bits of `name` (progs' lower-case profile names), nil when it is not a profile.
    public static func profile(named name: String) -> UInt64? {
        ProfileNames.raidTable.first { $0.lower == name }?.flag
    }

    /// Checks the inputs; throws `BtrfsError.invalidArgument` naming what is wrong.
    public init(deviceSizes: [UInt64], metadataProfile: UInt64, dataProfile: UInt64,
                mixedGroups: Bool, ratio: Int?) throws {
        guard !deviceSizes.isEmpty else { throw BtrfsError.invalidArgument("at least one device size is needed") }
        var total: UInt64 = 0
        for size in deviceSizes {
            let (sum, overflow) = total.addingReportingOverflow(size)
            guard !overflow, sum <= UInt64(Int.max) else {
                throw BtrfsError.invalidArgument("total size of the devices is too large")
            }
            total = sum
        }
        if mixedGroups && metadataProfile != dataProfile {
            throw BtrfsError.invalidArgument(
                "When using mixed groups, metadata and data profile need to be identical.")
        }
        let usable = deviceSizes.filter { $0 > 0 }.count
        for (what, bits) in [("metadata", metadataProfile), ("data", dataProfile)] {
            let attrs = RaidAttributes(flags: bits)
            if usable < attrs.devsMin {
                throw BtrfsError.invalidArgument(
                    "\(what) profile \(attrs.raidName) needs at least \(attrs.devsMin) device\(attrs.devsMin == 1 ? "" : "s")"
                    + " of non-zero size, \(usable) given")
            }
        }
        self.deviceSizes = deviceSizes
        self.metadataProfile = metadataProfile
        self.dataProfile = dataProfile
        self.mixedGroups = mixedGroups
        self.ratio = ratio
    }

    /// The usage model of the imaginary empty filesystem. Throws `BtrfsError.invalidArgument`
    /// when the sizes need more than `simulationLimit` chunk allocations (exabytes of 1 GiB
    /// chunks: python-btrfs runs for hours there; this answers at once).
    public func usage(simulationLimit: Int = FsUsage.defaultSimulationLimit) throws -> FsUsage {
        let source = FsUsage.Source.emptyDevices(deviceSizes, mixedGroups: mixedGroups)
        let usage = mixedGroups
            ? FsUsage(source: source, targetProfileMixed: metadataProfile, simulationLimit: simulationLimit)
            : FsUsage(source: source, dataMetadataRatio: ratio, targetProfileMetadata: metadataProfile,
                      targetProfileData: dataProfile, simulationLimit: simulationLimit)
        if usage.simulationTruncated {
            throw BtrfsError.invalidArgument(
                "the devices are too large to simulate: more than \(simulationLimit) chunk allocations")
        }
        return usage
    }

    /// python's `int()` of an argument: optional surrounding whitespace, an optional sign,
    /// digits with single underscores between them. Nil when malformed or out of range.
    public static func parseRatio(_ text: String) -> Int? {
        var s = Substring(text)
        while let c = s.first, c.isWhitespace { s.removeFirst() }
        while let c = s.last, c.isWhitespace { s.removeLast() }
        var negative = false
        if let c = s.first, c == "+" || c == "-" {
            negative = c == "-"
            s.removeFirst()
        }
        guard let first = s.first, first.isASCII, first.isNumber, s.last != "_" else { return nil }
        var value = 0
        var previousUnderscore = false
        for c in s {
            if c == "_" {
                if previousUnderscore { return nil }
                previousUnderscore = true
                continue
            }
            previousUnderscore = false
            guard c.isASCII, let d = c.wholeNumberValue else { return nil }
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(d)
            if o1 || o2 { return nil }
            value = a
        }
        return negative ? -value : value
    }
}
