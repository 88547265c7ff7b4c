/// A set of (UInt64, UInt64) pairs for the walks' "seen" checks (an extent's address, a
/// subvolume and inode): open addressing with a multiplicative hash, no per-element hashing
/// state. A Set of a struct spent more time hashing than the rest of a 200k-file walk.
struct PairSet {
    private var firsts: [UInt64]
    private var seconds: [UInt64]
    private var used: [Bool]
    private var mask: Int
    private(set) var count = 0

    init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        firsts = [UInt64](repeating: 0, count: size)
        seconds = [UInt64](repeating: 0, count: size)
        used = [Bool](repeating: false, count: size)
        mask = size - 1
    }

    /// Adds the pair; false when it was there already.
    mutating func insert(_ first: UInt64, _ second: UInt64) -> Bool {
        if (count + 1) * 2 > used.count { grow() }
        var slot = PairSet.slot(first, second, mask)
        while used[slot] {
            if firsts[slot] == first && seconds[slot] == second { return false }
            slot = (slot + 1) & mask
        }
        used[slot] = true
        firsts[slot] = first
        seconds[slot] = second
        count += 1
        return true
    }

    private static func slot(_ first: UInt64, _ second: UInt64, _ mask: Int) -> Int {
        let mixed = (second &* 0x9E37_79B9_7F4A_7C15) ^ (first &* 0xC2B2_AE3D_27D4_EB4F)
        return Int(truncatingIfNeeded: mixed >> 29 ^ mixed) & mask
    }

    private mutating func grow() {
        var bigger = PairSet(capacity: used.count)
        for slot in 0..<used.count where used[slot] { _ = bigger.insert(firsts[slot], seconds[slot]) }
        self = bigger
    }
}
