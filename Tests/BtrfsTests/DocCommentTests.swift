import Foundation
import Testing

/// Every public declaration of the library has a `///` (or `/** */`) doc comment: a line starting
/// with `public`/`open` (after attributes) must follow one, attribute lines between. A stored
/// property or constant may share the comment of the run of properties right above it (no blank
/// line between): the comment of a group of struct fields or named constants. Functions,
/// initializers, subscripts and types need their own.
@Suite struct DocCommentTests {
    static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources/Btrfs")

    struct Finding: CustomStringConvertible {
        var file: String, line: Int, text: String
        var description: String { "\(file):\(line): \(text)" }
    }

    static func isAttribute(_ s: Substring) -> Bool { s.hasPrefix("@") }

    /// The declaration with leading attributes (`@inlinable `, `@discardableResult `) removed.
    static func withoutAttributes(_ line: Substring) -> Substring {
        var s = line.drop { $0 == " " }
        while s.hasPrefix("@") {
            var depth = 0
            var end = s.startIndex
            for i in s.indices {
                let c = s[i]
                if c == "(" { depth += 1 } else if c == ")" { depth -= 1 }
                if c == " " && depth == 0 { end = i; break }
                end = s.index(after: i)
            }
            s = s[end...].drop { $0 == " " }
        }
        return s
    }

    static func isPublic(_ line: Substring) -> Bool {
        let s = withoutAttributes(line)
        guard s.hasPrefix("public ") || s.hasPrefix("open ") else { return false }
        return !s.hasPrefix("public extension ") && !s.hasPrefix("public import ")
    }

    /// `public [private(set)] [static|final|lazy|nonisolated …] let|var`.
    static func isProperty(_ line: Substring) -> Bool {
        let words = withoutAttributes(line).split(separator: " ")
        for word in words.dropFirst() {
            if word == "let" || word == "var" { return true }
            if !["static", "final", "lazy", "nonisolated", "private(set)", "internal(set)", "fileprivate(set)"].contains(word) {
                return false
            }
        }
        return false
    }

    static func isDoc(_ s: Substring) -> Bool { s.hasPrefix("///") || s.hasSuffix("*/") }

    /// The public declarations of one file, and those without a doc comment.
    static func scan(_ text: String, file: String) -> (count: Int, undocumented: [Finding]) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let trimmed = lines.map { $0.drop { $0 == " " } }
        var count = 0
        var undocumented: [Finding] = []
        for (i, line) in lines.enumerated() where isPublic(line) {
            count += 1
            var j = i - 1
            while j >= 0 && isAttribute(trimmed[j]) { j -= 1 }
            if j >= 0 && isDoc(trimmed[j]) { continue }
            var grouped = false
            if isProperty(line) {
                var k = j
                while k >= 0 {
                    let s = trimmed[k]
                    if isDoc(s) { grouped = true; break }
                    guard isProperty(lines[k]) || isAttribute(s) || s.hasPrefix("//") else { break }
                    k -= 1
                }
            }
            if !grouped { undocumented.append(Finding(file: file, line: i + 1, text: String(trimmed[i].prefix(100)))) }
        }
        return (count, undocumented)
    }

    @Test func everyPublicDeclarationHasADocComment() throws {
        let files = try #require(FileManager.default.enumerator(atPath: Self.sources.path)).compactMap { $0 as? String }
            .filter { $0.hasSuffix(".swift") }.sorted()
        #expect(files.count > 50)
        var total = 0, missing: [Finding] = []
        for file in files {
            let text = try String(contentsOf: Self.sources.appendingPathComponent(file), encoding: .utf8)
            let (count, undocumented) = Self.scan(text, file: file)
            total += count
            missing += undocumented
        }
        #expect(total > 1000)
        let list = missing.map(\.description).joined(separator: "\n")
        #expect(missing.isEmpty, "\(missing.count) of \(total) public declarations lack a doc comment:\n\(list)")
    }

    /// The scanner itself: own comments, attributes, grouped fields, and what a group cannot cover.
    @Test func scannerTellsDocumentedFromUndocumented() {
        let text = """
            /// A type.
            public struct A {
                /// Fields.
                public var x: Int
                public static let y = 1

                public var z: Int
                @inlinable
                public func f() {}
                /// Documented.
                @inlinable public init() {}
                /// A group cannot cover a function.
                public var w = 0
                public func g() {}
                // A plain comment is not a doc comment.
                public enum E {}
            }
            public extension A {}
            """
        let (count, undocumented) = Self.scan(text, file: "t")
        #expect(count == 9)
        #expect(undocumented.map(\.line) == [7, 9, 14, 16])
    }
}
