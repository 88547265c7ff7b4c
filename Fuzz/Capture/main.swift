// Seeds for the fuzz targets from a real filesystem and from the command tree
// (scripts/fuzz/capture-corpus.sh runs it on a scratch loop filesystem):
//   capture MOUNT OUTDIR   items and search answers of every tree of MOUNT, and argv seeds
//   capture - OUTDIR       argv seeds only
// Files are named by a hash of their bytes, as libFuzzer names its own.
#if canImport(Glibc)
import Glibc
#endif
@testable import Btrfs
@testable import sbtrfs

let arguments = CommandLine.arguments
guard arguments.count == 3 else {
    fputs("usage: capture MOUNT|- OUTDIR\n", stderr)
    exit(2)
}
let outDir = arguments[2]

func write(_ bytes: [UInt8], target: String) {
    let dir = outDir + "/" + target
    mkdir(outDir, 0o755)
    mkdir(dir, 0o755)
    // FNV-1a 64: stable names, duplicates collapse.
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
    let name = dir + "/" + String(hash, radix: 16)
    guard let file = fopen(name, "wb") else { return }
    _ = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
    fclose(file)
}

func le(_ value: UInt64, _ count: Int) -> [UInt8] { (0..<count).map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) } }

/// Items: a few of each type, of different lengths (a csum item can be long: cut at 4 KiB).
/// Search answers: the first items of each tree as the kernel laid them out, in small batches.
func captureFilesystem(_ path: String) throws {
    let fs = try FileSystem(path: path)
    let csumSize = Int(try fs.fsInfo().csumSize)
    var trees: [UInt64] = [1, 2, 3, 4, 5, 7, 8, 9, 10]
    try fs.forEachItem(TreeSearch(tree: 1, min: Key(256, ItemType.rootItem.rawValue, 0),
                                  max: Key(UInt64.max - 256, ItemType.rootItem.rawValue, UInt64.max))) { item in
        if item.key.itemType == .rootItem && !trees.contains(item.key.objectID) { trees.append(item.key.objectID) }
    }
    var lengthsSeen: [UInt8: Set<Int>] = [:]
    for tree in trees {
        var batch: [UInt8] = [], inBatch = 0, batches = 0
        func flushBatch() {
            if inBatch > 0 && batches < 4 {
                write(le(UInt64(inBatch), 2) + [UInt8(truncatingIfNeeded: csumSize)] + batch, target: "search")
                batches += 1
            }
            batch = []
            inBatch = 0
        }
        do {
            try fs.forEachItem(TreeSearch(tree: tree)) { item in
                let data = Array(item.data.prefix(4096))
                let type = item.key.type
                if lengthsSeen[type, default: []].count < 6, lengthsSeen[type, default: []].insert(data.count).inserted {
                    write([type] + le(item.key.objectID, 8) + le(item.key.offset, 8) + [UInt8(truncatingIfNeeded: csumSize)] + data,
                          target: "items")
                }
                if item.data.count <= 1024 {
                    batch += le(item.transid, 8) + le(item.key.objectID, 8) + le(item.key.offset, 8)
                        + le(UInt64(type), 4) + le(UInt64(item.data.count), 4) + Array(item.data)
                    inBatch += 1
                    if inBatch == 16 { flushBatch() }
                }
            }
            flushBatch()
        } catch {
            fputs("capture: tree \(tree): \(error)\n", stderr)
        }
    }
}

/// argv seeds: every command's path, with --help, and with each of its options and operand names.
func captureCommandLines() {
    func seed(_ argv: [String]) { write(Array(argv.joined(separator: "\u{0}").utf8), target: "dispatcher") }
    func walk(_ group: Group, path: [String]) {
        seed(path + ["--help"])
        for child in group.entries {
            switch child.node {
            case .group(let sub): walk(sub, path: path + [child.name])
            case .command(let command):
                let at = path + [child.name]
                let operands = command.operands.map { "/" + $0.name }
                seed(at + operands)
                seed(at + ["--help"])
                for option in command.options {
                    var spelled: [String] = []
                    if let short = option.short { spelled.append("-" + String(short) + (option.takesValue ? "1" : "")) }
                    if let long = option.long { spelled.append("--" + long + (option.takesValue || option.valueOptional ? "=1" : "")) }
                    for text in spelled { seed(at + [text] + operands) }
                }
            }
        }
    }
    walk(CommandTree.root(), path: [])
    seed(["--format", "json", "filesystem", "df", "/"])
    seed(["-v", "-q", "--log=debug", "fi", "us", "-T", "--raw", "/"])
}

if arguments[1] != "-" {
    do { try captureFilesystem(arguments[1]) } catch {
        fputs("capture: \(arguments[1]): \(error)\n", stderr)
        exit(1)
    }
}
captureCommandLines()
