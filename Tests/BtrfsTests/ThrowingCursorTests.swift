import Testing
@testable import Btrfs

/// `for … in` over a `ThrowingCursor`: the values `next()` gives, then a failure as the last
/// element; `collect()` gives the values or throws.
@Suite struct ThrowingCursorTests {
    struct Failed: Error, Equatable { var at: Int }

    /// Counts up to `count`, failing at `failAt` (if any) instead of yielding it.
    struct Counter: ThrowingCursor {
        var count: Int
        var failAt: Int?
        var position = 0
        mutating func next() throws -> Int? {
            guard position < count else { return nil }
            defer { position += 1 }
            if position == failAt { throw Failed(at: position) }
            return position
        }
    }

    @Test func valuesThenEnd() throws {
        var seen: [Int] = []
        for value in Counter(count: 5) { seen.append(try value.get()) }
        #expect(seen == [0, 1, 2, 3, 4])
        #expect(try Counter(count: 3).collect() == [0, 1, 2])
        #expect(try Counter(count: 0).collect().isEmpty)
    }

    @Test func aFailureIsTheLastElement() {
        var results: [Result<Int, any Error>] = []
        // The cursor itself would go on after its failure (position 3 is next); the sequence stops.
        for r in Counter(count: 6, failAt: 2) { results.append(r) }
        #expect(results.count == 3)
        #expect((try? results[1].get()) == 1)
        if case .failure(let e) = results[2] { #expect(e as? Failed == Failed(at: 2)) } else { Issue.record("no failure") }
        #expect(throws: Failed(at: 2)) { try Counter(count: 6, failAt: 2).collect() }
    }

    @Test func iteratingLeavesTheCursorWhereItWas() throws {
        var cursor = Counter(count: 4)
        _ = try cursor.next()
        #expect(Array(cursor).count == 3)   // a copy walks from position 1
        #expect(try cursor.next() == 1)
    }
}
