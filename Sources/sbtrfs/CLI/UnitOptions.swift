/// progs' unit options as data: the help lines of HELPINFO_UNITS_LONG / _SHORT_LONG and every
/// token get_unit_mode_from_arg takes (for completion). Parsing is UnitMode.take in the library.
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
