/// A walk whose every step can fail: a tree search asks the kernel for the next batch, a parser
/// reads bytes from disk. `next()` throws, and Swift's `IteratorProtocol.next` cannot, so each
/// cursor is also a `Sequence` of `Result`s, for `for … in`:
///
///     for chunk in fs.chunks() {
///         let chunk = try chunk.get()
///         print(chunk.vaddr, chunk.length)
///     }
///
/// The sequence ends after the first failure, which is its last element; `collect()` gathers
/// the values of a small walk or throws. Iterating works on a copy of the cursor: a tree search
/// starts from where the cursor stood.
public protocol ThrowingCursor: Sequence {
    /// What one step yields.
    associatedtype Value
    /// The next value; nil at the end of the walk.
    mutating func next() throws -> Value?
}

/// The `for … in` iterator of a `ThrowingCursor`: each value as `.success`, a failure as one
/// `.failure` and then the end.
public struct CursorIterator<Cursor: ThrowingCursor>: IteratorProtocol {
    @usableFromInline var cursor: Cursor
    @usableFromInline var failed = false

    @inlinable init(_ cursor: Cursor) { self.cursor = cursor }

    /// The next value, the failure (once, then nil), or nil at the end.
    @inlinable
    public mutating func next() -> Result<Cursor.Value, any Error>? {
        if failed { return nil }
        do {
            guard let value = try cursor.next() else { return nil }
            return .success(value)
        } catch {
            failed = true
            return .failure(error)
        }
    }
}

extension ThrowingCursor {
    /// Iterates the cursor's values as results, for `for … in`.
    @inlinable public func makeIterator() -> CursorIterator<Self> { CursorIterator(self) }

    /// Every remaining value (for small walks: a whole tree belongs in a loop).
    @inlinable public func collect() throws -> [Value] {
        var cursor = self
        var values: [Value] = []
        while let value = try cursor.next() { values.append(value) }
        return values
    }
}
