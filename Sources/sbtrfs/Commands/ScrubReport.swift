#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Btrfs

/// What `scrub start -B` and `scrub status` print, as progs' print_scrub_summary, print_scrub_full,
/// _print_scrub_ss and print_scrub_dev do, all at the default log level (so -q silences them).
extension ScrubCommands {
    /// A filesystem-wide sum of device records (progs' scrub_fs_stat and add_to_fs_stat).
    struct FsStat {
        var progress = ScrubProgress()
        var stats: ScrubStats = {
            var s = ScrubStats()
            s.finished = 1
            return s
        }()

        mutating func add(_ p: ScrubProgress, _ s: ScrubStats) {
            let summed: [WritableKeyPath<ScrubProgress, UInt64>] = [
                \.dataExtentsScrubbed, \.treeExtentsScrubbed, \.dataBytesScrubbed, \.treeBytesScrubbed,
                \.readErrors, \.csumErrors, \.verifyErrors, \.noCsum, \.csumDiscards, \.superErrors,
                \.mallocErrors, \.uncorrectableErrors, \.correctedErrors,
            ]
            for path in summed { progress[keyPath: path] &+= p[keyPath: path] }
            progress.lastPhysical = p.lastPhysical
            if stats.tStart == 0 || stats.tStart > s.tStart { stats.tStart = s.tStart }
            if stats.tResumed == 0 || stats.tResumed > s.tResumed { stats.tResumed = s.tResumed }
            if stats.duration == 0 || stats.duration < s.duration { stats.duration = s.duration }
            if stats.canceled == 0 || stats.canceled < s.canceled { stats.canceled = s.canceled }
            if stats.finished > s.finished { stats.finished = s.finished }
        }
    }

    /// strftime of a time in local time (`%c`) or of a duration in UTC (`%M:%S`).
    static func formatTime(_ seconds: Int64, _ format: String, utc: Bool = false) -> String {
        var t = time_t(seconds)
        var parts = Glibc.tm()
        if utc { gmtime_r(&t, &parts) } else { localtime_r(&t, &parts) }
        var buffer = [CChar](repeating: 0, count: 256)
        let n = strftime(&buffer, buffer.count, format, &parts)
        return String(decoding: buffer.prefix(n).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func printFull(_ p: ScrubProgress, _ context: Context) {
        let rows: [(String, UInt64)] = [
            ("data_extents_scrubbed", p.dataExtentsScrubbed), ("tree_extents_scrubbed", p.treeExtentsScrubbed),
            ("data_bytes_scrubbed", p.dataBytesScrubbed), ("tree_bytes_scrubbed", p.treeBytesScrubbed),
            ("read_errors", p.readErrors), ("csum_errors", p.csumErrors), ("verify_errors", p.verifyErrors),
            ("no_csum", p.noCsum), ("csum_discards", p.csumDiscards), ("super_errors", p.superErrors),
            ("malloc_errors", p.mallocErrors), ("uncorrectable_errors", p.uncorrectableErrors),
            ("unverified_errors", p.unverifiedErrors), ("corrected_errors", p.correctedErrors),
            ("last_physical", p.lastPhysical),
        ]
        var text = ""
        for (name, value) in rows { text += "\t\(name): \(Int64(bitPattern: value))\n" }
        context.verbose(Context.logDefault, text)
    }

    static func printSummary(_ p: ScrubProgress, _ s: ScrubStats, total: UInt64, units: UnitMode, _ context: Context) {
        let scrubbed = p.bytesScrubbed
        var perSecond: UInt64 = 0, secondsLeft: UInt64 = 0
        if s.duration > 0 { perSecond = scrubbed / s.duration }
        if perSecond > 0 { secondsLeft = (total &- scrubbed) / perSecond }
        let errors = p.readErrors &+ p.csumErrors &+ p.verifyErrors &+ p.superErrors
        let fixed = p.correctedErrors &+ p.uncorrectableErrors
        var text = ""
        if p.mallocErrors != 0 {
            text += "*** WARNING: memory allocation failed while scrubbing. results may be inaccurate\n"
        }
        if s.inProgress {
            let eta = Int64(time(nil)) &+ Int64(bitPattern: secondsLeft)
            let minutes = (secondsLeft / 60) % 60, seconds = secondsLeft % 60
            text += "Time left:        \(secondsLeft / 3600):\(minutes < 10 ? "0" : "")\(minutes):\(seconds < 10 ? "0" : "")\(seconds)\n"
            text += "ETA:              \(formatTime(eta, "%c"))\n"
            text += "Total to scrub:   \(prettySize(total, mode: units))\n"
            text += "Bytes scrubbed:   \(prettySize(scrubbed, mode: units))  (\(formatFixed2(100.0 * Double(scrubbed) / Double(total)))%)\n"
        } else {
            text += "Total to scrub:   \(prettySize(total, mode: units))\n"
        }
        // The rate follows --raw only; otherwise it is human readable.
        text += "Rate:             \(prettySize(perSecond, mode: units == .raw ? .raw : .default))/s\n"
        text += "Error summary:   "
        if errors != 0 || fixed != 0 {
            for (value, name) in [(p.readErrors, "read"), (p.superErrors, "super"), (p.verifyErrors, "verify"),
                                  (p.csumErrors, "csum")] where value != 0 {
                text += " \(name)=\(value)"
            }
            text += "\n"
            text += "  Corrected:      \(p.correctedErrors)\n"
            text += "  Uncorrectable:  \(p.uncorrectableErrors)\n"
            text += "  Unverified:     \(p.unverifiedErrors)\n"
        } else {
            text += " no errors found\n"
        }
        context.verbose(Context.logDefault, text)
    }

    /// _print_scrub_ss.
    static func printStats(_ s: ScrubStats?, _ context: Context) {
        guard let s, s.tStart != 0 else {
            context.verbose(Context.logDefault, "\tno stats available\n")
            return
        }
        var text = s.tResumed != 0 ? "Scrub resumed:    \(formatTime(s.tResumed, "%c"))\n"
            : "Scrub started:    \(formatTime(s.tStart, "%c"))\n"
        let status = s.inProgress ? "running" : (s.canceled != 0 ? "aborted" : (s.finished != 0 ? "finished" : "interrupted"))
        text += "Status:           \(status)\n"
        let hours = UInt32(truncatingIfNeeded: s.duration / 3600)
        text += "Duration:         \(hours):\(formatTime(Int64(bitPattern: s.duration), "%M:%S", utc: true))\n"
        context.verbose(Context.logDefault, text)
    }

    /// print_scrub_dev.
    static func printDevice(_ device: DevInfo, _ p: ScrubProgress?, raw: Bool, append: String?, _ s: ScrubStats?,
                            units: UnitMode, _ context: Context) {
        context.verbose(Context.logDefault, "\nScrub device \(device.path) (id \(device.devid)) \(append ?? "")\n")
        printStats(s, context)
        guard let p else { return }
        if raw {
            printFull(p, context)
        } else {
            printSummary(p, s ?? ScrubStats(), total: device.bytesUsed, units: units, context)
        }
    }

    /// print_fs_stat.
    static func printFsStat(_ fs: FsStat, raw: Bool, total: UInt64, units: UnitMode, _ context: Context) {
        printStats(fs.stats, context)
        if raw {
            printFull(fs.progress, context)
        } else {
            printSummary(fs.progress, fs.stats, total: total, units: units, context)
        }
    }
}
