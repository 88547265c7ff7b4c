import Btrfs

/// `subvolume set-received-uuid`: python-btrfs's example set_received_uuid, the same text (the
/// subvolume's received fields before and after), and native JSON.
extension SubvolumeCommands {
    static let setReceivedUUID = Command(
        "set-received-uuid", synopsis: ["<received-uuid> <stransid> <stime> <subvolume>"],
        summary: "Set the received UUID, sent generation and sent time of a subvolume",
        description: ["As python-btrfs's example set_received_uuid (SET_RECEIVED_SUBVOL). <stime> is",
                      "<seconds>.<nanoseconds>, e.g. 1234.5678. This can make btrfs receive accept",
                      "incremental streams it would refuse: use with care."],
        operands: [OperandSpec("received-uuid", .uuid), OperandSpec("stransid", .number), OperandSpec("stime", .string),
                   OperandSpec("subvolume", .subvolume)],
        supportsJSON: true, run: runSetReceivedUUID)

    @Sendable static func runSetReceivedUUID(_ invocation: Invocation) throws -> Int32 {
        let operands = invocation.operands
        // Everything is checked before anything is opened or changed.
        guard let uuid = parsePythonUUID(operands[0]) else { throw CommandExit.error("invalid UUID '\(operands[0])'") }
        guard let stransid = parseDecimalU64(operands[1]) else {
            throw CommandExit.error("invalid stransid '\(operands[1])'")
        }
        let parts = operands[2].split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let sec = parseDecimalU64(String(parts[0])),
              let nsec = parseDecimalU64(String(parts[1])), nsec < 1_000_000_000 else {
            throw CommandExit.error("invalid stime '\(operands[2])': expected <seconds>.<nanoseconds>")
        }
        let path = operands[3]
        let fs = try FileSystem(path: path, requireDirectory: true)
        let inum = try fs.inodeNumber()
        guard inum == ObjectID.firstFree.rawValue else {
            throw CommandExit.error("\(path) is not the start of a subvolume (inum \(inum) != 256)")
        }
        let tree = try fs.inoLookup().tree
        let before = try rootItem(fs, tree)
        _ = try fs.setReceivedSubvol(uuid: uuid, stransid: stransid, stime: TimeSpec(sec: sec, nsec: UInt32(nsec)))
        let after = try rootItem(fs, tree)
        let out = invocation.out
        if invocation.format == .json {
            var json = JSONWriter(out: out, style: .native)
            json.start()
            json.beginGroup("set-received-uuid", .map)
            json.number("subvol-id", tree)
            for (name, root) in [("before", before), ("after", after)] {
                json.beginGroup(name, .map)
                json.string("received-uuid", "\(root.receivedUUID)")
                json.number("stransid", root.stransid)
                json.number("stime", root.stime.sec)
                json.number("stime-nsec", UInt64(root.stime.nsec))
                json.number("rtransid", root.rtransid)
                json.number("rtime", root.rtime.sec)
                json.number("rtime-nsec", UInt64(root.rtime.nsec))
                json.endGroup()
            }
            json.endGroup()
            json.end()
            return 0
        }
        out.line("Current subvolume information:")
        printReceived(before, to: out)
        out.line("Setting received subvolume...")
        out.line()
        out.line("Resulting subvolume information:")
        printReceived(after, to: out)
        return 0
    }

    static func rootItem(_ fs: FileSystem, _ tree: UInt64) throws -> RootItem {
        var cursor = fs.subvolumes(minID: tree, maxID: tree)
        guard let root = try cursor.next() else { throw BtrfsError.itemNotFound("no root item for tree \(tree)") }
        return root
    }

    static func printReceived(_ root: RootItem, to out: OutputStream) {
        out.line("  subvol_id: \(root.objectid)")
        out.line("  received_uuid: \(root.receivedUUID)")
        out.line("  stime: \(root.stime)")
        out.line("  stransid: \(root.stransid)")
        out.line("  rtime: \(root.rtime)")
        out.line("  rtransid: \(root.rtransid)")
        out.line()
    }

    /// Python's uuid.UUID(text): `urn:` and `uuid:` dropped, braces stripped, dashes anywhere,
    /// then exactly 32 hex digits.
    static func parsePythonUUID(_ text: String) -> BtrfsUUID? {
        var hex = text.replacingAll("urn:", with: "").replacingAll("uuid:", with: "")
        while hex.hasPrefix("{") { hex.removeFirst() }
        while hex.hasSuffix("}") { hex.removeLast() }
        let digits = Array(hex.utf8.filter { $0 != UInt8(ascii: "-") })
        guard digits.count == 32 else { return nil }
        var bytes: [UInt8] = []
        var i = 0
        while i < 32 {
            guard let hi = hexValue(digits[i]), let lo = hexValue(digits[i + 1]) else { return nil }
            bytes.append(hi << 4 | lo)
            i += 2
        }
        return BtrfsUUID(bytes: bytes)
    }
}

extension String {
    /// Every occurrence of `target` replaced (no Foundation in the tool).
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var result = ""
        var rest = Substring(self)
        while let range = rest.firstRange(of: target) {
            result += rest[..<range.lowerBound] + replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}
