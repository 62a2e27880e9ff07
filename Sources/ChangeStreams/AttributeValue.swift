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
    static func numberSize(_ text: String) -> Int {
        text.utf8.withContiguousStorageIfAvailable { numberSize(bytes: $0) } ?? numberSize(bytes: Array(text.utf8))
    }

    static func numberSize(bytes: some Collection<UInt8>) -> Int {
        var significant = 0
        var pendingZeros = 0
        var seenNonZero = false
        for byte in bytes {
            if byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") { break }
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { continue }
            if byte == UInt8(ascii: "0") {
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
    /// exponent, at most 38 significant digits.
    static func isValidNumber(_ text: String) -> Bool {
        text.utf8.withContiguousStorageIfAvailable { isValidNumber(bytes: $0) }
            ?? isValidNumber(bytes: Array(text.utf8))
    }

    static func isValidNumber(bytes whole: some Collection<UInt8>) -> Bool {
        var bytes = whole[...]
        if bytes.first == UInt8(ascii: "-") || bytes.first == UInt8(ascii: "+") { bytes = bytes.dropFirst() }
        var mantissaDigits = 0
        var seenPoint = false
        while let byte = bytes.first, byte != UInt8(ascii: "e"), byte != UInt8(ascii: "E") {
            if byte == UInt8(ascii: ".") {
                if seenPoint { return false }
                seenPoint = true
            } else if byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                mantissaDigits += 1
            } else {
                return false
            }
            bytes = bytes.dropFirst()
        }
        guard mantissaDigits > 0 else { return false }
        if !bytes.isEmpty {
            bytes = bytes.dropFirst()
            if bytes.first == UInt8(ascii: "-") || bytes.first == UInt8(ascii: "+") { bytes = bytes.dropFirst() }
            guard !bytes.isEmpty,
                bytes.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
            else { return false }
        }
        return numberSize(bytes: whole) - 1 <= 19
    }
}
