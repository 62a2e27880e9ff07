#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Exact-double detection straight from a number literal's bytes, without allocating in the common case.
enum NumberScanner {
    /// The literal's value when it is exactly a double (see ``JSONNumber/exactDouble``), else nil.
    /// - Complexity: O(n); literals of 16–17 significant digits take the slower shortest-form comparison.
    static func exactDouble(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        let decimal = ShortDecimal(bytes)
        return exactDouble(bytes, decimal: decimal, value: parse(bytes, decimal: decimal))
    }

    /// The exactness test when the caller already has the literal's decimal form and parsed value.
    static func exactDouble(_ bytes: UnsafeBufferPointer<UInt8>, decimal: ShortDecimal?, value: Double) -> Double? {
        // More than 19 significant digits (no ShortDecimal) can never be a ≤ 17-digit shortest form.
        guard let decimal else { return nil }
        if decimal.mantissa == 0 { return 0 }
        if decimal.significantDigits > 17 { return nil }
        guard value.isFinite else { return nil }
        if decimal.significantDigits <= 15 && value.magnitude >= 1e-300 && value.magnitude <= 1e300 { return value }
        guard value.isNormal else { return JSONNumber.exactDouble(literal: String(decoding: bytes, as: UTF8.self)) }
        // 16–17 digits of a normal double: Java's form is Swift's shortest form; compare exact decimal values.
        var shortest = value.description
        return shortest.withUTF8 { ShortDecimal($0) } == decimal ? value : nil
    }

    /// The correctly rounded double of a literal whose decimal form is known (nil when over 19 digits).
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, decimal: ShortDecimal?) -> Double {
        if let decimal, let value = fastValue(decimal) { return value }
        return parseWithLibc(bytes)
    }

    /// The correctly rounded double of a JSON number literal: a fast exact path when one applies, else C-locale
    /// `strtod`.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Double {
        parse(bytes, decimal: ShortDecimal(bytes))
    }

    /// C-locale `strtod` of the literal.
    static func parseWithLibc(_ bytes: UnsafeBufferPointer<UInt8>) -> Double {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: bytes.count + 1) { buffer in
            for index in 0..<bytes.count { buffer[index] = CChar(bitPattern: bytes[index]) }
            buffer[bytes.count] = 0
            return strtod(buffer.baseAddress!, nil)
        }
    }
}

extension NumberScanner {
    /// Exact powers of ten: 10^0 … 10^22 are exact doubles.
    static let powersOfTen: [Double] = (0...22).map { exponent in
        var value = 1.0
        for _ in 0..<exponent { value *= 10 }
        return value
    }

    /// Correctly rounded parsing without `strtod` when it is provably safe, else nil.
    ///
    /// Clinger's fast path: a mantissa ≤ 2^53 times or over an exact power of ten ≤ 10^22 rounds once, correctly.
    /// On x86-64 a wider path uses `Float80`: mantissas below 2^64 and powers up to 10^27 are exact there, the one
    /// rounding of the product or quotient errs by at most one unit in the 64th bit, so rounding on to a double is
    /// correct unless the 11 extra bits sit within one unit of a halfway point (then we decline).
    static func fastValue(_ decimal: ShortDecimal) -> Double? {
        let mantissa = decimal.mantissa
        let exponent = decimal.exponent
        let sign: Double = decimal.negative ? -1 : 1
        if mantissa == 0 { return decimal.negative ? -0.0 : 0 }
        if mantissa <= 1 << 53 && exponent.magnitude <= 22 {
            let value = Double(mantissa)
            let power = powersOfTen[Int(exponent.magnitude)]
            return sign * (exponent < 0 ? value / power : value * power)
        }
        #if arch(x86_64) && !os(Windows)
            guard exponent.magnitude <= 27 else { return nil }
            var power: Float80 = 1
            for _ in 0..<exponent.magnitude { power *= 10 }
            let wide = exponent < 0 ? Float80(mantissa) / power : Float80(mantissa) * power
            let low = wide.significandBitPattern & 0x7FF
            guard low < 0x3FF || low > 0x401 else { return nil }
            let value = Double(wide)
            guard value.isNormal else { return nil }
            return sign * value
        #else
            return nil
        #endif
    }
}

/// The exact value of a decimal literal of at most 19 significant digits: sign, digits as an integer without
/// trailing zeros, and the power of ten that scales it. Zero is normalised (so -0 equals 0).
struct ShortDecimal: Equatable {
    var negative: Bool
    var mantissa: UInt64
    var exponent: Int
    /// Digits of `mantissa` (significant digits of the literal, trailing zeros dropped).
    var significantDigits: Int

    /// Reads `-?digits(.digits)?([eE][+-]?digits)?`; nil when malformed or longer than 19 significant digits.
    init?(_ bytes: UnsafeBufferPointer<UInt8>) {
        var index = 0
        negative = false
        mantissa = 0
        exponent = 0
        significantDigits = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        var digits = 0
        var pendingZeros = 0
        var afterPoint = false
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: ".") {
                afterPoint = true
            } else if byte >= 48 && byte <= 57 {
                if afterPoint { exponent -= 1 }
                if byte == 48 {
                    if digits > 0 { pendingZeros += 1 }
                } else {
                    digits += pendingZeros + 1
                    guard digits <= 19 else { return nil }
                    for _ in 0..<pendingZeros { mantissa = mantissa &* 10 }
                    pendingZeros = 0
                    mantissa = mantissa &* 10 &+ UInt64(byte - 48)
                }
            } else {
                break
            }
            index += 1
        }
        // Zeros after the last non-zero digit are dropped from the mantissa and scale the value instead.
        exponent += pendingZeros
        significantDigits = digits
        if index < bytes.count {
            guard bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") else { return nil }
            index += 1
            var exponentNegative = false
            if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
                exponentNegative = bytes[index] == UInt8(ascii: "-")
                index += 1
            }
            var value = 0
            while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                value = min(value * 10 + Int(bytes[index] - 48), 100_000)
                index += 1
            }
            exponent += exponentNegative ? -value : value
        }
        if mantissa == 0 {
            negative = false
            exponent = 0
        }
    }
}
