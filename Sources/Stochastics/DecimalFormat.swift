/// Deterministic, locale-independent decimal spelling of doubles, for reports and generated payloads.
public enum DecimalFormat {
    /// `value` with at most `digits` decimals (0…15), trailing zeros trimmed; "nan", "inf", "-inf" spelled
    /// plainly. Rounding is half away from zero, through integer arithmetic; magnitudes beyond 9e18 after
    /// scaling fall back to Swift's shortest round-trip spelling.
    public static func string(_ value: Double, digits: Int = 6) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value > 0 ? "inf" : "-inf" }
        let digits = Swift.min(Swift.max(digits, 0), 15)
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
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
