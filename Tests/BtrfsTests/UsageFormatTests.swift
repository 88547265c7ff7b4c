import Foundation
import Testing
import TestRig
@testable import Btrfs

/// python-btrfs's pretty_size, parse_pretty_size and flag strings against ours, on values
/// around every unit boundary and rounding edge.
@Suite struct UsageFormatTests {
    static var sizes: [Int] {
        var v: [Int] = [0, 1, 2, 999, 1023, 1024, 1025, 1535, 1536, 10_239, 10_240, 1_048_575, 1_048_576,
                        5 * 1024 + 5, 1_073_741_823, 1_073_741_824, 1_610_612_736, 1 << 40, (1 << 50) - 1,
                        1 << 60, Int.max, -1, -1024, -123_456_789, 376_832_000, 12_884_901_888]
        for shift in stride(from: 10, through: 60, by: 10) {
            for k in [1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25] {
                v.append((1 << shift) / 100 * k + k)          // near the two-decimal rounding points
                if shift < 60 { v.append((1 << shift) / 8 * k + (1 << (shift - 10)) * 5) }
            }
        }
        return v
    }

    @Test func prettySizeMatchesPython() throws {
        let values = Self.sizes
        let r = try Rig.python("import btrfs, sys\nfor a in sys.argv[1:]: print(btrfs.utils.pretty_size(int(a)))",
                               args: values.map(String.init))
        #expect(r.status == 0, "\(r)")
        let ours = values.map { PythonFormat.prettySize($0) }.joined(separator: "\n") + "\n"
        expectSameText(ours, r.stdout, "pretty_size")
    }

    @Test func parsePrettySizeMatchesPython() throws {
        let inputs = ["0", "1", "42", "1k", "1kB", "1kiB", "1K", "2M", "2MB", "2MiB", "3G", "3GiB", "4T", "5P", "6E",
                      "7EiB", "1x", "", "G", "1.5G", "1 G", "-1", "1GiBB", "1Gi", "007", "1e", "1EB", "9EiB",
                      "9223372036854775807", "9223372036854775808", "99999999999999999999", "1g", "1\n"]
        let script = """
            import btrfs, sys
            for a in sys.argv[1:]:
                try:
                    v = btrfs.utils.parse_pretty_size(a)
                    print(v if v < 2**63 else 'None')
                except ValueError:
                    print('None')
            """
        let r = try Rig.python(script, args: inputs)
        #expect(r.status == 0, "\(r)")
        let ours = inputs.map { (try? PythonFormat.parsePrettySize($0)).flatMap { $0 <= UInt64(Int.max) ? String($0) : nil } ?? "None" }.joined(separator: "\n") + "\n"
        expectSameText(ours, r.stdout, "parse_pretty_size")
    }

    @Test func flagStringsMatchPython() throws {
        var flags: [UInt64] = [0, 1, 2, 4, 5, 1 << 49, 1 << 48, 0x14, 0x11, 0x81, 0x101, 0x201, 0x401, 0x41, 0x24, 0x22, 0x800, 0x7ff, 0xffff]
        flags += (0..<11).map { UInt64(1) << $0 }
        let r = try Rig.python("""
            import btrfs, sys
            for a in sys.argv[1:]:
                f = int(a)
                print(btrfs.utils.block_group_flags_str(f), btrfs.utils.space_type_description(f),
                      btrfs.utils.space_profile_description(f))
            """, args: flags.map { String($0) })
        #expect(r.status == 0, "\(r)")
        let ours = flags.map {
            "\(PythonFormat.blockGroupFlags($0)) \(PythonFormat.spaceType($0)) \(PythonFormat.spaceProfile($0))"
        }.joined(separator: "\n") + "\n"
        expectSameText(ours, r.stdout, "flag strings")
    }

    @Test func ratioParsesAsPythonInt() throws {
        let inputs = ["200", "0", "-3", "+7", " 12 ", "1_000", "1__0", "_1", "1_", "x", "", "1.5", "99999999999999999999"]
        let r = try Rig.python("""
            import sys
            for a in sys.argv[1:]:
                try:
                    v = int(a)
                    print(v if -2**63 < v < 2**63 else 'None')
                except ValueError:
                    print('None')
            """, args: inputs)
        let ours = inputs.map { SpaceCalculator.parseRatio($0).map(String.init) ?? "None" }.joined(separator: "\n") + "\n"
        expectSameText(ours, r.stdout, "int()")
    }
}
