#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Btrfs

/// `subvolume orphan-cleaner-progress`: python-btrfs 13's btrfs-orphan-cleaner-progress, same output.
/// Runs until interrupted (then "Exiting...", status 130), each line written as it happens.
extension SubvolumeCommands {
    static let orphanCleanerProgress = Command(
        "orphan-cleaner-progress", synopsis: ["<path>"],
        summary: "Report the cleaner's progress on deleted subvolumes (python-btrfs' btrfs-orphan-cleaner-progress)",
        operands: [OperandSpec("path", .mountPoint)], run: runOrphanCleanerProgress)

    static let reportInterval = 120

    @Sendable static func runOrphanCleanerProgress(_ invocation: Invocation) throws -> Int32 {
        let out = invocation.out
        let path = invocation.operands[0]
        func say(_ line: String) {
            out.write(line)
            out.write(byte: 0x0A)
            out.flush()
        }
        // KeyboardInterrupt in the original: the message, then 130. Lines are flushed as written, so
        // nothing is pending when the signal comes.
        signal(SIGINT) { _ in
            let text: StaticString = "Exiting...\n"
            _ = write(1, text.utf8Start, text.utf8CodeUnitCount)
            _exit(130)
        }
        // A parent can hand SIGINT over blocked (a test runner's threads, some supervisors): the
        // handler alone would then never run and the monitor could not be stopped.
        var interrupt = sigset_t()
        sigemptyset(&interrupt)
        sigaddset(&interrupt, SIGINT)
        sigprocmask(SIG_UNBLOCK, &interrupt, nil)
        do {
            let fs = try FileSystem(path: path)
            var previous = -1
            while true {
                let orphans = try fs.orphanSubvolumeIDs()
                if orphans.count != previous {
                    say("\(orphans.count) orphans left to clean")
                    previous = orphans.count
                }
                var current: (id: UInt64, since: Int)? = nil
                for id in orphans {
                    guard let progress = try fs.dropProgress(subvolume: id).first else { continue }
                    if progress != Key(0, 0, 0) {
                        current = (id, Int(time(nil)))
                        break
                    }
                }
                guard let (id, since) = current else {
                    sleep(1)
                    continue
                }
                var reportAfter = 0
                while true {
                    let progress = try fs.dropProgress(subvolume: id)
                    let duration = Int(time(nil)) - since
                    guard let first = progress.first else {
                        if reportAfter > 0 { say("dropping root \(id) finished after at least \(duration) sec") }
                        break
                    }
                    if duration >= reportAfter {
                        say("dropping root \(id) for at least \(duration) sec drop_progress \(pythonKeyText(first))")
                        reportAfter += reportInterval
                    }
                    sleep(1)
                }
            }
        } catch let e as BtrfsError {
            // python prints OSError text on stdout; here every error is one ERROR line on stderr.
            if let hint = pythonBtrfsHint(e) { throw CommandExit.error(hint) }
            throw e
        }
    }
}

/// A key as python-btrfs prints one (the item model's `Key.description`).
func pythonKeyText(_ key: Key) -> String { key.description }
