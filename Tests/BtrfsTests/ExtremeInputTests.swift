#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
import TestRig
@testable import Btrfs

/// The pure parts of the library fed values at the edges: sizes of 0 and UInt64.max, chunk
/// items with stripe counts that cannot be, thousands of devices, every unit mode. Any trap here
/// kills the test runner, so each case passing is the proof.
@Suite struct ExtremeInputTests {
    static let edges: [UInt64] = [0, 1, 2, 1023, 1024, 1 << 20, 1 << 30, 50 << 30, 1 << 52, 1 << 53, (1 << 53) + 1,
                                  UInt64(Int64.max), UInt64(Int64.max) + 1, UInt64.max - 1, UInt64.max]

    static func le<T: FixedWidthInteger>(_ v: T) -> [UInt8] { withUnsafeBytes(of: v.littleEndian) { Array($0) } }

    /// A CHUNK_ITEM's bytes as the kernel lays them out, with `stripes` (devid, offset) entries.
    static func chunk(length: UInt64, type: UInt64, numStripes: UInt16, stripes: [(UInt64, UInt64)]) throws -> Chunk {
        var b = le(length) + le(UInt64(2)) + le(UInt64(65536)) + le(type)
        b += le(UInt32(4096)) + le(UInt32(4096)) + le(UInt32(4096)) + le(numStripes) + le(UInt16(1))
        for (devid, offset) in stripes { b += le(devid) + le(offset) + [UInt8](repeating: 0xAB, count: 16) }
        return try b.withUnsafeBytes { raw in
            try Chunk(key: Key(256, 228, 1 << 20), reader: ItemReader(raw)).checkedForUsage()
        }
    }

    typealias F = BlockGroupFlags
    static let profiles: [UInt64] = [0, F.dup, F.raid0, F.raid1, F.raid1c3, F.raid1c4, F.raid5, F.raid6, F.raid10]

    /// Device sizes at the edges, alone and together, for every profile: the model finishes (the
    /// simulation stops at its limit for exabytes and says so) and never traps.
    @Test(arguments: [[UInt64.max], [0], [0, 0, 0], [UInt64.max, UInt64.max], [UInt64(Int64.max), 1],
                      [1, 1, 1, 1], [UInt64.max, 0, 1 << 40], [1 << 62, 1 << 62], Array(repeating: 1, count: 2000),
                      Array(repeating: 1 << 30, count: 300)])
    func modelOfEmptyDevices(_ sizes: [UInt64]) {
        for profile in Self.profiles {
            for mixed in [false, true] {
                let source = FsUsage.Source.emptyDevices(sizes, mixedGroups: mixed)
                let u = mixed
                    ? FsUsage(source: source, targetProfileMixed: profile, simulationLimit: 20_000)
                    : FsUsage(source: source, targetProfileMetadata: profile, targetProfileData: profile, simulationLimit: 20_000)
                #expect(u.devUsage.count == sizes.count)
                if !u.simulationTruncated {
                    // Whatever was not allocated is left on the devices: never more than there was.
                    for (d, size) in zip(u.devUsage, sizes) {
                        #expect(d.unallocatableHard >= 0 || size > UInt64(Int.max / 2), "\(profile) \(sizes.prefix(3))")
                    }
                }
            }
        }
    }

    /// Exabytes of devices: the simulation stops at its limit and says so, at once.
    @Test func hugeDevicesStopTheSimulation() throws {
        let start = Date()
        let u = FsUsage(source: .emptyDevices([UInt64(Int64.max)], mixedGroups: false),
                        targetProfileMetadata: 0, targetProfileData: 0, simulationLimit: 10_000)
        #expect(u.simulationTruncated)
        #expect(Date().timeIntervalSince(start) < 10)
        let calculator = try SpaceCalculator(deviceSizes: [7 << 60], metadataProfile: 0, dataProfile: 0,
                                             mixedGroups: false, ratio: nil)
        #expect(throws: BtrfsError.self) { try calculator.usage(simulationLimit: 10_000) }
        // A filesystem of ordinary size stays within the limit.
        let small = try SpaceCalculator(deviceSizes: [1 << 40, 1 << 40], metadataProfile: F.raid1, dataProfile: F.raid1,
                                        mixedGroups: false, ratio: nil)
        #expect(try !small.usage().simulationTruncated)
    }

    /// Ratios at the edges: 0 and negative (metadata only), Int.max (data until full).
    @Test(arguments: [0, -1, Int.min, Int.max, 1, 1 << 53])
    func ratioExtremes(_ ratio: Int) throws {
        let calculator = try SpaceCalculator(deviceSizes: [10 << 30, 20 << 30], metadataProfile: F.raid1,
                                             dataProfile: F.raid0, mixedGroups: false, ratio: ratio)
        let u = try calculator.usage()
        #expect(!u.simulationTruncated)
        #expect(u.estimatedFullAllocatableVirtualMetadata > 0)
        if ratio <= 0 { #expect(u.estimatedFullAllocatableVirtualData == 0) }
    }

    /// Spaces, devices and chunks that no kernel gives: sizes of UInt64.max, used above total,
    /// stripes on devices that do not exist, RAID5/6 chunks with fewer stripes than parities.
    @Test func modelOfImpossibleItems() throws {
        var chunks: [Chunk] = []
        for profile in Self.profiles {
            for type in [F.data, F.metadata, F.system, F.mixed] {
                for stripes in [1, 2, 3] {
                    for length in [0, 1, UInt64(Int64.max), UInt64.max] {
                        let list = (0..<stripes).map { (UInt64($0 + 1) * 7 % 5, UInt64.max) }
                        chunks.append(try Self.chunk(length: length, type: type | profile, numStripes: UInt16(stripes), stripes: list))
                    }
                }
            }
        }
        let spaces = Self.profiles.flatMap { p in
            [F.data, F.metadata, F.system, F.mixed].map { SpaceInfo(flags: $0 | p, totalBytes: .max, usedBytes: .max) }
        } + [SpaceInfo(flags: F.globalReserve, totalBytes: .max, usedBytes: 0), SpaceInfo(flags: F.data, totalBytes: 0, usedBytes: 1 << 40)]
        let devices = Self.edges.enumerated().map { DevItem(devid: UInt64($0.offset), totalBytes: $0.element, bytesUsed: .max) }
        for mixed in [false, true] {
            let u = FsUsage(source: FsUsage.Source(mixedGroups: mixed, spaces: spaces, devices: devices, chunks: chunks),
                            simulationLimit: 20_000)
            _ = u.simulationDataMetadataRatio
            #expect(u.devUsage.count == devices.count)
        }
        // progs' figures from the same impossible input.
        let infos = ProgsUsage.chunkInfos(chunks)
        let progsDevices = Self.edges.enumerated().map {
            ProgsUsage.DeviceInfo(devid: UInt64($0.offset), path: "/dev/x", size: $0.element, deviceSize: $0.element / 3)
        }
        let overall = ProgsUsage.overall(spaces: ProgsUsage.sortedSpaces(spaces), chunks: infos, devices: progsDevices)
        #expect(overall != nil)
        for info in infos { _ = info.deviceBytes }
        // Devices of no size at all: progs' "cannot get space info".
        #expect(ProgsUsage.overall(spaces: spaces, chunks: infos, devices: []) == nil)
    }

    /// Raw chunk bytes that promise more stripes than they hold, or none: an error, not a trap.
    @Test func chunkItemsPromisingTooMuch() throws {
        #expect(throws: BtrfsError.self) { try Self.chunk(length: 1, type: 0, numStripes: UInt16.max, stripes: [(1, 0)]) }
        #expect(throws: BtrfsError.self) { try Self.chunk(length: 1, type: 0, numStripes: 0, stripes: []) }
    }

    /// progs' size printer for every mode and unit base (known or not) and every edge value,
    /// signed and unsigned.
    @Test func prettySizeEveryModeEveryEdge() {
        for kind: UInt32 in 0...7 {
            for base: UInt32 in 0...255 {
                let mode = UnitMode(rawValue: kind << 8 | base)
                for v in Self.edges {
                    _ = prettySize(v, mode: mode)
                    _ = prettySize(0 &- v, mode: mode)
                }
            }
        }
        #expect(prettySize(.max, mode: .binary) == "16.00EiB")
        // progs negates in C, where -INT64_MIN stays negative: no division at all (units.c).
        #expect(prettySize(UInt64(bitPattern: Int64.min), mode: UnitMode.binary.signed) == "-9223372036854775808.00B")
        #expect(prettySize(UInt64(bitPattern: Int64.min + 1), mode: UnitMode.binary.signed) == "-8.00EiB")
    }

    /// The hand-made `%.2f` of a Float against glibc's printf (what progs calls) for random bit
    /// patterns: NaN, infinities, subnormals and the largest values included.
    @Test func formatFixed2MatchesPrintf() {
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        var patterns: [UInt32] = [0, 0x8000_0000, 0x7F80_0000, 0xFF80_0000, 0x7FC0_0000, 0x7F7F_FFFF, 0xFF7F_FFFF, 1, 0x0080_0000]
        for _ in 0..<50_000 {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            patterns.append(UInt32(truncatingIfNeeded: state))
        }
        var mismatches: [String] = []
        for bits in patterns {
            let value = Float(bitPattern: bits)
            var buffer = [CChar](repeating: 0, count: 128)
            let n = withVaList([Double(value)]) { vsnprintf(&buffer, buffer.count, "%.2f", $0) }
            let expected = String(decoding: buffer.prefix(Int(n)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
            let ours = formatFixed2(value)
            if ours != expected && !(value.isNaN && ours.hasSuffix("nan")) { mismatches.append("\(bits): \(ours) vs \(expected)") }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(10))")
    }

    /// python-btrfs's pretty_size at the edges of Int, negative sizes included (allocatable_left
    /// goes below zero on a full filesystem).
    @Test func pythonPrettySizeAtTheEdges() throws {
        let values: [Int] = [0, 1, -1, 1023, 1024, -1024, -1025, 1 << 40, -(1 << 40), Int.max, Int.min, Int.min + 1,
                             (1 << 53) + 1, 1_152_921_504_606_846_975, -1_152_921_504_606_846_976]
        let theirs = try Rig.python("""
            import sys, btrfs
            for v in sys.argv[1:]: print(btrfs.utils.pretty_size(int(v)))
            """, args: values.map(String.init))
        #expect(theirs.status == 0, "\(theirs)")
        #expect(values.map { PythonFormat.prettySize($0) }.joined(separator: "\n") + "\n" == theirs.stdout)
    }

    /// parse_pretty_size on random strings against python-btrfs's, in one python run.
    @Test func parsePrettySizeMatchesPython() throws {
        var state: UInt64 = 0x9E37_79B9
        let pieces = ["0", "1", "9", "12", "99999999999999999999", "18446744073709551615", "9223372036854775807", "k", "M",
                      "G", "T", "P", "E", "K", "B", "iB", "i", "b", " ", "\n", "-", "+", ".", "x", "e"]
        var inputs: [String] = []
        for _ in 0..<3000 {
            var s = ""
            for _ in 0..<(1 + Int(state % 4)) {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                s += pieces[Int((state >> 33) % UInt64(pieces.count))]
            }
            inputs.append(s)
        }
        let result = try Rig.python("""
            import sys, json, btrfs
            out = []
            for s in json.load(sys.stdin):
                try: out.append(btrfs.utils.parse_pretty_size(s))
                except ValueError: out.append(None)
            print("\\n".join(str(v) for v in out))
            """, stdin: [UInt8](try JSONSerialization.data(withJSONObject: inputs)))
        #expect(result.status == 0, "\(result)")
        let expected = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        try #require(expected.count >= inputs.count)
        var mismatches: [String] = []
        for (input, want) in zip(inputs, expected) {
            // What the space calculator takes: at most 63 bits (python's int has no limit): nil past that.
            let ours = (try? PythonFormat.parsePrettySize(input)).flatMap { $0 <= UInt64(Int.max) ? $0 : nil }
            let python = UInt64(want).flatMap { $0 <= UInt64(Int.max) ? $0 : nil }
            if ours != python {
                mismatches.append("\(input.debugDescription): ours \(String(describing: ours)) python \(want)")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(10))")
    }
}
