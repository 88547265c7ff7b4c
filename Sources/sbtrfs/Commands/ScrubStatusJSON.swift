import Btrfs

/// `scrub status --format json` (btrfs-progs 6.2 has none): the figures the text shows, as numbers
/// (bytes, seconds, epoch seconds), plus every raw counter -R prints; `null` where the text says
/// "no stats available". Schema in Docs/man/sbtrfs-scrub.scd.
extension ScrubCommands {
    /// The raw counters in print_scrub_full's order, with their JSON keys.
    static var counterKeys: [(String, KeyPath<ScrubProgress, UInt64>)] { [
        ("data-extents-scrubbed", \.dataExtentsScrubbed), ("tree-extents-scrubbed", \.treeExtentsScrubbed),
        ("data-bytes-scrubbed", \.dataBytesScrubbed), ("tree-bytes-scrubbed", \.treeBytesScrubbed),
        ("read-errors", \.readErrors), ("csum-errors", \.csumErrors), ("verify-errors", \.verifyErrors),
        ("no-csum", \.noCsum), ("csum-discards", \.csumDiscards), ("super-errors", \.superErrors),
        ("malloc-errors", \.mallocErrors), ("uncorrectable-errors", \.uncorrectableErrors),
        ("unverified-errors", \.unverifiedErrors), ("corrected-errors", \.correctedErrors),
        ("last-physical", \.lastPhysical),
    ] }

    /// One scrub's figures (the filesystem's sum, or one device's record) as members of the open map.
    static func writeScrubFigures(_ json: inout JSONWriter, _ p: ScrubProgress?, _ s: ScrubStats?, total: UInt64) {
        guard let s, s.tStart != 0 else {
            json.null("status")
            for name in ["started", "resumed", "duration", "total-to-scrub", "bytes-scrubbed", "rate", "time-left"] {
                json.null(name)
            }
            for (name, _) in counterKeys { json.null(name) }
            return
        }
        let status = s.inProgress ? "running" : (s.canceled != 0 ? "aborted" : (s.finished != 0 ? "finished" : "interrupted"))
        json.string("status", status)
        json.number("started", s.tStart)
        if s.tResumed != 0 { json.number("resumed", s.tResumed) } else { json.null("resumed") }
        json.number("duration", s.duration)
        json.number("total-to-scrub", total)
        guard let p else {
            for name in ["bytes-scrubbed", "rate", "time-left"] { json.null(name) }
            for (name, _) in counterKeys { json.null(name) }
            return
        }
        let scrubbed = p.bytesScrubbed
        let rate = s.duration > 0 ? scrubbed / s.duration : 0
        json.number("bytes-scrubbed", scrubbed)
        json.number("rate", rate)
        // As the text: an estimate only while the scrub runs.
        if s.inProgress && rate > 0 { json.number("time-left", (total &- scrubbed) / rate) } else { json.null("time-left") }
        for (name, path) in counterKeys { json.number(name, p[keyPath: path]) }
    }

    static func printStatusJSON(fsid: String, devices: [(DevInfo, ScrubRecord?)]?, fsStat: FsStat, total: UInt64,
                                to out: OutputStream) {
        var json = JSONWriter(out: out, style: .native)
        json.start()
        json.beginGroup("scrub-status", .map)
        json.string("uuid", fsid)
        if let devices {
            json.beginGroup("devices", .array)
            for (device, record) in devices {
                json.beginGroup(nil, .map)
                json.number("devid", device.devid)
                json.string("path", device.path)
                writeScrubFigures(&json, record?.progress, record?.stats, total: device.bytesUsed)
                json.endGroup()
            }
            json.endGroup()
        } else {
            writeScrubFigures(&json, fsStat.progress, fsStat.stats, total: total)
        }
        json.endGroup()
        json.end()
    }
}
