import Btrfs

/// progs' unit options as data: the help lines of HELPINFO_UNITS_LONG / _SHORT_LONG and every
/// token get_unit_mode_from_arg takes (for completion). Parsing is UnitMode.take below: a command
/// line matter, so it lives in the tool and the library keeps only UnitMode and prettySize.
enum UnitOptions {
    static func helpSpecs(_ style: UnitOptionStyle) -> [OptionSpec] {
        let short = style == .shortAndLong
        return [
            OptionSpec(short ? "b" : nil, "raw", help: "raw numbers in bytes"),
            OptionSpec(short ? "h" : nil, "human-readable", help: "human friendly numbers, base 1024 (default)"),
        ] + (short ? [OptionSpec("H", nil, help: "human friendly numbers, base 1000")] : []) + [
            OptionSpec(nil, "iec", help: "use 1024 as a base (KiB, MiB, GiB, TiB)"),
            OptionSpec(nil, "si", help: "use 1000 as a base (kB, MB, GB, TB)"),
            OptionSpec(short ? "k" : nil, "kbytes", help: "show sizes in KiB, or kB with --si"),
            OptionSpec(short ? "m" : nil, "mbytes", help: "show sizes in MiB, or MB with --si"),
            OptionSpec(short ? "g" : nil, "gbytes", help: "show sizes in GiB, or GB with --si"),
            OptionSpec(short ? "t" : nil, "tbytes", help: "show sizes in TiB, or TB with --si"),
        ]
    }
}

extension UnitOptionStyle {
    var dfMode: Bool { self == .shortAndLong }
}

extension UnitMode {
    /// get_unit_mode_from_arg: takes the unit options out of `arguments` (up to a `--`, which stays)
    /// and returns the resulting mode. `dfMode` also accepts `-b -h -H -k -m -g -t`.
    /// Only whole arguments match (`-bk` is left for the option parser to reject).
    static func take(from arguments: inout [String], dfMode: Bool) -> UnitMode {
        var mode = UnitMode.default
        var kept: [String] = []
        kept.reserveCapacity(arguments.count)
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if argument == "--" { break }
            index += 1
            switch argument {
            case "--raw": mode = .raw
            case "--human-readable": mode = .humanBinary
            case "--iec": mode.setMode(.binary)
            case "--si": mode.setMode(.decimal)
            case "--kbytes": mode.setBase(.kbytes)
            case "--mbytes": mode.setBase(.mbytes)
            case "--gbytes": mode.setBase(.gbytes)
            case "--tbytes": mode.setBase(.tbytes)
            case "-b" where dfMode: mode = .raw
            case "-h" where dfMode: mode = .humanBinary
            case "-H" where dfMode: mode = .humanDecimal
            case "-k" where dfMode: mode.setBase(.kbytes)
            case "-m" where dfMode: mode.setBase(.mbytes)
            case "-g" where dfMode: mode.setBase(.gbytes)
            case "-t" where dfMode: mode.setBase(.tbytes)
            default: kept.append(argument)
            }
        }
        kept.append(contentsOf: arguments[index...])
        arguments = kept
        return mode
    }
}
