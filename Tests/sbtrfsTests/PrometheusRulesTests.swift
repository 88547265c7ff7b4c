import Foundation
import Testing
import TestRig

/// Docs/prometheus/sbtrfs.rules.yml: valid for promtool, each alert firing (and not) as its unit
/// tests in sbtrfs.rules.test.yml say. That the rules name only metrics sbtrfs or node_exporter
/// export is checked against a real scrape in NodeExporterTests.
@Suite(.needsTool("/usr/bin/promtool", what: "promtool (Debian package prometheus)"))
struct PrometheusRulesTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Docs/prometheus").path
    static let rules = directory + "/sbtrfs.rules.yml"

    /// The metric names the rules file mentions (expressions and texts alike).
    static func referencedMetrics() throws -> Set<String> {
        let text = try String(contentsOfFile: rules, encoding: .utf8)
        let regex = try NSRegularExpression(pattern: "\\b(sbtrfs_[a-z_]+|node_btrfs_[a-z_]+|node_textfile_[a-z_]+)\\b")
        return Set(regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { m in
            Range(m.range(at: 1), in: text).map { String(text[$0]) }
        })
    }

    @Test func promtoolChecksAndUnitTestsTheRules() throws {
        let check = try Rig.run(["promtool", "check", "rules", Self.rules])
        #expect(check.status == 0, "\(check)")
        #expect(check.stdout.contains("SUCCESS"))
        let unit = try Rig.run(["sh", "-c", "cd '\(Self.directory)' && promtool test rules sbtrfs.rules.test.yml"])
        #expect(unit.status == 0, "\(unit)")
        #expect(try Self.referencedMetrics().count >= 8)
    }
}
