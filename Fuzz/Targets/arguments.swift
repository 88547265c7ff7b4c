// The parsers of argument values: keys and tree names (search-metadata), numbers and sizes with
// units, balance filters, qgroup ids and inherit/copy specs, resize specs, ratios, python sizes,
// sort keys, UUIDs, unit options. Input: which parser (1 byte), then the argument's bytes, kept
// as bytes (argv need not be UTF-8). A parse answers or throws; it must never trap.
@testable import Btrfs
@testable import sbtrfs

/// A filesystem of two devices for `filesystem resize`'s plan (the parse needs sizes to check against).
private let resizeInfo = FsInfo(maxID: 3, numDevices: 2, fsid: BtrfsUUID(bytes: Array(repeating: 1, count: 16)),
                                nodesize: 16384, sectorsize: 4096, cloneAlignment: 4096, csumType: 0,
                                csumSize: 4, flags: 0, generation: 7,
                                metadataUUID: BtrfsUUID(bytes: Array(repeating: 1, count: 16)))
private let resizeDevices = [
    DevInfo(devid: 1, uuid: BtrfsUUID(bytes: Array(repeating: 2, count: 16)), bytesUsed: 1 << 30,
            totalBytes: 8 << 30, pathBytes: Array("/dev/loop0".utf8)),
    DevInfo(devid: 3, uuid: BtrfsUUID(bytes: Array(repeating: 3, count: 16)), bytesUsed: 0,
            totalBytes: UInt64.max - 4095, pathBytes: [0x2F, 0xFF, 0x0A]),
]

private let parsers: [(String, Context) throws -> Void] = [
    { text, _ in _ = try Key(parsing: text) },
    { text, _ in _ = try ObjectID.parseTreeName(text) },
    { text, _ in _ = parsePythonInt(text) },
    { text, _ in for base in [0, 8, 10, 16] { _ = strtoull(text, base: base) } },
    { text, _ in _ = try argStrtou64(text) },
    { text, _ in _ = parseU64(text); _ = parseDecimalU64(text) },
    { text, _ in _ = try parseSizeFromString(text) },
    { text, context in
        var args = BalanceArgs()
        _ = BalanceFilters.parse(text, into: &args, context: context)
    },
    { text, context in
        _ = BalanceFilters.parseRange(text, context: context)
        _ = BalanceFilters.parseRangeU32(text, context: context)
        _ = BalanceFilters.parseRangeStrict(text, context: context)
    },
    { text, _ in _ = parseQgroupID(text) },
    // Paths are looked up (stat, read-only): keep to ids here.
    { text, _ in
        if !text.split(separator: ":", maxSplits: 1).contains(where: { $0.hasPrefix("/") }) {
            _ = try SubvolumeCommands.parseQgroupCopy(text)
        }
    },
    { text, context in _ = try FilesystemCommands.resizePlan(text, info: resizeInfo, devices: resizeDevices, context: context) },
    { text, _ in _ = SpaceCalculator.parseRatio(text) },
    { text, _ in _ = try PythonFormat.parsePrettySize(text) },
    { text, _ in _ = QgroupShow.parseSort(text); _ = SubvolumeListRequest.parseSort(text) },
    { text, _ in _ = SubvolumeCommands.parseUUID(text); _ = SubvolumeCommands.parsePythonUUID(text) },
    { text, _ in
        var arguments = text.split(separator: " ").map(String.init)
        _ = UnitMode.take(from: &arguments, dfMode: true)
        _ = UnitMode.take(from: &arguments, dfMode: false)
    },
]

func fuzzOne(_ input: FuzzInput) {
    var input = input
    let choice = Int(input.byte()) % parsers.count
    let text = String(pathBytes: Array(input.rest))
    try? parsers[choice](text, Context.capturing())
}
