/// btrfs-heatmap's space-filling curves: the order in which a grid's pixels are visited.
public enum HeatmapCurve: String, CaseIterable, Sendable {
    case hilbert, linear, snake

    /// The pixel visited at each step, as `y * width + x`, for the first `4^order` steps.
    /// Walked exactly as btrfs-heatmap's generators do, so the orientation is the same.
    public func positions(order: Int) -> [UInt32] {
        let edge = 1 << order
        let count = edge * edge
        var out = [UInt32]()
        out.reserveCapacity(count)
        switch self {
        case .linear:
            for i in 0..<count { out.append(UInt32(i)) }
        case .snake:
            // Rows pairwise: left to right, then right to left below it.
            var y = 0
            while out.count < count {
                for x in 0..<edge where out.count < count { out.append(UInt32(y * edge + x)) }
                y += 1
                var x = edge - 1
                while x >= 0, out.count < count, y < edge {
                    out.append(UInt32(y * edge + x))
                    x -= 1
                }
                y += 1
            }
        case .hilbert:
            var walker = HilbertWalker(edge: edge, count: count)
            walker.walk(HilbertWalker.start, level: order)
            out = walker.out
        }
        return out
    }
}

/// btrfs-heatmap's `hilbert`: a pattern of four unit steps, refined level by level through its
/// "inception" table, starting at the bottom left corner.
struct HilbertWalker {
    /// (dy, dx) of up, right, down, left.
    static let u = (-1, 0), r = (0, 1), d = (1, 0), l = (0, -1)
    static let start = 0  // URDR
    /// The eight patterns: URDR, RULU, URDD, LDRR, RULL, DLUU, LDRD, DLUL.
    static let steps: [[(Int, Int)]] = [
        [u, r, d, r], [r, u, l, u], [u, r, d, d], [l, d, r, r],
        [r, u, l, l], [d, l, u, u], [l, d, r, d], [d, l, u, l],
    ]
    /// Each pattern's four sub-patterns one level down, by index into `steps`.
    static let inception: [[Int]] = [
        [1, 0, 2, 3], [0, 1, 4, 5], [1, 0, 2, 6], [7, 6, 3, 0],
        [0, 1, 4, 7], [6, 7, 5, 1], [7, 6, 3, 2], [6, 7, 5, 4],
    ]

    let edge: Int
    let count: Int
    var y: Int
    var x = 0
    var out: [UInt32] = []

    init(edge: Int, count: Int) {
        self.edge = edge
        self.count = count
        y = edge - 1
        out.reserveCapacity(count)
    }

    mutating func walk(_ pattern: Int, level: Int) {
        if level > 1 {
            for sub in HilbertWalker.inception[pattern] { walk(sub, level: level - 1) }
            return
        }
        for (dy, dx) in HilbertWalker.steps[pattern] {
            // Order 0 walks four steps on a one-pixel grid: only the first is a pixel.
            guard out.count < count else { return }
            out.append(UInt32(y * edge + x))
            y += dy
            x += dx
        }
    }
}
