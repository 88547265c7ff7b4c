import Testing
@testable import Btrfs

/// The pure parts of the space accounting: Set shared's union of ranges, the binary search the
/// bulk indexes answer by.
struct SpaceAccountingUnitTests {
    /// count_shared_bytes against a byte-by-byte count, on random small ranges (overlapping,
    /// nested, adjacent, repeated).
    @Test func unionLengthCountsEveryByteOnce() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            var intervals: [(start: UInt64, last: UInt64)] = []
            var covered = Set<UInt64>()
            for _ in 0..<Int.random(in: 0...12, using: &rng) {
                let start = UInt64.random(in: 0...200, using: &rng)
                let last = start + UInt64.random(in: 0...40, using: &rng)
                intervals.append((start, last))
                for byte in start...last { covered.insert(byte) }
            }
            let length = DiskUsage.unionLength(&intervals)
            #expect(length == UInt64(covered.count))
            #expect(intervals.isEmpty)
        }
    }

    @Test func unionLengthReachesTheTopOfTheAddressSpace() {
        var intervals: [(start: UInt64, last: UInt64)] = [(.max - 9, .max), (.max - 4, .max)]
        #expect(DiskUsage.unionLength(&intervals) == 10)
    }

    @Test func sortedPositionFindsOnlyWhatIsThere() {
        let values: [UInt64] = [3, 7, 8, 100, .max]
        for (i, v) in values.enumerated() { #expect(values.sortedPosition(of: v) == i) }
        for missing: UInt64 in [0, 4, 9, 99, 101, .max - 1] { #expect(values.sortedPosition(of: missing) == nil) }
        #expect([UInt64]().sortedPosition(of: 1) == nil)
    }

    /// The seen-set against Swift's Set, through several growths and with colliding halves.
    @Test func pairSetAgreesWithSet() {
        var ours = PairSet(capacity: 1)
        var theirs = Set<[UInt64]>()
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<20000 {
            let a = UInt64.random(in: 0...3, using: &rng)
            let b = UInt64.random(in: 0...4000, using: &rng) << UInt64.random(in: 0...50, using: &rng)
            #expect(ours.insert(a, b) == theirs.insert([a, b]).inserted)
        }
        #expect(ours.count == theirs.count)
    }
}
