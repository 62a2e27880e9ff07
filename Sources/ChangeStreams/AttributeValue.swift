/// One attribute value of a table item, after DynamoDB's data types.
///
/// Numbers are carried as their decimal text (`N` in DynamoDB's wire format) and compared as text, so callers
/// should write them in one canonical form (`"1"`, not `"1.0"`). Binary values are either real bytes or just a
/// byte count, for simulations that only need the size. Maps are ``Item`` values: attribute lists sorted by name,
/// so that equality, hashing and sizes never depend on `Dictionary` order.
public enum AttributeValue: Sendable, Hashable {
    /// A string (`S`).
    case s(String)
    /// A number written as decimal text (`N`), for example `"42"`, `"-3.5"`, `"1E+3"`.
    case n(String)
    /// A binary value (`B`) whose bytes are known.
    case b([UInt8])
    /// A binary value (`B`) of which only the length in bytes is modelled.
    case binarySize(Int)
    /// A Boolean (`BOOL`).
    case bool(Bool)
    /// The null value (`NULL`).
    case null
    /// A list of values (`L`).
    case l([AttributeValue])
    /// A map of named values (`M`).
    case m(Item)
    /// A string set (`SS`); elements are kept sorted and unique by ``Item/normalized(_:)``.
    case ss([String])
    /// A number set (`NS`); elements are kept sorted and unique by ``Item/normalized(_:)``.
    case ns([String])

    /// The DynamoDB type descriptor of this value (`S`, `N`, `B`, `BOOL`, `NULL`, `L`, `M`, `SS`, `NS`).
    public var typeName: String {
        switch self {
        case .s: "S"
        case .n: "N"
        case .b, .binarySize: "B"
        case .bool: "BOOL"
        case .null: "NULL"
        case .l: "L"
        case .m: "M"
        case .ss: "SS"
        case .ns: "NS"
        }
    }

    /// The value's size in bytes by DynamoDB's item-size rules (without the attribute name).
    ///
    /// Strings and binaries count their bytes (UTF-8 for strings); a number counts 1 byte per two significant
    /// digits plus 1; `BOOL` and `NULL` count 1; a list or map counts 3 bytes plus 1 byte per element plus the
    /// elements (and, for a map, the element names); a set counts the sum of its elements.
    /// - Complexity: O(size of the value), no allocation.
    public var sizeInBytes: Int {
        switch self {
        case .s(let text): text.utf8.count
        case .n(let text): Self.numberSize(text)
        case .b(let bytes): bytes.count
        case .binarySize(let count): max(0, count)
        case .bool, .null: 1
        case .l(let values):
            values.reduce(3 + values.count) { $0 + $1.sizeInBytes }
        case .m(let item):
            3 + item.count + item.sizeInBytes
        case .ss(let texts):
            texts.reduce(0) { $0 + $1.utf8.count }
        case .ns(let texts):
            texts.reduce(0) { $0 + Self.numberSize($1) }
        }
    }

    /// The size of a number: 1 byte per two significant digits (leading and trailing zeros dropped), plus 1.
    /// - Complexity: O(length of the text), one pass, no allocation for native or small strings.
    static func numberSize(_ text: String) -> Int {
        text.utf8.withContiguousStorageIfAvailable { numberSize(bytes: $0) }
            ?? Array(text.utf8).withUnsafeBufferPointer { numberSize(bytes: $0) }
    }

    @inline(__always)
    static func numberSize(bytes: UnsafeBufferPointer<UInt8>) -> Int {
        // The usual number, digits only from a non-zero digit to a non-zero digit: every digit is significant.
        if let base = bytes.baseAddress, bytes.count > 0, base[0] != UInt8(ascii: "0"),
            base[bytes.count - 1] != UInt8(ascii: "0")
        {
            if bytes.count <= 8 {
                if allDigits(base, count: bytes.count) { return (bytes.count + 1) / 2 + 1 }
            } else {
                var allDigits = true
                for index in 0..<bytes.count where base[index] &- UInt8(ascii: "0") >= 10 { allDigits = false }
                if allDigits { return (bytes.count + 1) / 2 + 1 }
            }
        }
        return numberSizeOfAnyText(bytes: bytes)
    }

    /// Whether the `count` (1 to 8) bytes at `base` are all ASCII digits, tested as one word: the bytes read in
    /// two overlapping loads (no byte past the end) and padded with `"0"`s; a byte is a digit when subtracting
    /// `"0"` does not wrap it past 0x7F and adding 0x46 does not carry it past 0x7F (`"9"` + 0x46 = 0x7F). A wrapped
    /// byte's borrow may change the bytes above it, but the lowest byte that is not a digit always shows in its top
    /// bit, so the answer is exact. About fifteen instructions where the byte loop took eight a byte.
    @inline(__always)
    static func allDigits(_ base: UnsafePointer<UInt8>, count: Int) -> Bool {
        let raw = UnsafeRawPointer(base)
        var word: UInt64
        if count >= 4 {
            let low = UInt64(UInt32(littleEndian: raw.loadUnaligned(as: UInt32.self)))
            let high = UInt64(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self)))
            word = low | high &<< (UInt64(count &- 4) &* 8)
        } else {
            let middle = count >> 1
            word = UInt64(base[0]) | UInt64(base[middle]) &<< (UInt64(middle) &* 8)
            word |= UInt64(base[count &- 1]) &<< (UInt64(count &- 1) &* 8)
        }
        if count < 8 { word |= 0x3030_3030_3030_3030 &<< (UInt64(count) &* 8) }
        let high: UInt64 = 0x8080_8080_8080_8080
        return ((word &- 0x3030_3030_3030_3030) | (word &+ 0x4646_4646_4646_4646) | word) & high == 0
    }

    /// ``numberSize(bytes:)`` of any text: signs, fractions, exponents and zeros worked through digit by digit.
    static func numberSizeOfAnyText(bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var significant = 0
        var pendingZeros = 0
        var seenNonZero = false
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if byte | 0x20 == UInt8(ascii: "e") { break }
            let digit = byte &- UInt8(ascii: "0")
            guard digit < 10 else { continue }
            if digit == 0 {
                if seenNonZero { pendingZeros += 1 }
            } else {
                seenNonZero = true
                significant += pendingZeros + 1
                pendingZeros = 0
            }
        }
        return (significant + 1) / 2 + 1
    }

    /// Whether `text` is a valid DynamoDB number: optional sign, digits with an optional fraction, optional
    /// exponent, at most 38 significant digits, and zero or a magnitude from 1E-130 to 9.99…E+125 (DynamoDB's
    /// number range: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html).
    /// - Complexity: O(length of the text), no allocation for native or small strings.
    static func isValidNumber(_ text: String) -> Bool {
        text.utf8.withContiguousStorageIfAvailable { isValidNumber(bytes: $0) }
            ?? Array(text.utf8).withUnsafeBufferPointer { isValidNumber(bytes: $0) }
    }

    static func isValidNumber(bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        checkedNumberSize(bytes: bytes) != nil
    }

    /// The size of a valid number (see ``numberSize(_:)``), or `nil` if the text is not a valid number (see
    /// ``isValidNumber(_:)``): one pass.
    @inline(__always)
    static func checkedNumberSize(bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        var index = 0
        let count = bytes.count
        if index < count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") { index += 1 }
        var mantissaDigits = 0
        var significant = 0
        var pendingZeros = 0
        var seenPoint = false
        var integerDigits = 0
        // Where the first significant digit is: the integer digits before it, or (after the point) its power of
        // ten, -1 for the first place.
        var leadingIntegerDigits = -1
        var leadingFractionPlace = 0
        while index < count {
            let byte = bytes[index]
            let digit = byte &- UInt8(ascii: "0")
            if digit < 10 {
                mantissaDigits += 1
                if digit == 0 {
                    if significant > 0 { pendingZeros += 1 }
                } else {
                    if significant == 0 {
                        if seenPoint {
                            leadingFractionPlace = integerDigits - mantissaDigits
                        } else {
                            leadingIntegerDigits = integerDigits
                        }
                    }
                    significant += pendingZeros + 1
                    pendingZeros = 0
                }
                if !seenPoint { integerDigits += 1 }
            } else if byte == UInt8(ascii: ".") {
                if seenPoint { return nil }
                seenPoint = true
            } else if byte | 0x20 == UInt8(ascii: "e") {
                break
            } else {
                return nil
            }
            index += 1
        }
        guard mantissaDigits > 0, significant <= 38 else { return nil }
        var exponent = 0
        if index < count {
            index += 1
            var negative = false
            if index < count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
                negative = bytes[index] == UInt8(ascii: "-")
                index += 1
            }
            guard index < count else { return nil }
            while index < count {
                let digit = bytes[index] &- UInt8(ascii: "0")
                guard digit < 10 else { return nil }
                // Capped: any exponent beyond the range is out of range whatever the mantissa.
                exponent = min(exponent * 10 + Int(digit), 100_000)
                index += 1
            }
            if negative { exponent = -exponent }
        }
        if significant > 0 {
            // The value is d.ddd × 10^magnitude, with d the first significant digit.
            let place = leadingIntegerDigits >= 0 ? integerDigits - 1 - leadingIntegerDigits : leadingFractionPlace
            let magnitude = place + exponent
            guard magnitude >= -130, magnitude <= 125 else { return nil }
        }
        return (significant + 1) / 2 + 1
    }
}
