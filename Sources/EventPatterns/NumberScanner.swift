#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Exact-double detection straight from a number literal's bytes, without allocating in the common case.
enum NumberScanner {
    /// The literal's value when it is exactly a double (see ``JSONNumber/exactDouble``), else nil.
    /// - Complexity: O(n); literals of 16–17 significant digits take the slower shortest-form comparison.
    static func exactDouble(_ bytes: UnsafeBufferPointer<UInt8>, parsed: Double? = nil) -> Double? {
        var significant = 0
        var pendingZeros = 0
        var seenNonZero = false
        for byte in bytes {
            if byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") { break }
            guard byte >= 48 && byte <= 57 else { continue }
            if byte == 48 {
                if seenNonZero { pendingZeros += 1 }
            } else {
                seenNonZero = true
                significant += pendingZeros + 1
                pendingZeros = 0
            }
        }
        if !seenNonZero { return 0 }
        if significant > 17 { return nil }
        let value = parsed ?? parse(bytes)
        guard value.isFinite else { return nil }
        if significant <= 15 && value.magnitude >= 1e-300 && value.magnitude <= 1e300 { return value }
        guard value.isNormal else { return JSONNumber.exactDouble(literal: String(decoding: bytes, as: UTF8.self)) }
        // 16–17 digits of a normal double: Java's form is Swift's shortest form; compare exact decimal values.
        var shortest = value.description
        let key = ShortDecimal(bytes)
        return shortest.withUTF8 { ShortDecimal($0) } == key && key != nil ? value : nil
    }

    /// The correctly rounded double of a JSON number literal (C locale `strtod`).
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Double {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: bytes.count + 1) { buffer in
            for index in 0..<bytes.count { buffer[index] = CChar(bitPattern: bytes[index]) }
            buffer[bytes.count] = 0
            return strtod(buffer.baseAddress!, nil)
        }
    }
}

/// The exact value of a decimal literal of at most 19 significant digits: sign, digits as an integer without
/// trailing zeros, and the power of ten that scales it. Zero is normalised (so -0 equals 0).
struct ShortDecimal: Equatable {
    var negative: Bool
    var mantissa: UInt64
    var exponent: Int

    /// Reads `-?digits(.digits)?([eE][+-]?digits)?`; nil when malformed or longer than 19 significant digits.
    init?(_ bytes: UnsafeBufferPointer<UInt8>) {
        var index = 0
        negative = false
        mantissa = 0
        exponent = 0
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
