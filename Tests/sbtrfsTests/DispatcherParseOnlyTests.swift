import Testing
@testable import sbtrfs

/// The dispatcher's parse-only switch, the seam the `dispatcher` fuzz target runs argv through
/// (Fuzz/Targets/dispatcher.swift): it must report bad command lines exactly as a real run does,
/// and never reach a handler or a group intercept.
struct DispatcherParseOnlyTests {
    static func run(_ argv: [String], parseOnly: Bool) -> (status: Int32, out: String, err: String) {
        var dispatcher = Dispatcher(root: CommandTree.root())
        dispatcher.parseOnly = parseOnly
        let context = Context.capturing()
        let status = dispatcher.run(["sbtrfs"] + argv, context: context)
        context.out.flush()
        context.err.flush()
        return (status, context.out.capturedText, context.err.capturedText)
    }

    /// Bad command lines the dispatcher refuses never get as far as a handler: both modes say the
    /// same. (Commands that count their operands in the handler, as `filesystem resize` does,
    /// are parsed further by the `arguments` fuzz target.)
    @Test(arguments: [
        ["subvolume", "delete"],
        ["subvolume", "delete", "--bogus", "/x"],
        ["balance", "start", "-d", "--full-balance"],
        ["fi", "d"],
        ["filesystem", "du", "--raw"],
        ["subvolume", "get-default"],
        ["inspect-internal", "rootid", "/a", "/b"],
        ["--format", "yaml", "fi", "df", "/"],
        ["--nope"],
        ["device", "stats", "--help"],
        ["subvolume", "--help"],
    ])
    func reportsBadCommandLinesAsARealRun(_ argv: [String]) {
        let real = Self.run(argv, parseOnly: false), parsed = Self.run(argv, parseOnly: true)
        #expect(real.status == parsed.status)
        #expect(real.out == parsed.out)
        #expect(real.err == parsed.err)
    }

    /// A well-formed destructive command line parses to success and does nothing: the path does
    /// not exist, so a handler that ran would have failed.
    @Test(arguments: [
        ["subvolume", "delete", "/nonexistent-sbtrfs-parse-only/a"],
        ["subvolume", "snapshot", "/nonexistent-sbtrfs-parse-only/a", "/nonexistent-sbtrfs-parse-only/b"],
        ["filesystem", "resize", "-1G", "/nonexistent-sbtrfs-parse-only"],
        ["device", "stats", "-z", "/nonexistent-sbtrfs-parse-only"],
    ])
    func runsNoHandler(_ argv: [String]) {
        let real = Self.run(argv, parseOnly: false)
        #expect(real.status != 0)
        let parsed = Self.run(argv, parseOnly: true)
        #expect(parsed.out.isEmpty && parsed.err.isEmpty)
    }
}
