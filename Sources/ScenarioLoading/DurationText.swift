import SimulationKernel

/// Duration literals: a decimal number followed by an optional unit `ns`, `us`, `ms`, `s`, `m`, `h` or `d`
/// (no unit means seconds). Spaces between number and unit are allowed.
enum DurationText {
    /// The longest accepted duration, ten years in nanoseconds: sums of a few durations (a profile's phases, a
    /// run's duration plus drain) then stay far from `Int64.max`.
    static let maximum: SimTime = 3_650 * 86_400_000_000_000

    /// Nanoseconds per unit.
    static let units: [(suffix: String, nanoseconds: Int64)] = [
        ("ns", 1), ("us", 1_000), ("ms", 1_000_000), ("s", 1_000_000_000), ("m", 60_000_000_000),
        ("h", 3_600_000_000_000), ("d", 86_400_000_000_000),
    ]

    /// Splits `text` into its number text and the unit's nanoseconds.
    private static func split(_ text: String) -> (number: Substring, unit: Int64)? {
        var body = Substring(text)
        while body.last == " " { body.removeLast() }
        while body.first == " " { body.removeFirst() }
        var suffix = Substring("")
        while let last = body.last, last.isLetter {
            suffix.insert(last, at: suffix.startIndex)
            body.removeLast()
        }
        while body.last == " " { body.removeLast() }
        guard !body.isEmpty else { return nil }
        if suffix.isEmpty { return (body, 1_000_000_000) }
        guard let unit = units.first(where: { $0.suffix == suffix }) else { return nil }
        return (body, unit.nanoseconds)
    }

    /// The duration in nanoseconds, exact for decimal literals (`1.5s` is 1,500,000,000), rounded to the
    /// nearest nanosecond otherwise; nil when the text is not a duration or overflows.
    static func nanoseconds(_ text: String) -> SimTime? {
        guard let (number, unit) = split(text) else { return nil }
        if let exact = exactNanoseconds(number, unit: unit) { return exact }
        guard let value = ScenarioReader.parseNumber(String(number)) else { return nil }
        let scaled = value * Double(unit)
        guard abs(scaled) < 9.2e18 else { return nil }
        return SimTime(scaled.rounded())
    }

    /// The duration in seconds; nil when the text is not a duration.
    static func seconds(_ text: String) -> Double? {
        guard let (number, unit) = split(text), let value = ScenarioReader.parseNumber(String(number)) else {
            return nil
        }
        // Divide by exact powers of ten so that `50ms` is the double nearest 0.05.
        switch unit {
        case 1: return value / 1e9
        case 1_000: return value / 1e6
        case 1_000_000: return value / 1e3
        default: return value * Double(unit / 1_000_000_000)
        }
    }

    /// `[-]digits[.digits]` times the unit, when exact in integers without overflow.
    private static func exactNanoseconds(_ number: Substring, unit: Int64) -> SimTime? {
        var digits = number
        let negative = digits.first == "-"
        if negative || digits.first == "+" { digits.removeFirst() }
        let parts = digits.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count <= 2, parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
            !(parts[0].isEmpty && (parts.count == 1 || parts[1].isEmpty))
        else { return nil }
        var whole: Int64 = 0
        for character in parts[0] {
            let (shifted, overflow1) = whole.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = shifted.addingReportingOverflow(Int64(character.wholeNumberValue!))
            guard !overflow1, !overflow2 else { return nil }
            whole = sum
        }
        var (total, overflow) = whole.multipliedReportingOverflow(by: unit)
        guard !overflow else { return nil }
        if parts.count == 2 {
            var scale = unit
            var remainder = Int64(0)
            for character in parts[1] {
                guard scale % 10 == 0 else { return nil }  // finer than a nanosecond: round through doubles
                scale /= 10
                remainder += Int64(character.wholeNumberValue!) * scale
            }
            (total, overflow) = total.addingReportingOverflow(remainder)
            guard !overflow else { return nil }
        }
        return negative ? -total : total
    }
}
