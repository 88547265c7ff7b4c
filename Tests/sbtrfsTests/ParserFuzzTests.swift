import Foundation
import Testing
import TestRig
import Btrfs
@testable import sbtrfs

/// The tool's parsers of user arguments on random input, in process (a trap would end the run,
/// so each passing case is the proof), checked against an oracle where there is one: glibc's
/// strtoull, python's int(), python-btrfs's space calculator.
@Suite struct ParserFuzzTests {
    /// Random strings from pieces numbers are made of, and odd bytes.
    static func randomInputs(seed: UInt64, count: Int, pieces: [String]) -> [String] {
        var rng = ArgumentFuzzTests.Random(state: seed)
        return (0..<count).map { _ in
            (0..<(1 + rng.below(5))).map { _ in rng.pick(pieces) }.joined()
        }
    }

    static let numberPieces = ["0", "1", "7", "9", "x", "X", "f", "g", "z", "-", "+", " ", "\t", "\n", "_", ".", "e",
                               "k", "K", "m", "G", "t", "P", "E", "b", "B", "iB", "18446744073709551615",
                               "18446744073709551616", "9223372036854775807", "9223372036854775808", "99999999999999999999",
                               "0x", "0xffffffffffffffff", "é", "\u{10FF80}", "٣"]

    @Test func strtoullMatchesGlibcOnRandomInput() {
        var mismatches: [String] = []
        for text in Self.randomInputs(seed: 1, count: 20_000, pieces: Self.numberPieces) {
            for base in [0, 8, 10, 16] {
                let ours = strtoull(text, base: base)
                let theirs = NumberArgumentsTests.glibcStrtoull(text, base: base)
                if ours != theirs {
                    mismatches.append("strtoull(\(text.debugDescription), \(base)): \(ours) vs \(theirs)")
                }
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(10))")
    }

    /// progs' number parsers: a value or a CommandExit, never a trap; a size is what its digits
    /// times its suffix make, exactly.
    @Test func progsNumberParsersNeverTrap() {
        for text in Self.randomInputs(seed: 2, count: 20_000, pieces: Self.numberPieces) {
            _ = try? argStrtou64(text)
            _ = parseU64(text)
            if let size = try? parseSizeFromString(text) {
                let digits = strtoull(text, base: 10)
                let suffix = text.pathBytes.dropFirst(digits.consumed).first.map { $0 | 0x20 }
                let power = suffix.flatMap { Array("bkmgtpe".utf8).firstIndex(of: $0) } ?? 0
                let (expected, overflow) = digits.value.multipliedReportingOverflow(by: 1 << (10 * UInt64(power)))
                #expect(!overflow && size == expected, "\(text.debugDescription) -> \(size)")
            }
        }
    }

    /// getopt_long over random argv and random option tables: a result or an OptionError, with
    /// counts that add up.
    @Test func optionParserNeverTraps() {
        var rng = ArgumentFuzzTests.Random(state: 3)
        let letters = Array("abcdTzq")
        let longs = ["all", "alpha", "al", "data", "dat", "reset", "raw", "r"]
        let tokens = ["-", "--", "---", "-a", "-ab", "-abc", "-d", "-dx", "-T", "-Tz", "--all", "--al", "--a", "--da",
                      "--data", "--data=", "--data=x", "--all=1", "--reset", "--r", "--=", "--=x", "-=", "x", "", "/"]
        for _ in 0..<20_000 {
            let specs = (0..<rng.below(6)).map { _ -> OptionSpec in
                let short: Character? = rng.chance(70) ? rng.pick(letters) : nil
                let long: String? = rng.chance(70) || short == nil ? rng.pick(longs) : nil
                let optional = rng.chance(20)
                return OptionSpec(short, long, value: rng.chance(40) || optional ? .string : nil,
                                  optionalValue: optional, help: "")
            }
            let args = (0..<rng.below(8)).map { _ in
                rng.chance(90) ? rng.pick(tokens) : String(pathBytes: ArgumentFuzzTests.randomBytes(&rng))
            }
            let parser = OptionParser(specs, stopAtFirstOperand: rng.chance(50))
            let (result, _) = parser.scan(args, previous: "prog")
            #expect(result.consumed <= args.count)
            #expect(result.operands.count <= args.count)
            var units = args
            _ = UnitMode.take(from: &units, dfMode: rng.chance(50))
            #expect(units.count <= args.count)
        }
    }

    /// The calculator's ratio parser against python's int() (ASCII input; python's int also
    /// takes other scripts' digits, which we refuse): same value, or both refuse; values past
    /// 64 bits python takes and we refuse with a message.
    @Test func ratioParserMatchesPythonInt() throws {
        let pieces = ["0", "1", "9", "-", "+", "_", "__", " ", "\t", "x", ".", "e5", "9223372036854775807",
                      "9223372036854775808", "99999999999999999999", "nan", "inf"]
        let inputs = Self.randomInputs(seed: 4, count: 3000, pieces: pieces)
        let result = try Rig.python("""
            import sys, json
            for s in json.load(sys.stdin):
                try: print(int(s))
                except ValueError: print("None")
            """, stdin: [UInt8](try JSONSerialization.data(withJSONObject: inputs)))
        #expect(result.status == 0, "\(result)")
        let expected = result.stdout.split(separator: "\n").map(String.init)
        try #require(expected.count == inputs.count)
        var mismatches: [String] = []
        for (input, want) in zip(inputs, expected) {
            let ours = SpaceCalculator.parseRatio(input)
            let python = Int(want)  // nil for None and for values past Int
            if ours != python { mismatches.append("\(input.debugDescription): ours \(String(describing: ours)) python \(want)") }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(10))")
    }

    /// The calculator at its edges against python-btrfs: the smallest and a huge ratio, devices of
    /// 0 and 1 bytes, hundreds of devices.
    @Test(arguments: [
        ["-m", "single", "-d", "single", "-r", "1", "10G"],
        ["-m", "raid1", "-d", "raid1", "-r", "2", "10G", "20G"],
        ["-m", "raid1", "-d", "raid0", "-r", "9223372036854775807", "10G", "20G"],
        ["-m", "dup", "-d", "dup", "-r", "1", "2"],
        ["-m", "raid6", "-d", "raid6", "1", "1", "1", "0", "0"],
        ["-m", "raid10", "-d", "raid10"] + Array(repeating: "1T", count: 200),
        ["-m", "raid1c4", "-d", "raid6"] + (1...64).map { "\($0)G" },
        ["-M", "-m", "raid0", "-d", "raid0", "-r", "1", "1G", "3G", "3", "5G"],
    ])
    func calculatorEdgesMatchPython(_ args: [String]) throws {
        let theirs = try Rig.run(["/usr/bin/btrfs-space-calculator"] + args)
        let ours = try Rig.sbtrfs(["filesystem", "space-calculator"] + args)
        #expect(theirs.status == 0, "\(theirs)")
        #expect(ours.status == 0, "\(ours)")
        expectSameText(ours.stdout, theirs.stdout, "space-calculator \(args.prefix(8))")
    }

    /// Devices of a few bytes where python-btrfs loops forever (an allocation of 0 bytes counts as
    /// one there): ours ends, with everything unallocatable.
    @Test(arguments: [
        ["-m", "raid5", "-d", "raid5", "0", "5", "5", "7"],
        ["-M", "-m", "raid0", "-d", "raid0", "-r", "1"] + Array(repeating: "3", count: 40),
    ])
    func calculatorEndsWherePythonLoops(_ args: [String]) throws {
        let ours = try Rig.sbtrfs(["filesystem", "space-calculator"] + args)
        #expect(ours.status == 0, "\(ours)")
        #expect(ours.stdout.contains("Total unallocatable raw amount: "))
    }

    /// Ratios below 1, which python-btrfs takes and computes nonsense with, are refused: one
    /// ERROR line, nothing on stdout.
    @Test(arguments: ["0", "-1", "-9223372036854775807"])
    func calculatorRefusesRatiosBelowOne(_ ratio: String) throws {
        let ours = try Rig.sbtrfs(["filesystem", "space-calculator", "-m", "raid1", "-d", "raid0", "-r", ratio, "10G", "20G"])
        #expect(ours.status == 1, "\(ours)")
        #expect(ours.stdout.isEmpty)
        #expect(ours.stderr == "ERROR: invalid ratio '\(ratio)': must be at least 1\n")
    }

    /// Exabytes (where python-btrfs runs for hours) and numbers python's int takes but a 64-bit
    /// ratio cannot hold: one ERROR line, exit 1, nothing on stdout, in seconds.
    @Test(arguments: [
        (["-m", "single", "-d", "single", "7E"], "too large to simulate"),
        (["-m", "raid1", "-d", "raid1", "4E", "4E"], "too large to simulate"),
        (["-M", "-m", "raid0", "-d", "raid0", "3E", "3E"], "too large to simulate"),
        (["-m", "single", "-d", "single", "8E"], "too large"),
        (["-m", "single", "-d", "single", "-r", "99999999999999999999", "1G"], "invalid ratio"),
        (["-m", "single", "-d", "single", "-r", "1e308", "1G"], "invalid ratio"),
        (["-m", "single", "-d", "single", "-r", "nan", "1G"], "invalid ratio"),
        (["-m", "single", "-d", "single", "-r", "", "1G"], "invalid ratio"),
    ])
    func calculatorRefusesWhatItCannotCompute(_ args: [String], _ message: String) throws {
        let start = Date()
        let ours = try Rig.sbtrfs(["filesystem", "space-calculator"] + args)
        #expect(ours.status == 1, "\(ours)")
        #expect(ours.stdout.isEmpty)
        #expect(ours.stderr.hasPrefix("ERROR: ") && ours.stderr.split(separator: "\n").count == 1, "\(ours.stderr)")
        #expect(ours.stderr.contains(message), "\(ours.stderr)")
        // Seconds normally; the sanitized -Onone build on a loaded machine took up to 162 s.
        #expect(Date().timeIntervalSince(start) < (Rig.isSanitized ? 600 : 120))
    }
}
