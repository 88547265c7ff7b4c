/// A script being written line by line, and the quoting the generators share.
struct ShellText {
    private(set) var result = ""

    mutating func line(_ text: String = "") {
        result += text
        result += "\n"
    }

    /// A block as is (multi-line literals end with their own newline).
    mutating func text(_ block: String) {
        result += block
    }

    /// Single-quoted for sh, bash, zsh and fish alike: `'` closes, escapes and reopens for the
    /// POSIX shells; fish takes `\'` inside single quotes, so fish text goes through `fishQuote`.
    static func quote(_ text: String) -> String {
        "'" + text.replacing("'", with: "'\\''") + "'"
    }

    /// fish: inside single quotes only `\\` and `\'` are escapes.
    static func fishQuote(_ text: String) -> String {
        "'" + text.replacing("\\", with: "\\\\").replacing("'", with: "\\'") + "'"
    }

    /// Every way the option is spelled on the command line: `-x`, `--long`.
    static func spellings(_ option: CompletionModel.OptionEntry) -> [String] {
        (option.short.map { ["-\($0)"] } ?? []) + (option.long.map { ["--\($0)"] } ?? [])
    }

    /// Every spelling of the options whose value is given as `mode` says.
    static func spellings(_ options: [CompletionModel.OptionEntry], _ mode: CompletionModel.ValueMode) -> [String] {
        options.filter { $0.value == mode }.flatMap(spellings)
    }
}
