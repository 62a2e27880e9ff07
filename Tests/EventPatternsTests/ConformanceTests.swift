import Foundation
import Testing

@testable import EventPatterns

/// One line of Fixtures/eventbridge.jsonl (copied from the shared conformance suite).
struct ConformanceCase: CustomTestStringConvertible, Sendable {
    let id: String
    let pattern: JSONValue
    let event: JSONValue?
    let expectedMatch: Bool?
    let expectedValid: Bool

    var testDescription: String { id }

    /// Parses a pattern given as an object or as a string holding pattern text.
    func compile() throws(PatternError) -> EventPattern {
        if case .string(let text) = pattern { return try EventPattern(text: text) }
        return try EventPattern(json: pattern)
    }

    static let all = load("eventbridge.jsonl")

    /// The cases of a JSON-lines fixture in Fixtures/ (lines without an id or a pattern are skipped).
    static func load(_ fixture: String) -> [ConformanceCase] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/\(fixture)")
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { line in
            guard case .object(let object) = try? JSONParser.parse(String(line)),
                case .string(let id) = object["id"], let pattern = object["pattern"]
            else { return nil }
            var expectedMatch: Bool?
            if case .bool(let flag) = object["match"] { expectedMatch = flag }
            var valid = true
            if case .bool(let flag) = object["valid"] { valid = flag }
            return ConformanceCase(
                id: id, pattern: pattern, event: object["event"], expectedMatch: expectedMatch, expectedValid: valid)
        }
    }

    /// Checks the case with the reference matcher and with the rule machine on the parsed event and on its text.
    func check() throws {
        guard expectedValid else {
            #expect(throws: PatternError.self) { try compile() }
            return
        }
        let pattern = try compile()
        let event = try #require(event)
        let expected = try #require(expectedMatch as Bool?)
        #expect(ReferenceMatcher.matches(pattern, event) == expected, "reference matcher")
        let machine = RuleMachine()
        machine.add(pattern, id: 7)
        #expect(machine.matches(event) == (expected ? [7] : []), "rule machine")
        #expect(try machine.matches(jsonText: event.jsonText) == (expected ? [7] : []), "rule machine on the text")
    }
}

@Suite("EventBridge conformance suite")
struct ConformanceTests {
    @Test func fixtureHoldsTheWholeSuite() {
        #expect(ConformanceCase.all.count == 250)
    }

    @Test(arguments: ConformanceCase.all)
    func caseBehavesLikeEventRuler(_ testCase: ConformanceCase) throws {
        try testCase.check()
    }
}
