import Testing

@testable import EventPatterns

@Suite("JSON parsing keeps literal numbers and reports positions")
struct JSONParserTests {
    @Test func parsesNestedDocumentsKeepingMemberOrder() throws {
        let value = try JSONParser.parse(#"{"b": [1, 2.50, "x\u00e9\n"], "a": {"c": null, "d": true}}"#)
        guard case .object(let object) = value else { Issue.record("not an object"); return }
        #expect(object.members.map(\.key) == ["b", "a"])
        #expect(
            object["b"] == .array([.number(JSONNumber(text: "1")), .number(JSONNumber(text: "2.50")), .string("xé\n")]))
        #expect(value.jsonText == #"{"b":[1,2.50,"xé\n"],"a":{"c":null,"d":true}}"#)
    }

    @Test("compact text escapes quotes, backslashes and control characters, and copies everything else")
    func compactTextEscapesMinimally() {
        let value = JSONValue.object(
            JSONObject([
                ("k\"\\", .string("a\u{0}\u{1F}\u{8}\u{C}\t\r\n\u{7F}é😀")), ("n", .array([.null, .bool(false)])),
            ]))
        let expected = #"{"k\"\\":"a\u0000\u001f\b\f\t\r\n"# + "\u{7F}é😀" + #"","n":[null,false]}"#
        #expect(value.jsonText == expected)
        #expect(value.jsonBytes == Array(expected.utf8))
    }

    /// Strings are copied in runs between escapes: escapes first, last, doubled or absent, in short (inline) and
    /// long strings, give the byte-by-byte spelling.
    @Test(arguments: [
        "", "plain", "\"", "a\"", "\"a", "a\\\"b", "\n\n", "é\u{1}😀", String(repeating: "xy\t", count: 40),
    ])
    func stringsAreCopiedInRunsBetweenEscapes(text: String) {
        let escapes: [Unicode.Scalar: String] = [
            "\"": "\\\"", "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\u{1}": "\\u0001",
        ]
        let expected = "\"" + text.unicodeScalars.map { escapes[$0] ?? String($0) }.joined() + "\""
        #expect(JSONValue.string(text).jsonText == expected)
        #expect(JSONValue.string(text + text).jsonText == String(expected.dropLast()) + String(expected.dropFirst()))
    }

    @Test func duplicateKeysKeepTheLastValue() throws {
        let value = try JSONParser.parse(#"{"a": 1, "b": 2, "a": 3}"#)
        #expect(value.jsonText == #"{"a":3,"b":2}"#)
    }

    @Test func surrogatePairsDecodeAndLoneSurrogatesBecomeReplacement() throws {
        #expect(try JSONParser.parse(#""\ud83d\ude00""#) == .string("😀"))
        #expect(try JSONParser.parse(#""\ud800x""#) == .string("\u{FFFD}x"))
    }

    @Test(arguments: [
        ("", "1:1: error: expected a JSON value but the text ended"),
        ("{\"a\" 1}", "1:6: error: expected ':' after the object key"),
        ("[1,\n 2,]", "2:4: error: unexpected character ']'; expected a JSON value"),
        ("01", "1:2: error: unexpected text after the JSON value"),
        ("1.", "1:3: error: invalid number; expected a digit after '.'"),
        ("\"a\\x\"", "1:3: error: invalid escape '\\x' in a string"),
        ("[1] x", "1:5: error: unexpected text after the JSON value"),
        ("tru", "1:1: error: invalid literal; expected 'true'"),
        ("\"abc", "1:1: error: unterminated string"),
    ])
    func malformedTextIsRejectedWithItsPosition(text: String, message: String) {
        #expect(throws: JSONSyntaxError.self) { try JSONParser.parse(text) }
        do { _ = try JSONParser.parse(text) } catch { #expect(error.description == message) }
    }

    @Test func deepNestingIsAnErrorNotACrash() {
        let text = String(repeating: "[", count: 100_000)
        #expect(throws: JSONSyntaxError.self) { try JSONParser.parse(text) }
    }

    @Test func invalidUTF8IsRejected() {
        #expect(throws: JSONSyntaxError.self) { try JSONParser.parse(bytes: [0x22, 0xFF, 0x22]) }
    }

    @Test(arguments: [
        ("3", 3.0), ("3.0", 3.0), ("3e0", 3.0), ("30e-1", 3.0), ("-0", 0.0), ("0.0e-5", 0.0), ("0.1", 0.1),
        ("0.30000000000000004", 0.30000000000000004), ("9007199254740992", 9007199254740992.0),
        ("4.9e-324", Double.leastNonzeroMagnitude), ("1e-320", Double(bitPattern: 2024)),
        ("1.7976931348623157e308", 1.7976931348623157e308),
        ("-122.41600944012424", -122.41600944012424), ("301.80000", 301.8),
    ])
    func literalsThatAreExactlyADoubleCompareNumerically(text: String, value: Double) {
        #expect(JSONNumber(text: text).exactDouble == value)
    }

    @Test(arguments: [
        "9007199254740993", "12345678901234567890", "1.2345678901234567890e19", "0.1000000000000000000001",
        "5e-324", "1e400", "1e309", "-1e400", "0.00000050000000000000001", "1.0000000000000001",
    ])
    func literalsThatAreNotExactlyADoubleAreNotComparable(text: String) {
        #expect(JSONNumber(text: text).exactDouble == nil)
    }
}

@Suite("Exact-double detection from bytes agrees with the text-based definition")
struct NumberScannerTests {
    @Test(arguments: [
        "3", "3.0", "-0", "0.10", "120", "1e2", "-122.44759164114366", "37.73309194558598", "-122.4475916411436",
        "-122.44759164114367", "0.30000000000000004", "0.30000000000000005", "9007199254740993",
        "1.2345678901234567e+19",
        "12345678901234567890", "4.9e-324", "5e-324", "1e400", "2.2250738585072014e-308", "1.7976931348623157e308",
        "123456789012345678", "0.000001", "100000000000000000000000",
    ])
    func streamingDetectionMatchesTheDefinition(text: String) {
        var copy = text
        let fromBytes = copy.withUTF8 { NumberScanner.exactDouble($0) }
        #expect(fromBytes == JSONNumber(text: text).exactDouble)
    }
}

@Suite("Fast number parsing rounds like strtod")
struct FastNumberParsingTests {
    @Test(arguments: 0..<4)
    func randomLiteralsParseToTheCorrectlyRoundedDouble(seed: Int) {
        var random = SplitMix64(seed: UInt64(seed) &+ 4242)
        for _ in 0..<5000 {
            let digits = 1 + Int(random.next() % 19)
            var text = random.next() % 2 == 0 ? "-" : ""
            for index in 0..<digits { text += String(index == 0 ? 1 + random.next() % 9 : random.next() % 10) }
            let point = Int(random.next() % UInt64(digits + 1))
            if point > 0 && point < digits {
                text.insert(".", at: text.index(text.endIndex, offsetBy: -(digits - point)))
            }
            if random.next() % 2 == 0 { text += "e\(Int(random.next() % 60) - 30)" }
            var copy = text
            let parsed = copy.withUTF8 { NumberScanner.parse($0) }
            #expect(parsed == Double(text), "\(text)")
        }
    }

    /// Skipping a string lands just after its closing quote wherever quotes and escapes fall relative to the
    /// eight-byte steps, and an unterminated string is an error.
    @Test func skippingAStringFindsItsClosingQuoteAtEveryOffset() throws {
        for length in 0..<24 {
            for escape in [-1] + Array(0..<length) {
                var body = Array(repeating: UInt8(ascii: "a"), count: length)
                if escape >= 0 {
                    body[escape] = UInt8(ascii: "\\")
                    if escape + 1 < length {
                        body[escape + 1] = UInt8(ascii: "\"")
                    } else {
                        body.append(UInt8(ascii: "n"))
                    }
                }
                let text = [UInt8(ascii: "\"")] + body + Array(#"","x":1}"#.utf8)
                try text.withUnsafeBufferPointer { bytes in
                    var reader = JSONReader(bytes)
                    try reader.skipString()
                    #expect(reader.position == body.count + 2, "length \(length), escape at \(escape)")
                }
                let unterminated = [UInt8(ascii: "\"")] + body
                unterminated.withUnsafeBufferPointer { bytes in
                    var reader = JSONReader(bytes)
                    #expect(throws: JSONSyntaxError.self) { try reader.skipString() }
                }
            }
        }
    }
}
