import EventPatterns
import Testing
import TopicFanout

/// Differential tests of the shared anchors (one machine rule per distinct anchor, with a posting of
/// subscriptions) and of the interned, memoised policy terms, against a plain scan of every policy.
@Suite("Shared anchors and interned terms against a plain scan")
struct SharedAnchorTests {
    /// Policies that share anchors and terms in both scopes, including a term whose key path crosses arrays of
    /// objects and `$or` paths that share an anchor.
    static let policies: [(String, FilterPolicyScope)] = [
        (#"{"tenant": ["t1"]}"#, .messageAttributes),
        (#"{"tenant": ["t1"], "region": ["us-east-1", "eu-west-1"]}"#, .messageAttributes),
        (#"{"tenant": ["t1"], "region": ["eu-west-1", "us-east-1"]}"#, .messageAttributes),
        (#"{"tenant": ["t1", "t2"], "priority": [{"exists": true}]}"#, .messageAttributes),
        (#"{"tenant": ["t1"]}"#, .messageBody),
        (#"{"customer": {"id": ["t1"]}, "channel": ["web"]}"#, .messageBody),
        (#"{"customer": {"id": ["t1"]}, "order": {"items": {"qty": [{"numeric": [">", 4]}]}}}"#, .messageBody),
        (#"{"$or": [{"tenant": ["t1"]}, {"tenant": ["t1"], "region": ["us-east-1"]}]}"#, .messageAttributes),
        (
            #"{"$or": [{"tenant": ["t2"]}, {"sku": [{"prefix": "sku-1-"}]}], "debug": [{"exists": false}]}"#,
            .messageAttributes
        ),
        (#"{"order": {"items": {"sku": [{"prefix": "sku-1-"}], "qty": [1, 2, 3]}}}"#, .messageBody),
        (#"{"order": {"items": {"sku": [{"prefix": "sku-1-"}]}}, "gift": [false]}"#, .messageBody),
    ]

    /// A topic with `copies` subscriptions of each of `policies`.
    func makeTopic(copies: Int) throws -> Topic {
        let topic = try Topic(name: "shared", filterPolicyQuota: .max)
        try subscribeAll(topic, copies: copies)
        return topic
    }

    func subscribeAll(_ topic: Topic, copies: Int) throws {
        for _ in 0..<copies {
            for (text, scope) in Self.policies {
                try topic.subscribe(
                    SubscriptionConfiguration(
                        deliveryProtocol: .sqs, filterPolicy: try FilterPolicy(text: text, scope: scope)))
            }
        }
    }

    func expectAgreement(_ topic: Topic, seed: UInt64, messages: Int) throws -> Int {
        var generator = WorkloadGenerator(seed: seed, tenants: 3)
        var indexed: [Int] = []
        var matched = 0
        for _ in 0..<messages {
            let view = try MessageView(generator.nextMessage())
            topic.matchingSubscriptions(view, into: &indexed)
            let scanned = topic.scanSubscriptions(view)
            #expect(indexed == scanned)
            matched += scanned.count
        }
        return matched
    }

    @Test("identical policies share anchors and terms and still agree with the scan")
    func sharedAgree() throws {
        let topic = try makeTopic(copies: 3)
        #expect(try expectAgreement(topic, seed: 4, messages: 300) > 300)
    }

    @Test("removing every subscription of an anchor, then subscribing again, keeps the index exact")
    func anchorsDroppedAndReadded() throws {
        let topic = try makeTopic(copies: 2)
        for id in 0..<(2 * Self.policies.count) where id % 2 == 0 || id < Self.policies.count { topic.unsubscribe(id) }
        _ = try expectAgreement(topic, seed: 5, messages: 200)
        for id in 0..<(2 * Self.policies.count) { topic.unsubscribe(id) }
        #expect(try expectAgreement(topic, seed: 6, messages: 50) == 0)
        try subscribeAll(topic, copies: 1)
        #expect(try expectAgreement(topic, seed: 7, messages: 300) > 0)
    }

    @Test("a body-scope policy never matches a message whose body is not a JSON object")
    func bodyScopeWithoutBody() throws {
        let topic = try makeTopic(copies: 1)
        let attributes = [MessageAttribute(name: "tenant", dataType: "String", value: "t1")]
        let view = try MessageView(attributes: attributes, bodyText: "plain text")
        var indexed: [Int] = []
        topic.matchingSubscriptions(view, into: &indexed)
        #expect(indexed == topic.scanSubscriptions(view))
        #expect(indexed == [0, 7])
    }
}
