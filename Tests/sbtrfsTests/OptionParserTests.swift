import Testing
@testable import sbtrfs

/// The hand-rolled getopt_long against glibc's rules.
struct OptionParserTests {
    static let specs: [OptionSpec] = [
        OptionSpec("a", "all", help: ""),
        OptionSpec("c", "clear", help: ""),
        OptionSpec("u", "update", help: ""),
        OptionSpec("d", "data", value: .string, help: ""),
        OptionSpec("t", nil, value: .number, help: ""),
        OptionSpec(nil, "sort", value: .sortKey, help: ""),
        OptionSpec(nil, "sync", help: ""),
        OptionSpec(nil, "summarize", help: ""),
        OptionSpec(nil, "raw-names", help: ""),
    ]

    func parse(_ args: [String], stop: Bool = false) throws(OptionError) -> OptionParser.Result {
        try OptionParser(Self.specs, stopAtFirstOperand: stop).parse(args, previous: "prog")
    }

    func error(_ args: [String], stop: Bool = false) -> OptionError? {
        do { _ = try parse(args, stop: stop); return nil } catch { return error }
    }

    @Test func shortClusters() throws {
        let r = try parse(["-acu", "x"])
        #expect(r.options.map(\.id) == ["all", "clear", "update"])
        #expect(r.operands == ["x"])
    }

    @Test func attachedAndSeparateValues() throws {
        let r = try parse(["-dusage=50", "-t5", "-t", "6", "-ad", "x"])
        #expect(r.options == [ParsedOption(id: "data", value: "usage=50"), ParsedOption(id: "t", value: "5"),
                              ParsedOption(id: "t", value: "6"), ParsedOption(id: "all", value: nil),
                              ParsedOption(id: "data", value: "x")])
        #expect(r.operands.isEmpty)
    }

    @Test func longOptions() throws {
        let r = try parse(["--data=a=b", "--data", "c", "--sort=", "--all", "p"])
        #expect(r.options == [ParsedOption(id: "data", value: "a=b"), ParsedOption(id: "data", value: "c"),
                              ParsedOption(id: "sort", value: ""), ParsedOption(id: "all", value: nil)])
        #expect(r.operands == ["p"])
    }

    @Test func abbreviations() throws {
        #expect(try parse(["--al"]).options.map(\.id) == ["all"])
        #expect(try parse(["--so=x"]).options == [ParsedOption(id: "sort", value: "x")])
        #expect(try parse(["--raw"]).options.map(\.id) == ["raw-names"])
        // exact beats prefix: "sync" is exact although "sync" is no prefix of others; "s" is ambiguous
        #expect(try parse(["--sync"]).options.map(\.id) == ["sync"])
        #expect(error(["--s"]) == OptionError(kind: .ambiguous, token: "--s"))
        #expect(error(["--su"]) == nil)
    }

    @Test func doubleDashEndsOptions() throws {
        let r = try parse(["-a", "--", "-c", "--all"])
        #expect(r.options.map(\.id) == ["all"])
        #expect(r.operands == ["-c", "--all"])
        #expect(r.consumed == 2)
        #expect(try parse(["-", "-a"]).operands == ["-"])
    }

    @Test func permutingAndStopping() throws {
        let permuted = try parse(["x", "-a", "y", "--clear"])
        #expect(permuted.options.map(\.id) == ["all", "clear"])
        #expect(permuted.operands == ["x", "y"])
        let stopped = try parse(["-a", "x", "-c"], stop: true)
        #expect(stopped.options.map(\.id) == ["all"])
        #expect(stopped.operands == ["x", "-c"])
        #expect(stopped.consumed == 1)
    }

    @Test func errorsCarryGetoptsState() {
        #expect(error(["--bogus"]) == OptionError(kind: .unrecognized, token: "--bogus"))
        #expect(error(["--bogus=1"]) == OptionError(kind: .unrecognized, token: "--bogus=1"))
        #expect(error(["-x"]) == OptionError(kind: .invalidShort, token: "-x", optopt: UInt8(ascii: "x")))
        // a bad letter inside a cluster: glibc has not advanced optind, so argv[optind-1] is the one before
        #expect(error(["-xa"]) == OptionError(kind: .invalidShort, token: "prog", optopt: UInt8(ascii: "x")))
        #expect(error(["-c", "-ax"]) == OptionError(kind: .invalidShort, token: "-ax", optopt: UInt8(ascii: "x")))
        #expect(error(["-c", "-xa"]) == OptionError(kind: .invalidShort, token: "-c", optopt: UInt8(ascii: "x")))
        #expect(error(["-d"]) == OptionError(kind: .missingValue, token: "-d", optopt: UInt8(ascii: "d")))
        #expect(error(["--data"]) == OptionError(kind: .missingValue, token: "--data", optopt: UInt8(ascii: "d")))
        #expect(error(["--all=1"]) == OptionError(kind: .unexpectedValue, token: "--all=1", optopt: UInt8(ascii: "a")))
        #expect(error(["--"]) == nil)
        // long-only option without its value: optopt is progs' val (256), printed as its low byte (NUL)
        #expect(error(["--sort"]) == OptionError(kind: .missingValue, token: "--sort", optopt: 0, optoptIsSet: true))
        // permuting: the skipped operand has been moved up to just before the bad cluster
        #expect(error(["x", "-c", "-xa"]) == OptionError(kind: .invalidShort, token: "x", optopt: UInt8(ascii: "x")))
    }

    @Test func scanKeepsWhatCameBeforeAnError() {
        let (result, failure) = OptionParser(Self.specs).scan(["-a", "--data=1", "--nope", "-c"])
        #expect(result.options.map(\.id) == ["all", "data"])
        #expect(failure?.token == "--nope")
    }
}
