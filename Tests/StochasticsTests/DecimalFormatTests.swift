import Testing

@testable import Stochastics

/// The string-building spelling that `DecimalFormat` replaced, kept as the reference for its output.
private func referenceSpelling(_ value: Double, digits: Int) -> String {
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

@Suite("Decimal spelling")
struct DecimalFormatTests {
    @Test(arguments: [
        (0.0, 2, "0"), (-0.0, 2, "0"), (1.5, 0, "2"), (-1.5, 0, "-2"), (0.125, 2, "0.13"), (12.30, 2, "12.3"),
        (100, 3, "100"), (-0.004, 2, "0"), (-0.006, 2, "-0.01"), (123456.789, 6, "123456.789"),
        (Double.nan, 2, "nan"), (Double.infinity, 2, "inf"), (-Double.infinity, 2, "-inf"), (1e19, 2, "1e+19"),
        (0.000001, 15, "0.000001"), (7, -3, "7"), (1.23456789, 40, "1.23456789"),
    ])
    func spellsKnownValues(_ value: Double, _ digits: Int, _ expected: String) {
        #expect(DecimalFormat.string(value, digits: digits) == expected)
    }

    @Test func matchesTheReferenceSpellingOnRandomValues() {
        let stream = RandomStream(seed: 42)
        for round in 0..<20_000 {
            let magnitude = [1.0, 1e3, 1e6, 1e9, 1e-3, 1e15][round % 6]
            let value = (stream.uniform() - 0.3) * magnitude
            let digits = round % 17
            #expect(
                DecimalFormat.string(value, digits: digits) == referenceSpelling(value, digits: digits),
                "\(value) with \(digits) digits")
        }
    }

    @Test(arguments: [0, 7, -7, 10, -100, 4_999, Int.max, Int.min, Int.min + 1])
    func spellsIntegersAsSwiftDoes(_ value: Int) {
        #expect(DecimalFormat.string(value) == String(value))
        #expect(DecimalFormat.string(value, after: "order-") == "order-" + String(value))
        #expect(DecimalFormat.string(value, after: "") == String(value))
        let long = String(repeating: "é", count: 40)
        #expect(DecimalFormat.string(value, after: long) == long + String(value))
    }
}
