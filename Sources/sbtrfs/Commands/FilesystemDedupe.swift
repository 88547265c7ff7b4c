import Btrfs

/// `filesystem dedupe`: python-btrfs's example file_dedupe_range (FIDEDUPERANGE). The kernel
/// compares the ranges and shares extents only where they are the same, so a differing range
/// changes nothing.
extension FilesystemCommands {
    static let dedupe = Command(
        "dedupe", synopsis: ["<src> <src_offset> <length> <dest> <dest_offset> [<dest> <dest_offset>...]"],
        summary: "Share the extents of identical file ranges",
        description: ["As python-btrfs's example file_dedupe_range: for each destination, the kernel compares",
                      "<length> bytes at <src_offset> of <src> with the destination's at <dest_offset> and,",
                      "where they are the same (RANGE_SAME), makes the destination use the source's extents.",
                      "Ranges that differ (RANGE_DIFFERS) are left as they are."],
        operands: [OperandSpec("src", .file), OperandSpec("src_offset", .number), OperandSpec("length", .number),
                   OperandSpec("dest", .file), OperandSpec("dest_offset", .number),
                   OperandSpec("dest_and_offset", .string, optional: true, repeating: true)],
        supportsJSON: true, checksOperandCount: false, run: runDedupe)

    @Sendable static func runDedupe(_ invocation: Invocation) throws -> Int32 {
        let operands = invocation.operands
        try invocation.checkArgcMin(5)
        guard (operands.count - 3) % 2 == 0 else {
            throw CommandExit.error("each destination needs an offset: <dest> <dest_offset>")
        }
        // Every number and file is checked before the call: nothing is deduped on a bad argument.
        func number(_ text: String, _ what: String) throws -> UInt64 {
            guard let value = parseDecimalU64(text) else { throw CommandExit.error("invalid \(what) '\(text)'") }
            return value
        }
        let sourceOffset = try number(operands[1], "source offset")
        let length = try number(operands[2], "length")
        let source = try openRegularFile(operands[0])
        var names: [String] = []
        var files: [FileSystem] = []
        var infos: [FileDedupeRangeInfo] = []
        var index = 3
        while index + 1 < operands.count {
            let offset = try number(operands[index + 1], "destination offset")
            let file = try openRegularFile(operands[index])
            names.append(operands[index])
            files.append(file)
            infos.append(FileDedupeRangeInfo(destination: file.descriptor.rawValue, destOffset: offset))
            index += 2
        }
        try source.dedupeRange(sourceOffset: sourceOffset, length: length, destinations: &infos)
        withExtendedLifetime(files) {}
        var status: Int32 = 0
        let out = invocation.out
        var json = JSONWriter(out: out, style: .native)
        if invocation.format == .json {
            json.start()
            json.beginGroup("dedupe", .map)
            json.string("source", operands[0])
            json.number("source-offset", sourceOffset)
            json.number("length", length)
            json.beginGroup("destinations", .array)
        }
        for (name, info) in zip(names, infos) {
            let code = info.status ?? 0
            if code < 0 {
                // The report line is python's; the failure also gets its ERROR line.
                status = 1
                invocation.context.error("cannot dedupe into '\(name)': \(errnoText(0 &- code))")
            }
            if invocation.format == .json {
                json.beginGroup(nil, .map)
                json.string("dest", name)
                json.number("dest-offset", info.destOffset)
                json.number("bytes-deduped", info.bytesDeduped)
                json.string("status", code == FileDedupeRangeInfo.same ? "same" : code == FileDedupeRangeInfo.differs ? "differs" : "error")
                if code < 0 { json.number("errno", Int64(-Int64(code))) } else { json.null("errno") }
                json.endGroup()
            } else {
                out.line("dest \(name) dest_offset \(info.destOffset) bytes_deduped \(info.bytesDeduped.map(String.init) ?? "None") status \(info.statusText)")
            }
        }
        if invocation.format == .json {
            json.endGroup()
            json.endGroup()
            json.end()
        }
        return status
    }

    /// The python program's check: a regular file (on btrfs, here), else one error line.
    static func openRegularFile(_ path: String) throws -> FileSystem {
        let fs = try FileSystem(path: path, directoryOrFile: true)
        guard try fs.isRegularFile() else { throw CommandExit.error("\(path) is not a regular file!") }
        return fs
    }
}
