import Foundation
import Testing
import TestRig
@testable import sbtrfs

/// The option parser against glibc's getopt_long itself: a small C driver with the same option
/// table (opterr = 0, as progs runs it) is compiled here and both parse thousands of argument
/// vectors, fixed and random; options, values, operands and error state must agree.
@Suite(.needsTool("/usr/bin/cc", what: "a C compiler (cc)"))
struct OptionParserOracleTests {
    static let driver = """
        #include <stdio.h>
        #include <stdlib.h>
        #include <getopt.h>
        static const struct option lo[] = {
            {"all", 0, 0, 'a'}, {"clear", 0, 0, 'c'}, {"data", 1, 0, 'd'},
            {"sort", 1, 0, 256}, {"sync", 0, 0, 257}, {"summarize", 0, 0, 258}, {"raw-names", 0, 0, 259},
            {"opt", 2, 0, 260}, {0, 0, 0, 0}};
        static const char *name(int c) {
            switch (c) { case 'a': return "all"; case 'c': return "clear"; case 'd': return "data";
            case 't': return "t"; case 256: return "sort"; case 257: return "sync";
            case 258: return "summarize"; case 259: return "raw-names"; case 260: return "opt"; }
            return "?";
        }
        int main(int argc, char **argv) {
            opterr = 0;
            const char *optstring = getenv("STOP") ? "+acd:t:" : "acd:t:";
            for (;;) {
                int c = getopt_long(argc, argv, optstring, lo, NULL);
                if (c < 0) break;
                if (c == '?') { printf("E %d %s\\n", optopt & 0xff, argv[optind - 1]); return 0; }
                printf("O %s %s\\n", name(c), optarg ? optarg : "(null)");
            }
            for (int i = optind; i < argc; i++) printf("A %s\\n", argv[i]);
            return 0;
        }
        """

    static let specs: [OptionSpec] = [
        OptionSpec("a", "all", help: ""), OptionSpec("c", "clear", help: ""),
        OptionSpec("d", "data", value: .string, help: ""), OptionSpec("t", nil, value: .number, help: ""),
        OptionSpec(nil, "sort", value: .sortKey, help: ""), OptionSpec(nil, "sync", help: "", getoptValue: 257),
        OptionSpec(nil, "summarize", help: "", getoptValue: 258), OptionSpec(nil, "raw-names", help: "", getoptValue: 259),
        OptionSpec(nil, "opt", value: .string, optionalValue: true, help: "", getoptValue: 260),
    ]

    static let words = ["-a", "-c", "-ac", "-ca", "-d", "-dx", "-adx", "-t5", "-t", "-x", "-ax", "-xa", "-",
                        "--", "--all", "--al", "--a", "--clear=1", "--data", "--data=v", "--da=", "--sort",
                        "--so=k", "--s", "--sy", "--su", "--sync", "--raw", "--raw-names", "--opt", "--opt=3",
                        "--op", "--bogus", "--bogus=2", "p", "q", "x=1", ""]

    func ours(_ args: [String], stop: Bool) -> String {
        let (result, error) = OptionParser(Self.specs, stopAtFirstOperand: stop).scan(args, previous: "prog")
        var lines = result.options.map { "O \($0.id) \($0.value ?? "(null)")" }
        if let error {
            lines.append("E \(error.optopt) \(error.token)")
        } else {
            lines += result.operands.map { "A \($0)" }
        }
        return lines.map { $0 + "\n" }.joined()
    }

    @Test func agreesWithGlibc() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("getopt-\(getpid())").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Self.driver.write(toFile: dir + "/g.c", atomically: true, encoding: .utf8)
        let built = try Rig.run(["cc", "-O1", "-o", dir + "/g", dir + "/g.c"])
        try #require(built.status == 0, "\(built)")

        var vectors: [[String]] = Self.words.map { [$0] }
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<400 {
            let count = Int.random(in: 1...5, using: &generator)
            vectors.append((0..<count).map { _ in Self.words.randomElement(using: &generator) ?? "" })
        }
        var compared = 0
        for stop in [false, true] {
            for args in vectors {
                let theirs = try Rig.run([dir + "/g"] + args, environment: stop ? ["STOP": "1"] : [:])
                #expect(ours(args, stop: stop) == theirs.stdout.replacingOccurrences(of: dir + "/g", with: "prog"),
                        "\(stop ? "+" : "") \(args)")
                compared += 1
            }
        }
        #expect(compared > 800)
    }
}
