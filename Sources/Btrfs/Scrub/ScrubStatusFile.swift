/// btrfs-progs' scrub status file (/var/lib/btrfs/scrub.status.<fsid>) and the text its progress
/// socket answers with: `scrub status:1`, then one line per device,
/// `<fsid>:<devid>|data_extents_scrubbed:N|…|finished:N`. Pure: reading and writing the files is
/// the caller's.

/// Timing and state of one device's scrub (progs' struct scrub_stats).
public struct ScrubStats: Hashable, Sendable {
    /// Seconds since the epoch; 0 when unknown.
    public var tStart: Int64 = 0
    public var tResumed: Int64 = 0
    public var duration: UInt64 = 0
    public var finished: UInt64 = 0
    public var canceled: UInt64 = 0
    /// Not in the file: whether the kernel runs a scrub now.
    public var inProgress = false

    /// An empty record.
    public init() {}
}

/// One device's line of the status file.
public struct ScrubRecord: Hashable, Sendable {
    /// The fsid as written in the file (uuid_unparse form).
    public var fsid: String
    public var devid: UInt64
    public var progress = ScrubProgress()
    public var stats = ScrubStats()

    /// A record for one device of one filesystem.
    public init(fsid: String, devid: UInt64) {
        self.fsid = fsid
        self.devid = devid
    }
}

/// btrfs-progs' scrub status file (/var/lib/btrfs/scrub.status.FSID): reading and writing its records.
public enum ScrubStatusFile {
    /// Where progs keeps the files.
    public static let directory = "/var/lib/btrfs"
    /// The status file of filesystem `fsid`.
    public static func statusPath(fsid: String) -> String { directory + "/scrub.status." + fsid }
    /// The progress socket a running scrub of `fsid` listens on.
    public static func socketPath(fsid: String) -> String { directory + "/scrub.progress." + fsid }

    /// The keys of a line in their order, with the counter each names (immutable: key paths are
    /// not Sendable on this toolchain, hence nonisolated).
    nonisolated(unsafe) static let progressKeys: [(String, WritableKeyPath<ScrubProgress, UInt64>)] = [
        ("data_extents_scrubbed", \.dataExtentsScrubbed), ("tree_extents_scrubbed", \.treeExtentsScrubbed),
        ("data_bytes_scrubbed", \.dataBytesScrubbed), ("tree_bytes_scrubbed", \.treeBytesScrubbed),
        ("read_errors", \.readErrors), ("csum_errors", \.csumErrors), ("verify_errors", \.verifyErrors),
        ("no_csum", \.noCsum), ("csum_discards", \.csumDiscards), ("super_errors", \.superErrors),
        ("malloc_errors", \.mallocErrors), ("uncorrectable_errors", \.uncorrectableErrors),
        ("corrected_errors", \.correctedErrors), ("last_physical", \.lastPhysical),
    ]

    /// scrub_write_file: numbers as `%lld` (a counter past 2^63 prints negative, as in progs).
    public static func encode(_ records: [ScrubRecord]) -> [UInt8] {
        var text = "scrub status:1\n"
        for r in records {
            text += "\(r.fsid):\(Int64(bitPattern: r.devid))"
            for (key, path) in progressKeys { text += "|\(key):\(Int64(bitPattern: r.progress[keyPath: path]))" }
            text += "|t_start:\(r.stats.tStart)|t_resumed:\(r.stats.tResumed)"
            text += "|duration:\(Int64(bitPattern: r.stats.duration))|canceled:\(Int64(bitPattern: r.stats.canceled))"
            text += "|finished:\(Int64(bitPattern: r.stats.finished))\n"
        }
        return Array(text.utf8)
    }

    /// What reading a status file gave.
    public enum Failure: Error, Equatable {
        /// Nothing in it (progs: ENODATA).
        case empty
        /// Another version of the format (progs: ENOTSUP).
        case unsupportedVersion
    }

    /// scrub_read_file: the records, and a text for every line it had to skip. A line whose fsid
    /// cannot be read is dropped; one that goes wrong later keeps what was read before, as in progs.
    public static func decode(_ bytes: [UInt8]) -> (records: [ScrubRecord], invalid: [String], failure: Failure?) {
        let lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        guard let header = lines.first, !bytes.isEmpty else { return ([], [], .empty) }
        var invalid: [String] = []
        let prefix = Array("scrub status:".utf8)
        if header.starts(with: prefix) {
            let version = header.dropFirst(prefix.count)
            if !(version.allSatisfy(isDigit) && !version.isEmpty) {
                invalid.append("invalid data on line 0")
            } else if version.count != 1 || version.first != UInt8(ascii: "1") {
                return ([], invalid, .unsupportedVersion)
            }
        } else {
            invalid.append("invalid data on line 0")
        }
        var records: [ScrubRecord] = []
        for (number, line) in lines.dropFirst().enumerated() {
            var rest = line.drop { $0 == 0x20 || (0x09...0x0D).contains($0) }
            if rest.isEmpty { continue }
            guard let colon = rest.firstIndex(of: UInt8(ascii: ":")), colon - rest.startIndex == 36,
                  isUUID(rest[rest.startIndex..<colon]) else {
                invalid.append("invalid data on line \(number + 1)")
                continue
            }
            var record = ScrubRecord(fsid: String(decoding: rest[rest.startIndex..<colon], as: UTF8.self), devid: 0)
            rest = rest[(colon + 1)...]
            let devidDigits = rest.prefix(while: isDigit)
            guard !devidDigits.isEmpty, rest.count > devidDigits.count else {
                invalid.append("invalid data on line \(number + 1)")
                continue
            }
            record.devid = atoll(devidDigits)
            // progs skips the byte after the devid whatever it is.
            rest = rest.dropFirst(devidDigits.count + 1)
            var ok = true
            while ok && !rest.isEmpty {
                guard let colon = rest.firstIndex(of: UInt8(ascii: ":")) else { ok = false; break }
                let key = String(decoding: rest[rest.startIndex..<colon], as: UTF8.self)
                let digits = rest[(colon + 1)...].prefix(while: isDigit)
                let value = atoll(digits)
                if let path = progressKeys.first(where: { $0.0 == key })?.1 {
                    record.progress[keyPath: path] = value
                } else {
                    switch key {
                    case "finished": record.stats.finished = value
                    case "t_start": record.stats.tStart = Int64(bitPattern: value)
                    case "t_resumed": record.stats.tResumed = Int64(bitPattern: value)
                    case "duration": record.stats.duration = value
                    case "canceled": record.stats.canceled = value
                    default: ok = false
                    }
                }
                rest = rest[(colon + 1)...].dropFirst(digits.count)
                if let next = rest.first {
                    if next == UInt8(ascii: "|") { rest = rest.dropFirst() } else { ok = false }
                }
            }
            if !ok { invalid.append("invalid data on line \(number + 1)") }
            records.append(record)
        }
        return (records, invalid, nil)
    }

    private static func isDigit(_ b: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b) }

    private static func isUUID(_ text: ArraySlice<UInt8>) -> Bool {
        for (i, b) in text.enumerated() {
            if [8, 13, 18, 23].contains(i) { if b != UInt8(ascii: "-") { return false } } else if !isHex(b) { return false }
        }
        return true
    }

    private static func isHex(_ b: UInt8) -> Bool {
        isDigit(b) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(b | 0x20)
    }

    /// atoll of a run of digits: saturates at Int64.max, as glibc does.
    private static func atoll(_ digits: ArraySlice<UInt8>) -> UInt64 {
        var value: Int64 = 0
        for d in digits {
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(Int64(d - UInt8(ascii: "0")))
            if o1 || o2 { return UInt64(Int64.max) }
            value = s
        }
        return UInt64(value)
    }
}
