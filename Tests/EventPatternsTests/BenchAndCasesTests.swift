import Testing

@testable import EventPatterns

@Suite("Bench runner and cases answers")
struct BenchAndCasesTests {
    static let events = """
        {"properties": {"STREET": "FULTON", "ST_TYPE": "ST"}, "geometry": {"type": "Polygon"}}

        {"properties": {"STREET": "MASON", "ST_TYPE": "AVE"}, "geometry": {"type": "MultiPolygon"}}
        {"properties": {"STREET": "FUNSTON", "ST_TYPE": "ST"}, "geometry": {"type": "Polygon"}}
        """

    @Test func runnerCountsEventRuleMatchesOverRepeats() throws {
        let rules = """
            {"properties": {"STREET": [{"prefix": "FU"}]}}
            {"name": "not-polygon", "pattern": {"geometry": {"type": [{"anything-but": "Polygon"}]}}}
            {"name": "st", "pattern": "{\\"properties\\": {\\"ST_TYPE\\": [\\"ST\\"]}}"}
            """
        let result = try MatchBenchmark.run(rulesText: rules, events: Array(Self.events.utf8), repeat: 2)
        #expect(result.rules == 3)
        #expect(result.events == 6)
        #expect(result.matches == 2 * (2 + 1 + 2))
        #expect(result.csvRow.hasPrefix("3,6,10,"))
        #expect(result.csvRow.split(separator: ",").count == MatchBenchmarkResult.csvHeader.split(separator: ",").count)
        #expect(result.bytesPerRule > 0)
    }

    @Test func ruleFilesMayBeOneObjectOfNamedPatterns() throws {
        let rules = try RuleFile.parse(
            #"{"fu": {"properties": {"STREET": [{"prefix": "FU"}]}}, "all": {"geometry": {"type": [{"exists": true}]}}}"#
        )
        #expect(rules.map(\.name) == ["fu", "all"])
        let result = try MatchBenchmark.run(rulesText: #"{"a": {"x": ["1"]}}"#, events: Array(#"{"x": "1"}"#.utf8))
        #expect(result.matches == 1)
    }

    @Test func aBareSingleLinePatternIsNotMistakenForANameMap() throws {
        let rules = try RuleFile.parse(#"{"source": ["a"], "detail": {"x": [1]}}"#)
        #expect(rules.map(\.name) == ["1"])
    }

    @Test func badRuleLinesAndBadEventsAreReportedWithTheirLine() {
        do {
            _ = try RuleFile.parse("{\"a\": [\"x\"]}\n{\"a\": []}")
            Issue.record("accepted")
        } catch {
            #expect(error.message.hasPrefix("line 2: "))
            #expect(error.path == "a")
        }
        #expect(throws: JSONSyntaxError.self) {
            _ = try MatchBenchmark.run(rulesText: #"{"a": ["x"]}"#, events: Array("{\"a\": 1}\n{\"a\": }".utf8))
        }
        do {
            _ = try MatchBenchmark.run(rulesText: #"{"a": ["x"]}"#, events: Array("{\"a\": 1}\n\n{\"a\": }".utf8))
        } catch let error as JSONSyntaxError {
            #expect(error.line == 3)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func casesAnswerEveryLineInOrder() {
        let input = """
            {"id": 1, "pattern": {"a": ["x"]}, "event": {"a": "x"}}
            {"id": "two", "pattern": "{\\"a\\": [{\\"prefix\\": \\"y\\"}]}", "event": {"a": "x"}}
            not json
            {"id": 4, "pattern": {"a": []}, "event": {}}
            {"id": 5, "pattern": {"a": ["x"]}, "event": [1]}
            [1, 2]
            {"id": 7, "pattern": {"a": [{"prefix": "x"}]}, "valid": true}
            {"id": 8, "pattern": {"a": [{"prefix": 1}]}, "valid": false}
            """
        #expect(
            MatchCases.answers(text: input) == [
                #"{"id":1,"valid":true,"match":true}"#,
                #"{"id":"two","valid":true,"match":false}"#,
                #"{"valid":false,"error":"line is not valid JSON: 1:1: error: invalid literal; expected 'null'"}"#,
                #"{"id":4,"valid":false,"error":"invalid pattern at 'a': empty array; a field needs at least one match value"}"#,
                #"{"id":5,"valid":false,"error":"an event must be a JSON object, not an array"}"#,
                #"{"valid":false,"error":"line must be a JSON object"}"#,
                // A line without an event checks the pattern alone.
                #"{"id":7,"valid":true}"#,
                #"{"id":8,"valid":false,"error":"invalid pattern at 'a[0].prefix': prefix match pattern must be a string or {\"equals-ignore-case\": string}, found a number"}"#,
            ])
    }
}
