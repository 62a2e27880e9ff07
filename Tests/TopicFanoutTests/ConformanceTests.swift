import EventPatterns
import Foundation
import Testing
import TopicFanout

/// One line of the SNS conformance suite (Fixtures/sns.jsonl, copied from shared/conformance).
struct ConformanceCase: CustomTestStringConvertible, Sendable {
    let id: String
    let line: String
    /// nil for an invalid-policy case, else the expected match.
    let expectedMatch: Bool?
    var testDescription: String { id }

    static let all: [ConformanceCase] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/sns.jsonl")
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { line -> ConformanceCase? in
            guard case .object(let object)? = try? JSONParser.parse(String(line)),
                case .string(let id)? = object["id"]
            else { return nil }
            var expected: Bool?
            if case .bool(let match)? = object["match"] { expected = match }
            return ConformanceCase(id: id, line: String(line), expectedMatch: expected)
        }
    }()
}

@Suite("SNS conformance suite")
struct ConformanceTests {
    @Test("the fixture holds all 137 cases")
    func fixtureIsComplete() {
        #expect(ConformanceCase.all.count == 137)
    }

    @Test("each case gives the documented result", arguments: ConformanceCase.all)
    func caseMatchesExpectation(_ testCase: ConformanceCase) {
        let (_, outcome) = FilterCases.evaluate(line: testCase.line)
        if let expected = testCase.expectedMatch {
            #expect(outcome == .valid(match: expected), "\(testCase.id)")
        } else {
            guard case .invalid = outcome else {
                Issue.record("\(testCase.id): an invalid policy was accepted")
                return
            }
        }
    }
}
