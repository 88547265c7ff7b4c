import Foundation
import Testing
import TestRig

/// Global options against btrfs itself: random runs of them before `filesystem df <missing path>`
/// (so nothing touches a filesystem). Status and stderr must match; stdout too, except where progs
/// prints its version or its group listing (which names commands sbtrfs does not have yet).
@Suite(.needsTool("/usr/bin/btrfs", "/bin/btrfs", what: "btrfs-progs"))
struct GlobalOptionsTests {
    static let words = ["-v", "-q", "-vq", "-qv", "-vx", "-xv", "--verbose", "--quiet", "--format", "json",
                        "--format=text", "--format=JSON", "--format=xml", "--fo=json", "--log", "info",
                        "--log=bogus", "--log=QUIET", "--help", "--full", "--version", "--ver", "--hel",
                        "--bogus", "-x", "--", "-", "--verb"]

    @Test func randomGlobalOptionRuns() throws {
        var generator = SystemRandomNumberGenerator()
        var vectors: [[String]] = Self.words.map { [$0] }
        for _ in 0..<150 {
            vectors.append((0..<Int.random(in: 1...4, using: &generator)).map { _ in
                Self.words.randomElement(using: &generator) ?? "-v"
            })
        }
        for globals in vectors {
            let args = globals + ["filesystem", "df", "/nonexistent-sbtrfs-test"]
            let theirs = try Rig.run(["btrfs"] + args)
            let ours = try Rig.sbtrfs(args)
            let what = args.joined(separator: " ")
            #expect(ours.status == theirs.status, "\(what)")
            // argv[0] appears in one message (a bad letter inside the first cluster)
            let theirsErr = asSbtrfs(theirs.stderr).replacingOccurrences(
                of: "Unknown global option: btrfs\n", with: "Unknown global option: \(Rig.sbtrfsPath)\n")
            if theirsErr.contains("unknown token") {
                // the listing after it names progs' whole tree: compare the message line only
                #expect(ours.stderr.prefix { $0 != "\n" } == theirsErr.prefix { $0 != "\n" }, "\(what)")
                continue
            }
            expectSameText(ours.stderr, theirsErr, "\(what): stderr")
            if !theirs.stdout.contains("btrfs-progs v") && !theirs.stdout.contains("usage:") {
                expectSameText(ours.stdout, asSbtrfs(theirs.stdout), "\(what): stdout")
            }
        }
    }
}
