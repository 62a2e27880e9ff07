import EventPatterns
import ScenarioLoading
import Testing

/// The matcher's own description of why a pattern is invalid (so these tests follow its wording).
func patternError(_ json: String) -> String {
    do {
        _ = try EventPattern(text: json)
        return "pattern unexpectedly valid"
    } catch {
        return error.description
    }
}

/// The JSON parser's message and position for invalid JSON text, as the loader words it.
func jsonError(_ text: String) -> String {
    do {
        _ = try JSONParser.parse(text)
        return "JSON unexpectedly valid"
    } catch {
        return "\(error.message) (line \(error.line), column \(error.column) of the JSON text)"
    }
}

/// One malformed scenario and exactly what the loader must say about it.
struct ErrorCase: CustomTestStringConvertible, Sendable {
    let name: String
    let text: String
    let expected: [String]
    var testDescription: String { name }
}

@Suite struct LocatedErrorTests {
    static let cases = valueCases + wiringCases

    @Test(arguments: cases)
    func reportsEveryProblemAtItsPosition(_ testCase: ErrorCase) {
        #expect(diagnostics(testCase.text) == testCase.expected)
    }
}
