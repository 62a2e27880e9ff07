import Stochastics

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

    /// A number with at most `digits` decimals, trailing zeros trimmed (``DecimalFormat``).
    public static func number(_ value: Double, digits: Int = 6) -> String {
        DecimalFormat.string(value, digits: digits)
    }
}

extension String {
    fileprivate func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: Character(target), omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
