import Testing
@testable import Btrfs

@Test func keySuccessorCarries() {
    #expect(Key(1, 2, 3).successor == Key(1, 2, 4))
    #expect(Key(1, 2, .max).successor == Key(1, 3, 0))
    #expect(Key(1, .max, .max).successor == Key(2, 0, 0))
    #expect(Key.max.successor == nil)
}
