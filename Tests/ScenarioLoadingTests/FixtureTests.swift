import EventPatterns
import Foundation
import ScenarioLoading
import Testing

@Suite struct MalformedFixtureTests {
    /// The diagnostics of a fixture, with the fixture directory shortened to `Fixtures/`.
    func diagnostics(ofFixture name: String) -> [String] {
        do {
            _ = try ScenarioLoader.load(path: fixtures + "/" + name)
            Issue.record("\(name) should be rejected")
            return []
        } catch {
            return error.diagnostics.map { $0.description.replacingOccurrences(of: fixtures, with: "Fixtures") }
        }
    }

    @Test func everyProblemOfAFileIsReportedSortedByPosition() {
        #expect(
            diagnostics(ofFixture: "many-errors.yaml") == [
                "Fixtures/many-errors.yaml:5:15: error: 'replications' must be between 1 and 1000, got 0",
                "Fixtures/many-errors.yaml:10:23: error: unknown rate profile 'flash-sal'; expected one of: constant, steps, "
                    + "diurnal, flash-sale",
                "Fixtures/many-errors.yaml:14:35: error: 'decimal' takes [low, high], got 1 value",
                "Fixtures/many-errors.yaml:20:32: error: exponential mean must be positive and finite, got 0.0",
                "Fixtures/many-errors.yaml:23:22: error: "
                    + patternError(#"{"source": ["shop.cart"], "detail-type": [{"anything-but": []}]}"#),
                "Fixtures/many-errors.yaml:24:23: error: unknown target 'payment' of rule 'to-payment'; expected one of: "
                    + "bus, payments",
                "Fixtures/many-errors.yaml:28:9: error: unknown key 'concurency' in function; expected one of: name, "
                    + "concurrency, scaling_rate, scaling_burst, cold_start, service, per_record, error_rate, timeout, "
                    + "memory_mb, async_retries, maximum_event_age, on_failure_destination, outages",
            ])
    }

    @Test func traceProblemsNameTheTraceFileLineAndColumn() {
        #expect(
            diagnostics(ofFixture: "bad-trace.yaml") == [
                "Fixtures/traces/bad.csv:4:1: error: trace offsets must not decrease: 1.5 s comes after 2.0 s",
                "Fixtures/traces/bad.csv:5:1: error: expected an offset in seconds, got 'soon'",
                "Fixtures/traces/bad.csv:6:11: error: invalid JSON payload: " + jsonMessage(#"{"id": }"#),
                "Fixtures/traces/bad.csv:7:3: error: a trace payload must be a JSON object (the event detail)",
                "Fixtures/traces/bad.csv:8:1: error: trace offsets must not be negative, got -1",
                "Fixtures/bad-trace.yaml:10:37: error: cannot read trace file 'Fixtures/traces/missing.csv'",
            ])
    }

    @Test func aLongBadTraceIsCutShort() {
        let text = (1...100).map { "line-\($0)" }.joined(separator: "\n")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("eventsim-long-\(getpid()).csv").path
        #expect(FileManager.default.createFile(atPath: path, contents: Data(("0\n" + text).utf8)))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let found = ScenarioLoadingTests.diagnostics(
            scenario(
                producers: """
                      - name: p
                        arrivals: {kind: trace, file: \(path)}
                        event: {source: s, detail-type: t}
                    """))
        #expect(found.count == 21)
        #expect(found.last == "\(path):101:1: error: 80 more problems in this trace file not shown")
    }
}

/// The JSON parser's message for invalid text.
func jsonMessage(_ text: String) -> String {
    do {
        _ = try JSONParser.parse(text)
        return "valid"
    } catch {
        return error.message
    }
}
