import Testing
@testable import Btrfs

/// prettySize against btrfs-progs' own pretty_size_snprintf: the table below is the output of
/// common/units.c from btrfs-progs 6.2 compiled unchanged with a driver that prints each value in
/// the modes of `modes` (so single-precision rounding, %.2f and the negative mode are progs' own).
struct SizeFormatTests {
    static let modes: [UnitMode] = [
        .raw, .binary, .decimal,
        UnitMode(rawValue: UnitMode.binary.rawValue | UnitMode.kbytes.rawValue),
        UnitMode(rawValue: UnitMode.binary.rawValue | UnitMode.mbytes.rawValue),
        UnitMode(rawValue: UnitMode.binary.rawValue | UnitMode.gbytes.rawValue),
        UnitMode(rawValue: UnitMode.binary.rawValue | UnitMode.tbytes.rawValue),
        UnitMode(rawValue: UnitMode.decimal.rawValue | UnitMode.kbytes.rawValue),
        UnitMode(rawValue: UnitMode.decimal.rawValue | UnitMode.mbytes.rawValue),
        UnitMode(rawValue: UnitMode.decimal.rawValue | UnitMode.gbytes.rawValue),
        UnitMode(rawValue: UnitMode.decimal.rawValue | UnitMode.tbytes.rawValue),
        UnitMode(rawValue: UnitMode.binary.rawValue | UnitMode.bytes.rawValue),
        UnitMode.binary.signed, UnitMode.decimal.signed, UnitMode.raw.signed,
    ]

    static let progsTable: [(UInt64, [String])] = [
        (0, ["0", "0.00B", "0.00B", "0.00KiB", "0.00MiB", "0.00GiB", "0.00TiB", "0.00kB", "0.00MB", "0.00GB", "0.00TB", "0.00B", "0.00B", "0.00B", "0"]),
        (1, ["1", "1.00B", "1.00B", "0.00KiB", "0.00MiB", "0.00GiB", "0.00TiB", "0.00kB", "0.00MB", "0.00GB", "0.00TB", "1.00B", "1.00B", "1.00B", "1"]),
        (1023, ["1023", "1023.00B", "1.02kB", "1.00KiB", "0.00MiB", "0.00GiB", "0.00TiB", "1.02kB", "0.00MB", "0.00GB", "0.00TB", "1023.00B", "1023.00B", "1.02kB", "1023"]),
        (1024, ["1024", "1.00KiB", "1.02kB", "1.00KiB", "0.00MiB", "0.00GiB", "0.00TiB", "1.02kB", "0.00MB", "0.00GB", "0.00TB", "1024.00B", "1.00KiB", "1.02kB", "1024"]),
        (1025, ["1025", "1.00KiB", "1.02kB", "1.00KiB", "0.00MiB", "0.00GiB", "0.00TiB", "1.02kB", "0.00MB", "0.00GB", "0.00TB", "1025.00B", "1.00KiB", "1.02kB", "1025"]),
        (1536, ["1536", "1.50KiB", "1.54kB", "1.50KiB", "0.00MiB", "0.00GiB", "0.00TiB", "1.54kB", "0.00MB", "0.00GB", "0.00TB", "1536.00B", "1.50KiB", "1.54kB", "1536"]),
        (1048575, ["1048575", "1024.00KiB", "1.05MB", "1024.00KiB", "1.00MiB", "0.00GiB", "0.00TiB", "1048.57kB", "1.05MB", "0.00GB", "0.00TB", "1048575.00B", "1024.00KiB", "1.05MB", "1048575"]),
        (1048576, ["1048576", "1.00MiB", "1.05MB", "1024.00KiB", "1.00MiB", "0.00GiB", "0.00TiB", "1048.58kB", "1.05MB", "0.00GB", "0.00TB", "1048576.00B", "1.00MiB", "1.05MB", "1048576"]),
        (999, ["999", "999.00B", "999.00B", "0.98KiB", "0.00MiB", "0.00GiB", "0.00TiB", "1.00kB", "0.00MB", "0.00GB", "0.00TB", "999.00B", "999.00B", "999.00B", "999"]),
        (1000, ["1000", "1000.00B", "1.00kB", "0.98KiB", "0.00MiB", "0.00GiB", "0.00TiB", "1.00kB", "0.00MB", "0.00GB", "0.00TB", "1000.00B", "1000.00B", "1.00kB", "1000"]),
        (1001, ["1001", "1001.00B", "1.00kB", "0.98KiB", "0.00MiB", "0.00GiB", "0.00TiB", "1.00kB", "0.00MB", "0.00GB", "0.00TB", "1001.00B", "1001.00B", "1.00kB", "1001"]),
        (999999, ["999999", "976.56KiB", "1000.00kB", "976.56KiB", "0.95MiB", "0.00GiB", "0.00TiB", "1000.00kB", "1.00MB", "0.00GB", "0.00TB", "999999.00B", "976.56KiB", "1000.00kB", "999999"]),
        (5767168, ["5767168", "5.50MiB", "5.77MB", "5632.00KiB", "5.50MiB", "0.01GiB", "0.00TiB", "5767.17kB", "5.77MB", "0.01GB", "0.00TB", "5767168.00B", "5.50MiB", "5.77MB", "5767168"]),
        (53673984, ["53673984", "51.19MiB", "53.67MB", "52416.00KiB", "51.19MiB", "0.05GiB", "0.00TiB", "53673.98kB", "53.67MB", "0.05GB", "0.00TB", "53673984.00B", "51.19MiB", "53.67MB", "53673984"]),
        (16777215, ["16777215", "16.00MiB", "16.78MB", "16384.00KiB", "16.00MiB", "0.02GiB", "0.00TiB", "16777.21kB", "16.78MB", "0.02GB", "0.00TB", "16777215.00B", "16.00MiB", "16.78MB", "16777215"]),
        (1099511627776, ["1099511627776", "1.00TiB", "1.10TB", "1073741824.00KiB", "1048576.00MiB", "1024.00GiB", "1.00TiB", "1099511680.00kB", "1099511.62MB", "1099.51GB", "1.10TB", "1099511627776.00B", "1.00TiB", "1.10TB", "1099511627776"]),
        (1125899906842623, ["1125899906842623", "1024.00TiB", "1.12PB", "1099511627776.00KiB", "1073741824.00MiB", "1048576.00GiB", "1024.00TiB", "1125899960320.00kB", "1125899904.00MB", "1125899.88GB", "1125.90TB", "1125899906842624.00B", "1024.00TiB", "1.12PB", "1125899906842623"]),
        (1152921504606846975, ["1152921504606846975", "1024.00PiB", "1.15EB", "1125899906842624.00KiB", "1099511627776.00MiB", "1073741824.00GiB", "1048576.00TiB", "1152921559367680.00kB", "1152921501696.00MB", "1152921472.00GB", "1152921.50TB", "1152921504606846976.00B", "1024.00PiB", "1.15EB", "1152921504606846975"]),
        (1152921504606846976, ["1152921504606846976", "1.00EiB", "1.15EB", "1125899906842624.00KiB", "1099511627776.00MiB", "1073741824.00GiB", "1048576.00TiB", "1152921559367680.00kB", "1152921501696.00MB", "1152921472.00GB", "1152921.50TB", "1152921504606846976.00B", "1.00EiB", "1.15EB", "1152921504606846976"]),
        (9223372036854775807, ["9223372036854775807", "8.00EiB", "9.22EB", "9007199254740992.00KiB", "8796093022208.00MiB", "8589934592.00GiB", "8388608.00TiB", "9223372474941440.00kB", "9223372013568.00MB", "9223371776.00GB", "9223372.00TB", "9223372036854775808.00B", "8.00EiB", "9.22EB", "9223372036854775807"]),
        (9223372036854775808, ["9223372036854775808", "8.00EiB", "9.22EB", "9007199254740992.00KiB", "8796093022208.00MiB", "8589934592.00GiB", "8388608.00TiB", "9223372474941440.00kB", "9223372013568.00MB", "9223371776.00GB", "9223372.00TB", "9223372036854775808.00B", "-9223372036854775808.00B", "-9223372036854775808.00B", "-9223372036854775808"]),
        (18446744073709551615, ["18446744073709551615", "16.00EiB", "18.45EB", "18014398509481984.00KiB", "17592186044416.00MiB", "17179869184.00GiB", "16777216.00TiB", "18446744949882880.00kB", "18446744027136.00MB", "18446743552.00GB", "18446744.00TB", "18446744073709551616.00B", "-1.00B", "-1.00B", "-1"]),
        (12345678901234567, ["12345678901234567", "10.96PiB", "12.35PB", "12056326569984.00KiB", "11773756416.00MiB", "11497809.00GiB", "11228.33TiB", "12345677971456.00kB", "12345678848.00MB", "12345678.00GB", "12345.68TB", "12345678407663616.00B", "10.96PiB", "12.35PB", "12345678901234567"]),
        (16777219, ["16777219", "16.00MiB", "16.78MB", "16384.00KiB", "16.00MiB", "0.02GiB", "0.00TiB", "16777.22kB", "16.78MB", "0.02GB", "0.00TB", "16777220.00B", "16.00MiB", "16.78MB", "16777219"]),
        (4095, ["4095", "4.00KiB", "4.09kB", "4.00KiB", "0.00MiB", "0.00GiB", "0.00TiB", "4.09kB", "0.00MB", "0.00GB", "0.00TB", "4095.00B", "4.00KiB", "4.09kB", "4095"]),
        (10240, ["10240", "10.00KiB", "10.24kB", "10.00KiB", "0.01MiB", "0.00GiB", "0.00TiB", "10.24kB", "0.01MB", "0.00GB", "0.00TB", "10240.00B", "10.00KiB", "10.24kB", "10240"]),
        (1000000000000, ["1000000000000", "931.32GiB", "1.00TB", "976562496.00KiB", "953674.31MiB", "931.32GiB", "0.91TiB", "1000000000.00kB", "1000000.00MB", "1000.00GB", "1.00TB", "999999995904.00B", "931.32GiB", "1.00TB", "1000000000000"]),
        (999995000, ["999995000", "953.67MiB", "999.99MB", "976557.62KiB", "953.67MiB", "0.93GiB", "0.00TiB", "999995.00kB", "999.99MB", "1.00GB", "0.00TB", "999995008.00B", "953.67MiB", "999.99MB", "999995000"]),
    ]

    @Test(arguments: progsTable.indices)
    func matchesProgs(_ row: Int) {
        let (value, expected) = Self.progsTable[row]
        for (mode, text) in zip(Self.modes, expected) {
            #expect(prettySize(value, mode: mode) == text, "value \(value) mode \(mode.rawValue)")
        }
    }

    @Test func unknownModeGivesEmpty() {
        #expect(prettySize(1024, mode: UnitMode(rawValue: 0)) == "")
        #expect(prettySize(1024, mode: UnitMode(rawValue: 4 << 8)) == "")  // negative flag, no mode
    }

}

import Foundation

/// The hand-written `%.2f` against glibc's printf for floats of every magnitude, ties included.
struct FixedFormatTests {
    @Test func matchesPrintf() {
        var values: [Float] = [0, -0.0, 0.005, 0.015, 0.025, 0.125, 0.375, 0.625, 0.875, 1.005, 2.675,
                               1023.995, 999.995, 0.004999, 1e-10, -1, -0.001, -1.005, Float.leastNonzeroMagnitude,
                               Float(UInt64.max), 16777215, 16777216, 1e20, 3.4e38, -3.4e38]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            values.append(Float(bitPattern: UInt32.random(in: 0...0x7F7F_FFFF, using: &generator)))
        }
        for k in 0..<4096 { values.append(Float(k) / 1024) ; values.append(Float(k) / 1000) }
        for value in values {
            let expected = String(format: "%.2f", Double(value))
            #expect(formatFixed2(value) == expected, "\(value.bitPattern)")
        }
    }

    /// The double version (python-btrfs's sizes): every magnitude, ties, and the vsnprintf fallback.
    @Test func matchesPrintfForDoubles() {
        var values: [Double] = [0, -0.0, 0.005, 0.015, 0.125, 2.675, 1023.995, 0.004999999999999999,
                                -0.001, 1e-300, Double.leastNonzeroMagnitude, Double(UInt64.max), 9007199254740993,
                                0x1p126, 0x1p127, 1e300, -Double.greatestFiniteMagnitude, .nan, .infinity, -.infinity]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            values.append(Double(bitPattern: UInt64.random(in: 0...0x7FEF_FFFF_FFFF_FFFF, using: &generator)))
            values.append(Double(UInt64.random(in: 0...(1 << 50), using: &generator)) / 1024)
            values.append(Double.random(in: -1100...1100, using: &generator))
        }
        for k in 0..<4096 { values.append(Double(k) / 1024 + 0.005); values.append(Double(k) / 1000) }
        for value in values {
            let expected = String(format: "%.2f", value)
            #expect(formatFixed2(value) == expected, "\(value.bitPattern)")
        }
    }
}
