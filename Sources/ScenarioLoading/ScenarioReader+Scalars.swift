import SimulationKernel
import Yams

/// Typed scalars: strings, integers, numbers, booleans, durations. Each reader reports a wrong node as
/// "expected KIND for 'KEY', got VALUE" and returns nil.
extension ScenarioReader {
    /// A non-null scalar's text (quoted or not).
    func string(_ node: Node, _ key: String) -> String? {
        guard let text = node.scalarText, !node.isNull else {
            error(node, "expected a string for '\(key)', got \(node.summary)")
            return nil
        }
        return text
    }

    /// A non-empty name.
    func name(_ node: Node, _ key: String = "name") -> String? {
        guard let text = string(node, key) else { return nil }
        guard !text.isEmpty else {
            error(node, "'\(key)' must not be empty")
            return nil
        }
        return text
    }

    /// A plain integer scalar in `range`.
    func integer(_ node: Node, _ key: String, _ range: ClosedRange<Int> = Int.min...Int.max) -> Int? {
        guard node.isPlainScalar, let text = node.scalarText, let value = Int(text) else {
            error(node, "expected an integer for '\(key)', got \(node.summary)")
            return nil
        }
        guard range.contains(value) else {
            error(node, "'\(key)' must be \(ScenarioReader.describe(range)), got \(value)")
            return nil
        }
        return value
    }

    /// A plain unsigned 64-bit integer scalar.
    func unsigned(_ node: Node, _ key: String) -> UInt64? {
        guard node.isPlainScalar, let text = node.scalarText, let value = UInt64(text) else {
            error(node, "expected an unsigned integer for '\(key)', got \(node.summary)")
            return nil
        }
        return value
    }

    /// A plain finite number scalar within the given bounds (each optional, inclusive unless stated).
    func number(
        _ node: Node, _ key: String, atLeast low: Double? = nil, above open: Double? = nil,
        atMost high: Double? = nil
    ) -> Double? {
        guard node.isPlainScalar, let text = node.scalarText, let value = ScenarioReader.parseNumber(text) else {
            error(node, "expected a number for '\(key)', got \(node.summary)")
            return nil
        }
        return check(value, node, key, text: node.scalarText ?? "", atLeast: low, above: open, atMost: high)
    }

    /// Checks bounds on a value read from `node`; reports and returns nil when outside.
    func check(
        _ value: Double, _ node: Node, _ key: String, text: String, atLeast low: Double? = nil,
        above open: Double? = nil, atMost high: Double? = nil
    ) -> Double? {
        var bound: String?
        if let low, let high, !(value >= low && value <= high) {
            bound = "between \(ScenarioReader.format(low)) and \(ScenarioReader.format(high))"
        } else if let low, high == nil, !(value >= low) {
            bound = "at least \(ScenarioReader.format(low))"
        } else if let high, low == nil, !(value <= high) {
            bound = "at most \(ScenarioReader.format(high))"
        }
        if bound == nil, let open, !(value > open) { bound = "greater than \(ScenarioReader.format(open))" }
        if let bound {
            error(node, "'\(key)' must be \(bound), got \(text)")
            return nil
        }
        return value
    }

    /// `true` or `false` (also `True`, `TRUE`, `False`, `FALSE`), unquoted.
    func bool(_ node: Node, _ key: String) -> Bool? {
        if node.isPlainScalar, let text = node.scalarText {
            if ["true", "True", "TRUE"].contains(text) { return true }
            if ["false", "False", "FALSE"].contains(text) { return false }
        }
        error(node, "expected true or false for '\(key)', got \(node.summary)")
        return nil
    }

    /// A duration (`500ms`, `1.5s`, `10m`; a bare number is seconds) as nanoseconds, within bounds.
    /// - Parameters:
    ///   - positive: Whether 0 is rejected (`> 0` rather than `≥ 0`).
    ///   - atMost: An inclusive upper bound, nanoseconds, with its text for the message.
    func duration(
        _ node: Node, _ key: String, positive: Bool = false, atLeast low: (SimTime, String)? = nil,
        atMost high: (SimTime, String)? = nil
    ) -> SimTime? {
        guard let text = node.scalarText, !node.isNull, node.scalar?.style != .literal,
            let value = DurationText.nanoseconds(text)
        else {
            error(
                node,
                "expected a duration for '\(key)' (a number of seconds or a number with a unit ns, us, ms, "
                    + "s, m, h or d, e.g. 500ms, 1.5s), got \(node.summary)")
            return nil
        }
        if value > DurationText.maximum {
            error(node, "'\(key)' must be at most 3650d (ten years), got \(text)")
            return nil
        }
        if value < 0 || (positive && value == 0) {
            error(node, "'\(key)' must be \(positive ? "greater than 0" : "at least 0"), got \(text)")
            return nil
        }
        if let (limit, limitText) = low, value < limit {
            error(node, "'\(key)' must be at least \(limitText), got \(text)")
            return nil
        }
        if let (limit, limitText) = high, value > limit {
            error(node, "'\(key)' must be at most \(limitText), got \(text)")
            return nil
        }
        return value
    }

    /// A number of seconds or a duration with a unit, as seconds (for distribution parameters).
    func seconds(_ node: Node, _ key: String) -> Double? {
        guard let text = node.scalarText, !node.isNull, let value = DurationText.seconds(text) else {
            error(node, "expected a number of seconds or a duration for '\(key)', got \(node.summary)")
            return nil
        }
        return value
    }

    /// A finite number from decimal text (`12`, `-3.5`, `1e-3`, `.5`); nil for anything else (`nan`, `inf`, `0x1`).
    static func parseNumber(_ text: String) -> Double? {
        guard let first = text.unicodeScalars.first,
            first == "-" || first == "+" || first == "."
                || ("0"..."9").contains(first), !text.contains("x"), !text.contains("X"),
            let value = Double(text), value.isFinite
        else { return nil }
        return value
    }

    /// A number as written in messages: integers without a fraction.
    static func format(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }

    /// `between 1 and 10`, `at least 1` or `at most 5`.
    static func describe(_ range: ClosedRange<Int>) -> String {
        if range.upperBound == Int.max { return "at least \(range.lowerBound)" }
        if range.lowerBound == Int.min { return "at most \(range.upperBound)" }
        return "between \(range.lowerBound) and \(range.upperBound)"
    }
}
