import Btrfs

/// `inspect-internal min-dev-size`: how far a device can be shrunk, as btrfs-progs 6.2's
/// print_min_dev_size (the sum of its device extents, plus room to relocate those past it).
extension InspectCommands {
    static let minDevSize = Command(
        "min-dev-size", synopsis: ["[options] <path>"], summary: "Get the minimum size the device can be shrunk to",
        options: [OptionSpec(nil, "id", value: .devid, help: "specify the device id to query", display: "--id DEVID")],
        operands: [OperandSpec("path", .path)],
        help: [.text("The device id 1 is used by default."), .optionNamed("id")],
        supportsJSON: true, permutesOperands: true, run: runMinDevSize)

    @Sendable static func runMinDevSize(_ invocation: Invocation) throws -> Int32 {
        var devid: UInt64 = 1
        for value in invocation.values("id") { devid = try argStrtou64(value) }
        let fs = try openLikeProgs(invocation.operands[0], directory: true)
        var extents: [(start: UInt64, end: UInt64)] = []
        var holes: [(start: UInt64, end: UInt64)] = []
        var minSize: UInt64 = 1 << 20  // allocation starts at 1MiB
        var lastEnd: UInt64? = nil
        do {
            for extent in fs.devExtents(minDevid: devid, maxDevid: devid) {
                let extent = try extent.get()
                let start = extent.paddr
                // Wrapping, as progs' u64 arithmetic: sizes come from disk.
                minSize &+= extent.length
                extents.append((start, start &+ extent.length &- 1))
                if let lastEnd, lastEnd != start { holes.append((lastEnd, start &- 1)) }
                lastEnd = start &+ extent.length
            }
        } catch {
            throw CommandExit.error("tree search ioctl: \(errorText(error, .ioctl))")
        }
        // progs keeps the extents last first.
        minSize = adjustedMinimum(minSize, extents: extents.reversed(), holes: holes)
        if invocation.context.format == .json {
            printSimpleJSON("min-dev-size", to: invocation.context.out) { json in
                json.number("devid", devid)
                json.number("size", minSize)
            }
            return 0
        }
        invocation.context.verbose(Context.logDefault, "\(minSize) bytes (\(prettySize(minSize, mode: .default)))\n")
        return 0
    }

    /// adjust_dev_min_size: each extent past the minimum must move into a hole before it; a hole
    /// holding a superblock mirror costs the extent's size again; the largest moved extent is
    /// scratch space, plus 32MiB for a new system chunk.
    static func adjustedMinimum(_ start: UInt64, extents: [(start: UInt64, end: UInt64)],
                                holes initial: [(start: UInt64, end: UInt64)]) -> UInt64 {
        var minSize = start
        var holes = initial
        var scratch: UInt64 = 0
        for extent in extents {
            if extent.end <= minSize { break }
            let length = extent.end &- extent.start &+ 1
            guard let index = holes.firstIndex(where: { $0.end &- $0.start &+ 1 >= length }) else {
                minSize = extent.end &+ 1
                break
            }
            let hole = holes[index]
            if holeIncludesSuperblockMirror(hole.start, hole.start &+ length &- 1) { minSize &+= length }
            if hole.end &- hole.start &+ 1 > length {
                holes[index].start = hole.start &+ length
            } else {
                holes.remove(at: index)
            }
            scratch = max(scratch, length)
        }
        if scratch > 0 { minSize &+= scratch &+ (32 << 20) }
        return minSize
    }

    /// The superblock copies at 64KiB, 64MiB and 256GiB (btrfs_sb_offset).
    static func holeIncludesSuperblockMirror(_ start: UInt64, _ end: UInt64) -> Bool {
        [UInt64(64 << 10), 64 << 20, 256 << 30].contains { $0 >= start && $0 <= end }
    }
}
