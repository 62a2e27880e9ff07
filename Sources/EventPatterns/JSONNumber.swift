/// A JSON number kept as its literal text.
///
/// EventBridge compares numbers numerically only when the literal is *exactly* a double as Java writes it in
/// shortest round-trip form (event-ruler checks this with `BigDecimal`). So `3`, `3.0`, `3e0` and `30e-1` are the
/// same number, while `9007199254740993`, `12345678901234567890`, `0.1000000000000000000001`, `5e-324` (Java writes
/// that double as `4.9E-324`) and `1e400` are not comparable and only ever match their own literal text.
public struct JSONNumber: Hashable, Sendable, CustomStringConvertible {
    /// The literal as written in the document (valid JSON number grammar).
    public let text: String

    /// Creates a number from its literal text. The text is trusted to follow JSON number grammar.
    public init(text: String) { self.text = text }

    /// Creates a number from text that must be exactly one JSON number literal (no spaces, no `+`, no `0x`).
    public init?(validating text: String) {
        var copy = text
        let valid = copy.withUTF8 { buffer -> Bool in
            var reader = JSONReader(buffer)
            guard (try? reader.scanNumber()) != nil else { return false }
            return reader.position == buffer.count
        }
        guard valid else { return nil }
        self.text = text
    }

    /// The value when the literal is exactly a double as written in Java's shortest round-trip form, else nil.
    ///
    /// `-0` and `0` both give a zero that compares equal. Infinite values (`1e400`) are never exact.
    /// - Complexity: O(length of the literal); computed on each access, so cache it in hot code.
    public var exactDouble: Double? { Self.exactDouble(literal: text) }

    public var description: String { text }

    /// The exact-double test for any decimal literal (see ``exactDouble``).
    static func exactDouble(literal: String) -> Double? {
        guard let value = Double(literal), value.isFinite else { return nil }
        guard let key = DecimalKey(literal) else { return nil }
        if key.isZero { return 0 }
        // Up to 15 significant digits always round-trip through a normal double.
        if key.digits.count <= 15, value.magnitude >= 1e-300, value.magnitude <= 1e300 { return value }
        if key.digits.count > 17 { return nil }
        guard let shortest = DecimalKey(javaShortest(value)) else { return nil }
        return shortest == key ? value : nil
    }

    /// Java's `Double.toString` digits for a finite non-zero double: the shortest decimal that rounds to the
    /// value, but with at least two significant digits, choosing the closest to the value among those.
    static func javaShortest(_ value: Double) -> String {
        let swift = value.description
        guard let key = DecimalKey(swift), key.digits.count == 1 else { return swift }
        // value = 0.d × 10^e; try two-digit decimals m × 10^(e-2) with m in 10...99 near d·10.
        let first = Int(key.digits[0] - 48)
        let exponent = key.exponent - 2
        let sign = key.negative ? "-" : ""
        // Subnormals sit below Double's normal range: compare distances after scaling both sides by 10^300.
        let shift = exponent < -290 ? 300 : 0
        let multiplier = shift == 300 ? 1e300 : 1.0
        var best: (text: String, distance: Double)?
        for mantissa in max(10, first * 10 - 9)...min(99, first * 10 + 9) {
            let text = "\(sign)\(mantissa)e\(exponent)"
            guard Double(text) == value, let scaled = Double("\(sign)\(mantissa)e\(exponent + shift)") else { continue }
            let distance = (scaled - value * multiplier).magnitude
            if best.map({ distance < $0.distance }) ?? true { best = (text, distance) }
        }
        return best?.text ?? swift
    }
}

/// The exact decimal value of a literal: sign, significant digits without leading or trailing zeros, and the
/// exponent such that value = 0.d₁d₂…dₙ × 10^exponent. Zero has no digits (and compares equal to minus zero).
struct DecimalKey: Equatable {
    var negative: Bool
    var digits: [UInt8]
    var exponent: Int
    var isZero: Bool { digits.isEmpty }

    /// Parses `-?digits(.digits)?([eE][+-]?digits)?`; returns nil on anything else.
    init?(_ literal: String) {
        var bytes = Array(literal.utf8)[...]
        negative = bytes.first == UInt8(ascii: "-")
        if negative || bytes.first == UInt8(ascii: "+") { bytes = bytes.dropFirst() }
        digits = []
        var pointExponent = 0
        var seenPoint = false
        var seenDigit = false
        while let byte = bytes.first, byte != UInt8(ascii: "e"), byte != UInt8(ascii: "E") {
            bytes = bytes.dropFirst()
            if byte == UInt8(ascii: ".") {
                guard !seenPoint else { return nil }
                seenPoint = true
                continue
            }
            guard byte >= 48, byte <= 57 else { return nil }
            seenDigit = true
            if digits.isEmpty && byte == 48 {
                if seenPoint { pointExponent -= 1 }
                continue
            }
            digits.append(byte)
            if !seenPoint { pointExponent += 1 }
        }
        guard seenDigit else { return nil }
        var exponentValue = 0
        if !bytes.isEmpty {
            bytes = bytes.dropFirst()
            var exponentNegative = false
            if let sign = bytes.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") {
                exponentNegative = sign == UInt8(ascii: "-")
                bytes = bytes.dropFirst()
            }
            guard !bytes.isEmpty else { return nil }
            for byte in bytes {
                guard byte >= 48, byte <= 57 else { return nil }
                exponentValue = min(exponentValue * 10 + Int(byte - 48), 1_000_000_000)
            }
            if exponentNegative { exponentValue = -exponentValue }
        }
        while digits.last == 48 { digits.removeLast() }
        exponent = digits.isEmpty ? 0 : pointExponent + exponentValue
        if digits.isEmpty { negative = false }
    }
}
