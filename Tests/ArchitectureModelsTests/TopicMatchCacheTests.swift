import ArchitectureSpecs
import EventPatterns
import SimulationKernel
import Stochastics
import Testing
import TopicFanout

@testable import ArchitectureModels

private let second: Int64 = 1_000_000_000

@Suite("Topic match cache")
struct TopicMatchCacheTests {
    /// Makes the cache's current key the attribute values given as JSON values (nil: absent), as a topic builds
    /// it from an event's text.
    private func key(_ cache: TopicMatchCache, _ values: JSONValue?...) -> TopicMatchCache {
        cache.beginKey()
        for value in values {
            let text = value.map { Array($0.jsonText.utf8) } ?? []
            text.withUnsafeBufferPointer { cache.appendKey(value == nil ? nil : $0) }
        }
        return cache
    }

    /// Runs two designs on one producer's events for a minute (replication 0) and checks their ledgers balance.
    private func runBoth(
        _ design: ArchitectureSpec, _ other: ArchitectureSpec, producing template: EventTemplate, rate: Double,
        seed: UInt64
    ) throws -> (ScenarioSpec, [RunResult]) {
        let spec = ScenarioSpec(
            name: "cache", seed: seed, duration: 60 * second, drain: 5 * second,
            workload: WorkloadSpec(producers: [ProducerSpec(name: "p", rate: rate, payload: .events(template))]),
            architectures: [design, other])
        let runs = try ScenarioRunner.run(spec, architectures: [design, other], replication: 0)
        #expect(runs.allSatisfy { $0.ledger.balances })
        return (spec, runs)
    }

    @Test func storedOutcomesAreReturnedForEqualValuesOnly() {
        let cache = TopicMatchCache(enabled: true)
        #expect(key(cache, .string("OrderPlaced"), .null).outcome() == nil)
        cache.store(.matches([0, 2]))
        key(cache, .number(JSONNumber(text: "2e9")), .null).store(.invalid)
        guard case .matches(let ids)? = key(cache, .string("OrderPlaced"), .null).outcome() else {
            Issue.record("no stored match")
            return
        }
        #expect(ids == [0, 2])
        #expect(key(cache, .string("OrderPlaced"), .string("x")).outcome() == nil)
        #expect(key(cache, .string("OrderPlaced"), nil).outcome() == nil)
        #expect(key(cache, .string("OrderPlaced")).outcome() == nil)
        #expect(key(cache).outcome() == nil)
        guard case .invalid? = key(cache, .number(JSONNumber(text: "2e9")), .null).outcome() else {
            Issue.record("no stored invalid outcome")
            return
        }
        // Storing again for a stored key replaces its outcome.
        key(cache, .string("OrderPlaced"), .null).store(.invalid)
        guard case .invalid? = key(cache, .string("OrderPlaced"), .null).outcome() else {
            Issue.record("outcome not replaced")
            return
        }
        #expect(cache.count == 2)
    }

    /// Key parts of every length the cache copies differently (bytes, two overlapping 4-byte or 8-byte words, a
    /// block copy) keep every byte: texts differing only in their first, middle or last byte, or in their length,
    /// make different keys, also once the key outgrows its first 64 bytes.
    @Test(arguments: [0, 1, 3, 4, 5, 7, 8, 9, 15, 16, 17, 40, 100])
    func keyPartsKeepEveryByteAtEveryLength(length: Int) {
        let cache = TopicMatchCache(enabled: true)
        let base = (0..<length).map { UInt8(ascii: "a") + UInt8($0 % 26) }
        func keyed(_ parts: [[UInt8]]) -> TopicMatchCache {
            cache.beginKey()
            for part in parts { part.withUnsafeBufferPointer { cache.appendKey($0) } }
            return cache
        }
        var variants: [[UInt8]] = [base, base + [UInt8(ascii: "z")]]
        for position in Set([0, length / 2, length - 1]) where length > 0 {
            var changed = base
            changed[position] = UInt8(ascii: "#")
            variants.append(changed)
        }
        // Twice each part: the second starts at an odd offset of the key.
        for (index, variant) in variants.enumerated() { keyed([variant, variant]).store(.matches([index])) }
        for (index, variant) in variants.enumerated() {
            guard case .matches(let ids)? = keyed([variant, variant]).outcome() else {
                Issue.record("no outcome for variant \(index) at length \(length)")
                continue
            }
            #expect(ids == [index])
        }
        #expect(cache.count == variants.count)
    }

    /// A class part of a key equals only the same class in the same place: never a text, nor another class.
    @Test func classPartsAreDistinctFromTextsAndFromOtherClasses() {
        let cache = TopicMatchCache(enabled: true)
        func classed(_ value: Int, then text: JSONValue?) -> TopicMatchCache {
            cache.beginKey()
            cache.appendClass(value)
            let bytes = text.map { Array($0.jsonText.utf8) } ?? []
            bytes.withUnsafeBufferPointer { cache.appendKey(text == nil ? nil : $0) }
            return cache
        }
        classed(3, then: .string("a")).store(.matches([1]))
        guard case .matches(let ids)? = classed(3, then: .string("a")).outcome() else {
            Issue.record("no stored class outcome")
            return
        }
        #expect(ids == [1])
        #expect(classed(-1, then: .string("a")).outcome() == nil)
        #expect(classed(3 + 256, then: .string("a")).outcome() == nil)
        #expect(classed(3, then: nil).outcome() == nil)
        // A text whose bytes spell the class's encoding is still a text.
        let spelled: [UInt8] = [2, 3, 0, 0, 0, 0, 0, 0, 0]
        cache.beginKey()
        spelled.withUnsafeBufferPointer { cache.appendKey($0) }
        #expect(cache.outcome() == nil)
    }

    @Test func aCacheThatRarelyHitsTurnsItselfOff() {
        let cache = TopicMatchCache(enabled: true)
        for value in 0..<TopicMatchCache.trial {
            #expect(key(cache, .string("id-\(value)")).outcome() == nil)
            cache.store(.matches([]))
        }
        #expect(!cache.enabled)
        #expect(key(cache, .string("id-1")).outcome() == nil)
        // The hit rate is judged at the trial lookup even when that lookup hits.
        let late = TopicMatchCache(enabled: true)
        key(late, .string("same")).store(.matches([]))
        for value in 0..<(TopicMatchCache.trial - 1) { _ = key(late, .string("id-\(value)")).outcome() }
        #expect(late.enabled)
        #expect(key(late, .string("same")).outcome() != nil)
        #expect(!late.enabled)
        #expect(late.count == 0)
        key(cache, .string("id-1")).store(.matches([1]))
        #expect(key(cache, .string("id-1")).outcome() == nil)
    }

    @Test func aCacheThatHitsStaysOnAndKeepsAtMostItsCapacity() {
        let cache = TopicMatchCache(enabled: true)
        for round in 0..<(TopicMatchCache.capacity * 3) {
            let values = key(cache, .string("k\(round % 7 == 0 ? round : 0)"))
            if values.outcome() == nil { cache.store(.matches([round])) }
        }
        #expect(cache.enabled)
        #expect(cache.count <= TopicMatchCache.capacity)
        guard case .matches(let ids)? = key(cache, .string("k0")).outcome() else {
            Issue.record("k0 not stored")
            return
        }
        #expect(ids == [0])
        // Entries stored before the table grew (several times) are found after it.
        for round in [7, 700, 7_000] {
            guard case .matches(let found)? = key(cache, .string("k\(round)")).outcome() else {
                Issue.record("k\(round) lost")
                continue
            }
            #expect(found == [round])
        }
        // Long keys (past the first growth of the key buffer) compare in full.
        let long = String(repeating: "x", count: 300)
        #expect(key(cache, .string(long + "a")).outcome() == nil)
        #expect(key(cache, .string(long + "b")).outcome() == nil)
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
        let (_, runs) = try runBoth(attributes, body, producing: template, rate: 50, seed: 5)
        // Attributes: amount 2e9 is outside the Number range, so half the messages are invalid; of the valid
        // half, type A (half again) matches. Body: type A matches, whatever the amount.
        let produced = Double(runs[0].ledger.produced)
        let attributeShare = Double(runs[0].sinks[0].delivered) / produced
        let bodyShare = Double(runs[1].sinks[0].delivered) / produced
        #expect(attributeShare > 0.2 && attributeShare < 0.3)
        #expect(bodyShare > 0.45 && bodyShare < 0.55)
        #expect(runs[0].ledger.dropped(.filteredOut) == runs[0].ledger.produced - runs[0].sinks[0].delivered)
    }

    /// A topic whose policies test an attribute only numerically keys its valid Number values by their numeric
    /// class: with every amount different, the cache stays on and holds a handful of outcomes, and each
    /// subscription receives exactly what it receives from a topic that cannot cache (a body policy turns it off).
    @Test func numericPoliciesKeepTheCacheOnAndFilterAsWithoutIt() throws {
        let template = EventTemplate(
            source: .literal(.string("shop")),
            detailType: .choice([(.literal(.string("A")), 1), (.literal(.string("B")), 1)]),
            detail: .object([("amount", .decimal(lower: -20, upper: 1_200, digits: 2))]))
        let subscriptions = [
            SubscriptionSpec(
                name: "large", deliveryProtocol: .lambda, target: "large",
                filterPolicy: try FilterPolicy(text: #"{"amount": [{"numeric": [">=", 500]}]}"#)),
            SubscriptionSpec(
                name: "typed", deliveryProtocol: .lambda, target: "typed",
                filterPolicy: try FilterPolicy(
                    text: #"{"type": ["A"], "amount": [{"numeric": [">", 0, "<", 100]}, 250]}"#)),
        ]
        let attributes: [(name: String, path: String)] = [
            (name: "type", path: "detail-type"), (name: "amount", path: "detail.amount"),
        ]
        let topic = TopicSpec(
            name: "topic", latency: .constant(0.01), messageAttributes: attributes, subscriptions: subscriptions)
        let uncachedTopic = TopicSpec(
            name: "topic", latency: .constant(0.01), messageAttributes: attributes,
            subscriptions: subscriptions + [
                SubscriptionSpec(
                    name: "audit", deliveryProtocol: .lambda, target: "audit",
                    filterPolicy: try FilterPolicy(text: #"{"source": ["shop"]}"#, scope: .messageBody))
            ])
        let functions = ["large", "typed", "audit"].map {
            FunctionSpec(name: $0, concurrency: 10_000, coldStart: .constant(0), service: .constant(0.001))
        }
        let cached = ArchitectureSpec(
            name: "cached", eventsEntry: "topic", topics: [topic], functions: Array(functions.prefix(2)))
        let uncached = ArchitectureSpec(
            name: "uncached", eventsEntry: "topic", topics: [uncachedTopic], functions: functions)
        let (spec, runs) = try runBoth(cached, uncached, producing: template, rate: 100, seed: 9)
        for sink in 0..<2 {
            #expect(runs[0].sinks[sink].delivered == runs[1].sinks[sink].delivered)
            #expect(runs[0].sinks[sink].delivered > 100)
        }
        // The cache's own state after a run of the cached design alone: on, with one outcome per (type, class).
        let workload = Workload(scenario: spec, replication: 0)
        var simulation = Simulation(
            model: try ArchitectureSimulation(scenario: spec, architecture: cached, replication: 0, workload: workload),
            calendar: BinaryHeapCalendar<SimEvent>())
        simulation.model.mergesArrivals = false
        simulation.model.start(scheduler: &simulation.scheduler)
        simulation.run(until: spec.duration + spec.drain)
        let cache = simulation.model.topics[0].matchCache
        // Endpoints 0, 100, 250, 500: nine slots, two types.
        #expect(cache.enabled && cache.count > 0 && cache.count <= 18)
        #expect(simulation.model.topics[0].attributeEndpoints[0] == nil)
        #expect(simulation.model.topics[0].attributeEndpoints[1] == [0, 100, 250, 500])
    }
}
