import Btrfs

/// The text of python-btrfs's `btrfs-space-calculator`, line for line.
struct SpaceCalculatorText {
    var calculator: SpaceCalculator
    /// Whether -r was given: in mixed mode python-btrfs then prints a notice.
    var ratioGiven: Bool

    func lines() -> [String] {
        let c = calculator
        let usage = c.usage()
        let size = UsageFormat.prettySize
        var out = [String]()
        out.append("Target metadata profile: \(UsageFormat.spaceProfileDescription(c.metadataProfile))")
        out.append("Target data profile: \(UsageFormat.spaceProfileDescription(c.dataProfile))")
        out.append("Mixed block groups: \(c.mixedGroups ? "True" : "False")")
        out.append("Total raw filesystem size: \(size(usage.total))")
        out.append("Device sizes:")
        for (i, s) in c.deviceSizes.enumerated() {
            out.append("  Device \(i + 1): \(size(Int(clamping: s)))")
        }
        if !c.mixedGroups {
            out.append("Metadata to data ratio: 1:\(usage.defaultDataMetadataRatio)")
            out.append("Estimated virtual space to use for metadata: \(size(usage.estimatedFullAllocatableVirtualMetadata))")
            out.append("Estimated virtual space to use for data: \(size(usage.estimatedFullAllocatableVirtualData))")
        } else {
            if ratioGiven { out.append("Notice: Metadata to data ratio is not used in mixed mode.") }
            out.append("Estimated virtual space to use for metadata and data: \(size(usage.estimatedFullAllocatableVirtualMixed))")
        }
        out.append("Total unallocatable raw amount: \(size(usage.unallocatableHard))")
        out.append("Unallocatable raw bytes per device:")
        for d in usage.devUsage.sorted(by: { $0.devid < $1.devid }) {
            out.append("  Device \(d.devid): \(size(d.unallocatableHard))")
        }
        return out
    }
}
