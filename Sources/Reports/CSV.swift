/// RFC 4180 CSV formatting with locale-independent, deterministic number spelling.
public enum CSV {
    /// One CSV line (without the line break): fields joined by commas, quoted where needed.
    public static func row(_ fields: [String]) -> String {
        fields.map(escape).joined(separator: ",")
    }

    /// Quotes a field when it holds a comma, a quote or a line break; inner quotes are doubled.
    public static func escape(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// A number with at most `digits` decimals, trailing zeros trimmed; "nan"/"inf" spelled plainly.
    ///
    /// Rounding goes through integer arithmetic so the output never depends on the C library's locale.
    public static func number(_ value: Double, digits: Int = 6) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value > 0 ? "inf" : "-inf" }
        let scale = (0..<digits).reduce(1.0) { value, _ in value * 10 }
        let scaled = (abs(value) * scale).rounded()
        guard scaled < 9e18 else { return String(value) }
        let integer = UInt64(scaled)
        let divisor = UInt64(scale)
        var text = String(integer / divisor)
        if digits > 0 {
            var fraction = String(integer % divisor)
            fraction = String(repeating: "0", count: digits - fraction.count) + fraction
            while fraction.hasSuffix("0") { fraction.removeLast() }
            if !fraction.isEmpty { text += "." + fraction }
        }
        return (value < 0 && integer != 0 ? "-" : "") + text
    }
}

extension String {
    fileprivate func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: Character(target), omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
