/// A validated EventBridge event pattern, compiled to its alternatives.
///
/// Validation follows the service (event-ruler): structure, operator names and operand types, numeric limits,
/// wildcard escapes, CIDR syntax and `$or` shape are checked, and the first problem is reported as a
/// ``PatternError`` naming its path inside the pattern. The pattern is kept in disjunctive normal form: `$or`
/// branches and `exists: false` entries of a value list become separate ``SubPattern``s.
public struct EventPattern: Sendable, Hashable {
    /// The pattern as given.
    public let json: JSONValue
    /// The alternatives; the pattern matches an event when any of them does. Never empty.
    package let alternatives: [SubPattern]

    /// The most alternatives a pattern may expand to (products of `$or` branches); more is rejected as too complex.
    public static let maximumAlternatives = 1024

    /// Validates and compiles a parsed pattern.
    /// - Throws: ``PatternError`` naming the path of the first problem.
    /// - Complexity: O(size of the pattern × number of alternatives).
    public init(json: JSONValue) throws(PatternError) {
        guard case .object(let object) = json else {
            throw PatternError(path: "", message: "a pattern must be a JSON object, not \(json.article)")
        }
        var compiler = PatternCompiler()
        let alternatives = try compiler.compileObject(object, fieldPrefix: "", errorPath: "", insideOr: false)
        self.json = json
        // Sorted as event-ruler orders a rule's fields (Java string order: UTF-16 code units).
        self.alternatives = alternatives.map { tests in
            SubPattern(tests: tests.sorted { $0.path.utf16.lexicographicallyPrecedes($1.path.utf16) })
        }
    }

    /// Parses and validates pattern text. Text after the pattern's JSON object is ignored, as by the service.
    /// - Throws: ``PatternError``; JSON syntax errors carry their line and column in the message.
    public init(text: String) throws(PatternError) {
        var text = text
        let parsed = text.withUTF8 { buffer in
            Result { () throws(JSONSyntaxError) in try JSONParser.parse(buffer: buffer, allowTrailing: true) }
        }
        switch parsed {
        case .success(let json): try self.init(json: json)
        case .failure(let error):
            throw PatternError(
                path: "", message: "not valid JSON at \(error.line):\(error.column): \(error.message)")
        }
    }
}

/// One alternative of a pattern: field tests that must all hold (ANDed), sorted by path (UTF-16 order).
package struct SubPattern: Hashable, Sendable {
    package var tests: [FieldTest]
}

/// A test on one flattened field path: some leaf satisfies one of the conditions, or (absence) no leaf exists.
package struct FieldTest: Hashable, Sendable {
    /// The dotted field path (`detail.state`).
    package var path: String
    /// ORed conditions; empty for an absence test.
    package var conditions: [Condition]
    /// `exists: false`: no leaf at the path (consistent with the leaves the other tests matched).
    package var isAbsence: Bool
}

extension JSONValue {
    /// "a string", "an object", … for messages.
    var article: String {
        switch self {
        case .array, .object: "an \(typeName)"
        case .null: "null"
        default: "a \(typeName)"
        }
    }
}
