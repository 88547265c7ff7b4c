import Btrfs

/// btrfs-heatmap's lines on stdout: scope and grid always, then more with each -v.
struct HeatmapLines {
    let out: OutputStream
    let verbose: Int

    func event(_ e: HeatmapEvent) {
        switch e {
        case .scopeDevices(let devids):
            out.line("scope device " + devids.map { "\($0)" }.joined(separator: " "))
        case .scopeChunks:
            out.line("scope chunks")
        case .scopeBlockGroup(let vaddr):
            out.line("scope block_group \(vaddr)")
        case .grid(let g):
            out.line("grid curve \(g.curve.rawValue) order \(g.order) size \(g.size) height \(g.height) width \(g.width) "
                     + "total_bytes \(g.totalBytes) bytes_per_pixel \(PythonFormat.floatRepr(g.bytesPerPixel))")
        case .devExtent(let d, let bg, let used) where verbose >= 1:
            out.line("dev_extent devid \(d.devid) paddr \(d.paddr) length \(d.length) pend \(d.paddr &+ d.length &- 1) "
                     + "type \(PythonFormat.blockGroupFlags(bg.flags)) used_pct \(formatFixed2(used * 100))")
        case .chunk(let c, let bg, let allocated) where verbose >= 1:
            ShortItemText.writeBlockGroup(bg, to: out.text)
            out.line("chunk vaddr \(c.vaddr) type \(PythonFormat.blockGroupFlags(c.type)) "
                     + "length \(PythonFormat.prettySize(c.length)) num_stripes \(c.numStripes)")
            out.line("allocated physical space for chunk at \(c.vaddr): \(PythonFormat.prettySize(allocated))")
            if verbose >= 2 {
                for s in c.stripes { out.line("    stripe devid \(s.devid) offset \(s.offset)") }
            }
        case .blockGroup(let bg) where verbose >= 1:
            ShortItemText.writeBlockGroup(bg, to: out.text)
        case .extent(let vaddr, let first, let type, let length) where verbose >= 1:
            out.line("extent vaddr \(vaddr) first_byte \(first) type \(type == .metadataItem ? "METADATA_ITEM" : "EXTENT_ITEM") length \(length)")
        default:
            break
        }
    }

    func gridEvent(_ e: HeatmapGridEvent) {
        switch e {
        case .inPixel(let pixel, let share):
            out.line("    in_pixel \(pixel) \(formatFixed2(share * 100))%")
        case .span(let first, let firstShare, let last, let lastShare):
            out.line("    first_pixel \(first) \(formatFixed2(firstShare * 100))% last_pixel \(last) \(formatFixed2(lastShare * 100))%")
        case .pixel(let y, let x, let linear, let c):
            out.line("        pixel y \(y) x\(x) linear \(linear) rgb #\(hex(c))")
        case .range(let first, let last, let c):
            out.line("        pixel range linear \(first) to \(last) rgb #\(hex(c))")
        }
    }

    func hex(_ c: HeatmapColor) -> String {
        let digits = Array("0123456789abcdef")
        return String([c.r, c.g, c.b].flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 15)]] })
    }
}
