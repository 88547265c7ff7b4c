import Btrfs

extension FilesystemCommands {
    /// `--format json`: the grid as data. Pixels are numbered along the curve (step 0 first); a
    /// run is consecutive steps of the same colour and fill, with the bytes of the scope it covers
    /// (grid offsets: devices end to end, chunks end to end, or from the block group's start).
    static func writeHeatmapJSON(_ grid: HeatmapGrid, to out: OutputStream) {
        var json = JSONWriter(out: out, style: .native)
        json.start()
        json.beginGroup("heatmap", .map)
        json.string("curve", grid.curve.rawValue)
        json.number("order", UInt64(grid.order))
        json.number("size", UInt64(grid.size))
        json.number("width", UInt64(grid.width))
        json.number("height", UInt64(grid.height))
        json.number("total-bytes", grid.totalBytes)
        json.number("bytes-per-pixel", grid.bytesPerPixel)
        json.beginGroup("runs", .array)
        let count = grid.pixelCount
        let usage = grid.usage ?? []
        func color(_ step: Int) -> (Int, Double) {
            let p = Int(grid.positions[step]) * 3
            let rgb = Int(grid.pixels[p]) << 16 | Int(grid.pixels[p + 1]) << 8 | Int(grid.pixels[p + 2])
            return (rgb, step < usage.count ? usage[step] : 0)
        }
        func offset(_ step: Int) -> UInt64 {
            step >= count ? grid.totalBytes : Swift.min(grid.totalBytes, UInt64(Double(step) * grid.bytesPerPixel))
        }
        var start = 0
        while start < count {
            let (rgb, fill) = color(start)
            var end = start + 1
            while end < count, color(end) == (rgb, fill) { end += 1 }
            json.beginGroup(nil, .map)
            json.number("first-pixel", UInt64(start))
            json.number("pixels", UInt64(end - start))
            json.number("offset", offset(start))
            json.number("length", offset(end) - offset(start))
            json.string("rgb", "#" + String(rgb | 1 << 24, radix: 16).dropFirst())
            json.number("fill", fill)
            json.endGroup()
            start = end
        }
        json.endGroup()
        json.endGroup()
        json.end()
    }
}
