import Btrfs

// `sbtrfs filesystem du`: btrfs-progs 6.2's report byte for byte (cmds/filesystem-du.c), from
// bulk reads of the file extent items and the extent tree instead of a FIEMAP per file.
extension FilesystemCommands {
    static let du = Command(
        "du", synopsis: ["[options] <path> [<path>..]"], summary: "Summarize disk usage of each file.",
        options: [OptionSpec("s", "summarize", help: "display only a total for each argument")],
        units: .long, operands: [OperandSpec("path", .path, repeating: true)],
        // progs' help text; JSON is an sbtrfs addition it does not list.
        help: [.optionNamed("summarize"), .units],
        supportsJSON: true, permutesOperands: true, run: runDu)

    @Sendable static func runDu(_ invocation: Invocation) throws -> Int32 {
        let context = invocation.context
        let arguments = invocation.operands
        let usage = DiskUsage(summarize: invocation.has("summarize"))
        try usage.prepare(arguments: arguments)
        let json = context.format == .json
        let text = !json && context.shouldPrint(Context.logDefault)
        let mode = invocation.units
        var writer = JSONWriter(out: context.out, style: .native)
        if json {
            writer.start()
            writer.beginGroup("filesystem-du", .array)
        } else if text {
            duRow(context.out, "Total", "Exclusive", "Set shared", path: Array("Filename".utf8))
        }
        var status: Int32 = 0
        for (number, argument) in arguments.enumerated() {
            let failure = usage.report(argument: number, line: { line in
                if json {
                    writer.beginGroup(nil, .map)
                    writer.string("path", String(pathBytes: line.path))
                    writer.number("total", line.total)
                    writer.number("exclusive", line.exclusive)
                    writer.number("set-shared", line.setShared)
                    writer.endGroup()
                } else if text {
                    duRow(context.out, prettySize(line.total, mode: mode), prettySize(line.exclusive, mode: mode),
                          line.setShared.map { prettySize($0, mode: mode) } ?? "-", path: line.path)
                }
            }, warning: { context.warning($0) })
            if let failure {
                context.error("cannot check space of '\(argument)': \(errnoText(failure))")
                status = 1
            }
        }
        if json {
            writer.endGroup()
            writer.end()
        }
        return status
    }

    /// `%10s  %10s  %10s  %s`.
    static func duRow(_ out: OutputStream, _ total: String, _ exclusive: String, _ shared: String, path: [UInt8]) {
        for cell in [total, exclusive, shared] {
            out.write(cPad(cell, 10))
            out.write("  ")
        }
        out.write(bytes: path)
        out.write(byte: 0x0A)
    }
}
