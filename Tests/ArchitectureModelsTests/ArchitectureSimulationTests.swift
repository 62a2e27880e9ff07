import ArchitectureSpecs
import EventPatterns
import Reports
import Stochastics
import Testing
import TopicFanout

@testable import ArchitectureModels

private let second: Int64 = 1_000_000_000

/// A checkout-like event template shared by the tests.
private func orderTemplate() -> EventTemplate {
    EventTemplate(
        source: .literal(.string("shop.orders")),
        detailType: .choice([(.literal(.string("OrderPlaced")), 3), (.literal(.string("OrderCancelled")), 1)]),
        detail: .object([
            ("orderId", .sequence(prefix: "order-")),
            ("total", .decimal(lower: 5, upper: 500, digits: 2)),
            ("items", .array(.object([("sku", .integer(lower: 1, upper: 99))]), minCount: 1, maxCount: 3)),
        ]))
}

private func producer(rate: Double) -> ProducerSpec {
    ProducerSpec(name: "orders", rate: rate, payload: .events(orderTemplate()))
}

private func function(_ name: String, concurrency: Int = 1_000, service: Double = 0.02) -> FunctionSpec {
    FunctionSpec(name: name, concurrency: concurrency, coldStart: .constant(0.2), service: .constant(service))
}

@Suite("Architecture simulation")
struct ArchitectureSimulationTests {
    @Test func directQueueMatchesErlangC() throws {
        // M/M/4 at rho 0.7 through an endpoint with an unbounded queue: mean sojourn W = 1.357211932 s.
        let architecture = ArchitectureSpec(
            name: "direct", eventsEntry: "servers",
            endpoints: [
                EndpointSpec(name: "servers", servers: 4, queueLimit: -1, service: try .makeExponential(mean: 1))
            ])
        let scenario = ScenarioSpec(
            name: "mmc", seed: 7, duration: 20_000 * second, warmup: 1_000 * second, drain: 0, replications: 6,
            window: 1_000 * second, workload: WorkloadSpec(producers: [producer(rate: 2.8)]),
            architectures: [architecture])
        let outcome = try ScenarioRunner.run(scenario, jobs: 2)
        let means = outcome.runs[0].map { $0.sinks[0].latency.mean / 1e9 }
        let interval = Summary(means).confidenceInterval(level: 0.99)
        #expect(interval.contains(1.357211932), "W interval \(interval.lower)…\(interval.upper)")
        #expect(interval.halfWidth < 0.05)
        #expect(outcome.runs[0].allSatisfy { $0.ledger.balances })
    }

    @Test func busRoutesByPatternAndAccountsForEveryCopy() throws {
        let placed = try EventPattern(text: #"{"detail-type": ["OrderPlaced"]}"#)
        let bus = BusSpec(
            name: "bus", latency: .constant(0.15),
            rules: [RuleSpec(name: "placed", pattern: placed, targets: ["payment", "analytics"])])
        let architecture = ArchitectureSpec(
            name: "eventbridge", eventsEntry: "bus", buses: [bus],
            functions: [function("payment"), function("analytics")])
        let scenario = ScenarioSpec(
            name: "bus", seed: 1, duration: 60 * second, drain: 10 * second,
            workload: WorkloadSpec(producers: [producer(rate: 100)]), architectures: [architecture])
        let run = try ScenarioRunner.runOne(scenario, architecture: architecture, replication: 0)
        #expect(run.ledger.balances)
        #expect(run.ledger.inFlight == 0)
        // About 3/4 of orders are OrderPlaced; each goes to two targets; the rest match no rule.
        let placedCount = run.sinks[0].delivered
        #expect(run.sinks[1].delivered == placedCount)
        #expect(run.ledger.dropped(.noMatchingRule) + placedCount == run.ledger.produced)
        #expect(Double(placedCount) / Double(run.ledger.produced) > 0.7)
        #expect(Double(placedCount) / Double(run.ledger.produced) < 0.8)
        // Latency = bus 150 ms + cold start (first invocations only) + 20 ms service.
        #expect(run.sinks[0].latency.percentile(50) >= 169 * 1_000_000)
        #expect(run.sinks[0].latency.percentile(50) <= 171 * 1_000_000)
    }

    /// A bus looks its matching outcomes up by the texts of the members its rules name: whether the events
    /// repeat them (the cache stays on) or not (random totals: it turns itself off), every rule's target
    /// receives exactly the events that matching each event's text on its own selects.
    @Test(arguments: [false, true]) func cachedBusOutcomesEqualMatchingEveryEvent(namesTheTotal: Bool) throws {
        var rules = [
            RuleSpec(
                name: "placed", pattern: try EventPattern(text: #"{"detail-type": ["OrderPlaced"]}"#), targets: ["a"])
        ]
        if namesTheTotal {
            let big = try EventPattern(
                text: #"{"detail-type": ["OrderCancelled"], "detail": {"total": [{"numeric": [">", 250]}]}}"#)
            rules.append(RuleSpec(name: "big", pattern: big, targets: ["b"]))
        }
        let architecture = ArchitectureSpec(
            name: "eventbridge", eventsEntry: "bus",
            buses: [BusSpec(name: "bus", latency: .constant(0.01), rules: rules)],
            functions: [function("a"), function("b")])
        let scenario = ScenarioSpec(
            name: "bus", seed: 5, duration: 60 * second, drain: 10 * second,
            workload: WorkloadSpec(producers: [producer(rate: 100)]), architectures: [architecture])
        let run = try ScenarioRunner.runOne(scenario, architecture: architecture, replication: 0)
        #expect(run.ledger.balances && run.ledger.inFlight == 0)
        let machine = RuleMachine()
        for (id, rule) in rules.enumerated() { machine.add(rule.pattern!, id: id) }
        var expected = [0, 0]
        let workload = Workload(scenario: scenario, replication: 0)
        var index = 0
        while let arrival = workload.arrival(producer: 0, index: index) {
            let text = String(decoding: arrival.event.prefix(arrival.bytes), as: UTF8.self)
            for rule in try machine.matches(jsonText: text) { expected[rule] += 1 }
            index += 1
        }
        #expect(index > 5_000)
        #expect(run.sinks[0].delivered == expected[0] && run.sinks[1].delivered == expected[1])
        #expect(expected[0] > 0 && (expected[1] > 0) == namesTheTotal)
    }

    @Test func topicFiltersByAttributePolicies() throws {
        let policy = try FilterPolicy(text: #"{"type": ["OrderCancelled"]}"#)
        let topic = TopicSpec(
            name: "orders", latency: .constant(0.03), messageAttributes: [(name: "type", path: "detail-type")],
            subscriptions: [
                SubscriptionSpec(name: "refunds", deliveryProtocol: .lambda, target: "refunds", filterPolicy: policy),
                SubscriptionSpec(name: "audit", deliveryProtocol: .lambda, target: "audit"),
            ])
        let architecture = ArchitectureSpec(
            name: "sns", eventsEntry: "orders", topics: [topic], functions: [function("refunds"), function("audit")])
        let scenario = ScenarioSpec(
            name: "topic", seed: 2, duration: 60 * second, drain: 10 * second,
            workload: WorkloadSpec(producers: [producer(rate: 100)]), architectures: [architecture])
        let run = try ScenarioRunner.runOne(scenario, architecture: architecture, replication: 0)
        #expect(run.ledger.balances)
        #expect(run.sinks[1].delivered == run.ledger.produced)
        let share = Double(run.sinks[0].delivered) / Double(run.ledger.produced)
        #expect(share > 0.2 && share < 0.3)
    }

    @Test func throttledPutsAreRetriedThenDroppedWithTheirReason() throws {
        let everything = try EventPattern(text: #"{"source": ["shop.orders"]}"#)
        let bus = BusSpec(
            name: "bus", latency: .constant(0.1), putEventsRate: 10, producerRetries: 1,
            rules: [RuleSpec(name: "all", pattern: everything, targets: ["sink"])])
        let architecture = ArchitectureSpec(
            name: "small-quota", eventsEntry: "bus", buses: [bus],
            functions: [function("sink")])
        let scenario = ScenarioSpec(
            name: "throttle", seed: 3, duration: 30 * second, drain: 10 * second,
            workload: WorkloadSpec(producers: [producer(rate: 100)]), architectures: [architecture])
        let run = try ScenarioRunner.runOne(scenario, architecture: architecture, replication: 0)
        #expect(run.ledger.balances)
        #expect(run.ledger.dropped(.putThrottled) > run.ledger.produced / 2)
        #expect(run.ledger.throttled > 0)
        #expect(run.sinks[0].delivered + run.ledger.dropped(.putThrottled) == run.ledger.produced)
    }

    @Test func failingConsumerBehindAQueueEndsInTheDeadLetterQueue() throws {
        var failing = function("worker")
        failing.errorRate = 1
        let architecture = ArchitectureSpec(
            name: "queue", eventsEntry: "jobs",
            queues: [
                QueueSpec(
                    name: "jobs", consumer: "worker", pollLatency: .constant(0.01),
                    visibilityTimeout: second, maxReceiveCount: 3)
            ],
            functions: [failing])
        let scenario = ScenarioSpec(
            name: "dlq", seed: 4, duration: 10 * second, drain: 30 * second,
            workload: WorkloadSpec(producers: [producer(rate: 20)]), architectures: [architecture])
        let run = try ScenarioRunner.runOne(scenario, architecture: architecture, replication: 0)
        #expect(run.ledger.balances)
        #expect(run.ledger.deadLettered == run.ledger.produced)
        #expect(run.ledger.retried == 2 * run.ledger.produced)
    }

    @Test func concurrencyLimitQueuesAsyncInvocations() throws {
        let architecture = ArchitectureSpec(
            name: "limited", eventsEntry: "slow", functions: [function("slow", concurrency: 2, service: 0.1)])
        let scenario = ScenarioSpec(
            name: "limit", seed: 5, duration: 10 * second, drain: 60 * second,
            workload: WorkloadSpec(producers: [producer(rate: 15)]), architectures: [architecture])
        let run = try ScenarioRunner.runOne(scenario, architecture: architecture, replication: 0)
        #expect(run.ledger.balances)
        #expect(run.sinks[0].peakConcurrency == 2)
        #expect(run.sinks[0].throttles > 0)
        #expect(run.sinks[0].coldStarts == 2)
    }

    @Test func reportsAreIdenticalWhateverTheThreadCount() throws {
        let placed = try EventPattern(text: #"{"detail-type": ["OrderPlaced"]}"#)
        let architecture = ArchitectureSpec(
            name: "eventbridge", eventsEntry: "bus",
            buses: [
                BusSpec(
                    name: "bus", latency: try .makeLognormal(median: 0.148, p99: 0.387),
                    rules: [RuleSpec(name: "placed", pattern: placed, targets: ["payment"])])
            ],
            functions: [
                FunctionSpec(
                    name: "payment", coldStart: .constant(0.25),
                    service: try .makeExponential(mean: 0.03))
            ])
        let scenario = ScenarioSpec(
            name: "determinism", seed: 9, duration: 20 * second, drain: 5 * second, replications: 4,
            workload: WorkloadSpec(producers: [producer(rate: 200)]), architectures: [architecture, architecture])
        let serial = try ScenarioRunner.run(scenario, jobs: 1)
        let parallel = try ScenarioRunner.run(scenario, jobs: 3)
        #expect(SummaryReport.csv(serial) == SummaryReport.csv(parallel))
        #expect(TimeSeriesReport.csv(serial) == TimeSeriesReport.csv(parallel))
        // More jobs than replications: each architecture runs alone, with its own copy of the workload.
        let wide = try ScenarioRunner.run(scenario, jobs: 8)
        #expect(SummaryReport.csv(serial) == SummaryReport.csv(wide))
        #expect(TimeSeriesReport.csv(serial) == TimeSeriesReport.csv(wide))
    }

    @Test func commonRandomNumbersGiveEveryArchitectureTheSameWorkload() throws {
        let placed = try EventPattern(text: #"{"source": ["shop.orders"]}"#)
        let first = ArchitectureSpec(
            name: "a", eventsEntry: "bus",
            buses: [
                BusSpec(
                    name: "bus", latency: .constant(0.1), rules: [RuleSpec(name: "r", pattern: placed, targets: ["f"])])
            ],
            functions: [function("f")])
        let second = ArchitectureSpec(name: "b", eventsEntry: "f", functions: [function("f", service: 0.5)])
        let scenario = ScenarioSpec(
            name: "crn", seed: 11, duration: 30 * self.second, workload: WorkloadSpec(producers: [producer(rate: 50)]),
            architectures: [first, second])
        let outcome = try ScenarioRunner.run(scenario, jobs: 2)
        #expect(outcome.runs[0][0].ledger.produced == outcome.runs[1][0].ledger.produced)
    }

    private var second: Int64 { 1_000_000_000 }
}

@Suite("Fidelity to published latencies")
struct FidelityTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var profile: String
        var router: String
        var testDescription: String { "\(profile) via \(router)" }
    }

    /// At low load (no queueing, warm consumers) the delivery latency of a design is its router's profile, so
    /// the simulated p50 and p99 must reproduce the published measurements (figures.md §6) within 5%.
    @Test(arguments: [
        Case(profile: "eventbridge-2024", router: "bus"), Case(profile: "eventbridge-classic", router: "bus"),
        Case(profile: "sns-standard", router: "topic"), Case(profile: "sqs", router: "queue"),
    ])
    func lowLoadPercentilesMatchPublishedMeasurements(_ testCase: Case) throws {
        let profile = try #require(LatencyProfiles.named(testCase.profile))
        let consumer = FunctionSpec(name: "consumer", coldStart: .constant(0), service: .constant(0.001))
        let architecture: ArchitectureSpec
        switch testCase.router {
        case "bus":
            architecture = ArchitectureSpec(
                name: "bus", eventsEntry: "bus",
                buses: [
                    BusSpec(
                        name: "bus", latency: profile.distribution,
                        rules: [
                            RuleSpec(
                                name: "all", pattern: try EventPattern(text: #"{"source": ["shop.orders"]}"#),
                                targets: ["consumer"])
                        ])
                ], functions: [consumer])
        case "topic":
            architecture = ArchitectureSpec(
                name: "topic", eventsEntry: "topic",
                topics: [
                    TopicSpec(
                        name: "topic", latency: profile.distribution,
                        subscriptions: [
                            SubscriptionSpec(name: "all", deliveryProtocol: .lambda, target: "consumer")
                        ])
                ], functions: [consumer])
        default:
            architecture = ArchitectureSpec(
                name: "queue", eventsEntry: "queue",
                queues: [
                    QueueSpec(name: "queue", consumer: "consumer", batchSize: 1, pollLatency: profile.distribution)
                ], functions: [consumer])
        }
        let scenario = ScenarioSpec(
            name: "fidelity", seed: 17, duration: 2_500 * second, drain: 10 * second,
            workload: WorkloadSpec(producers: [producer(rate: 10)]), architectures: [architecture])
        let run = try ScenarioRunner.runOne(scenario, architecture: architecture, replication: 0)
        let delivery = run.sinks[0].deliveryLatency
        #expect(delivery.count > 22_000)
        let p50 = Double(delivery.percentile(50)) / 1e9, p99 = Double(delivery.percentile(99)) / 1e9
        #expect(abs(p50 / profile.p50 - 1) < 0.05, "p50 \(p50) vs published \(profile.p50)")
        #expect(abs(p99 / profile.p99 - 1) < 0.05, "p99 \(p99) vs published \(profile.p99)")
    }
}
