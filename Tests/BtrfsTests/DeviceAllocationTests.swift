import Foundation
import Testing
@testable import Btrfs

/// The profile × device table solved from the totals a normal user may read: exact where they
/// determine it, open (nil) where not, and nil as a whole when they contradict each other.
/// (UnprivilegedUsageTests checks it against root's chunk tree on real filesystems.)
struct DeviceAllocationTests {
    typealias F = BlockGroupFlags
    static let mib: UInt64 = 1 << 20

    func space(_ flags: UInt64, _ size: UInt64) -> SpaceInfo { SpaceInfo(flags: flags, totalBytes: size, usedBytes: 0) }

    @Test func oneDeviceHoldsEverything() throws {
        let a = try #require(DeviceAllocation.deduce(
            spaces: [space(F.data, 100), space(F.metadata | F.dup, 30), space(F.globalReserve, 5)],
            devices: [(1, 160)]))
        #expect(a.isComplete && a.bytes(flags: F.data, devid: 1) == 100 && a.bytes(flags: F.metadata | F.dup, devid: 1) == 60)
        #expect(a.profiles == [F.data, F.metadata | F.dup], "the global reserve is no profile")
        #expect(a.undeterminedBytes(devid: 1) == 0)
    }

    /// raid1c3 on three devices is on each; what is left of each device is its raid1 data.
    @Test func mirrorsOnEveryDeviceThenRemainders() throws {
        let spaces = [space(F.data | F.raid1, 150 * Self.mib), space(F.metadata | F.raid1c3, 256 * Self.mib),
                      space(F.system | F.raid1c3, 8 * Self.mib)]
        let mib = Self.mib
        let devices: [(devid: UInt64, bytesUsed: UInt64)] = [(1, 264 * mib), (2, 414 * mib), (3, 414 * mib)]
        let a = try #require(DeviceAllocation.deduce(spaces: spaces, devices: devices))
        #expect(a.isComplete)
        let data: [UInt64?] = [1, 2, 3].map { a.bytes(flags: F.data | F.raid1, devid: $0) }
        #expect(data == [0, 150 * mib, 150 * mib])
        #expect(a.bytes(flags: F.metadata | F.raid1c3, devid: 2) == 256 * Self.mib)
    }

    /// Two raid1 profiles over three devices: only the sums are known.
    @Test func sharedDevicesStayOpen() throws {
        let spaces = [space(F.data | F.raid1, 300), space(F.metadata | F.raid1, 100)]
        let a = try #require(DeviceAllocation.deduce(spaces: spaces, devices: [(1, 300), (2, 250), (3, 250)]))
        #expect(!a.isComplete && a.bytes(flags: F.data | F.raid1, devid: 1) == nil)
        #expect(a.undeterminedBytes(flags: F.data | F.raid1) == 600 && a.undeterminedBytes(devid: 2) == 250)
        #expect(a.rawBytes(flags: F.metadata | F.raid1) == 200)
    }

    /// A device with nothing left holds none of the open profiles; RAID5's raw bytes follow
    /// from the device totals once each device's share is known.
    @Test func raid56FromDeviceTotals() throws {
        let spaces = [space(F.data | F.raid5, 200), space(F.metadata | F.raid1, 50), space(F.system | F.raid1, 4)]
        // raid1 on two devices of two: one copy each; the rest of each device is RAID5.
        let a = try #require(DeviceAllocation.deduce(spaces: spaces, devices: [(1, 154), (2, 154)]))
        #expect(a.isComplete && a.rawBytes(flags: F.data | F.raid5) == 200 && a.bytes(flags: F.data | F.raid5, devid: 2) == 100)
        // Three devices: raid1 left open, so RAID5 too, and its raw bytes are unknown.
        let b = try #require(DeviceAllocation.deduce(spaces: spaces, devices: [(1, 154), (2, 100), (3, 54)]))
        #expect(b.rawBytes(flags: F.data | F.raid5) == nil && b.undeterminedBytes(flags: F.data | F.raid5) == nil)
    }

    /// RAID5/6 chunks take the fewest raw bytes when they span every device: devices holding
    /// exactly that much settle every stripe; a byte more (a narrower chunk) leaves them open.
    @Test func parityProfilesSpanningEveryDevice() throws {
        let spaces = [space(F.data | F.raid5, 200), space(F.metadata | F.raid5, 100), space(F.system | F.raid5, 8)]
        let a = try #require(DeviceAllocation.deduce(spaces: spaces, devices: [(1, 154), (2, 154), (3, 154)]))
        #expect(a.isComplete && a.rawBytes(flags: F.data | F.raid5) == 300 && a.bytes(flags: F.system | F.raid5, devid: 3) == 4)
        #expect(spaces.allSatisfy { a.spansAllDevices(flags: $0.flags) })
        let b = try #require(DeviceAllocation.deduce(spaces: spaces, devices: [(1, 200), (2, 200), (3, 108)]))
        #expect(b.rawBytes(flags: F.data | F.raid5) == nil && !b.spansAllDevices(flags: F.data | F.raid5))
        // RAID6 beside a mirror the totals place: the rest is RAID6 across all four devices.
        let six = [space(F.data | F.raid6, 200), space(F.metadata | F.raid1c4, 10)]
        let c = try #require(DeviceAllocation.deduce(spaces: six, devices: [(1, 110), (2, 110), (3, 110), (4, 110)]))
        #expect(c.isComplete && c.spansAllDevices(flags: F.data | F.raid6) && !c.spansAllDevices(flags: F.metadata | F.raid1c4))
        // A logical size that n − parity does not divide cannot be full width (its raw bytes, the
        // devices' sum, are known all the same).
        let odd = try #require(DeviceAllocation.deduce(spaces: [space(F.data | F.raid5, 201)], devices: [(1, 101), (2, 101), (3, 100)]))
        #expect(odd.rawBytes(flags: F.data | F.raid5) == 302 && !odd.spansAllDevices(flags: F.data | F.raid5))
    }

    /// Totals read a moment apart that cannot both be true.
    @Test func contradictionsAreNil() {
        #expect(DeviceAllocation.deduce(spaces: [space(F.data, 100)], devices: [(1, 90)]) == nil)
        #expect(DeviceAllocation.deduce(spaces: [space(F.data | F.raid1, 100)], devices: [(1, 100), (2, 90)]) == nil)
        #expect(DeviceAllocation.deduce(spaces: [space(F.data | F.raid1, .max)], devices: [(1, 1), (2, 1)]) != nil,
                "raw bytes that overflow are unknown, not a trap")
        #expect(DeviceAllocation.deduce(spaces: [], devices: [(1, 5)]) == nil, "allocated bytes in no profile")
    }

    /// allocation/ and the quota switch, read from a directory laid out as sysfs.
    @Test func sysfsAllocationAndQuotas() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sysfs-alloc-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/allocation/data/raid1", withIntermediateDirectories: true)
        for (path, text) in [("allocation/data/disk_total", "200\n"), ("allocation/data/bytes_pinned", "7\n"),
                             ("allocation/data/raid1/total_bytes", "100\n"), ("bg_reclaim_threshold", "0\n")] {
            #expect(FileManager.default.createFile(atPath: "\(dir)/\(path)", contents: Data(text.utf8)))
        }
        let sysfs = Sysfs(directory: dir)
        let spaces = sysfs.allocation()
        #expect(spaces.map(\.type) == ["data"] && spaces[0].diskTotal == 200 && spaces[0].bytesPinned == 7 && spaces[0].diskUsed == nil)
        #expect(spaces[0].profiles == [Sysfs.Profile(name: "raid1", totalBytes: 100, usedBytes: nil)])
        #expect(sysfs.quotasEnabled == false)
        try FileManager.default.createDirectory(atPath: dir + "/qgroups", withIntermediateDirectories: true)
        #expect(FileManager.default.createFile(atPath: dir + "/qgroups/enabled", contents: Data("1\n".utf8)))
        #expect(sysfs.quotasEnabled == true)
        #expect(Sysfs(directory: dir + "/none").quotasEnabled == nil, "a kernel too old to tell")
    }
}
