#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Btrfs

/// `replace status` (progs' print_replace_status): byte for byte, the running form redrawn
/// every second with backspaces until the replace ends, as progs does whatever stdout is; and a
/// JSON form of the same facts (progs has none; numbers as numbers, printed once).
extension ReplaceCommands {
    static let status = Command(
        "status", synopsis: ["[-1] <mount_point>"],
        summary: "Print status and progress information of a running device replace operation",
        options: [OptionSpec("1", nil, help: "print once instead of print continuously until the replace operation "
                                + "finishes (or is canceled)")],
        operands: [OperandSpec("mount_point", .mountPoint)],
        // progs' help, which has no --format: the JSON form is sbtrfs's own (Docs/DIFFERENCES.md).
        help: [.optionNamed("1")], supportsJSON: true, permutesOperands: true, run: runStatus)

    @Sendable static func runStatus(_ invocation: Invocation) throws -> Int32 {
        let context = invocation.context, out = invocation.out
        let path = invocation.operands[0]
        let fs = try FileSystem(path: path, requireDirectory: true)
        let once = invocation.has("1") || context.format == .json
        while true {
            guard let s = checkedStatus(fs, path: path, context: context) else { return 1 }
            if context.format == .json {
                printJSON(s, path: path, to: out)
                return 0
            }
            var text: String
            var ends = true
            switch s.state {
            case .started:
                text = "\(progressText(s.progress1000)) done"
                ends = false
            case .finished:
                text = "Started on \(timeText(s.timeStarted)), finished on \(timeText(s.timeStopped))"
            case .canceled:
                text = "Started on \(timeText(s.timeStarted)), canceled on \(timeText(s.timeStopped)) at \(progressText(s.progress1000))"
            case .suspended:
                text = "Started on \(timeText(s.timeStarted)), suspended on \(timeText(s.timeStopped)) at \(progressText(s.progress1000))"
            case .neverStarted:
                out.line("Never started")
                return 0
            default:
                context.error("unknown status from ioctl DEV_REPLACE_STATUS on '\(path)': \(s.state.rawValue)")
                return 1
            }
            text += ", \(s.numWriteErrors) write errs, \(s.numUncorrectableReadErrors) uncorr. read errs"
            if once || ends {
                out.line(text)
                return 0
            }
            // progs: print, wait a second, step back over what was printed (only the running
            // line is ever taken back; the last line stays).
            out.write(text)
            out.flush()
            sleep(1)
            out.write(String(repeating: "\u{8}", count: text.utf8.count))
        }
    }

    /// progress2string: tenths of a percent as `%d.%01d%%` of progs' int.
    static func progressText(_ progress1000: UInt64) -> String {
        let p = Int32(truncatingIfNeeded: progress1000)
        return "\(p / 10).\(p % 10)%"
    }

    /// time2string: local time as strftime's `%e.%b %T`.
    static func timeText(_ seconds: UInt64) -> String {
        var time = time_t(truncatingIfNeeded: Int64(bitPattern: seconds))
        var parts = tm()
        localtime_r(&time, &parts)
        var buffer = [CChar](repeating: 0, count: 80)
        let count = strftime(&buffer, buffer.count, "%e.%b %T", &parts)
        return String(decoding: buffer.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func printJSON(_ s: DevReplaceStatus, path: String, to out: OutputStream) {
        var json = JSONWriter(out: out, style: .native)
        json.start()
        json.beginGroup("replace-status", .map)
        json.string("path", path)
        let names: [DevReplaceState: String] = [.neverStarted: "never-started", .started: "started", .finished: "finished",
                                                .canceled: "canceled", .suspended: "suspended"]
        json.string("state", names[s.state] ?? "unknown")
        let started = s.state != .neverStarted
        if started { json.number("progress-percent", Double(s.progress1000) / 10) } else { json.null("progress-percent") }
        json.number("time-started", started ? s.timeStarted : nil)
        json.number("time-stopped", started && s.state != .started ? s.timeStopped : nil)
        json.number("write-errors", started ? s.numWriteErrors : nil)
        json.number("uncorrectable-read-errors", started ? s.numUncorrectableReadErrors : nil)
        json.endGroup()
        json.end()
    }
}
