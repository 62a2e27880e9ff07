import Testing

@testable import EventPatterns

@Suite("The compiled rule machine agrees with the reference matcher")
struct RuleMachineDifferentialTests {
    static func expected(_ patterns: [(Int, EventPattern)], _ event: JSONValue) -> [Int] {
        patterns.filter { ReferenceMatcher.matches($0.1, event) }.map(\.0).sorted()
    }

    static func patterns(_ corpus: inout RandomCorpus, count: Int) -> [(Int, EventPattern)] {
        var result: [(Int, EventPattern)] = []
        while result.count < count {
            if let pattern = try? EventPattern(json: .object(corpus.patternObject())) {
                result.append((result.count, pattern))
            }
        }
        return result
    }

    @Test(arguments: 0..<12)
    func randomPatternsAndEventsAgree(seed: Int) {
        var corpus = RandomCorpus(seed: UInt64(seed) &* 7919 &+ 1)
        let patterns = Self.patterns(&corpus, count: 40)
        let machine = RuleMachine()
        for (id, pattern) in patterns { machine.add(pattern, id: id) }
        var result: [Int] = []
        for _ in 0..<150 {
            let event = JSONValue.object(corpus.eventObject())
            machine.matches(event, into: &result)
            let expected = Self.expected(patterns, event)
            #expect(result == expected, "event \(event.jsonText)")
            #expect((try? machine.matches(jsonText: event.jsonText)) == expected, "bytes of \(event.jsonText)")
        }
    }

    @Test(arguments: 0..<6)
    func removingAndReaddingRulesKeepsTheMachineCorrect(seed: Int) {
        var corpus = RandomCorpus(seed: UInt64(seed) &+ 1000)
        var live = Self.patterns(&corpus, count: 30)
        let machine = RuleMachine()
        for (id, pattern) in live { machine.add(pattern, id: id) }
        let events = (0..<60).map { _ in JSONValue.object(corpus.eventObject()) }
        for round in 0..<4 {
            let removed = live.filter { ($0.0 + round) % 3 == 0 }
            for (id, _) in removed { machine.remove(id: id) }
            live.removeAll { ($0.0 + round) % 3 == 0 }
            #expect(machine.ruleCount == live.count)
            for event in events { #expect(machine.matches(event) == Self.expected(live, event)) }
            let fresh = Self.patterns(&corpus, count: removed.count).enumerated().map {
                (removed[$0.offset].0, $0.element.1)
            }
            for (id, pattern) in fresh { machine.add(pattern, id: id) }
            live += fresh
            for event in events { #expect(machine.matches(event) == Self.expected(live, event)) }
        }
    }
}
