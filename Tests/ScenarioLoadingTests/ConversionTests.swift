import ArchitectureSpecs
import EventPatterns
import ScenarioLoading
import Stochastics
import Testing

/// YAML scalars to JSON values, durations and distributions, observed through loaded scenarios.
@Suite struct ConversionTests {
    /// The detail template of a one-producer scenario whose detail is `detail`.
    func detail(_ detail: String) throws -> String {
        let spec = try ScenarioLoader.load(
            text: scenario(
                producers: """
                      - name: p
                        rate: 1
                        event:
                          source: s
                          detail-type: t
                          detail: \(detail)
                    """), fileName: "t.yaml", baseDirectory: "")
        guard case .events(let event) = spec.workload.producers[0].payload else { return "" }
        return render(event.detail)
    }

    @Test func plainScalarsBecomeJSONLiteralsAndQuotedOnesStrings() throws {
        #expect(
            try detail(#"{a: true, b: "true", c: null, d: ~, e: , f: yes, g: 12:30, h: 'null'}"#)
                == #"{"a":true,"b":"true","c":null,"d":null,"e":null,"f":"yes","g":"12:30","h":"null"}"#)
    }

    @Test func numbersKeepTheirLiteralText() throws {
        #expect(
            try detail("{a: 1.50, b: -0, c: 1e400, d: 9007199254740993, e: \"7\", f: 0.1000000000000000000001}")
                == #"{"a":1.50,"b":-0,"c":1e400,"d":9007199254740993,"e":"7","f":0.1000000000000000000001}"#)
    }

    @Test(arguments: [
        ("1.5s", SimTimeValue(1_500_000_000)), ("500ms", SimTimeValue(500_000_000)), ("250us", SimTimeValue(250_000)),
        ("7ns", SimTimeValue(7)), ("10m", SimTimeValue(600_000_000_000)), ("24h", SimTimeValue(86_400_000_000_000)),
        ("2d", SimTimeValue(172_800_000_000_000)), ("90", SimTimeValue(90_000_000_000)),
        ("0.000000001", SimTimeValue(1)), ("1.25 s", SimTimeValue(1_250_000_000)), ("1e-3", SimTimeValue(1_000_000)),
    ])
    func durationsAreExactNanoseconds(_ text: String, _ expected: SimTimeValue) throws {
        let spec = try ScenarioLoader.load(
            text: """
                name: t
                seed: 1
                duration: \(text)
                workload: {producers: [{name: p, rate: 1, event: {source: s, detail-type: t}}]}
                architectures: [{name: a, entry: fn, functions: [{name: fn, service: 1ms}]}]
                """, fileName: "t.yaml", baseDirectory: "")
        #expect(spec.duration == expected.value)
    }

    @Test func distributionParametersAcceptDurationsAndProfiles() throws {
        let spec = try ScenarioLoader.load(
            text: scenario(
                architectures: """
                      - name: a
                        entry: fn
                        functions:
                          - {name: fn, service: {uniform: {low: 10ms, high: 0.02}}, cold_start: sqs, per_record: 3}
                    """), fileName: "t.yaml", baseDirectory: "")
        let function = spec.architectures[0].functions[0]
        #expect(function.service == .uniform(lower: 0.01, upper: 0.02))
        #expect(function.coldStart == LatencyProfiles.named("sqs")!.distribution)
        #expect(function.perRecord == .constant(3))
    }

    @Test func patternsKeepNumbersExactly() throws {
        let spec = try ScenarioLoader.load(
            text: scenario(
                architectures: """
                      - name: a
                        entry: b
                        buses:
                          - {name: b, rules: [{name: r, pattern: {detail: {n: [9007199254740993, 1.0]}}, targets: [fn]}]}
                        functions:
                          - {name: fn, service: 10ms}
                    """), fileName: "t.yaml", baseDirectory: "")
        let pattern = try #require(spec.architectures[0].buses[0].rules[0].pattern)
        #expect(pattern == (try EventPattern(text: #"{"detail": {"n": [9007199254740993, 1.0]}}"#)))
        #expect(pattern.json.jsonText == #"{"detail":{"n":[9007199254740993,1.0]}}"#)
    }
}

/// A SimTime in test arguments (a named type keeps argument descriptions readable).
struct SimTimeValue: Sendable, CustomTestStringConvertible {
    let value: Int64
    init(_ value: Int64) { self.value = value }
    var testDescription: String { "\(value) ns" }
}
