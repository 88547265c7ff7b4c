#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Btrfs

// `sbtrfs balance status`: progs' cmd_balance_status byte for byte, its exit codes (0 no balance,
// 1 running or paused, 2 error), and a JSON form of the same facts (numbers as numbers).
extension BalanceCommands {
    static let status = Command(
        "status", synopsis: ["[-v] <path>"], summary: "Show status of running or paused balance",
        options: [OptionSpec("v", "verbose", help: "deprecated, alias for global -v option", display: "-v|--verbose")],
        operands: [OperandSpec("path", .path)],
        // progs' help, which has no --format: the JSON form is sbtrfs's own (Docs/DIFFERENCES.md).
        help: [.optionNamed("verbose"), .globals, .verbose],
        supportsJSON: true, permutesOperands: true, run: runStatus)

    @Sendable static func runStatus(_ invocation: Invocation) throws -> Int32 {
        let context = invocation.context
        for _ in 0..<invocation.count("verbose") {
            context.verbosity = context.verbosity == Context.verbosityUnset ? Context.logDefault : context.verbosity + 1
        }
        let path = invocation.operands[0]
        let fs: FileSystem
        do {
            fs = try FileSystem(path: path, requireDirectory: true)
        } catch let error as BtrfsError {
            context.error(error.description)
            return 2
        }
        let status: BalanceStatus?
        do {
            status = try fs.balanceStatus()
        } catch .notInProgress {
            status = nil
        } catch {
            context.error("balance status on '\(path)' failed: \(errorText(error))")
            return 2
        }
        if context.format == .json {
            printStatusJSON(status, path: path, verbose: context.verbosity > Context.verbosityQuiet, to: context.out)
            return status == nil ? 0 : 1
        }
        let out = context.out
        guard let status else {
            out.line("No balance found on '\(path)'")
            return 0
        }
        let state = status.progress.state
        if state.contains(.running) {
            out.write("Balance on '\(path)' is running")
            if state.contains(.cancelRequested) {
                out.line(", cancel requested")
            } else if state.contains(.pauseRequested) {
                out.line(", pause requested")
            } else {
                out.line()
            }
        } else {
            out.line("Balance on '\(path)' is paused")
        }
        let p = status.progress
        out.line("\(p.completed) out of about \(p.expected) chunks balanced (\(p.considered) considered), \(percentLeft(p))% left")
        if context.verbosity > Context.verbosityQuiet {
            BalanceFilters.dump(status.request, state: state, to: out)
        }
        return 1
    }

    /// `%3.f` of progs' single-precision 100 * (1 - completed / expected) (nan and inf included).
    static func percentLeft(_ p: BalanceProgress) -> String {
        var buffer = [CChar](repeating: 0, count: 64)
        let n = withVaList([Double(leftFraction(p))]) { vsnprintf(&buffer, buffer.count, "%3.f", $0) }
        guard n > 0 else { return "" }
        return String(decoding: buffer.prefix(Int(n)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The float progs computes: every step in single precision, as C does with a float operand.
    static func leftFraction(_ p: BalanceProgress) -> Float {
        Float(100) * (Float(1) - Float(p.completed) / Float(p.expected))
    }

    static func printStatusJSON(_ status: BalanceStatus?, path: String, verbose: Bool, to out: OutputStream) {
        var json = JSONWriter(out: out, style: .native)
        json.start()
        json.beginGroup("balance-status", .map)
        json.string("path", path)
        guard let status else {
            json.string("state", "none")
            json.endGroup()
            json.end()
            return
        }
        let p = status.progress
        json.string("state", p.state.contains(.running) ? "running" : "paused")
        json.bool("pause-requested", p.state.contains(.pauseRequested))
        json.bool("cancel-requested", p.state.contains(.cancelRequested))
        json.number("expected", p.expected)
        json.number("considered", p.considered)
        json.number("completed", p.completed)
        let left = leftFraction(p)
        if left.isFinite { json.number("left-percent", Double(left)) } else { json.null("left-percent") }
        if verbose {
            json.number("flags", status.request.flags.rawValue)
            for (flag, name, args) in [(BalanceFlags.data, "data", status.request.data),
                                       (.metadata, "metadata", status.request.metadata),
                                       (.system, "system", status.request.system)] where status.request.flags.contains(flag) {
                json.beginGroup(name, .map)
                json.number("flags", args.flags)
                json.string("filters", BalanceFilters.describe(args))
                json.endGroup()
            }
        }
        json.endGroup()
        json.end()
    }
}
