import Testing

/// Expects two outputs to be identical; on a mismatch reports the first differing line and the
/// line counts instead of dumping both (a tree dump can be megabytes).
public func expectSameLines(_ ours: [String], _ theirs: [String], _ what: @autoclosure () -> String = "",
                            sourceLocation: SourceLocation = #_sourceLocation) {
    guard ours != theirs else { return }
    let i = zip(ours, theirs).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(ours.count, theirs.count)
    let a = i < ours.count ? ours[i] : "<end>"
    let b = i < theirs.count ? theirs[i] : "<end>"
    Issue.record("\(what()) differs at line \(i + 1) (ours \(ours.count) lines, theirs \(theirs.count)):\n  ours:   \(a)\n  theirs: \(b)",
                 sourceLocation: sourceLocation)
}

/// The same for whole texts, split into lines.
public func expectSameText(_ ours: String, _ theirs: String, _ what: @autoclosure () -> String = "",
                           sourceLocation: SourceLocation = #_sourceLocation) {
    guard ours != theirs else { return }
    expectSameLines(ours.split(separator: "\n", omittingEmptySubsequences: false).map(String.init),
                    theirs.split(separator: "\n", omittingEmptySubsequences: false).map(String.init),
                    what(), sourceLocation: sourceLocation)
    if ours.split(separator: "\n", omittingEmptySubsequences: false) ==
        theirs.split(separator: "\n", omittingEmptySubsequences: false) {
        Issue.record("\(what()) differs in bytes that are not lines", sourceLocation: sourceLocation)
    }
}
