import EventPatterns
import Testing
import TopicFanout

@Suite("Subscription index against a plain scan")
struct SubscriptionIndexTests {
    /// Hand-written policies that stress the translation into index patterns.
    static let trickyPolicies: [(String, FilterPolicyScope)] = [
        (#"{"debug": [{"exists": false}]}"#, .messageAttributes),
        (#"{"priority": [{"exists": true}], "tenant": [{"anything-but": ["t1"]}]}"#, .messageAttributes),
        (#"{"tags": ["gift", {"prefix": "pri"}], "price": [{"numeric": [">=", 10, "<", 900]}]}"#, .messageAttributes),
        (#"{"source_ip": [{"cidr": "10.1.2.3/32"}, {"cidr": "10.2.0.0/16"}]}"#, .messageAttributes),
        (
            #"{"$or": [{"tenant": ["t1"]}, {"region": ["eu-west-1"], "debug": [{"exists": false}]}]}"#,
            .messageAttributes
        ),
        (#"{"email": [{"equals-ignore-case": "USER2@EXAMPLE.COM"}, {"suffix": "3@example.com"}]}"#, .messageAttributes),
        (#"{"order": {"items": {"sku": [{"prefix": "sku-1-"}], "qty": [{"numeric": [">", 5]}]}}}"#, .messageBody),
        (
            #"{"customer": {"id": ["t2"], "country": [{"anything-but": {"prefix": "c1"}}]}, "gift": [true]}"#,
            .messageBody
        ),
        (#"{"note": [{"exists": false}], "status": ["paid", "shipped"]}"#, .messageBody),
        (
            #"{"$or": [{"channel": ["web"]}, {"order": {"total": [{"numeric": [">", 500]}]}}], "tier": [{"wildcard": "*l*"}]}"#,
            .messageBody
        ),
        (#"{"order": {"$or": [{"total": [{"numeric": ["<", 10]}]}, {"items": {"qty": [9]}}]}}"#, .messageBody),
        (#"{"amount": [{"exists": true}], "order": {"items": {"sku": [{"exists": false}]}}}"#, .messageBody),
    ]

    func buildTopic(subscriptions: Int, seed: UInt64) throws -> (Topic, WorkloadGenerator) {
        var generator = WorkloadGenerator(seed: seed, tenants: 8)
        let topic = try Topic(name: "diff", filterPolicyQuota: .max)
        for (text, scope) in Self.trickyPolicies {
            try topic.subscribe(
                SubscriptionConfiguration(
                    deliveryProtocol: .sqs, filterPolicy: try FilterPolicy(text: text, scope: scope)))
        }
        for _ in 0..<subscriptions {
            let policy = try generator.nextPolicy().map { try FilterPolicy(text: $0.text, scope: $0.scope) }
            try topic.subscribe(SubscriptionConfiguration(deliveryProtocol: .lambda, filterPolicy: policy))
        }
        return (topic, generator)
    }

    @Test(
        "the index selects exactly the subscriptions a scan of every policy selects", arguments: [1, 2, 3] as [UInt64])
    func indexEqualsScan(seed: UInt64) throws {
        var (topic, generator) = try buildTopic(subscriptions: 400, seed: seed)
        var matched = 0
        var indexed: [Int] = []
        for _ in 0..<250 {
            let view = try MessageView(generator.nextMessage())
            topic.matchingSubscriptions(view, into: &indexed)
            let scanned = topic.scanSubscriptions(view)
            #expect(indexed == scanned)
            matched += scanned.count
        }
        #expect(matched > 250, "the workload must produce matches for the comparison to mean something")
    }

    @Test("CIDR policies indexed by address prefixes agree with the scan on unusual address texts")
    func cidrPrefixes() throws {
        let topic = try Topic(name: "ips", filterPolicyQuota: .max)
        let blocks = [
            "10.0.0.0/8", "10.1.0.0/16", "10.1.2.0/24", "10.1.16.0/20", "10.1.2.3/32", "0.0.0.0/4",
            "2001:db8::/32", "192.168.0.0/16",
        ]
        for block in blocks {
            try topic.subscribe(
                SubscriptionConfiguration(
                    deliveryProtocol: .sqs,
                    filterPolicy: try FilterPolicy(
                        text: "{\"ip\": [{\"cidr\": \"\(block)\"}]}")))
        }
        try topic.subscribe(
            SubscriptionConfiguration(
                deliveryProtocol: .sqs,
                filterPolicy: try FilterPolicy(
                    text: #"{"ip": ["10.1.2.3", "lo"]}"#)))
        let texts = [
            "10.1.2.3", "010.001.002.003", "10.1.2.300", "10.1.17.9", "10.1.2", "a01:203::1",
            "::ffff:10.1.2.3", "2001:db8::7", "192.168.7.7", "9.9.9.9", "lo", "10.1.2.3 ",
        ]
        var indexed: [Int] = []
        for text in texts {
            let view = try MessageView(
                attributes: [MessageAttribute(name: "ip", dataType: "String", value: text)],
                body: nil)
            topic.matchingSubscriptions(view, into: &indexed)
            #expect(indexed == topic.scanSubscriptions(view), "\(text)")
        }
        let padded = try MessageView(
            attributes: [MessageAttribute(name: "ip", dataType: "String", value: "010.001.002.003")], body: nil)
        #expect(topic.scanSubscriptions(padded) == [0, 1, 2, 4, 5, 8])
        let mapped = try MessageView(
            attributes: [MessageAttribute(name: "ip", dataType: "String", value: "a01:203::1")],
            body: nil)
        #expect(topic.scanSubscriptions(mapped).isEmpty, "an IPv4 block holds IPv4 addresses only")
    }

    @Test("removing subscriptions removes them from both the index and the scan")
    func unsubscribe() throws {
        var (topic, generator) = try buildTopic(subscriptions: 200, seed: 9)
        for id in stride(from: 0, to: 212, by: 3) { topic.unsubscribe(id) }
        var indexed: [Int] = []
        for _ in 0..<100 {
            let view = try MessageView(generator.nextMessage())
            topic.matchingSubscriptions(view, into: &indexed)
            #expect(indexed == topic.scanSubscriptions(view))
            #expect(indexed.allSatisfy { $0 % 3 != 0 })
        }
        #expect(topic.subscriptionCount == 212 - 71)
    }

    @Test("subscriptions without a policy receive every message, including non-JSON bodies")
    func unfilteredReceiveAll() throws {
        let topic = try Topic(name: "all")
        try topic.subscribe(SubscriptionConfiguration(deliveryProtocol: .email))
        try topic.subscribe(
            SubscriptionConfiguration(
                deliveryProtocol: .sqs, filterPolicy: try FilterPolicy(text: #"{"a": ["b"]}"#, scope: .messageBody)))
        #expect(try topic.publish(Message(body: "plain text")).deliveries == [0])
        #expect(try topic.publish(Message(body: #"{"a": "b"}"#)).deliveries == [0, 1])
    }

    @Test("raw delivery to SQS with more than 10 attributes is a client error, not a delivery")
    func rawDeliveryAttributeLimit() throws {
        let topic = try Topic(name: "raw")
        try topic.subscribe(SubscriptionConfiguration(deliveryProtocol: .sqs, rawMessageDelivery: true))
        try topic.subscribe(SubscriptionConfiguration(deliveryProtocol: .sqs))
        let attributes = (0..<11).map { MessageAttribute(name: "a\($0)", dataType: "String", value: "v") }
        let result = try topic.publish(Message(body: "x", attributes: attributes))
        #expect(result.deliveries == [1])
        #expect(result.clientErrors == [0])
        #expect(throws: TopicFanoutError.self) {
            try topic.subscribe(SubscriptionConfiguration(deliveryProtocol: .email, rawMessageDelivery: true))
        }
    }

    @Test("the filter-policy quota limits policies but not plain subscriptions")
    func policyQuota() throws {
        let topic = try Topic(name: "quota", filterPolicyQuota: 2)
        let policy = try FilterPolicy(text: #"{"a": ["b"]}"#)
        try topic.subscribe(SubscriptionConfiguration(deliveryProtocol: .sqs, filterPolicy: policy))
        try topic.subscribe(SubscriptionConfiguration(deliveryProtocol: .sqs, filterPolicy: policy))
        #expect(throws: TopicFanoutError.self) {
            try topic.subscribe(SubscriptionConfiguration(deliveryProtocol: .sqs, filterPolicy: policy))
        }
        try topic.subscribe(SubscriptionConfiguration(deliveryProtocol: .sqs))
        #expect(topic.subscriptionCount == 3)
    }

    @Test("the benchmark is deterministic for a seed and its index agrees with the scan")
    func benchmarkDeterministic() throws {
        let first = try FanoutBenchmark.run(subscriptions: 300, messages: 50, seed: 7)
        let second = try FanoutBenchmark.run(subscriptions: 300, messages: 50, seed: 7)
        let scan = try FanoutBenchmark.run(subscriptions: 300, messages: 50, seed: 7, scan: true)
        #expect(first.deliveries == second.deliveries)
        #expect(first.deliveries == scan.deliveries)
        #expect(
            FanoutBenchmark.Result.csvHeader.hasPrefix("subscriptions,messages,deliveries,seconds,messages_per_second"))
        #expect(first.csvRow.hasPrefix("300,50,\(first.deliveries),"))
    }
}
