import Foundation
import Testing
@testable import Btrfs

/// Zoned-filesystem counters read from a directory laid out as /sys/fs/btrfs/<fsid>
/// (no zoned device here to make a real one).
struct SysfsTests {
    func write(_ path: String, _ text: String) {
        #expect(FileManager.default.createFile(atPath: path, contents: Data(text.utf8)))
    }

    @Test func zoneUnusableAsProgsReadsIt() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sysfs-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let sysfs = Sysfs(directory: dir)
        try FileManager.default.createDirectory(atPath: dir + "/features", withIntermediateDirectories: true)
        #expect(!sysfs.isZoned)
        write(dir + "/features/zoned", "1\n")
        #expect(sysfs.isZoned)
        for (type, text) in [("data", "4096\n"), ("metadata", "  123abc"), ("system", "junk")] {
            try FileManager.default.createDirectory(atPath: dir + "/allocation/\(type)", withIntermediateDirectories: true)
            write(dir + "/allocation/\(type)/bytes_zone_unusable", text)
        }
        #expect(sysfs.zoneUnusable(flags: 1) == 4096)           // data
        #expect(sysfs.zoneUnusable(flags: 1 | 4) == 4096)       // mixed counts as data
        #expect(sysfs.zoneUnusable(flags: 4 | (1 << 5)) == 123) // metadata, strtoull stops at 'a'
        #expect(sysfs.zoneUnusable(flags: 2) == 0)              // no digits: 0
        #expect(sysfs.zoneUnusable(flags: 1 << 49) == nil)      // global reserve: no counter
        write(dir + "/allocation/data/bytes_zone_unusable", "99999999999999999999999")
        #expect(sysfs.zoneUnusable(flags: 1) == UInt64.max)     // strtoull saturates
        try FileManager.default.removeItem(atPath: dir + "/allocation/data/bytes_zone_unusable")
        #expect(sysfs.zoneUnusable(flags: 1) == nil)
    }
}
