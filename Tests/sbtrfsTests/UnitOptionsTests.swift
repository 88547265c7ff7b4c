import Testing
import Btrfs
@testable import sbtrfs

/// The unit options as the tool takes them from argv (UnitMode.take), as progs' get_unit_mode_from_arg.
struct UnitOptionsTests {
    /// get_unit_mode_from_arg: the last option of a kind wins, --iec/--si keep the unit base,
    /// the unit options keep the mode, and nothing after `--` is taken.
    @Test func unitOptionsComposeAsProgs() {
        func take(_ args: [String], df: Bool = true) -> (UInt32, [String]) {
            var args = args
            let mode = UnitMode.take(from: &args, dfMode: df)
            return (mode.rawValue, args)
        }
        #expect(take([]) == (UnitMode.default.rawValue, []))
        #expect(take(["--raw", "/mnt"]) == (UnitMode.raw.rawValue, ["/mnt"]))
        #expect(take(["-b", "/mnt"]) == (UnitMode.raw.rawValue, ["/mnt"]))
        #expect(take(["-b", "/mnt"], df: false) == (UnitMode.default.rawValue, ["-b", "/mnt"]))
        #expect(take(["--si", "-k"]).0 == UnitMode.decimal.rawValue | UnitMode.kbytes.rawValue)
        #expect(take(["-k", "--si"]).0 == UnitMode.decimal.rawValue | UnitMode.kbytes.rawValue)
        #expect(take(["-k", "-H"]).0 == UnitMode.humanDecimal.rawValue)
        #expect(take(["--raw", "--si"]).0 == UnitMode.decimal.rawValue)
        #expect(take(["--si", "--raw"]).0 == UnitMode.raw.rawValue)
        #expect(take(["--raw", "-k"]).0 == UnitMode.raw.rawValue | UnitMode.kbytes.rawValue)
        #expect(prettySize(1536, mode: UnitMode(rawValue: take(["--raw", "-k"]).0)) == "1536")
        #expect(take(["-g", "--", "-k", "--raw"]) == (UnitMode.binary.rawValue | UnitMode.gbytes.rawValue,
                                                   ["--", "-k", "--raw"]))
        #expect(take(["-bk", "--kbytes=1", "--human"]) == (UnitMode.default.rawValue,
                                                           ["-bk", "--kbytes=1", "--human"]))
    }
}
