import Btrfs

// `sbtrfs filesystem space-calculator`: python-btrfs's btrfs-space-calculator, byte for byte,
// except that it refuses layouts that cannot exist instead of estimating nothing for them.
extension FilesystemCommands {
    static let spaceCalculator = Command(
        "space-calculator", synopsis: ["-m <profile> -d <profile> [-M] [-r <ratio>] <size> [<size>...]"],
        summary: "Calculate usable and unallocatable space of a filesystem of devices with the given sizes",
        description: ["As python-btrfs's btrfs-space-calculator; needs no filesystem.",
                      "Sizes: digits with an optional unit (k M G T P E; kB/MB.. powers of 1000, KiB/MiB.. of 1024)."],
        options: [
            OptionSpec("m", "metadata", value: .profile, valueName: "profile",
                       help: "metadata profile: single, dup, raid0, raid1, raid1c3, raid1c4, raid5, raid6, raid10"),
            OptionSpec("d", "data", value: .profile, valueName: "profile", help: "data profile, as for metadata"),
            OptionSpec("M", "mixed", help: "use mixed block groups (data and metadata profile must match)"),
            OptionSpec("r", "ratio", value: .number, valueName: "ratio",
                       help: "data to metadata ratio for a non-mixed filesystem (default 200)"),
        ],
        operands: [OperandSpec("size", .size, repeating: true)], supportsJSON: true,
        permutesOperands: true, run: runSpaceCalculator)

    @Sendable static func runSpaceCalculator(_ invocation: Invocation) throws -> Int32 {
        func profile(_ id: String, _ what: String) throws -> UInt64 {
            guard let name = invocation.value(id) else {
                throw CommandExit.error("the \(what) profile is required (-\(id == "metadata" ? "m" : "d") <profile>)")
            }
            guard let bits = SpaceCalculator.profile(named: name) else {
                throw CommandExit.error("unknown profile '\(name)' (single, dup, raid0, raid1, raid1c3, raid1c4, raid5, raid6, raid10)")
            }
            return bits
        }
        let metadata = try profile("metadata", "metadata")
        let data = try profile("data", "data")
        var ratio: Int?
        if let text = invocation.value("ratio") {
            guard let value = SpaceCalculator.parseRatio(text) else { throw CommandExit.error("invalid ratio '\(text)'") }
            // python takes 0 and negatives and prints nonsense (1:0, no space for data).
            guard value >= 1 else { throw CommandExit.error("invalid ratio '\(text)': must be at least 1") }
            ratio = value
        }
        var sizes = [UInt64]()
        for text in invocation.operands {
            // As the space calculator's model counts in Int: a size past 63 bits is refused.
            guard let size = try? PythonFormat.parsePrettySize(text), size <= UInt64(Int.max) else { throw CommandExit.error("invalid device size '\(text)'") }
            sizes.append(size)
        }
        let calculator: SpaceCalculator
        let usage: FsUsage
        do {
            calculator = try SpaceCalculator(deviceSizes: sizes, metadataProfile: metadata, dataProfile: data,
                                             mixedGroups: invocation.has("mixed"), ratio: ratio)
            usage = try calculator.usage()
        } catch BtrfsError.invalidArgument(let text) {
            throw CommandExit.error(text)
        }
        let text = SpaceCalculatorText(calculator: calculator, usage: usage, ratioGiven: ratio != nil)
        if invocation.format == .json {
            text.writeJSON(to: invocation.out)
        } else {
            for line in text.lines() { invocation.out.line(line) }
        }
        return 0
    }
}

/// The text of python-btrfs's `btrfs-space-calculator`, line for line.
struct SpaceCalculatorText {
    var calculator: SpaceCalculator
    /// `calculator.usage()`, computed once.
    var usage: FsUsage
    /// Whether -r was given: in mixed mode python-btrfs then prints a notice.
    var ratioGiven: Bool

    func lines() -> [String] {
        let c = calculator
        let size: (Int) -> String = PythonFormat.prettySize
        var out = [String]()
        out.append("Target metadata profile: \(PythonFormat.spaceProfile(c.metadataProfile))")
        out.append("Target data profile: \(PythonFormat.spaceProfile(c.dataProfile))")
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
        for d in usage.devicesByID {
            out.append("  Device \(d.devid): \(size(d.unallocatableHard))")
        }
        return out
    }
}

extension SpaceCalculatorText {
    func writeJSON(to out: OutputStream) {
        let c = calculator
        var json = JSONWriter(out: out, style: .native)
        json.start()
        json.beginGroup("space-calculator", .map)
        json.string("metadata-profile", PythonFormat.spaceProfile(c.metadataProfile))
        json.string("data-profile", PythonFormat.spaceProfile(c.dataProfile))
        json.bool("mixed-groups", c.mixedGroups)
        json.number("total", Int64(usage.total))
        if c.mixedGroups {
            json.null("data-metadata-ratio")
            json.number("virtual-data+metadata", Int64(usage.estimatedFullAllocatableVirtualMixed))
        } else {
            json.number("data-metadata-ratio", Int64(usage.defaultDataMetadataRatio))
            json.number("virtual-metadata", Int64(usage.estimatedFullAllocatableVirtualMetadata))
            json.number("virtual-data", Int64(usage.estimatedFullAllocatableVirtualData))
        }
        json.number("unallocatable", Int64(usage.unallocatableHard))
        json.beginGroup("devices", .array)
        for d in usage.devicesByID {
            json.beginGroup(nil, .map)
            json.number("devid", d.devid)
            json.number("size", Int64(d.total))
            json.number("unallocatable", Int64(d.unallocatableHard))
            json.endGroup()
        }
        json.endGroup()
        json.endGroup()
        json.end()
    }
}
