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
        let value = parse(bytes)
        guard value.isFinite else { return nil }
        if significant <= 15 && value.magnitude >= 1e-300 && value.magnitude <= 1e300 { return value }
        return JSONNumber.exactDouble(literal: String(decoding: bytes, as: UTF8.self))
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
