import Testing

@testable import EventPatterns

@Suite("Invalid patterns are rejected with the path of the problem")
struct PatternValidationTests {
    @Test(arguments: [
        (#"not json"#, "", "not valid JSON at 1:1: invalid literal; expected 'null'"),
        (#"["a"]"#, "", "a pattern must be a JSON object, not an array"),
        (#"{}"#, "", "empty object; a pattern level needs at least one field"),
        (
            #"{"detail": {"state": "running"}}"#, "detail.state",
            "expected an object or an array of match values, found a string"
        ),
        (#"{"a": {"b": []}}"#, "a.b", "empty array; a field needs at least one match value"),
        (
            #"{"a": [["x"]]}"#, "a[0]",
            "nested array; match values are strings, numbers, booleans, null or operator objects"
        ),
        (
            #"{"a": ["x", {"regex": "x"}]}"#, "a[1].regex",
            "unknown operator 'regex'; expected one of: anything-but, cidr, equals-ignore-case, exactly, exists, numeric, prefix, suffix, wildcard"
        ),
        (
            #"{"a": [{"exists": true, "prefix": "x"}]}"#, "a[0]",
            "an operator object must have exactly one key, found 2: 'exists', 'prefix'"
        ),
        (#"{"a": [{"numeric": [">", 0, ">", 5]}]}"#, "a[0].numeric[2]", "a numeric range must end with '<' or '<='"),
        (
            #"{"a": [{"numeric": [">", 5, "<", 5]}]}"#, "a[0].numeric",
            "numeric range lower bound must be below the upper bound"
        ),
        (
            #"{"a": [{"numeric": ["<", 1e309]}]}"#, "a[0].numeric[1]",
            "cannot compare number 1e309: it is not exactly representable as a double"
        ),
        (
            #"{"a": [{"numeric": ["!=", 5]}]}"#, "a[0].numeric[0]",
            "unknown numeric operator '!='; expected =, <, <=, >, >="
        ),
        (#"{"a": [{"wildcard": "a**b"}]}"#, "a[0].wildcard", "consecutive '*' at byte 2 in wildcard \"a**b\""),
        (
            #"{"a": [{"anything-but": [1, "a"]}]}"#, "a[0].anything-but[1]",
            "anything-but list must hold only strings or only numbers, found a string"
        ),
        (
            #"{"a": [{"anything-but": {"prefix": ""}}]}"#, "a[0].anything-but.prefix",
            "anything-but prefix must not be empty"
        ),
        (
            #"{"a": [{"cidr": "10.0.0.0/32"}]}"#, "a[0].cidr",
            "prefix length \"32\" in CIDR \"10.0.0.0/32\" must be an integer 0...31"
        ),
        (
            #"{"a": [{"cidr": "not.an.ip.addr/8"}]}"#, "a[0].cidr",
            "\"not.an.ip.addr\" in CIDR \"not.an.ip.addr/8\" is not an IP address"
        ),
        (#"{"$or": [{"a": ["x"]}]}"#, "$or", "$or needs an array of at least two pattern objects"),
        (
            #"{"$or": [{"numeric": ["x"]}, {"b": ["x"]}]}"#, "$or[0].numeric",
            "'numeric' is an operator keyword and cannot be a field name in $or"
        ),
    ])
    func invalidPatternNamesThePath(text: String, path: String, message: String) {
        do {
            _ = try EventPattern(text: text)
            Issue.record("accepted \(text)")
        } catch {
            #expect(error.path == path)
            #expect(error.message == message)
        }
    }

    @Test func descriptionReadsLikeADiagnostic() {
        let error = PatternError(path: "detail.state[0]", message: "unknown operator 'regex'")
        #expect(error.description == "invalid pattern at 'detail.state[0]': unknown operator 'regex'")
    }

    @Test(arguments: [
        #"{"$or": ["a", "b"]}"#, #"{"a": [{"exactly": "x"}]}"#, #"{"a": ["x"]} trailing text"#,
        #"{"a": [1], "a": [2]}"#,
        #"{"a": [{"numeric": [">=", -1.7976931348623157e308, "<=", 1.7976931348623157e308]}]}"#,
        #"{"a": [{"wildcard": "a\\*b\\\\c"}]}"#, #"{"a": [{"cidr": "2001:db8::/127"}]}"#,
    ])
    func questionableButServiceAcceptedPatternsAreValid(text: String) throws {
        _ = try EventPattern(text: text)
    }

    @Test func legacyOrFallbackMatchesAFieldNamedOr() throws {
        let pattern = try EventPattern(text: #"{"$or": ["a", "b"]}"#)
        #expect(ReferenceMatcher.matches(pattern, try JSONParser.parse(#"{"$or": "b"}"#)))
    }

    @Test func orProductsBeyondTheLimitAreRejected() {
        let branch = #"{"$or": [{"a": ["1"]}, {"b": ["2"]}, {"c": ["3"]}, {"d": ["4"]}]}"#
        let text = "{" + (0..<6).map { #""k\#($0)": \#(branch)"# }.joined(separator: ",") + "}"
        #expect(throws: PatternError.self) { try EventPattern(text: text) }
    }
}
