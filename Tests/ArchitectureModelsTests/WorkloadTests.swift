import ArchitectureSpecs
import EventPatterns
import Stochastics
import Testing
import TopicFanout

@testable import ArchitectureModels

private let second: Int64 = 1_000_000_000

private func template() -> EventTemplate {
    EventTemplate(
        source: .literal(.string("shop.orders")),
        detailType: .choice([(.literal(.string("OrderPlaced")), 3), (.literal(.string("OrderCancelled")), 1)]),
        detail: .object([
            ("orderId", .sequence(prefix: "order-")), ("id", .uuid),
            ("total", .decimal(lower: 5, upper: 500, digits: 2)),
        ]))
}

private func scenario(
    producers: [ProducerSpec], architectures: [ArchitectureSpec], duration: Int64 = 30 * second
) -> ScenarioSpec {
    ScenarioSpec(
        name: "workload", seed: 11, duration: duration, drain: 5 * second,
        workload: WorkloadSpec(producers: producers), architectures: architectures)
}

private func bus(_ name: String, pattern: String, latency: Double = 0.1) throws -> ArchitectureSpec {
    ArchitectureSpec(
        name: name, eventsEntry: "bus",
        buses: [
            BusSpec(
                name: "bus", latency: .constant(latency),
                rules: [RuleSpec(name: "rule", pattern: try EventPattern(text: pattern), targets: ["sink"])])
        ],
        functions: [FunctionSpec(name: "sink", coldStart: .constant(0), service: .constant(0.01))])
}

@Suite("Shared workload")
struct WorkloadTests {
    @Test func arrivalsDoNotDependOnTheOrderInWhichProducersAreRead() {
        let producers = [
            ProducerSpec(name: "a", rate: 50, payload: .events(template())),
            ProducerSpec(name: "b", rate: 20, payload: .events(template())),
        ]
        let spec = scenario(producers: producers, architectures: [])
        let first = Workload(scenario: spec, replication: 1)
        let second = Workload(scenario: spec, replication: 1)
        // One reads producer a to the end first; the other alternates.
        var a: [(Int64, String, Int)] = []
        var index = 0
        while let arrival = first.arrival(producer: 0, index: index) {
            a.append(
                (arrival.time, String(decoding: arrival.event.prefix(arrival.bytes), as: UTF8.self), arrival.bytes))
            index += 1
        }
        #expect(a.count > 1_000)
        var alternating: [(Int64, String, Int)] = []
        for position in 0..<(a.count + 5) {
            _ = second.arrival(producer: 1, index: position)
            if let arrival = second.arrival(producer: 0, index: position) {
                alternating.append(
                    (arrival.time, String(decoding: arrival.event.prefix(arrival.bytes), as: UTF8.self), arrival.bytes))
            }
        }
        #expect(alternating.count == a.count)
        #expect(zip(a, alternating).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 && $0.2 == $1.2 })
        // The text is the arrival's first `bytes` bytes, a whole JSON object; its member table follows.
        #expect(a.allSatisfy { $0.1.utf8.count == $0.2 && (try? JSONParser.parse($0.1)) != nil })
        // Another replication is another workload.
        let other = Workload(scenario: spec, replication: 2)
        #expect(other.arrival(producer: 0, index: 0)?.time != a[0].0)
    }

    @Test func discardingKeepsOnlyWhatReadersHaveNotPassed() {
        let spec = scenario(
            producers: [ProducerSpec(name: "a", rate: 100, payload: .events(template()))], architectures: [])
        let workload = Workload(scenario: spec, replication: 0)
        _ = workload.arrival(producer: 0, index: 999)
        #expect(workload.bufferedCount == 1_000)
        workload.discard(before: [990])
        #expect(workload.bufferedCount == 10)
        // Positions already discarded, or beyond what was generated, are fine.
        workload.discard(before: [500])
        #expect(workload.bufferedCount == 10)
        let kept = workload.arrival(producer: 0, index: 995)
        workload.discard(before: [2_000])
        #expect(workload.bufferedCount == 0)
        let fresh = Workload(scenario: spec, replication: 0)
        #expect(fresh.arrival(producer: 0, index: 995)?.event == kept?.event)
        #expect(workload.arrival(producer: 0, index: 2_000)?.time == fresh.arrival(producer: 0, index: 2_000)?.time)
    }

    @Test func architecturesInLockstepGiveTheSameRunsAsAlone() throws {
        let architectures = [
            try bus("placed", pattern: #"{"detail-type": ["OrderPlaced"]}"#),
            try bus("cancelled", pattern: #"{"detail-type": ["OrderCancelled"]}"#, latency: 0.5),
            try bus("everything", pattern: #"{"source": ["shop.orders"]}"#, latency: 2.5),
        ]
        let spec = scenario(
            producers: [
                ProducerSpec(name: "a", rate: 80, payload: .events(template())),
                ProducerSpec(name: "b", rate: 30, arrivals: .constant, payload: .events(template())),
            ],
            architectures: architectures)
        let together = try ScenarioRunner.run(spec, architectures: architectures, replication: 1)
        for (index, architecture) in architectures.enumerated() {
            let alone = try ScenarioRunner.runOne(spec, architecture: architecture, replication: 1)
            #expect(together[index].ledger == alone.ledger)
            #expect(together[index].timeSeries == alone.timeSeries)
            #expect(together[index].sinks[0].delivered == alone.sinks[0].delivered)
            #expect(together[index].sinks[0].latency.mean == alone.sinks[0].latency.mean)
            #expect(together[index].overall.percentile(99) == alone.overall.percentile(99))
        }
        #expect(together[0].ledger.produced == together[2].ledger.produced)
        #expect(together[2].sinks[0].delivered == together[2].ledger.produced)
        #expect(together[0].sinks[0].delivered + together[1].sinks[0].delivered == together[2].ledger.produced)
    }

    @Test func tracePayloadsTravelWithTheirOwnTimestamps() throws {
        let payloads: [JSONValue?] = [
            .object(JSONObject([("k", .number(JSONNumber(text: "1")))])),
            .object(JSONObject([("k", .number(JSONNumber(text: "2")))])),
            .object(JSONObject([("k", .number(JSONNumber(text: "2")))])),
            nil,
        ]
        let producer = ProducerSpec(
            name: "trace", rate: 1, arrivals: .trace(times: [1, 2, 3, 4].map { $0 * second }, payloads: payloads),
            payload: .events(template()))
        let one = try bus("one", pattern: #"{"detail": {"k": [1]}}"#)
        let two = try bus("two", pattern: #"{"detail": {"k": [2]}}"#)
        let generated = try bus("generated", pattern: #"{"detail": {"orderId": [{"prefix": "order-"}]}}"#)
        let spec = scenario(producers: [producer], architectures: [one, two, generated], duration: 10 * second)
        let runs = try ScenarioRunner.run(spec, architectures: [one, two, generated], replication: 0)
        #expect(runs.map { $0.ledger.produced } == [4, 4, 4])
        #expect(runs.map { $0.sinks[0].delivered } == [1, 2, 1])
    }

    @Test func integerRangesGiveValuesInRange() throws {
        for (lower, upper) in [(-5, 5), (1, 4_096), (0, 1_000_000), (7, 7)] {
            let template = EventTemplate(
                source: .literal(.string("s")), detailType: .literal(.string("t")),
                detail: .object([("n", .integer(lower: lower, upper: upper))]))
            var factory = EventFactory(template: template, stream: RandomStream(seed: 3))
            var seen = Set<Int>()
            for second in 0..<2_000 {
                let text = factory.makeText(at: Int64(second) * 1_000_000_000, detail: nil)
                let event = try JSONParser.parse(bytes: text)
                guard case .number(let number)? = event.value(atPath: ["detail", "n"]) else {
                    Issue.record("no number in \(event.jsonText)")
                    continue
                }
                let value = try #require(Int(number.text))
                #expect((lower...upper).contains(value))
                seen.insert(value)
            }
            #expect(seen.count == min(upper - lower + 1, 2_000) || upper - lower + 1 > 2_000 && seen.count > 1_500)
        }
    }

    @Test func theLastReaderTakesTheEventOutOfTheBuffer() throws {
        let spec = scenario(
            producers: [ProducerSpec(name: "a", rate: 10, payload: .events(template()))], architectures: [])
        let workload = Workload(scenario: spec, replication: 0, readers: 2)
        let first = try #require(workload.take(producer: 0, index: 3))
        #expect(workload.arrival(producer: 0, index: 3)?.event == first.event)
        let second = try #require(workload.take(producer: 0, index: 3))
        #expect(second.event == first.event)
        #expect(
            second.bytes == first.bytes && second.bytes + workload.layout(producer: 0)!.tableBytes == first.event.count)
        #expect(workload.arrival(producer: 0, index: 3)?.event.isEmpty == true)
        #expect(workload.time(producer: 0, index: 3) == workload.arrival(producer: 0, index: 3)?.time)
        #expect(workload.arrival(producer: 0, index: 2)?.event.isEmpty == false)
    }

    /// Events are released once no copy bound for a bus or a topic is left; a bus rule that targets a topic
    /// keeps the event alive for the topic, and throttled puts that are retried keep it for the retry.
    @Test func routersDownstreamStillSeeTheEvent() throws {
        let placed = try EventPattern(text: #"{"source": ["shop.orders"]}"#)
        let bus = BusSpec(
            name: "bus", latency: .constant(0.05), putEventsRate: 40, producerRetries: 5,
            rules: [RuleSpec(name: "orders", pattern: placed, targets: ["topic", "direct"])])
        let topic = TopicSpec(
            name: "topic", latency: .constant(0.02), messageAttributes: [(name: "type", path: "detail-type")],
            subscriptions: [
                SubscriptionSpec(
                    name: "cancelled", deliveryProtocol: .lambda, target: "cancelled",
                    filterPolicy: try FilterPolicy(text: #"{"type": ["OrderCancelled"]}"#))
            ])
        let consumers = ["cancelled", "direct"].map {
            FunctionSpec(name: $0, coldStart: .constant(0), service: .constant(0.01))
        }
        let architecture = ArchitectureSpec(
            name: "chain", eventsEntry: "bus", buses: [bus], topics: [topic], functions: consumers)
        let spec = scenario(
            producers: [ProducerSpec(name: "a", rate: 50, payload: .events(template()))],
            architectures: [architecture])
        let run = try ScenarioRunner.runOne(spec, architecture: architecture, replication: 0)
        #expect(run.ledger.balances)
        #expect(run.ledger.throttled > 0)
        let direct = run.sinks[1].delivered
        #expect(direct > 0 && direct == run.ledger.produced - run.ledger.dropped(.putThrottled))
        // About a quarter of the orders are OrderCancelled (weights 3:1); all of them reach the topic's consumer.
        let share = Double(run.sinks[0].delivered) / Double(direct)
        #expect(share > 0.18 && share < 0.32)
        #expect(run.sinks[0].delivered + run.ledger.dropped(.filteredOut) == direct)
    }
}
