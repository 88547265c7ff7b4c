import Foundation
import Testing
import TestRig
@testable import Btrfs

/// The heatmap model without a filesystem: curves, order/size choice and the grid's fill →
/// colour arithmetic, each against btrfs-heatmap's own functions (Tests/Oracles/heatmap.py).
@Suite(.needsTool("/usr/bin/btrfs-heatmap", what: "btrfs-heatmap"))
struct HeatmapModelTests {
    static let oracle = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Oracles/heatmap.py").path

    static func oracle(_ args: [String], stdin: String = "") throws -> [String] {
        let r = try Rig.run(["/usr/bin/python3", oracle] + args, stdin: Array(stdin.utf8))
        guard r.status == 0 else { throw RigError("heatmap.py \(args): \(r)") }
        return r.stdout.split(separator: "\n").map(String.init)
    }

    @Test func curvesVisitPixelsInBtrfsHeatmapsOrder() throws {
        let lines = try Self.oracle(["curves", "7"])
        #expect(lines.count == 3 * 8)
        for line in lines {
            let words = line.split(separator: " ")
            guard words.count >= 3, let curve = HeatmapCurve(rawValue: String(words[0])), let order = Int(words[1]) else {
                Issue.record("oracle line \(line)")
                continue
            }
            let theirs = words.dropFirst(2).map { UInt32($0) ?? .max }
            let ours = curve.positions(order: order)
            #expect(ours == theirs, "\(curve) order \(order)")
            // Every pixel exactly once.
            #expect(Set(ours).count == ours.count && ours.allSatisfy { Int($0) < ours.count }, "\(curve) order \(order)")
        }
    }

    @Test func orderAndSizeAreChosenAsBtrfsHeatmapChooses() throws {
        var cases: [(Int?, Int?, UInt64, UInt64)] = []
        // Around powers of two (where log(x)/log(2) is not log2) and sizes of real filesystems.
        for shift in 20...52 {
            for delta: Int64 in [-1, 0, 1, 12345] {
                let total = UInt64(Int64(1) << shift &+ delta)
                cases.append((nil, nil, total, 32 << 20))
                cases.append((nil, nil, total, 4096))
            }
        }
        for order in [0, 3, 7, 10, 11] {
            for size in [nil, 0, 5, 10, 12] as [Int?] {
                cases.append((order, size, 3 << 30, 32 << 20))
                cases.append((nil, size, UInt64(order + 1) << 36, 4096))
            }
        }
        let input = cases.map { "\($0.0.map(String.init) ?? "-") \($0.1.map(String.init) ?? "-") \($0.2) \($0.3)" }
        let theirs = try Self.oracle(["choose"], stdin: input.joined(separator: "\n") + "\n")
        #expect(theirs.count == cases.count)
        for (c, expected) in zip(cases, theirs) {
            let ours: String
            do {
                let (order, size) = try HeatmapGrid.chooseOrderSize(order: c.0, size: c.1, totalBytes: c.2, granularity: c.3)
                ours = "\(order) \(size)"
            } catch let e as HeatmapError {
                ours = "error \(e.description)"
            }
            // Below a quarter pixel of bytes python's order goes negative (and btrfs-heatmap stops
            // with a traceback); ours stays at 0, a 1×1 grid.
            if expected.hasPrefix("-") {
                #expect(ours == "0 " + (expected.split(separator: " ").last ?? ""), "\(c)")
            } else {
                #expect(ours == expected, "\(c)")
            }
        }
    }

    /// Random fills (gaps, neighbours sharing a pixel, pixels split in odd fractions, runs over
    /// many pixels) on grids of odd sizes: every pixel the same bytes as btrfs-heatmap's Grid.
    @Test func fillsGiveBtrfsHeatmapsPixels() throws {
        var rng = SystemRandomNumberGenerator()
        let palette: [HeatmapColor] = [.white, HeatmapPalette.blue, HeatmapPalette.red, HeatmapPalette.blueWhite,
                                       HeatmapPalette.treeColor(root: 1), HeatmapPalette.treeColor(root: 7)]
        var cases: [(order: Int, total: UInt64, curve: HeatmapCurve, fills: [(UInt64, UInt64, Double, HeatmapColor)])] = []
        for n in 0..<24 {
            let order = n % 7
            let total = UInt64.random(in: 1_000_000...(40 << 30), using: &rng)
            var fills: [(UInt64, UInt64, Double, HeatmapColor)] = []
            var at: UInt64 = 0
            while fills.count < 400 {
                let gap = Bool.random(using: &rng) ? 0 : UInt64.random(in: 0...(total / 64), using: &rng)
                let length = UInt64.random(in: 1...max(1, total >> UInt64.random(in: 2...30, using: &rng)), using: &rng)
                guard at + gap + length <= total else { break }
                let used = n % 3 == 0 ? 1 : Double.random(in: 0...1, using: &rng)
                fills.append((at + gap, length, used, palette[Int.random(in: 0..<palette.count, using: &rng)]))
                at += gap + length
            }
            cases.append((order, total, HeatmapCurve.allCases[n % 3], fills))
        }
        let input = cases.map { c -> String in
            let fills = c.fills.map { "[\($0.0),\($0.1),\($0.2),[\($0.3.r),\($0.3.g),\($0.3.b)]]" }.joined(separator: ",")
            return "{\"order\":\(c.order),\"size\":\(c.order),\"total\":\(c.total),\"curve\":\"\(c.curve.rawValue)\",\"fills\":[\(fills)]}"
        }
        let theirs = try Self.oracle(["grid"], stdin: input.joined(separator: "\n") + "\n")
        #expect(theirs.count == cases.count)
        for (c, expected) in zip(cases, theirs) {
            var grid = try HeatmapGrid(order: c.order, size: c.order, totalBytes: c.total, curve: c.curve)
            for f in c.fills { grid.fill(firstByte: f.0, length: f.1, usedFraction: f.2, color: f.3) }
            grid.finish()
            let ours = grid.pixels.map { String(Int($0) | 0x100, radix: 16).dropFirst() }.joined()
            #expect(ours == expected, "order \(c.order) total \(c.total) \(c.curve) fills \(c.fills.count)")
        }
    }

    @Test func pythonFloatRepr() {
        #expect(PythonFormat.floatRepr(1048576.0) == "1048576.0")
        #expect(PythonFormat.floatRepr(9.1e15) == "9100000000000000.0")
        #expect(PythonFormat.floatRepr(9007199254740994) == "9007199254740994.0")
        #expect(PythonFormat.floatRepr(1e16) == "1e+16")
        #expect(PythonFormat.floatRepr(262144.5) == "262144.5")
    }
}
