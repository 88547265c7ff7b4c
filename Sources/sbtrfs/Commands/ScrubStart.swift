#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Btrfs

/// `scrub start` and `scrub resume`: progs' scrub_start. Without -B the scrub runs in a forked
/// child and the command returns at once; with -B it runs here and prints the summary. Exit
/// status as progs: 1 on errors or cancel (130 after SIGINT here), 2 nothing to resume,
/// 3 uncorrectable errors.
extension ScrubCommands {
    static func startOptions(force: Bool) -> [OptionSpec] {
        [
            OptionSpec("B", nil, help: "do not background"),
            OptionSpec("d", nil, help: "stats per device (-B only)"),
            OptionSpec("r", nil, help: "read only mode"),
            OptionSpec("R", nil, help: "raw print mode, print full data instead of summary"),
            OptionSpec("c", nil, value: .number, help: "set ioprio class (see ionice(1) manpage)", display: "-c"),
            OptionSpec("n", nil, value: .number, help: "set ioprio classdata (see ionice(1) manpage)", display: "-n"),
        ] + (force ? [OptionSpec("f", nil, help: "force starting new scrub even if a scrub is already running this is useful when scrub stats record file is damaged")] : [])
            + [OptionSpec("q", nil, help: "deprecated, alias for global -q option")]
            + (force ? [] : [OptionSpec("f", nil, help: "force", hidden: true)])
    }

    static func startHelp(force: Bool) -> [HelpItem] {
        ["B", "d", "r", "R", "c", "n"].map { HelpItem.optionNamed($0) } + (force ? [.optionNamed("f")] : [])
            + [.optionNamed("q"), .globals, .quiet]
    }

    static let start = Command(
        "start", synopsis: ["[-BdqrRf] [-c ioprio_class -n ioprio_classdata] <path>|<device>"],
        summary: "Start a new scrub. If a scrub is already running, the new one fails.",
        options: startOptions(force: true), operands: [OperandSpec("path|device", .path)],
        help: startHelp(force: true), run: { try runStart($0, resume: false) })

    static let resume = Command(
        "resume", synopsis: ["[-BdqrR] [-c ioprio_class -n ioprio_classdata] <path>|<device>"],
        summary: "Resume previously canceled or interrupted scrub",
        options: startOptions(force: false), operands: [OperandSpec("path|device", .path)],
        help: startHelp(force: false), run: { try runStart($0, resume: true) })

    @Sendable static func runStart(_ invocation: Invocation, resume: Bool) throws -> Int32 {
        let context = invocation.context
        if invocation.has("q") { context.verbosity = Context.verbosityQuiet }
        let quiet = context.verbosity == Context.verbosityQuiet
        let foreground = invocation.has("B"), perDevice = invocation.has("d"), raw = invocation.has("R")
        let readOnly = invocation.has("r")
        var force = invocation.has("f")
        let number = { (text: String?) in text.map { Int32(truncatingIfNeeded: strtoull($0, base: 10).value) } }
        let ioClass = number(invocation.value("c")) ?? IOPriority.classIdle
        let ioData = number(invocation.value("n")) ?? 0
        let doPrint = foreground && !quiet
        var record = true
        if let e = ScrubStatusFile.makeDirectory() {
            if !quiet {
                context.warning("cannot create scrub data file, mkdir \(ScrubStatusFile.directory)/scrub.status failed: "
                                + "\(errnoText(e)). Status recording disabled")
            }
            record = false
        }
        let path = invocation.operands[0]
        let target = try target(path, context: context, quiet: quiet)
        var past: [ScrubRecord]?
        switch readStatusFile(fsid: target.fsid, context: context, warn: !quiet) {
        case .failure(let e): if !quiet { context.warning("failed to open status file: \(errorText(e))") }
        case .success(let records): past = records
        }
        // A status file that says running while the kernel runs nothing is stale.
        if !runningInKernel(target) { force = true }
        let busy = target.devices.contains { d in
            ScrubCommands.record(past, devid: d.devid).map { $0.stats.finished == 0 && $0.stats.canceled == 0 } ?? false
        }
        if !force && busy {
            if !quiet {
                context.error("Scrub is already running.\nTo cancel use '\(Tool.name) scrub cancel \(path)'.\n"
                              + "To see the status use '\(Tool.name) scrub status [-d] \(path)'")
            }
            return 1
        }
        var slots: [ScrubSlot] = []
        var started = 0, resumed = 0
        for d in target.devices {
            var slot = ScrubSlot(devid: d.devid)
            let last = ScrubCommands.record(past, devid: d.devid)
            if resume, let last, last.stats.canceled != 0 || last.stats.finished == 0 {
                resumed += 1
                slot.start = last.progress.lastPhysical
                slot.resumed = last
            } else if resume {
                slot.skip = true
                slot.resumed = last
            } else {
                started += 1
            }
            slots.append(slot)
        }
        if started == 0 && resumed == 0 {
            context.verbose(Context.logDefault, "scrub: nothing to resume for \(path), fsid \(target.fsid)\n")
            return 2
        }
        var socket: Int32 = -1, socketPath = ""
        switch ScrubProgressSocket.listen(fsid: target.fsid) {
        case .listening(let fd, let p): (socket, socketPath) = (fd, p)
        case .alreadyRunning:
            context.error("scrub already running")
            return 1
        case .failed(let e, let p):
            if !quiet {
                context.warning("failed to open the progress status socket at \(p): \(errorText(e)). "
                                + "Progress cannot be queried")
            }
        }
        defer {
            if socket >= 0 {
                close(socket)
                _ = socketPath.withPathCString { unlink($0) }
            }
        }
        let live = doPrint && isatty(2) == 1 ? target.devices.reduce(UInt64(0)) { $0 &+ $1.bytesUsed } : nil
        let run = ScrubRun(fs: target.fs, fsid: target.fsid, slots: slots, readOnly: readOnly, ioClass: ioClass,
                           ioData: ioData, record: record, socket: socket, liveTotal: live)
        if record, let e = run.writeStatus(run.fileRecords()) {
            if !quiet {
                context.warning("failed to write the progress status file: \(errnoText(e)). Status recording disabled")
            }
            record = false
        }
        let finalRecord = record
        if !foreground {
            // Nothing buffered may reach the child's copy of the streams.
            context.out.flush()
            context.err.flush()
            let pid: pid_t
            switch SystemCall.value(retryOnInterrupt: false, { fork() }) {
            case .success(let child): pid = child
            case .failure(let e):
                if !quiet { context.error("cannot scrub, fork failed: \(errorText(e))") }
                return 1
            }
            if pid > 0 {
                // As progs, the parent closes and unlinks the socket on its way out.
                context.verbose(Context.logDefault, "scrub \(started > 0 ? "started" : "resumed") on \(path), "
                                + "fsid \(target.fsid) (pid=\(pid))\n")
                return 0
            }
        }
        scrubInterrupted = 0
        let previous = signal(SIGINT) { _ in scrubInterrupted = 1 }
        defer { signal(SIGINT, previous) }
        if let failure = run.run() {
            if doPrint { context.error("\(failure.message): \(errorText(failure.code))") }
            return 1
        }
        return finish(run, target: target, path: path, perDevice: perDevice, raw: raw, doPrint: doPrint,
                      record: finalRecord, quiet: quiet, context: context)
    }

    /// After the threads: messages, the summary under -B, the final status file and the status.
    static func finish(_ run: ScrubRun, target: Target, path: String, perDevice: Bool, raw: Bool, doPrint: Bool,
                       record: Bool, quiet: Bool, context: Context) -> Int32 {
        var errors = 0, uncorrectable = 0, correctable = 0
        for slot in run.slots where !slot.skip {
            if let e = slot.ioprioErrno { context.warning("setting ioprio failed: \(errnoText(e)) (ignored)") }
        }
        for slot in run.slots where !slot.skip {
            if let e = slot.errno {
                switch e {
                case ENODEV:
                    if doPrint { context.warning("device \(slot.devid) not present") }
                    continue
                case ECANCELED:
                    errors += 1
                default:
                    if doPrint {
                        context.error("scrubbing \(path) failed for device id \(slot.devid): ret=-1, errno=\(e) (\(errnoText(e)))")
                    }
                    errors += 1
                    continue
                }
            }
            if slot.progress.uncorrectableErrors > 0 { uncorrectable += 1 }
            if slot.progress.correctedErrors > 0 || slot.progress.unverifiedErrors > 0 { correctable += 1 }
        }
        if doPrint {
            var fsStat = FsStat()
            var append = "done", total: UInt64 = 0
            for (device, slot) in zip(target.devices, run.slots) {
                if perDevice {
                    printDevice(device, slot.progress, raw: raw, append: slot.errno != nil ? "canceled" : "done",
                                slot.stats, units: .default, context)
                } else {
                    if slot.errno != nil { append = "canceled" }
                    fsStat.add(slot.progress, slot.stats)
                }
                total &+= device.bytesUsed
            }
            if !perDevice {
                context.verbose(Context.logDefault, "scrub \(append) for \(target.fsid)\n")
                printFsStat(fsStat, raw: raw, total: total, units: .default, context)
            }
            if let e = run.progressErrno { context.error("recording progress failed: \(errnoText(e))") }
        }
        if record, let e = run.writeStatus(run.fileRecords()), doPrint {
            context.error("failed to record the result: \(errnoText(e))")
        }
        if scrubInterrupted != 0 { return 130 }
        if errors > 0 { return 1 }
        if uncorrectable > 0 {
            if !quiet { context.error("there are uncorrectable errors") }
            return 3
        }
        if correctable > 0 && !quiet { context.warning("errors detected during scrubbing, corrected") }
        return 0
    }
}
