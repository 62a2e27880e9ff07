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
    @inlinable
    public static func write(_ value: Double, digits: Int, to output: UnsafeMutablePointer<UInt8>) -> Int {
        let digits = Swift.min(Swift.max(digits, 0), 15)
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        guard value.isFinite, scaled < 9e18 else { return writeFallback(value, digits: digits, to: output) }
        let integer = UInt64(scaled)
        return write(integer, fractionDigits: digits, negative: value < 0 && integer != 0, to: output)
    }

    /// ``write(_:digits:to:)`` for non-finite values and magnitudes beyond 9e18 after scaling.
    @usableFromInline
    static func writeFallback(_ value: Double, digits: Int, to output: UnsafeMutablePointer<UInt8>) -> Int {
        var text = string(value, digits: digits)
        return text.withUTF8 { bytes in
            output.update(from: bytes.baseAddress!, count: bytes.count)
            return bytes.count
        }
    }

    /// Writes the decimal spelling of an integer (as `String(value)` spells it) at `output`; returns its byte count.
    /// - Precondition: `output` has room for ``maximumWrittenBytes`` bytes.
    /// - Complexity: O(number of digits), no allocation.
    @inlinable
    public static func write(_ value: Int, to output: UnsafeMutablePointer<UInt8>) -> Int {
        if value >= 0, value < 100_000 { return writeSmall(UInt32(truncatingIfNeeded: value), to: output) }
        return write(UInt64(value.magnitude), fractionDigits: 0, negative: value < 0, to: output)
    }

    /// ``write(_:to:)`` for 0…99,999 (counts, identifiers, sequence numbers), in 32-bit arithmetic.
    /// - Complexity: O(number of digits).
    @inlinable @inline(__always)
    static func writeSmall(_ value: UInt32, to output: UnsafeMutablePointer<UInt8>) -> Int {
        let count = value < 100 ? (value < 10 ? 1 : 2) : value < 1_000 ? 3 : value < 10_000 ? 4 : 5
        var remaining = value
        var position = count
        repeat {
            position &-= 1
            output[position] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: remaining % 10)
            remaining /= 10
        } while position > 0
        return count
    }

    /// The most bytes ``write(_:digits:to:)`` and ``write(_:to:)`` write (Swift's longest double spelling is 24).
    @inlinable public static var maximumWrittenBytes: Int { 40 }

    /// Writes ``spell(_:fractionDigits:negative:prefix:)``'s spelling (without prefix) straight to `output`.
    /// - Complexity: O(number of digits).
    @inlinable
    static func write(
        _ magnitude: UInt64, fractionDigits: Int, negative: Bool, to output: UnsafeMutablePointer<UInt8>
    ) -> Int {
        spellInPlace(magnitude, fractionDigits: fractionDigits, negative: negative, to: output)
    }

    /// The spelling written in place: its length is known first from the digit count, so each digit goes
    /// straight to its byte (no buffer and no copy).
    @inlinable @inline(__always)
    static func spellInPlace<Magnitude: FixedWidthInteger & UnsignedInteger>(
        _ magnitude: Magnitude, fractionDigits: Int, negative: Bool, to output: UnsafeMutablePointer<UInt8>
    ) -> Int {
        var remaining = magnitude
        var fraction = fractionDigits
        while fraction > 0, remaining % 10 == 0 {
            remaining /= 10
            fraction -= 1
        }
        // Digits of `remaining`, at least one; the integer part has the ones beyond the fraction, at least one.
        var digitCount = 1
        var probe = remaining
        while probe >= 10 {
            probe /= 10
            digitCount &+= 1
        }
        let integerDigits = Swift.max(digitCount - fraction, 1)
        let sign = negative ? 1 : 0
        let count = sign + integerDigits + (fraction > 0 ? fraction + 1 : 0)
        if negative { output[0] = UInt8(ascii: "-") }
        var position = count
        if fraction > 0 {
            for _ in 0..<fraction {
                position &-= 1
                output[position] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: remaining % 10)
                remaining /= 10
            }
            position &-= 1
            output[position] = UInt8(ascii: ".")
        }
        repeat {
            position &-= 1
            output[position] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: remaining % 10)
            remaining /= 10
        } while position > sign
        return count
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
                let base = buffer.baseAddress!
                if let start = prefixBytes.baseAddress { base.update(from: start, count: prefixBytes.count) }
                let count = spellInPlace(
                    magnitude, fractionDigits: fractionDigits, negative: negative, to: base + prefixBytes.count)
                return String(
                    decoding: UnsafeBufferPointer(start: base, count: prefixBytes.count + count), as: UTF8.self)
            }
        }
    }
}
