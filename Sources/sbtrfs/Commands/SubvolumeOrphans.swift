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
            switch e {
            case .notBtrfs:
                throw CommandExit.message("Error: Unable to retrieve data. Hint: Not a mounted btrfs file system?", status: 1)
            case .cannotAccess(let p, let code):
                // Python's OSError text, printed on stdout by the program's catch-all.
                say("[Errno \(code)] \(errnoText(code)): '\(p)'")
                return 1
            default:
                if e.errno == EPERM {
                    throw CommandExit.message("Error: Insufficient permissions to use the btrfs kernel API.\nHint: Try running the script as root user.", status: 1)
                }
                if e.errno == ENOTTY {
                    throw CommandExit.message("Error: Unable to retrieve data. Hint: Not a mounted btrfs file system?", status: 1)
                }
                say("\(e)")
                return 1
            }
        }
    }
}

/// A key as python-btrfs prints one: `(objectid TYPE offset)` with its names for special objectids
/// and types, -1 for the maximum. (Kept here until the item model's key text is on main.)
func pythonKeyText(_ key: Key) -> String {
    let objectNames: [UInt64: String] = [
        1: "ROOT_TREE", 2: "EXTENT_TREE", 3: "CHUNK_TREE", 4: "DEV_TREE", 5: "FS_TREE", 6: "ROOT_TREE_DIR",
        7: "CSUM_TREE", 8: "QUOTA_TREE", 9: "UUID_TREE", 10: "FREE_SPACE_TREE",
        UInt64(bitPattern: -4): "BALANCE", UInt64(bitPattern: -5): "ORPHAN", UInt64(bitPattern: -6): "TREE_LOG",
        UInt64(bitPattern: -7): "TREE_LOG_FIXUP", UInt64(bitPattern: -8): "TREE_RELOC",
        UInt64(bitPattern: -9): "DATA_RELOC_TREE", UInt64(bitPattern: -10): "EXTENT_CSUM",
        UInt64(bitPattern: -11): "FREE_SPACE", UInt64(bitPattern: -12): "FREE_INO", UInt64(bitPattern: -255): "MULTIPLE",
    ]
    let typeNames: [UInt8: String] = [
        1: "INODE_ITEM", 12: "INODE_REF", 13: "INODE_EXTREF", 24: "XATTR_ITEM", 48: "ORPHAN_ITEM",
        60: "DIR_LOG_ITEM", 72: "DIR_LOG_INDEX", 84: "DIR_ITEM", 96: "DIR_INDEX", 108: "EXTENT_DATA",
        128: "EXTENT_CSUM", 132: "ROOT_ITEM", 144: "ROOT_BACKREF", 156: "ROOT_REF", 168: "EXTENT_ITEM",
        169: "METADATA_ITEM", 176: "TREE_BLOCK_REF", 178: "EXTENT_DATA_REF", 182: "SHARED_BLOCK_REF",
        184: "SHARED_DATA_REF", 192: "BLOCK_GROUP_ITEM", 198: "FREE_SPACE_INFO", 199: "FREE_SPACE_EXTENT",
        200: "FREE_SPACE_BITMAP", 204: "DEV_EXTENT", 216: "DEV_ITEM", 228: "CHUNK_ITEM", 240: "QGROUP_STATUS",
        242: "QGROUP_INFO", 244: "QGROUP_LIMIT", 246: "QGROUP_RELATION", 250: "DEV_REPLACE",
        251: "UUID_KEY_SUBVOL", 252: "UUID_KEY_RECEIVED_SUBVOL", 253: "STRING_ITEM",
    ]
    let t = key.type
    func qgroup(_ v: UInt64) -> String { "\(v >> 48)/\(v & ((1 << 48) - 1))" }
    func hex(_ v: UInt64) -> String {
        let digits = String(v, radix: 16)
        return "0x" + String(repeating: "0", count: max(0, 16 - digits.count)) + digits
    }
    let objectid: String
    switch (key.objectID, t) {
    case (_, 204): objectid = "\(key.objectID)"
    case (_, 246): objectid = qgroup(key.objectID)
    case (_, 251), (_, 252): objectid = hex(key.objectID)
    case (1, 216): objectid = "DEV_ITEMS"
    case (0, 249): objectid = "DEV_STATS"
    case (256, 228): objectid = "FIRST_CHUNK_TREE"
    case (UInt64.max, _): objectid = "-1"
    default: objectid = objectNames[key.objectID] ?? "\(key.objectID)"
    }
    // TEMPORARY_ITEM (248) and PERSISTENT_ITEM (249) share values with BALANCE/DEV_STATS keys.
    let type = t == 248 ? "TEMPORARY_ITEM" : t == 249 ? "PERSISTENT_ITEM" : typeNames[t] ?? "\(t)"
    let offset: String
    switch t {
    case 242, 244, 246: offset = qgroup(key.offset)
    case 251, 252: offset = hex(key.offset)
    default:
        if key.offset == .max { offset = "-1" } else if t == 132 { offset = objectNames[key.offset] ?? "\(key.offset)" } else { offset = "\(key.offset)" }
    }
    return "(\(objectid) \(type) \(offset))"
}
