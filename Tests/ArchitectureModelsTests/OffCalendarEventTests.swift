import ArchitectureSpecs
import EventPatterns
import Stochastics
import Testing
import TopicFanout

@testable import ArchitectureModels

private let second: Int64 = 1_000_000_000

/// Runs whose functions complete through ``PendingCompletions`` and whose arrivals are merged with the calendar
/// (``Simulation/run(mergingArrivalsUntil:)``) equal runs where every completion and arrival is a kernel event:
/// same ledgers, time series, usage and consumer metrics.
@Suite("Events kept off the calendar")
struct OffCalendarEventTests {
    private func producer(rate: Double, arrivals: ArrivalProcess) -> ProducerSpec {
        ProducerSpec(
            name: "orders", rate: rate, profile: .steps([RateStep(at: 20 * second, multiplier: 4)]),
            arrivals: arrivals,
            payload: .events(
                EventTemplate(
                    source: .literal(.string("shop.orders")),
                    detailType: .choice([(.literal(.string("OrderPlaced")), 3), (.literal(.string("OrderPaid")), 1)]),
                    detail: .object([("orderId", .sequence(prefix: "order-"))]))))
    }

    /// A bus with four rules: a function with room to spare, one held to 3 environments and a slow scaling
    /// rate (throttles, queued work, wake-ups), one that fails or times out (retries), and an endpoint.
    private func busArchitecture(latency: Distribution, service: Distribution) throws -> ArchitectureSpec {
        let all = try EventPattern(text: #"{"source": ["shop.orders"]}"#)
        let placed = try EventPattern(text: #"{"detail-type": ["OrderPlaced"]}"#)
        return ArchitectureSpec(
            name: "bus", eventsEntry: "bus",
            buses: [
                BusSpec(
                    name: "bus", latency: latency,
                    rules: [
                        RuleSpec(name: "wide", pattern: all, targets: ["wide", "servers"]),
                        RuleSpec(name: "narrow", pattern: placed, targets: ["narrow"]),
                        RuleSpec(name: "flaky", pattern: all, targets: ["flaky"]),
                    ])
            ],
            functions: [
                FunctionSpec(name: "wide", coldStart: .constant(0.2), service: service),
                FunctionSpec(
                    name: "narrow", concurrency: 3, scalingRate: 1, scalingBurst: 2, coldStart: .constant(0.1),
                    service: service),
                FunctionSpec(
                    name: "flaky", coldStart: .constant(0.05), service: service, errorRate: 0.05,
                    timeout: 60_000_000, asyncRetries: 1),
            ],
            endpoints: [EndpointSpec(name: "servers", servers: 4, queueLimit: 20, service: service)])
    }

    private func topicArchitecture(service: Distribution) -> ArchitectureSpec {
        let topic = TopicSpec(
            name: "topic", latency: .constant(0.03), messageAttributes: [(name: "type", path: "detail-type")],
            subscriptions: [
                SubscriptionSpec(name: "a", deliveryProtocol: .lambda, target: "a"),
                SubscriptionSpec(name: "b", deliveryProtocol: .lambda, target: "b"),
            ])
        return ArchitectureSpec(
            name: "topic", eventsEntry: "topic", topics: [topic],
            functions: [
                FunctionSpec(name: "a", concurrency: 8, coldStart: .constant(0.3), service: service),
                FunctionSpec(name: "b", coldStart: .constant(0.3), service: service),
            ])
    }

    /// Same run with completions deferred and arrivals merged, or with neither; also returns the kernel events
    /// of each (arrivals count as handled either way).
    private func compare(_ scenario: ScenarioSpec) throws -> (deferred: UInt64, events: UInt64) {
        let deferred = try ScenarioRunner.run(
            scenario, architectures: scenario.architectures, replication: 0, kernelEventsOnly: false)
        let scheduled = try ScenarioRunner.run(
            scenario, architectures: scenario.architectures, replication: 0, kernelEventsOnly: true)
        for (lazy, eager) in zip(deferred, scheduled) {
            #expect(lazy.ledger == eager.ledger)
            #expect(lazy.ledger.balances)
            #expect(lazy.timeSeries == eager.timeSeries)
            #expect(lazy.usage == eager.usage)
            #expect(lazy.sinks.count == eager.sinks.count)
            for (a, b) in zip(lazy.sinks, eager.sinks) {
                #expect(
                    [a.delivered, a.deliveredMeasured, a.invocations, a.failures, a.throttles, a.coldStarts]
                        == [b.delivered, b.deliveredMeasured, b.invocations, b.failures, b.throttles, b.coldStarts],
                    "\(a.name)")
                #expect(
                    [a.peakConcurrency, a.deadLettered, a.retried] == [b.peakConcurrency, b.deadLettered, b.retried])
                #expect(a.drops == b.drops && a.gigabyteSeconds == b.gigabyteSeconds)
                for (x, y) in [(a.latency, b.latency), (a.deliveryLatency, b.deliveryLatency)] {
                    #expect(x.count == y.count && x.mean == y.mean && x.maximum == y.maximum)
                    #expect([50.0, 90, 99, 99.9].map(x.percentile) == [50.0, 90, 99, 99.9].map(y.percentile))
                }
            }
        }
        return (deferred.reduce(0) { $0 + $1.events }, scheduled.reduce(0) { $0 + $1.events })
    }

    private func scenario(
        _ architectures: [ArchitectureSpec], arrivals: ArrivalProcess, rate: Double = 40
    ) -> ScenarioSpec {
        ScenarioSpec(
            name: "deferred", seed: 11, duration: 60 * second, warmup: 5 * second, drain: 150 * second,
            window: 2 * second, workload: WorkloadSpec(producers: [producer(rate: rate, arrivals: arrivals)]),
            architectures: architectures)
    }

    @Test func randomTimesGiveTheSameRunsWithFewerKernelEvents() throws {
        let service = try Distribution.makeExponential(mean: 0.04)
        let architectures = [
            try busArchitecture(latency: try .makeExponential(mean: 0.05), service: service),
            topicArchitecture(service: service),
        ]
        let (deferred, events) = try compare(scenario(architectures, arrivals: .poisson))
        // Most completions of the wide functions and of the topic's never reach the calendar.
        #expect(Double(deferred) < 0.85 * Double(events))
    }

    /// Constant arrivals, latencies and service times put completions at exactly the times of other events,
    /// window closes included: ties go by the calendar's sequence either way.
    @Test func tiedTimesGiveTheSameRuns() throws {
        let architectures = [
            try busArchitecture(latency: .constant(0.01), service: .constant(0.02)),
            topicArchitecture(service: .constant(0.01)),
        ]
        let (deferred, events) = try compare(scenario(architectures, arrivals: .constant, rate: 100))
        #expect(deferred < events)
        // Arrivals replayed at whole 5 ms steps fall on window closes and on the ends of constant latencies and
        // service times, to the nanosecond.
        let trace = ArrivalProcess.trace(times: (1...11_999).map { Int64($0) * 5_000_000 }, payloads: [])
        let (tracedDeferred, tracedEvents) = try compare(scenario(architectures, arrivals: trace))
        #expect(tracedDeferred < tracedEvents)
    }

    /// Many producers (the next arrival chosen by ``ArrivalTournament``), half of them at constant rates that put
    /// their arrivals at the same instants: the merged arrivals enter in the calendar's order either way.
    @Test func manyProducersGiveTheSameRuns() throws {
        let architectures = [
            try busArchitecture(latency: .constant(0.01), service: .constant(0.02)),
            topicArchitecture(service: .constant(0.01)),
        ]
        var base = scenario(architectures, arrivals: .poisson)
        base.workload = WorkloadSpec(
            producers: (0..<37).map { index in
                var spec = producer(rate: 2, arrivals: index.isMultiple(of: 2) ? .constant : .poisson)
                spec.name = "orders-\(index)"
                return spec
            })
        let (deferred, events) = try compare(base)
        #expect(deferred < events)
    }
}
