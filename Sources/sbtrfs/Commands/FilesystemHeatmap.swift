#if canImport(Glibc)
import Glibc
#endif
import Btrfs

// `sbtrfs filesystem heatmap`: btrfs-heatmap 9's pictures, pixel for pixel, and its lines.
extension FilesystemCommands {
    /// Largest --order (a 4096×4096 grid) and --size (a 16384×16384 picture) accepted.
    static let heatmapMaxOrder = 12
    static let heatmapMaxSize = 14

    static let heatmap = Command(
        "heatmap", synopsis: ["[options] <path>"],
        summary: "Draw a heatmap picture (PNG) of the filesystem's space, as btrfs-heatmap does",
        description: ["Physical view: every device end to end, dev extents shaded by their block group's usage",
                      "(data white, metadata blue, system red, mixed light blue; unallocated black).",
                      "Virtual view: block groups in address order. --blockgroup: the extents inside one",
                      "block group (metadata coloured by tree). The file name is chosen from the fsid and",
                      "the time unless -o names a file; one picture per run makes a film of a balance."],
        options: [OptionSpec(nil, "order", value: .number, valueName: "order",
                             help: "Hilbert curve order, 0 to \(heatmapMaxOrder) (default: chosen from the size of the filesystem)"),
                  OptionSpec(nil, "size", value: .number, valueName: "size",
                             help: "picture size, 0 to \(heatmapMaxSize): height and width are 2^size (default: 10)"),
                  OptionSpec(nil, "sort", value: .choice(["physical", "virtual"]), valueName: "physical|virtual",
                             help: "sort on dev extent (physical, default) or chunk (virtual)"),
                  OptionSpec(nil, "blockgroup", value: .number, valueName: "vaddr",
                             help: "instead of the filesystem, show the extents inside the block group at vaddr"),
                  OptionSpec(nil, "curve", value: .choice(HeatmapCurve.allCases.map(\.rawValue)),
                             valueName: "hilbert|linear|snake", help: "space filling curve (default: hilbert)"),
                  OptionSpec("o", "output", value: .file, valueName: "file|dir",
                             help: "PNG file name or directory ('-': standard output; default: name chosen)"),
                  OptionSpec("v", "verbose", help: "more lines (-v block groups, -vv shares of pixels, -vvv pixel colours)"),
                  OptionSpec("q", "quiet", help: "fewer lines")],
        operands: [OperandSpec("path", .path)], supportsJSON: true, permutesOperands: true, run: runHeatmap)

    struct HeatmapRequest {
        var options = HeatmapOptions()
        var sortVirtual = false
        var blockGroup: UInt64?
        var output: String?
        var verbose = 0
    }

    /// Everything from the arguments, checked before the filesystem is touched.
    static func heatmapRequest(_ invocation: Invocation) throws -> HeatmapRequest {
        var request = HeatmapRequest()
        func integer(_ name: String, max: Int) throws -> Int? {
            guard let text = invocation.value(name) else { return nil }
            guard let n = Int(text.trimmingASCIISpaces()) else { throw CommandExit.error("invalid \(name) '\(text)': not an integer") }
            guard n >= 0 && n <= max else { throw CommandExit.error("\(name) \(n) out of range (0 to \(max))") }
            return n
        }
        request.options.order = try integer("order", max: heatmapMaxOrder)
        request.options.size = try integer("size", max: heatmapMaxSize)
        if let order = request.options.order, let size = request.options.size, size < order {
            throw CommandExit.error(HeatmapError.sizeBelowOrder(size: size, order: order).description)
        }
        if let curve = invocation.value("curve") {
            guard let c = HeatmapCurve(rawValue: curve) else {
                throw CommandExit.error("invalid curve '\(curve)' (choose from hilbert, linear, snake)")
            }
            request.options.curve = c
        }
        if let sort = invocation.value("sort") {
            guard sort == "physical" || sort == "virtual" else {
                throw CommandExit.error("invalid sort '\(sort)' (choose from physical, virtual)")
            }
            request.sortVirtual = sort == "virtual"
        }
        if let text = invocation.value("blockgroup") {
            let digits = text.trimmingASCIISpaces()
            guard !digits.hasPrefix("-"), !digits.hasPrefix("+"), let vaddr = parseU64(digits) else {
                throw CommandExit.error("invalid blockgroup '\(text)': not a block group address")
            }
            request.blockGroup = vaddr
        }
        request.output = invocation.value("output")
        request.verbose = invocation.count("verbose") - invocation.count("quiet")
        if request.output == "-" || invocation.format == .json { request.verbose = -1 }
        request.options.recordUsage = invocation.format == .json
        return request
    }

    @Sendable static func runHeatmap(_ invocation: Invocation) throws -> Int32 {
        var request = try heatmapRequest(invocation)
        let path = invocation.operands[0]
        let out = invocation.out
        let fs = try FileSystem(path: path)
        let printer = HeatmapLines(out: out, verbose: request.verbose)
        if request.verbose >= 2 { request.options.gridTrace = printer.gridEvent }
        request.options.tracePixels = request.verbose >= 3
        let trace: ((HeatmapEvent) -> Void)? = request.verbose >= 0 ? printer.event : nil
        var nameParts = ["fsid", "", ]
        var grid: HeatmapGrid
        do {
            nameParts[1] = try fs.fsInfo().fsid.description
            if request.options.curve != .hilbert { nameParts.append(request.options.curve.rawValue) }
            if let vaddr = request.blockGroup {
                let blockGroup: BlockGroupItem
                do { blockGroup = try fs.blockGroup(vaddr: vaddr) } catch BtrfsError.itemNotFound {
                    throw CommandExit.error("No block group at vaddr \(vaddr)!")
                }
                grid = try fs.heatmapBlockGroup(blockGroup, request.options, trace: trace)
                nameParts += ["blockgroup", "\(blockGroup.vaddr)"]
            } else if request.sortVirtual {
                nameParts.append("chunks")
                grid = try fs.heatmapVirtual(request.options, trace: trace)
            } else {
                grid = try fs.heatmapPhysical(request.options, trace: trace)
            }
        } catch BtrfsError.system(let code, _, _) where code == EPERM {
            throw CommandExit.error("insufficient permissions to use the btrfs kernel API: \(path) (run as root)")
        } catch let e as HeatmapError {
            throw CommandExit.error(e.description)
        }
        if invocation.format == .json {
            grid.finish()
            writeHeatmapJSON(grid, to: out)
            return 0
        }
        let file = heatmapFileName(output: request.output, parts: nameParts)
        if request.verbose >= 0 { out.line("pngfile \(file)") }
        grid.finish()  // after the line: -vvv shows the last pixel after it, as btrfs-heatmap does
        let png = try PNGEncoder.encode(pixels: grid.pixels, width: grid.width, height: grid.height,
                                        scale: 1 << (grid.size - grid.order))
        if file == "-" {
            out.write(bytes: png)
            return 0
        }
        out.flush()
        if let reason = writeWhole(png, to: file) {
            throw CommandExit.error("unable to write output file \(file): \(reason)")
        }
        return 0
    }

    /// btrfs-heatmap's generate_png_file_name: -o as given, or fsid_…_at_<time>.png in the
    /// current directory or in the directory -o names.
    static func heatmapFileName(output: String?, parts: [String]) -> String {
        var isDirectory = false
        if let output, !output.isEmpty {
            if case .success(let st) = SystemCall.stat(output) { isDirectory = st.st_mode & S_IFMT == S_IFDIR }
        }
        if let output, !isDirectory { return output }
        let name = (parts + ["at", "\(time(nil))"]).joined(separator: "_") + ".png"
        guard let directory = output else { return name }
        return directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }

    /// Writes `bytes` to a new or truncated `file`; on failure removes what it created and says why.
    static func writeWhole(_ bytes: [UInt8], to file: String) -> String? {
        let fd: CInt
        switch SystemCall.open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode: 0o644) {
        case .success(let opened): fd = opened
        case .failure(let e): return errorText(e)
        }
        var failure: Int32 = 0
        bytes.withUnsafeBytes { buffer in
            var done = 0
            while done < buffer.count {
                switch SystemCall.value({ write(fd, buffer.baseAddress.map { $0 + done }, buffer.count - done) }) {
                case .success(let n): done += n
                case .failure(let e):
                    failure = e.rawValue
                    return
                }
            }
        }
        if case .failure(let e) = SystemCall.value(retryOnInterrupt: false, { close(fd) }), failure == 0 { failure = e.rawValue }
        guard failure != 0 else { return nil }
        _ = file.withPathCString { unlink($0) }
        return errnoText(failure)
    }
}

extension String {
    /// Python's int() accepts surrounding whitespace.
    func trimmingASCIISpaces() -> String {
        var s = Substring(self)
        while let c = s.first, c == " " || c == "\t" || c == "\n" { s.removeFirst() }
        while let c = s.last, c == " " || c == "\t" || c == "\n" { s.removeLast() }
        return String(s)
    }
}
