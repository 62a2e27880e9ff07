/// Deterministic, locale-independent decimal spelling of doubles, for reports and generated payloads.
public enum DecimalFormat {
    /// `value` with at most `digits` decimals (0…15), trailing zeros trimmed; "nan", "inf", "-inf" spelled
    /// plainly. Rounding is half away from zero, through integer arithmetic; magnitudes beyond 9e18 after
    /// scaling fall back to Swift's shortest round-trip spelling.
    ///
    /// The digits are written right to left into a stack buffer and become one small string (no allocation
    /// up to 15 bytes): generated payloads format a number per field, and the string-concatenating version
    /// cost about 1,800 instructions a call.
    /// - Complexity: O(number of digits).
    public static func string(_ value: Double, digits: Int = 6) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value > 0 ? "inf" : "-inf" }
        let digits = Swift.min(Swift.max(digits, 0), 15)
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        guard scaled < 9e18 else { return String(value) }
        let integer = UInt64(scaled)
        return spell(integer, fractionDigits: digits, negative: value < 0 && integer != 0)
    }

    /// The decimal spelling of an integer, as `String(value)` spells it.
    /// - Complexity: O(number of digits), no allocation for up to 15 characters.
    public static func string(_ value: Int) -> String {
        spell(UInt64(value.magnitude), fractionDigits: 0, negative: value < 0)
    }

    /// `prefix + String(value)`, built in one step.
    /// - Complexity: O(length), no allocation for up to 15 bytes.
    public static func string(_ value: Int, after prefix: String) -> String {
        spell(UInt64(value.magnitude), fractionDigits: 0, negative: value < 0, prefix: prefix)
    }

    /// Writes ``string(_:digits:)``'s spelling of `value` at `output` and returns its byte count.
    /// - Precondition: `output` has room for ``maximumWrittenBytes`` bytes.
    /// - Complexity: O(number of digits), no allocation (except for the rare fallbacks: non-finite values and
    ///   magnitudes beyond 9e18 after scaling, spelled as ``string(_:digits:)`` spells them).
    public static func write(_ value: Double, digits: Int, to output: UnsafeMutablePointer<UInt8>) -> Int {
        let digits = Swift.min(Swift.max(digits, 0), 15)
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        guard value.isFinite, scaled < 9e18 else {
            var text = string(value, digits: digits)
            return text.withUTF8 { bytes in
                output.update(from: bytes.baseAddress!, count: bytes.count)
                return bytes.count
            }
        }
        let integer = UInt64(scaled)
        return write(integer, fractionDigits: digits, negative: value < 0 && integer != 0, to: output)
    }

    /// Writes the decimal spelling of an integer (as `String(value)` spells it) at `output`; returns its byte count.
    /// - Precondition: `output` has room for ``maximumWrittenBytes`` bytes.
    /// - Complexity: O(number of digits), no allocation.
    public static func write(_ value: Int, to output: UnsafeMutablePointer<UInt8>) -> Int {
        write(UInt64(value.magnitude), fractionDigits: 0, negative: value < 0, to: output)
    }

    /// The most bytes ``write(_:digits:to:)`` and ``write(_:to:)`` write (Swift's longest double spelling is 24).
    public static let maximumWrittenBytes = 40

    private static func write(
        _ magnitude: UInt64, fractionDigits: Int, negative: Bool, to output: UnsafeMutablePointer<UInt8>
    ) -> Int {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 40) { buffer in
            let start = spellRightAligned(magnitude, fractionDigits: fractionDigits, negative: negative, in: buffer)
            let count = buffer.count - start
            output.update(from: buffer.baseAddress! + start, count: count)
            return count
        }
    }

    /// `magnitude / 10^fractionDigits` in decimal, with its fraction (trailing zeros trimmed) after a point when
    /// it has one, and a leading minus sign when `negative`, after `prefix`.
    private static func spell(
        _ magnitude: UInt64, fractionDigits: Int, negative: Bool, prefix: String = ""
    ) -> String {
        var prefix = prefix  // shares storage; withUTF8 needs a var
        // 20 integer digits, a point, 15 fraction digits and a sign fit in 40 bytes.
        return prefix.withUTF8 { prefixBytes in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 40 + prefixBytes.count) { buffer in
                var position = spellRightAligned(
                    magnitude, fractionDigits: fractionDigits, negative: negative, in: buffer)
                for byte in prefixBytes.reversed() {
                    position -= 1
                    buffer[position] = byte
                }
                return String(decoding: UnsafeBufferPointer(rebasing: buffer[position...]), as: UTF8.self)
            }
        }
    }

    /// Writes the spelling of ``spell(_:fractionDigits:negative:prefix:)`` without the prefix so that it ends at
    /// the end of `buffer` (at least 40 bytes); returns where it starts.
    @inline(__always)
    private static func spellRightAligned(
        _ magnitude: UInt64, fractionDigits: Int, negative: Bool, in buffer: UnsafeMutableBufferPointer<UInt8>
    ) -> Int {
        var remaining = magnitude
        var fraction = fractionDigits
        while fraction > 0, remaining % 10 == 0 {
            remaining /= 10
            fraction -= 1
        }
        var position = buffer.count
        if fraction > 0 {
            for _ in 0..<fraction {
                position -= 1
                buffer[position] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: remaining % 10)
                remaining /= 10
            }
            position -= 1
            buffer[position] = UInt8(ascii: ".")
        }
        repeat {
            position -= 1
            buffer[position] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: remaining % 10)
            remaining /= 10
        } while remaining > 0
        if negative {
            position -= 1
            buffer[position] = UInt8(ascii: "-")
        }
        return position
    }
}
