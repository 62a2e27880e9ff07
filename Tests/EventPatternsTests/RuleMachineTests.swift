import Testing

@testable import EventPatterns

@Suite("Rule machine behaviour")
struct RuleMachineTests {
    func pattern(_ text: String) throws -> EventPattern { try EventPattern(text: text) }
    func event(_ text: String) throws -> JSONValue { try JSONParser.parse(text) }

    /// quamina's default mode loses the prefix rule after these three additions; we must not.
    @Test func quaminaMergeBugRegression() throws {
        let machine = RuleMachine()
        machine.add(try pattern(#"{"a": ["6105009"]}"#), id: 1)
        machine.add(try pattern(#"{"a": [{"wildcard": "61*109"}]}"#), id: 2)
        machine.add(try pattern(#"{"a": [{"prefix": "6128"}]}"#), id: 3)
        #expect(machine.matches(try event(#"{"a": "6128047"}"#)) == [3])
        #expect(machine.matches(try event(#"{"a": "6105009"}"#)) == [1])
        #expect(machine.matches(try event(#"{"a": "6100109"}"#)) == [2])
    }

    @Test func aMachineWithoutRulesMatchesNothingAndMatchesAgainOnceGivenOne() throws {
        let machine = RuleMachine()
        var result = [7]
        machine.matches(try event(#"{"a": "x"}"#), into: &result)
        #expect(result.isEmpty)
        machine.add(try pattern(#"{"a": [{"exists": false}]}"#), id: 1)
        #expect(machine.matches(try event(#"{"b": "x"}"#)) == [1])
        machine.remove(id: 1)
        #expect(machine.matches(try event(#"{"b": "x"}"#)).isEmpty)
        machine.add(try pattern(#"{"a": ["x"]}"#), id: 2)
        #expect(machine.matches(try event(#"{"a": "x"}"#)) == [2])
    }

    @Test func removedRulesStopMatchingAndOthersKeepMatching() throws {
        let machine = RuleMachine()
        machine.add(try pattern(#"{"s": ["x"]}"#), id: 1)
        machine.add(try pattern(#"{"s": ["x"], "n": [{"numeric": [">", 1]}]}"#), id: 2)
        machine.add(try pattern(#"{"s": [{"anything-but": "y"}]}"#), id: 3)
        let sample = try event(#"{"s": "x", "n": 5}"#)
        #expect(machine.matches(sample) == [1, 2, 3])
        machine.remove(id: 2)
        #expect(machine.matches(sample) == [1, 3])
        #expect(machine.ruleCount == 2)
        machine.remove(id: 1)
        machine.remove(id: 42)
        #expect(machine.matches(sample) == [3])
        machine.add(try pattern(#"{"n": [{"numeric": ["=", 5]}]}"#), id: 2)
        #expect(machine.matches(sample) == [2, 3])
    }

    @Test func patternsAddedUnderOneIdAreOred() throws {
        let machine = RuleMachine()
        machine.add(try pattern(#"{"a": ["1"]}"#), id: 9)
        machine.add(try pattern(#"{"b": ["2"]}"#), id: 9)
        #expect(machine.matches(try event(#"{"b": "2"}"#)) == [9])
        #expect(machine.matches(try event(#"{"a": "1", "b": "2"}"#)) == [9])
        #expect(machine.ruleCount == 1)
    }

    @Test func arrayConsistencyHoldsAcrossNestedArraysOfObjects() throws {
        let machine = RuleMachine()
        machine.add(try pattern(#"{"e": {"first": ["Anna"], "last": ["Jones"]}}"#), id: 1)
        machine.add(try pattern(#"{"e": {"first": ["Anna"], "x": [{"exists": false}]}}"#), id: 2)
        #expect(
            machine.matches(
                try event(#"{"e": [{"first": "Anna", "last": "Smith", "x": 1}, {"first": "Bo", "last": "Jones"}]}"#))
                == [])
        #expect(
            machine.matches(try event(#"{"e": [{"first": "Bo", "x": 1}, {"first": "Anna", "last": "Jones"}]}"#)) == [
                1, 2,
            ])
    }

    @Test func eventMembersNoRuleNamesAreSkippedEvenWhenMalformedInside() throws {
        let machine = RuleMachine()
        machine.add(try pattern(#"{"a": ["x"]}"#), id: 1)
        #expect(try machine.matches(jsonText: #"{"junk": {"k": [1, 2, {"z": "\"}"}]}, "a": "x"}"#) == [1])
        #expect(throws: JSONSyntaxError.self) { try machine.matches(jsonText: #"{"a": "x""#) }
        #expect(throws: JSONSyntaxError.self) { try machine.matches(jsonText: #"["a"]"#) }
    }

    @Test func manySelectiveRulesMatchOnlyTheirOwnEvents() throws {
        let machine = RuleMachine()
        for id in 0..<5000 {
            machine.add(
                try pattern(#"{"k": ["v\#(id)"], "n": [{"numeric": [">=", \#(id), "<", \#(id + 1)]}]}"#), id: id)
        }
        #expect(machine.matches(try event(#"{"k": "v1234", "n": 1234.5}"#)) == [1234])
        #expect(machine.matches(try event(#"{"k": "v1234", "n": 1235}"#)) == [])
        #expect(machine.memoryBytes / 5000 < 2000)
    }
}
