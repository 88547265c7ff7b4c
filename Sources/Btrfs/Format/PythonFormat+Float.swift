extension PythonFormat {
    /// Python's repr of a float: the shortest digits that read back the same, in positional
    /// notation from 1e-4 up to 1e16 and in `1e+16` notation outside (Swift switches at 2^53).
    public static func floatRepr(_ value: Double) -> String {
        let text = value.description
        guard value.isFinite, value.magnitude >= 0x1p53, value.magnitude < 1e16,
              let e = text.firstIndex(of: "e"), let exponent = Int(text[text.index(after: e)...]) else { return text }
        var digits = String(text[..<e])
        let negative = digits.hasPrefix("-")
        if negative { digits.removeFirst() }
        digits.removeAll { $0 == "." }
        let whole = digits + String(repeating: "0", count: Swift.max(0, exponent + 1 - digits.count))
        return (negative ? "-" : "") + whole + ".0"
    }
}
