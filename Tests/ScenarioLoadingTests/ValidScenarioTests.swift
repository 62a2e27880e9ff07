import ArchitectureSpecs
import EventPatterns
import Foundation
import ScenarioLoading
import Stochastics
import Testing
import TopicFanout

@Suite struct ValidScenarioTests {
    let spec: ScenarioSpec

    init() throws {
        spec = try ScenarioLoader.load(path: fixtures + "/full.yaml")
    }

    @Test func topLevelSettingsAreConvertedToNanoseconds() {
        #expect(spec.name == "full")
        #expect(spec.seed == UInt64.max)
        #expect(spec.duration == 600_000_000_000)
        #expect(spec.warmup == 1_500_000_000)
        #expect(spec.drain == 250_000_000)
        #expect(spec.replications == 3)
        #expect(spec.window == 10_000_000_000)
        #expect(spec.slo == ServiceLevelObjective(percentile: 99.9, latency: 2_000_000_000, maxLossFraction: 0.01))
    }

    @Test func producersKeepProfilesArrivalsAndTemplates() throws {
        let producers = spec.workload.producers
        #expect(producers.map(\.name) == ["cart", "steps", "daily", "replay", "writer"])
        let cart = producers[0]
        #expect(cart.rate == 200)
        #expect(
            cart.profile
                == .flashSale(
                    start: 180_000_000_000, ramp: 30_000_000_000, hold: 180_000_000_000,
                    decay: 60_000_000_000, peakMultiplier: 10))
        #expect(cart.arrivals == .bursty(burstMultiplier: 5, meanBurst: 2_000_000_000, meanCalm: 20_000_000_000))
        guard case .events(let event) = cart.payload else {
            Issue.record("cart should produce events")
            return
        }
        #expect(render(event.source) == #""shop.cart""#)
        #expect(render(event.detailType) == #"choice("CartUpdated"*3.0,"CartCheckedOut"*1.0)"#)
        #expect(
            render(event.detail) == "{cartId:sequence(cart-),id:uuid,at:timestamp,quantity:integer(1,4),"
                + "total:decimal(5.0,900.0,2),weight:distributed(exponential(mean: 2.0),1),"
                + #"items:array({sku:integer(1,10),integer:7},1,5),price:1.10,big:12345678901234567890,"#
                + #"flags:[true,false,null,"007"],nested:{"a":{"b":"x"}},raw:{"integer":[1,2]}}"#)
        #expect(
            producers[1].profile
                == .steps([
                    RateStep(at: 60_000_000_000, multiplier: 2),
                    RateStep(at: 120_000_000_000, multiplier: 0.5),
                ]))
        #expect(producers[1].arrivals == .constant)
        #expect(producers[1].rate == 1.5)
        #expect(
            producers[2].profile
                == .diurnal(
                    period: 86_400_000_000_000, peakMultiplier: 4,
                    peakAt: 72_000_000_000_000))
        #expect(producers[2].arrivals == .poisson)
    }

    @Test func numbersInTemplatesKeepTheirLiteralText() throws {
        guard case .events(let event) = spec.workload.producers[0].payload,
            case .object(let members) = event.detail,
            case .literal(.number(let price))? = members.first(where: { $0.key == "price" })?.value,
            case .literal(.number(let big))? = members.first(where: { $0.key == "big" })?.value
        else {
            Issue.record("detail should be an object template with literal numbers")
            return
        }
        #expect(price.text == "1.10")
        #expect(price.exactDouble == nil || price.exactDouble == 1.1)
        #expect(big.text == "12345678901234567890")
        #expect(big.exactDouble == nil)
    }

    @Test func traceArrivalsReplayOffsetsAndPayloads() throws {
        let replay = spec.workload.producers[3]
        #expect(replay.rate == 0)
        guard case .trace(let times, let payloads) = replay.arrivals else {
            Issue.record("replay should be a trace")
            return
        }
        #expect(times == [500_000_000, 1_250_000_000, 2_000_000_000])
        #expect(
            payloads == [
                nil, try JSONParser.parse(#"{"orderId": "o-1", "total": 10.50}"#),
                try JSONParser.parse(#"{"orderId": "o-2"}"#),
            ])
    }

    @Test func writesKeepTableKeysMixAndSizes() throws {
        guard case .writes(let writes) = spec.workload.producers[4].payload else {
            Issue.record("writer should produce writes")
            return
        }
        #expect(writes.table == "orders")
        #expect(writes.keys == 10_000)
        #expect(writes.keyDistribution == .zipf(exponent: 1.1))
        #expect([writes.putWeight, writes.updateWeight, writes.deleteWeight] == [0.5, 0.4, 0.1])
        #expect(writes.itemSize == .uniform(lower: 100, upper: 300))
        #expect(writes.attributes.map(render) == #"{status:choice("NEW"*1.0,"PAID"*1.0)}"#)
    }

    @Test func busesKeepQuotasRetryAndRules() throws {
        let architecture = try #require(spec.architectures.first)
        #expect(architecture.name == "design")
        #expect(architecture.eventsEntry == "bus")
        let bus = try #require(architecture.buses.first)
        #expect(bus.latency == LatencyProfiles.named("eventbridge-classic")!.distribution)
        #expect(bus.putEventsRate == 5_000)
        #expect(bus.entriesPerRequest == 10)
        #expect(bus.invocationRate == 1_000)
        #expect(bus.producerRetries == 2)
        #expect(bus.deadLetterQueue == false)
        #expect(
            bus.retry
                == RouterRetrySpec(
                    maximumAttempts: 10, maximumEventAge: 3_600_000_000_000,
                    initialDelay: 500_000_000, maximumDelay: 60_000_000_000))
        #expect(bus.rules.map(\.name) == ["checkout", "text", "nightly"])
        #expect(
            bus.rules[0].pattern
                == (try EventPattern(
                    text: #"""
                        {"source": ["shop.cart"], "detail-type": ["CartCheckedOut"], "detail": {"total": [{"numeric": [">", 100]}]}}
                        """#)))
        #expect(bus.rules[0].targets == ["fn", "topic"])
        #expect(bus.rules[1].pattern == (try EventPattern(text: #"{"source": [{"prefix": "shop."}]}"#)))
        #expect(bus.rules[2].pattern == nil)
        #expect(bus.rules[2].schedule == (try ScheduleExpression.parse("cron(0 3 * * ? *)")))
    }

    @Test func topicsKeepAttributesSubscriptionsAndPolicies() throws {
        let topic = try #require(spec.architectures.first?.topics.first)
        #expect(topic.name == "topic")
        #expect(topic.fifo == false)
        #expect(topic.latency == LatencyProfiles.named("sns-standard")!.distribution)
        #expect(topic.publishRate == 300)
        #expect(topic.publisherRetries == 1)
        #expect(
            topic.messageAttributes.map { "\($0.name)=\($0.path)" } == ["eventType=detail-type", "total=detail.total"])
        #expect(topic.subscriptions.map(\.name) == ["to-fn", "to-queue", "to-api", "mail"])
        #expect(topic.subscriptions.map(\.deliveryProtocol.rawValue) == ["lambda", "sqs", "https", "email"])
        #expect(topic.subscriptions.map(\.target) == ["fn", "queue", "api", nil])
        #expect(topic.subscriptions.map { $0.filterPolicy != nil } == [true, true, false, false])
        #expect(topic.subscriptions[1].filterPolicy?.scope.rawValue == "MessageBody")
        #expect(topic.subscriptions[1].deadLetterQueue == false)
        #expect(topic.subscriptions[2].httpPolicy?.retry.retryCount == 5)
    }

    @Test func consumersKeepEverySetting() throws {
        let architecture = try #require(spec.architectures.first)
        let queue = try #require(architecture.queues.first)
        #expect(queue.consumer == "fn")
        #expect(queue.batchSize == 100)
        #expect(queue.batchingWindow == 1_000_000_000)
        #expect(queue.maximumConcurrency == 20)
        #expect(queue.pollLatency == .constant(0.02))
        #expect(queue.visibilityTimeout == 60_000_000_000)
        #expect(queue.maxReceiveCount == nil)

        #expect(architecture.functions.map(\.name) == ["fn", "projector"])
        let function = architecture.functions[0]
        #expect(function.concurrency == 50)
        #expect(function.scalingRate == 10)
        #expect(function.scalingBurst == 100)
        #expect(function.coldStart == (try Distribution.makeNormal(mean: 0.3, sd: 0.05, lower: 0.1)))
        #expect(function.service == (try Distribution.makeLognormal(median: 0.04, p99: 0.2)))
        #expect(function.perRecord == .constant(0.002))
        #expect(function.errorRate == 0.01)
        #expect(function.timeout == 3_000_000_000)
        #expect(function.memoryMB == 1_024)
        #expect(function.asyncRetries == 1)
        #expect(function.maximumEventAge == 3_600_000_000_000)
        #expect(function.onFailureDestination == false)
        #expect(function.outages == [OutageWindow(start: 300_000_000_000, end: 360_000_000_000)])
        // `<<: *fn` merges the first function's settings; explicit keys override them.
        let merged = architecture.functions[1]
        #expect(merged.concurrency == 50)
        #expect(merged.memoryMB == 1_024)
        #expect(merged.service == (try Distribution.makeGamma(mean: 0.02, cs2: 0.5)))
        #expect(merged.outages.isEmpty)

        let endpoint = try #require(architecture.endpoints.first)
        #expect(endpoint.servers == 20)
        #expect(endpoint.queueLimit == 100)
        #expect(
            endpoint.service
                == (try Distribution.makeEmpirical(
                    values: [0.01, 0.02, 0.08],
                    cumulative: [0, 0.5, 1])))
        #expect(endpoint.errorRate == 0.001)

        let stream = try #require(architecture.streams.first)
        #expect(stream.name == "orders")
        #expect(stream.viewType == "NEW_IMAGE")
        #expect(stream.partitions == 8)
        #expect(stream.target == "projector")
        #expect(stream.batchSize == 50)
        #expect(stream.batchingWindow == 2_000_000_000)
        #expect(stream.parallelizationFactor == 2)
        #expect(stream.pollsPerSecond == 2)
        #expect(stream.propagation == .weibull(shape: 1.5, scale: 0.1))
        #expect(stream.maximumRetryAttempts == 3)
        #expect(stream.bisectOnError == true)
    }

    @Test func defaultsApplyWhenKeysAreOmitted() throws {
        let minimal = try ScenarioLoader.load(
            text: scenario(
                architectures: """
                      - name: a
                        entry: b
                        buses:
                          - {name: b, rules: [{name: r, pattern: {source: [s]}, targets: [q]}]}
                        topics:
                          - {name: t, fifo: true}
                        queues:
                          - {name: q, consumer: fn}
                        functions:
                          - {name: fn, service: 10ms}
                        endpoints:
                          - {name: e, servers: 2, service: 1}
                    """), fileName: "minimal.yaml", baseDirectory: "")
        #expect(minimal.warmup == 0 && minimal.drain == 0 && minimal.replications == 1)
        #expect(minimal.window == 1_000_000_000)
        #expect(minimal.slo == ServiceLevelObjective())
        let producer = minimal.workload.producers[0]
        #expect(producer.profile == .constant && producer.arrivals == .poisson)
        let architecture = minimal.architectures[0]
        let bus = architecture.buses[0]
        #expect(bus.latency == LatencyProfiles.named("eventbridge-2024")!.distribution)
        #expect(bus.putEventsRate == 10_000 && bus.entriesPerRequest == 1 && bus.invocationRate == 18_750)
        #expect(bus.producerRetries == 3 && bus.deadLetterQueue && bus.retry == .eventBridgeDefault)
        #expect(architecture.topics[0].latency == LatencyProfiles.named("sns-fifo")!.distribution)
        #expect(architecture.topics[0].publishRate == 30_000)
        let queue = architecture.queues[0]
        #expect(queue.batchSize == 10 && queue.maximumConcurrency == 1_000 && queue.maxReceiveCount == 5)
        #expect(queue.pollLatency == LatencyProfiles.named("sqs")!.distribution)
        let function = architecture.functions[0]
        #expect(function.concurrency == 1_000 && function.memoryMB == 512 && function.timeout == 30_000_000_000)
        #expect(function.coldStart == LatencyProfiles.named("lambda-cold-start")!.distribution)
        #expect(function.service == .constant(0.01))
        #expect(architecture.endpoints[0].queueLimit == -1)
        #expect(architecture.endpoints[0].service == .constant(1))
    }

    @Test(arguments: ["ecommerce-peak", "high-fanout", "order-change-stream", "textbook-mmc"])
    func shippedScenariosAreValid(_ name: String) throws {
        let path = repositoryRoot + "/scenarios/\(name).yaml"
        try #require(FileManager.default.fileExists(atPath: path))
        let scenario = try ScenarioLoader.load(path: path)
        #expect(scenario.name == name)
        #expect(!scenario.architectures.isEmpty)
    }
}
