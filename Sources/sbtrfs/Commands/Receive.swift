#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Btrfs

/// `receive`: applies send streams below a mount point, or `--dump`s them, as btrfs-progs 6.2.
enum Receive {
    static let command = Command(
        "receive", synopsis: ["[options] <mount>", "--dump [options]"],
        summary: "Receive subvolumes from a stream",
        description: ["Receives one or more subvolumes that were previously",
                      "sent with btrfs send. The received subvolumes are stored",
                      "into MOUNT.",
                      "The receive will fail in case the receiving subvolume",
                      "already exists. It will also fail in case a previously",
                      "received subvolume has been changed after it was received.",
                      "After receiving a subvolume, it is immediately set to",
                      "read-only."],
        options: [
            OptionSpec("q", "quiet", help: "suppress all messages, except errors", display: "-q|--quiet"),
            OptionSpec("f", nil, value: .file, help: "read the stream from FILE instead of stdin", display: "-f FILE"),
            OptionSpec("e", nil, help: "terminate after receiving an <end cmd> marker in the stream. Without this option the receiver side terminates only in case of an error on end of file."),
            OptionSpec("C", "chroot", help: "confine the process to <mount> using chroot", display: "-C|--chroot"),
            OptionSpec("E", "max-errors", value: .number, help: "terminate as soon as NERR errors occur while stream processing commands from the stream. Default value is 1. A value of 0 means no limit.",
                       display: "-E|--max-errors NERR"),
            OptionSpec("m", nil, value: .mountPoint, help: "the root mount point of the destination filesystem. If /proc is not accessible, use this to tell us where this file system is mounted.",
                       display: "-m ROOTMOUNT"),
            OptionSpec(nil, "force-decompress", help: "if the stream contains compressed data, always decompress it instead of writing it with encoded I/O",
                       getoptValue: 257),
            OptionSpec(nil, "dump", help: "dump stream metadata, one line per operation, does not require the MOUNT parameter"),
            OptionSpec("v", nil, help: "deprecated, alias for global -v option"),
        ],
        operands: [OperandSpec("mount", .mountPoint, optional: true)],
        help: [.optionNamed("quiet"), .optionNamed("f"), .optionNamed("e"), .optionNamed("chroot"),
               .optionNamed("max-errors"), .optionNamed("m"), .optionNamed("force-decompress"), .optionNamed("dump"),
               .optionNamed("v"), .globals, .verbose, .quiet, .text(""),
               .text("Compression support: zlib, lzo, zstd"), .text("Feature support: fsverity")],
        checksOperandCount: false, permutesOperands: true, run: run)

    @Sendable static func run(_ invocation: Invocation) throws -> Int32 {
        let context = invocation.context
        // Receive's default verbosity is 1 ("At subvol" is printed); a global -v counts one more.
        if context.verbosity == Context.verbosityUnset {
            context.verbosity = 1
        } else if context.verbosity > Context.verbosityQuiet {
            context.verbosity += 1
        }
        var maxErrors: UInt64 = 1
        for option in invocation.options {
            switch option.id {
            case "v": context.verbosity = context.verbosity == Context.verbosityUnset ? 1 : context.verbosity + 1
            case "quiet": context.verbosity = Context.verbosityQuiet
            case "max-errors": maxErrors = try argStrtou64(option.value ?? "")
            default: break
            }
        }
        let dump = invocation.has("dump")
        let operands = invocation.operands
        let expected = dump ? 0 : 1
        if operands.count != expected {
            context.err.line("\(context.commandPath): exactly \(expected) argument expected, \(operands.count) given")
            throw CommandExit.usage
        }
        var input: CInt = 0
        if let file = invocation.value("f") {
            if file.pathByteCount >= 4096 {
                throw CommandExit.error("input file path too long (\(file.pathByteCount))")
            }
            switch SystemCall.open(file, O_RDONLY | 0o1000000 | O_CLOEXEC) {
            case .success(let fd): input = fd
            case .failure(let e):
                // progs exits 0 here (its ret is still 0); a stream that cannot be read is a failure.
                context.error("cannot open \(file): \(errorText(e))")
                return 1
            }
        }
        defer { if input != 0 { close(input) } }
        if dump { return runDump(input, context: context, maxErrors: maxErrors) }
        if let m = invocation.value("m"), m.pathByteCount >= 4096 {
            throw CommandExit.error("mount point path too long (\(m.pathByteCount))")
        }
        return runReceive(input, invocation: invocation, maxErrors: maxErrors)
    }

    static func runDump(_ input: CInt, context: Context, maxErrors: UInt64) -> Int32 {
        var printer = DumpPrinter(out: context.out)
        var reader = SendStreamReader(fd: input)
        let result = SendStreamProcessor.run(&reader, honorEnd: false, maxErrors: maxErrors,
                                             report: { context.error($0) }, handle: { try printer.print($0) })
        guard result < 0 else { return 0 }
        context.error("failed to dump the send stream: \(errnoText(-result))")
        return 1
    }

    static func runReceive(_ input: CInt, invocation: Invocation, maxErrors: UInt64) -> Int32 {
        let context = invocation.context
        let honorEnd = invocation.has("e")
        let receiver: StreamReceiver
        do {
            receiver = try StreamReceiver(destination: invocation.operands[0], rootMount: invocation.value("m"),
                                          chroot: invocation.has("chroot"), verbosity: context.verbosity,
                                          log: { context.err.write($0) }, note: { context.out.write($0) })
        } catch let error as ReceiveError {
            if !error.message.isEmpty { context.error(error.message) }
            return 1
        } catch {
            context.error("\(error)")
            return 1
        }
        receiver.forceDecompress = invocation.has("force-decompress")
        // Without -e the rest of the input is read ahead; with it, another reader may want the rest.
        var reader = SendStreamReader(fd: input, readAhead: !honorEnd)
        var streams = 0
        while true {
            let result = SendStreamProcessor.run(&reader, honorEnd: honorEnd, maxErrors: maxErrors,
                                                 report: { context.error($0) }, handle: { try receiver.apply($0) })
            var ended = result > 0
            if result < 0 {
                if result != -ENODATA {
                    receiver.abandon()
                    return 1
                }
                if streams == 0 {
                    context.error("empty stream is not considered valid")
                    return 1
                }
                ended = true
            }
            do {
                try receiver.finishSubvolume()
            } catch let error as ReceiveError {
                context.error(error.message)
                receiver.abandon()
                return 1
            } catch {
                context.error("\(error)")
                return 1
            }
            streams += 1
            if ended { return 0 }
        }
    }
}
