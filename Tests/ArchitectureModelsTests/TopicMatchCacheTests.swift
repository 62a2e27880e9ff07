import ArchitectureSpecs
import EventPatterns
import Stochastics
import Testing
import TopicFanout

@testable import ArchitectureModels

private let second: Int64 = 1_000_000_000

@Suite("Topic match cache")
struct TopicMatchCacheTests {
    /// A key of attribute values given as JSON values (nil: absent), as a topic builds it from an event's text.
    private func key(_ values: JSONValue?...) -> [UInt8] {
        var key: [UInt8] = []
        for value in values {
            let text = value.map { Array($0.jsonText.utf8) } ?? []
            text.withUnsafeBufferPointer { TopicMatchCache.appendKey(value == nil ? nil : $0, to: &key) }
        }
        return key
    }

    @Test func storedOutcomesAreReturnedForEqualValuesOnly() {
        var cache = TopicMatchCache(enabled: true)
        let placed = key(.string("OrderPlaced"), .null)
        #expect(cache.outcome(for: placed) == nil)
        cache.store(.matches([0, 2]), for: placed)
        cache.store(.invalid, for: key(.number(JSONNumber(text: "2e9")), .null))
        guard case .matches(let ids)? = cache.outcome(for: key(.string("OrderPlaced"), .null)) else {
            Issue.record("no stored match")
            return
        }
        #expect(ids == [0, 2])
        #expect(cache.outcome(for: key(.string("OrderPlaced"), .string("x"))) == nil)
        #expect(cache.outcome(for: key(.string("OrderPlaced"), nil)) == nil)
        #expect(cache.outcome(for: key(.string("OrderPlaced"))) == nil)
        guard case .invalid? = cache.outcome(for: key(.number(JSONNumber(text: "2e9")), .null)) else {
            Issue.record("no stored invalid outcome")
            return
        }
    }

    @Test func aCacheThatRarelyHitsTurnsItselfOff() {
        var cache = TopicMatchCache(enabled: true)
        for value in 0..<TopicMatchCache.trial {
            let values = key(.string("id-\(value)"))
            #expect(cache.outcome(for: values) == nil)
            cache.store(.matches([]), for: values)
        }
        #expect(!cache.enabled)
        #expect(cache.outcome(for: key(.string("id-1"))) == nil)
        // The hit rate is judged at the trial lookup even when that lookup hits.
        var late = TopicMatchCache(enabled: true)
        late.store(.matches([]), for: key(.string("same")))
        for value in 0..<(TopicMatchCache.trial - 1) { _ = late.outcome(for: key(.string("id-\(value)"))) }
        #expect(late.enabled)
        #expect(late.outcome(for: key(.string("same"))) != nil)
        #expect(!late.enabled)
        #expect(late.count == 0)
        cache.store(.matches([1]), for: key(.string("id-1")))
        #expect(cache.outcome(for: key(.string("id-1"))) == nil)
    }

    @Test func aCacheThatHitsStaysOnAndKeepsAtMostItsCapacity() {
        var cache = TopicMatchCache(enabled: true)
        for round in 0..<(TopicMatchCache.capacity * 3) {
            let values = key(.string("k\(round % 7 == 0 ? round : 0)"))
            if cache.outcome(for: values) == nil { cache.store(.matches([round]), for: values) }
        }
        #expect(cache.enabled)
        #expect(cache.count <= TopicMatchCache.capacity)
        #expect(cache.outcome(for: key(.string("k0"))) != nil)
    }

    /// Messages whose attributes fail the checks are filtered out every time, whether computed or cached; a
    /// topic with a body policy does not cache.
    @Test func invalidAttributesAndBodyPoliciesBehaveAsWithoutTheCache() throws {
        let template = EventTemplate(
            source: .literal(.string("shop")),
            detailType: .choice([(.literal(.string("A")), 1), (.literal(.string("B")), 1)]),
            detail: .object([
                (
                    "amount",
                    .choice([
                        (.literal(.number(JSONNumber(text: "5"))), 1),
                        (.literal(.number(JSONNumber(text: "2e9"))), 1),
                    ])
                )
            ]))
        let topic = TopicSpec(
            name: "topic", latency: .constant(0.01),
            messageAttributes: [(name: "type", path: "detail-type"), (name: "amount", path: "detail.amount")],
            subscriptions: [
                SubscriptionSpec(
                    name: "a", deliveryProtocol: .lambda, target: "sink",
                    filterPolicy: try FilterPolicy(text: #"{"type": ["A"]}"#))
            ])
        let bodyTopic = TopicSpec(
            name: "topic", latency: .constant(0.01), messageAttributes: [(name: "type", path: "detail-type")],
            subscriptions: [
                SubscriptionSpec(
                    name: "a", deliveryProtocol: .lambda, target: "sink",
                    filterPolicy: try FilterPolicy(text: #"{"detail-type": ["A"]}"#, scope: .messageBody))
            ])
        let sink = FunctionSpec(name: "sink", coldStart: .constant(0), service: .constant(0.001))
        let attributes = ArchitectureSpec(name: "attributes", eventsEntry: "topic", topics: [topic], functions: [sink])
        let body = ArchitectureSpec(name: "body", eventsEntry: "topic", topics: [bodyTopic], functions: [sink])
        let spec = ScenarioSpec(
            name: "cache", seed: 5, duration: 60 * second, drain: 5 * second,
            workload: WorkloadSpec(producers: [ProducerSpec(name: "p", rate: 50, payload: .events(template))]),
            architectures: [attributes, body])
        let runs = try ScenarioRunner.run(spec, architectures: [attributes, body], replication: 0)
        #expect(runs.allSatisfy { $0.ledger.balances })
        // Attributes: amount 2e9 is outside the Number range, so half the messages are invalid; of the valid
        // half, type A (half again) matches. Body: type A matches, whatever the amount.
        let produced = Double(runs[0].ledger.produced)
        let attributeShare = Double(runs[0].sinks[0].delivered) / produced
        let bodyShare = Double(runs[1].sinks[0].delivered) / produced
        #expect(attributeShare > 0.2 && attributeShare < 0.3)
        #expect(bodyShare > 0.45 && bodyShare < 0.55)
        #expect(runs[0].ledger.dropped(.filteredOut) == runs[0].ledger.produced - runs[0].sinks[0].delivered)
    }
}
