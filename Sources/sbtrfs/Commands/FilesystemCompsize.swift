#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Btrfs

// `sbtrfs filesystem compsize`: compsize 1.5's report (Debian's btrfs-compsize), byte for byte,
// from a bulk read of the file extent items instead of one tree search per file.
extension FilesystemCommands {
    static let compsize = Command(
        "compsize", synopsis: ["[options] <file-or-dir> [<file-or-dir>...]"],
        summary: "Show disk usage and compression of files, as compsize does",
        description: ["Total space used by a set of files, taking into account compression, reflinks",
                      "and partially overwritten extents; each extent is counted once across all paths.",
                      "Output as compsize 1.5's. Needs root (tree search)."],
        options: [OptionSpec("b", "bytes", help: "display raw bytes instead of human-readable sizes"),
                  OptionSpec("x", "one-file-system", help: "don't cross filesystem boundaries")],
        operands: [OperandSpec("file-or-dir", .path, repeating: true)],
        supportsJSON: true, permutesOperands: true, run: runCompsize)

    @Sendable static func runCompsize(_ invocation: Invocation) throws -> Int32 {
        let context = invocation.context
        let walk = Compsize(oneFileSystem: invocation.has("one-file-system")) { context.warning($0) }
        let totals: CompsizeTotals
        do {
            for path in invocation.operands { try walk.add(path: path) }
            totals = try walk.totals()
        } catch let error as CompsizeError {
            throw CommandExit.error(error.message)
        }
        // compsize passes over a missing argument in silence; say so, and fail at the end.
        for path in walk.missing { context.error("cannot access '\(path)': \(errnoText(ENOENT))") }
        var status: Int32 = walk.missing.isEmpty ? 0 : 1
        let uncompressed = totals.uncompressed.reduce(0, &+)
        if uncompressed == 0 {
            context.err.line(totals.files == 0 ? "No files." : "All empty or still-delalloced files.")
            status = 1
        }
        if context.format == .json {
            printCompsizeJSON(totals, to: context.out)
        } else if uncompressed != 0 {
            printCompsizeText(totals, bytes: invocation.has("bytes"), to: context.out)
        }
        return status
    }

    /// print_stats: the counts, then TOTAL and one row per type with data.
    static func printCompsizeText(_ totals: CompsizeTotals, bytes: Bool, to out: OutputStream) {
        let files = totals.files
        out.line("Processed \(files) file\(files > 1 ? "s" : ""), \(totals.extents) regular extents "
                 + "(\(totals.refs) refs), \(totals.inline) inline.")
        compsizeRow(out, "Type", "Perc", "Disk Usage", "Uncompressed", "Referenced")
        let disk = totals.disk.reduce(0, &+)
        let uncompressed = totals.uncompressed.reduce(0, &+)
        let referenced = totals.referenced.reduce(0, &+)
        func size(_ value: UInt64) -> String { bytes ? String(value) : compsizeHumanBytes(value) }
        compsizeRow(out, "TOTAL", compsizePercent(disk, uncompressed), size(disk), size(uncompressed), size(referenced))
        for type in 0..<CompsizeTotals.typeCount where totals.uncompressed[type] != 0 {
            compsizeRow(out, CompsizeTotals.typeName(type),
                        compsizePercent(totals.disk[type], totals.uncompressed[type]),
                        size(totals.disk[type]), size(totals.uncompressed[type]), size(totals.referenced[type]))
        }
    }

    /// `%-10s %-8s %-12s %-12s %-12s`.
    static func compsizeRow(_ out: OutputStream, _ columns: String...) {
        let widths = [10, 8, 12, 12, 12]
        for (i, (text, width)) in zip(columns, widths).enumerated() {
            if i > 0 { out.write(" ") }
            out.write(text)
            let pad = width - text.pathByteCount
            if pad > 0 { out.write(String(repeating: " ", count: pad)) }
        }
        out.write(byte: 0x0A)
    }

    /// `%3u%%` of disk*100/uncompressed, computed as compsize does (64-bit, then cut to 32).
    static func compsizePercent(_ disk: UInt64, _ uncompressed: UInt64) -> String {
        let percent = UInt32(truncatingIfNeeded: (disk &* 100) / uncompressed)
        let digits = String(percent)
        return String(repeating: " ", count: max(0, 3 - digits.count)) + digits + "%"
    }

    /// compsize's human_bytes: below 10 KiB-equivalents `%4lu` and the unit, else one decimal.
    static func compsizeHumanBytes(_ value: UInt64) -> String {
        let units = Array("BKMGTPE")
        var x = value
        var unit = 0
        while x >= 10240 {
            unit += 1
            x >>= 10
        }
        if x >= 1024 {
            return " \(x >> 10).\((x &* 10) / 1024 % 10)\(units[min(unit + 1, units.count - 1)])"
        }
        let digits = String(x)
        return String(repeating: " ", count: max(0, 4 - digits.count)) + digits + String(units[unit])
    }

    /// The same facts as JSON: counts, the total and one member per type with data.
    static func printCompsizeJSON(_ totals: CompsizeTotals, to out: OutputStream) {
        var json = JSONWriter(out: out, style: .native)
        json.start()
        json.beginGroup("compsize", .map)
        json.number("files", totals.files)
        json.number("regular-extents", totals.extents)
        json.number("refs", totals.refs)
        json.number("inline", totals.inline)
        func figures(_ disk: UInt64, _ uncompressed: UInt64, _ referenced: UInt64) {
            if uncompressed == 0 {
                json.null("percentage")
            } else {
                json.number("percentage", UInt64(UInt32(truncatingIfNeeded: (disk &* 100) / uncompressed)))
            }
            json.number("disk-usage", disk)
            json.number("uncompressed", uncompressed)
            json.number("referenced", referenced)
        }
        json.beginGroup("total", .map)
        figures(totals.disk.reduce(0, &+), totals.uncompressed.reduce(0, &+), totals.referenced.reduce(0, &+))
        json.endGroup()
        json.beginGroup("types", .array)
        for type in 0..<CompsizeTotals.typeCount where totals.uncompressed[type] != 0 {
            json.beginGroup(nil, .map)
            json.string("type", CompsizeTotals.typeName(type))
            figures(totals.disk[type], totals.uncompressed[type], totals.referenced[type])
            json.endGroup()
        }
        json.endGroup()
        json.endGroup()
        json.end()
    }
}
