import Glibc

/// An RGB colour of the heatmap.
public struct HeatmapColor: Hashable, Sendable {
    /// Red, green, blue.
    public var r: UInt8, g: UInt8, b: UInt8
    /// A colour from its components.
    public init(_ r: UInt8, _ g: UInt8, _ b: UInt8) { (self.r, self.g, self.b) = (r, g, b) }

    /// Black and white.
    public static let black = HeatmapColor(0x00, 0x00, 0x00)
    public static let white = HeatmapColor(0xff, 0xff, 0xff)
}

/// What the grid did, for btrfs-heatmap's -vv and -vvv lines (the library prints nothing).
public enum HeatmapGridEvent {
    /// A fill inside one pixel: its linear index and the share of the pixel.
    case inPixel(pixel: Int, share: Double)
    /// A fill over several pixels: the first and last with their shares.
    case span(first: Int, firstShare: Double, last: Int, lastShare: Double)
    /// A pixel got its colour (-vvv).
    case pixel(y: Int, x: Int, linear: Int, color: HeatmapColor)
    /// Whole pixels first...last got the same colour (-vvv).
    case range(first: Int, last: Int, color: HeatmapColor)
}

/// Why a heatmap cannot be drawn.
public enum HeatmapError: Error, Equatable, CustomStringConvertible {
    case sizeBelowOrder(size: Int, order: Int)
    case empty

    /// The reason as btrfs-heatmap words it.
    public var description: String {
        switch self {
        case .sizeBelowOrder(let size, let order): "size (\(size)) cannot be smaller than order (\(order))"
        case .empty: "nothing to draw: the scope has no bytes"
        }
    }
}

/// btrfs-heatmap's Grid: 2^order × 2^order pixels walked along a curve; each fill adds its share
/// of a pixel (colour × share, usage × share) and a pixel's colour is the mix times its weighted
/// usage, lifted by a minimum brightness. The arithmetic is btrfs-heatmap's, in the same order,
/// so every pixel rounds the same way.
public struct HeatmapGrid {
    /// The curve, Hilbert order, and picture size in pixels; width and height (2^order).
    public let curve: HeatmapCurve
    public let order: Int
    public let size: Int
    public var width: Int { 1 << order }
    public var height: Int { 1 << order }
    /// Bytes the picture covers and per pixel; the number of pixels.
    public let totalBytes: UInt64
    public let bytesPerPixel: Double
    public var pixelCount: Int { positions.count }
    /// Pixel visited at each curve step (`y * width + x`).
    public let positions: [UInt32]
    /// The picture, row by row, three bytes a pixel.
    public private(set) var pixels: [UInt8]
    /// Weighted usage of each pixel by curve step, when asked for at init (JSON output).
    public private(set) var usage: [Double]?
    let minBrightness = 0.1
    /// Called for -vv events, and with `tracePixels` also for -vvv ones.
    public var trace: ((HeatmapGridEvent) -> Void)?
    public var tracePixels = false

    var linear = 0
    var mixR = 0.0, mixG = 0.0, mixB = 0.0, mixUsage = 0.0
    var dirty = false
    var finished = false

    /// btrfs-heatmap's choose_order_size: without an order, enough pixels for one per
    /// `granularity` bytes, at most order 10; size defaults to 10 (or the order above it).
    public static func chooseOrderSize(order: Int?, size: Int?, totalBytes: UInt64,
                                       granularity: UInt64) throws -> (order: Int, size: Int) {
        var chosen: Int
        if let order {
            chosen = order
        } else {
            guard totalBytes > 0, granularity > 0 else { throw HeatmapError.empty }
            // math.log(x, 2) is log(x) / log(2), which is not always log2(x) at powers of two.
            let exponent = (log((Double(totalBytes) / Double(granularity)).squareRoot()) / log(2.0)).rounded(.up)
            chosen = Swift.min(10, Int(exponent))
        }
        var chosenSize = size ?? (chosen > 10 ? chosen : 10)
        if chosenSize < chosen {
            guard order == nil else { throw HeatmapError.sizeBelowOrder(size: chosenSize, order: chosen) }
            chosen = chosenSize
        }
        if chosen < 0 { chosen = 0 }  // a scope smaller than the granularity (python: a traceback)
        chosenSize = Swift.max(chosenSize, chosen)
        return (chosen, chosenSize)
    }

    /// A grid of 2^order × 2^order pixels over `totalBytes`; `recordUsage` keeps each pixel's bytes for
    /// inspection.
    public init(order: Int, size: Int, totalBytes: UInt64, curve: HeatmapCurve, recordUsage: Bool = false) throws {
        guard totalBytes > 0 else { throw HeatmapError.empty }
        self.curve = curve
        self.order = order
        self.size = size
        self.totalBytes = totalBytes
        positions = curve.positions(order: order)
        bytesPerPixel = Double(totalBytes) / Double(positions.count)
        pixels = [UInt8](repeating: 0, count: positions.count * 3)
        if recordUsage { usage = [Double](repeating: 0, count: positions.count) }
    }

    /// Marks `length` bytes from grid offset `firstByte` as used by `usedFraction` in `color`.
    public mutating func fill(firstByte: UInt64, length: UInt64, usedFraction: Double, color: HeatmapColor) {
        guard !finished, length > 0 else { return }
        let end = firstByte.addingReportingOverflow(length)
        guard !end.overflow else { return }
        let bpp = bytesPerPixel
        let firstPixel = pixelIndex(Double(firstByte) / bpp)
        let lastPixel = pixelIndex(Double(end.partialValue - 1) / bpp)
        while linear < firstPixel, nextPixel() {}
        if firstPixel == lastPixel {
            let share = Double(length) / bpp
            trace?(.inPixel(pixel: firstPixel, share: share))
            add(color, usedFraction, share)
            return
        }
        let firstShare = (bpp - remainder(firstByte)) / bpp
        var lastShare = remainder(end.partialValue) / bpp
        if lastShare == 0 { lastShare = 1 }
        trace?(.span(first: firstPixel, firstShare: firstShare, last: lastPixel, lastShare: lastShare))
        add(color, usedFraction, firstShare)
        if linear < lastPixel - 1 {
            // Every pixel in between is wholly this fill's: one colour for all of them.
            nextPixel()
            add(color, usedFraction, 1)
            let (rgb, weighted) = mixColor()
            setPixel(rgb, weighted)
            if tracePixels { trace?(.range(first: linear, last: lastPixel - 1, color: rgb)) }
            while linear < lastPixel - 1, nextPixel() { setPixel(rgb, weighted) }
        }
        nextPixel()
        add(color, usedFraction, lastShare)
    }

    /// Settles the pixel in progress; the grid takes no more fills after this.
    public mutating func finish() {
        if !finished, dirty { finishPixel() }
        finished = true
    }

    /// Python's `x % bytes_per_pixel`: fmod, which is exact. bytes_per_pixel is total / 4^order
    /// exactly, so the same value is (x · 4^order mod total) / 4^order in integers, without
    /// glibc's fmod, a tenth of a block group picture's time.
    func remainder(_ x: UInt64) -> Double {
        let steps = UInt64(positions.count)
        let product = x.multipliedFullWidth(by: steps)
        guard x < 1 << 53, totalBytes < 1 << 53, product.high < totalBytes else {
            return Double(x).truncatingRemainder(dividingBy: bytesPerPixel)
        }
        return Double(totalBytes.dividingFullWidth(product).remainder) / Double(steps)
    }

    /// int() of a non-negative quotient, clamped onto the grid instead of trapping.
    func pixelIndex(_ q: Double) -> Int {
        guard q.isFinite, q >= 0 else { return 0 }
        return q < Double(positions.count) ? Int(q) : positions.count - 1
    }

    mutating func add(_ color: HeatmapColor, _ used: Double, _ share: Double) {
        mixR += Double(color.r) * share
        mixG += Double(color.g) * share
        mixB += Double(color.b) * share
        mixUsage += used * share
        dirty = true
    }

    /// Steps to the next pixel along the curve, settling the current one; false at the end.
    @discardableResult
    mutating func nextPixel() -> Bool {
        if dirty { finishPixel() }
        guard linear + 1 < positions.count else { return false }
        linear += 1
        return true
    }

    func mixColor() -> (HeatmapColor, Double) {
        let brightness = minBrightness + mixUsage * (1 - minBrightness)
        return (HeatmapColor(channel(mixR * brightness), channel(mixG * brightness), channel(mixB * brightness)), mixUsage)
    }

    /// Python's int(round(x)): half to even; kept within a byte.
    func channel(_ value: Double) -> UInt8 {
        let v = value.rounded(.toNearestOrEven)
        guard v.isFinite else { return 0 }
        return UInt8(Swift.min(Swift.max(v, 0), 255))
    }

    mutating func setPixel(_ color: HeatmapColor, _ weighted: Double) {
        let at = Int(positions[linear]) * 3
        pixels[at] = color.r
        pixels[at + 1] = color.g
        pixels[at + 2] = color.b
        usage?[linear] = weighted
    }

    mutating func finishPixel() {
        let (rgb, weighted) = mixColor()
        setPixel(rgb, weighted)
        if tracePixels {
            let p = Int(positions[linear])
            trace?(.pixel(y: p / width, x: p % width, linear: linear, color: rgb))
        }
        mixR = 0; mixG = 0; mixB = 0; mixUsage = 0
        dirty = false
    }
}
