/// A JSON syntax error with its position, printed like a compiler diagnostic (`line:column: error: message`).
public struct JSONSyntaxError: Error, Sendable, CustomStringConvertible, Equatable {
    /// What is wrong, as a sentence fragment ("expected ':' after an object key").
    public let message: String
    /// Zero-based byte offset of the problem in the input.
    public let offset: Int
    /// One-based line of the problem.
    public let line: Int
    /// One-based column (in bytes) of the problem.
    public let column: Int

    public var description: String { "\(line):\(column): error: \(message)" }
}

/// A strict RFC 8259 JSON parser that keeps numbers' literal text.
///
/// Never traps: malformed input, invalid UTF-8 and nesting deeper than ``maximumDepth`` are reported as
/// ``JSONSyntaxError``. Lone UTF-16 surrogate escapes (`"\ud800"`) decode to U+FFFD.
public enum JSONParser {
    /// The deepest nesting of arrays and objects accepted (deeper input is an error, not a stack overflow).
    public static let maximumDepth = 512

    /// Parses UTF-8 JSON text holding exactly one value (whitespace around it is allowed).
    /// - Throws: ``JSONSyntaxError`` with the position of the first problem.
    /// - Complexity: O(n) in the length of the text.
    public static func parse(_ text: String) throws(JSONSyntaxError) -> JSONValue {
        var text = text
        return try text.withUTF8 { buffer in
            Result { () throws(JSONSyntaxError) in try parse(buffer: buffer, allowTrailing: false) }
        }.get()
    }

    /// Parses UTF-8 JSON bytes holding exactly one value.
    /// - Throws: ``JSONSyntaxError`` with the position of the first problem.
    public static func parse(bytes: some Collection<UInt8>) throws(JSONSyntaxError) -> JSONValue {
        let array = Array(bytes)
        return try array.withUnsafeBufferPointer { buffer in
            Result { () throws(JSONSyntaxError) in try parse(buffer: buffer, allowTrailing: false) }
        }.get()
    }

    /// Parses one value from the buffer; with `allowTrailing`, text after the value is ignored (as the service
    /// does for patterns).
    package static func parse(
        buffer: UnsafeBufferPointer<UInt8>, allowTrailing: Bool
    ) throws(JSONSyntaxError) -> JSONValue {
        var reader = JSONReader(buffer)
        reader.skipWhitespace()
        let value = try reader.readValue(depth: 0)
        reader.skipWhitespace()
        if !allowTrailing && reader.position < buffer.count {
            throw reader.error("unexpected text after the JSON value")
        }
        return value
    }
}

/// The recursive-descent reader behind ``JSONParser``; also used by the event flattener for scalar tokens.
struct JSONReader {
    let bytes: UnsafeBufferPointer<UInt8>
    var position = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    @inline(__always) var current: UInt8? { position < bytes.count ? bytes[position] : nil }

    func error(_ message: String, at offset: Int? = nil) -> JSONSyntaxError {
        let offset = min(offset ?? position, bytes.count)
        var line = 1
        var column = 1
        for index in 0..<offset {
            if bytes[index] == 10 { line += 1; column = 1 } else { column += 1 }
        }
        return JSONSyntaxError(message: message, offset: offset, line: line, column: column)
    }

    mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }

    mutating func readValue(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        guard let byte = current else { throw error("expected a JSON value but the text ended") }
        switch byte {
        case UInt8(ascii: "{"): return .object(try readObject(depth: depth + 1))
        case UInt8(ascii: "["): return .array(try readArray(depth: depth + 1))
        case UInt8(ascii: "\""): return .string(try readString())
        case UInt8(ascii: "t"): try readLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try readLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try readLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try readNumber())
        default: throw error("unexpected character '\(Self.printable(byte))'; expected a JSON value")
        }
    }

    static func printable(_ byte: UInt8) -> String {
        byte >= 0x20 && byte < 0x7F ? String(UnicodeScalar(byte)) : "\\u{\(String(byte, radix: 16))}"
    }

    mutating func readLiteral(_ word: StaticString) throws(JSONSyntaxError) {
        let start = position
        let count = word.utf8CodeUnitCount
        guard bytes.count - position >= count else { throw error("invalid literal; expected '\(word)'", at: start) }
        let pointer = word.utf8Start
        for index in 0..<count where bytes[position + index] != pointer[index] {
            throw error("invalid literal; expected '\(word)'", at: start)
        }
        position += count
    }

    mutating func readObject(depth: Int) throws(JSONSyntaxError) -> JSONObject {
        guard depth <= JSONParser.maximumDepth else { throw error("nesting is deeper than \(JSONParser.maximumDepth)") }
        position += 1
        var object = JSONObject()
        skipWhitespace()
        if current == UInt8(ascii: "}") { position += 1; return object }
        while true {
            skipWhitespace()
            guard current == UInt8(ascii: "\"") else { throw error("expected a string key in the object") }
            let key = try readString()
            skipWhitespace()
            guard current == UInt8(ascii: ":") else { throw error("expected ':' after the object key") }
            position += 1
            skipWhitespace()
            object[key] = try readValue(depth: depth)
            skipWhitespace()
            guard let byte = current else { throw error("unterminated object; expected ',' or '}'") }
            position += 1
            if byte == UInt8(ascii: "}") { return object }
            guard byte == UInt8(ascii: ",") else {
                throw error("expected ',' or '}' in the object, found '\(Self.printable(byte))'", at: position - 1)
            }
        }
    }

    mutating func readArray(depth: Int) throws(JSONSyntaxError) -> [JSONValue] {
        guard depth <= JSONParser.maximumDepth else { throw error("nesting is deeper than \(JSONParser.maximumDepth)") }
        position += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if current == UInt8(ascii: "]") { position += 1; return elements }
        while true {
            skipWhitespace()
            elements.append(try readValue(depth: depth))
            skipWhitespace()
            guard let byte = current else { throw error("unterminated array; expected ',' or ']'") }
            position += 1
            if byte == UInt8(ascii: "]") { return elements }
            guard byte == UInt8(ascii: ",") else {
                throw error("expected ',' or ']' in the array, found '\(Self.printable(byte))'", at: position - 1)
            }
        }
    }

    /// Reads a number literal and returns its text; the grammar is checked, the value is not computed.
    mutating func readNumber() throws(JSONSyntaxError) -> JSONNumber {
        let range = try scanNumber()
        return JSONNumber(text: String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self))
    }

    /// Checks number grammar from the current position and returns the literal's byte range.
    mutating func scanNumber() throws(JSONSyntaxError) -> Range<Int> {
        let start = position
        if current == UInt8(ascii: "-") { position += 1 }
        guard let first = current, first >= 48, first <= 57 else { throw error("invalid number; expected a digit") }
        position += 1
        if first != 48 { skipDigits() }
        if current == UInt8(ascii: ".") {
            position += 1
            guard let digit = current, digit >= 48, digit <= 57 else {
                throw error("invalid number; expected a digit after '.'")
            }
            skipDigits()
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            position += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { position += 1 }
            guard let digit = current, digit >= 48, digit <= 57 else {
                throw error("invalid number; expected a digit in the exponent")
            }
            skipDigits()
        }
        return start..<position
    }

    @inline(__always) mutating func skipDigits() {
        while position < bytes.count, bytes[position] >= 48, bytes[position] <= 57 { position += 1 }
    }

    /// Reads a string token (the current byte is the opening quote) and decodes its escapes.
    mutating func readString() throws(JSONSyntaxError) -> String {
        let start = position + 1
        position = start
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                let raw = UnsafeBufferPointer(rebasing: bytes[start..<position])
                position += 1
                return try decodeUTF8(raw, at: start)
            }
            if byte == UInt8(ascii: "\\") { return try readEscapedString(from: start) }
            if byte < 0x20 { throw error("control character in a string must be escaped") }
            position += 1
        }
        throw error("unterminated string", at: start - 1)
    }

    func decodeUTF8(_ raw: UnsafeBufferPointer<UInt8>, at offset: Int) throws(JSONSyntaxError) -> String {
        var isASCII = true
        for byte in raw where byte >= 0x80 { isASCII = false; break }
        if isASCII { return String(decoding: raw, as: UTF8.self) }
        guard let string = String(validating: raw, as: UTF8.self) else {
            throw error("string is not valid UTF-8", at: offset)
        }
        return string
    }

    private mutating func readEscapedString(from start: Int) throws(JSONSyntaxError) -> String {
        var output: [UInt8] = Array(UnsafeBufferPointer(rebasing: bytes[start..<position]))
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                position += 1
                let reader = self
                return try output.withUnsafeBufferPointer { buffer in
                    Result { () throws(JSONSyntaxError) in try reader.decodeUTF8(buffer, at: start) }
                }.get()
            }
            if byte < 0x20 { throw error("control character in a string must be escaped") }
            guard byte == UInt8(ascii: "\\") else { output.append(byte); position += 1; continue }
            position += 1
            guard let escape = current else { break }
            position += 1
            switch escape {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): output.append(escape)
            case UInt8(ascii: "b"): output.append(0x08)
            case UInt8(ascii: "f"): output.append(0x0C)
            case UInt8(ascii: "n"): output.append(0x0A)
            case UInt8(ascii: "r"): output.append(0x0D)
            case UInt8(ascii: "t"): output.append(0x09)
            case UInt8(ascii: "u"): appendScalar(try readUnicodeEscape(), to: &output)
            default: throw error("invalid escape '\\\(Self.printable(escape))' in a string", at: position - 2)
            }
        }
        throw error("unterminated string", at: start - 1)
    }

    private mutating func readHex4() throws(JSONSyntaxError) -> UInt32 {
        guard bytes.count - position >= 4 else { throw error("expected four hex digits after '\\u'") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            let digit: UInt8
            switch byte {
            case 48...57: digit = byte - 48
            case 65...70: digit = byte - 55
            case 97...102: digit = byte - 87
            default: throw error("expected four hex digits after '\\u'")
            }
            value = value << 4 | UInt32(digit)
            position += 1
        }
        return value
    }

    private mutating func readUnicodeEscape() throws(JSONSyntaxError) -> Unicode.Scalar {
        let unit = try readHex4()
        if unit >= 0xD800 && unit < 0xDC00,
            bytes.count - position >= 6, bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u")
        {
            let saved = position
            position += 2
            let low = try readHex4()
            if low >= 0xDC00 && low < 0xE000 {
                return Unicode.Scalar(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)) ?? "\u{FFFD}"
            }
            position = saved
        }
        return Unicode.Scalar(unit) ?? "\u{FFFD}"
    }

    private func appendScalar(_ scalar: Unicode.Scalar, to output: inout [UInt8]) {
        output.append(contentsOf: String(Character(scalar)).utf8)
    }
}
