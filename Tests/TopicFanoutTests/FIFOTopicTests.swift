import Testing
import TopicFanout

@Suite("FIFO topics")
struct FIFOTopicTests {
    let second = RetryPolicy.second

    func fifoTopic(contentBased: Bool = false, scope: FIFOThroughputScope = .topic) throws -> Topic {
        let topic = try Topic(
            name: "orders.fifo",
            kind: .fifo(FIFOSettings(contentBasedDeduplication: contentBased, throughputScope: scope)))
        try topic.subscribe(
            SubscriptionConfiguration(deliveryProtocol: .sqs, endpoint: "arn:aws:sqs:us-east-1:1:q.fifo"))
        return topic
    }

    @Test("SHA-256 matches the FIPS 180-4 test vectors")
    func sha256Vectors() {
        #expect(SHA256.hexDigest("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hexDigest("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(
            SHA256.hexDigest("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(
            SHA256.hexDigest(String(repeating: "a", count: 1000))
                == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }

    @Test("a repeated deduplication id inside five minutes is accepted but not delivered")
    func explicitDeduplication() throws {
        let topic = try fifoTopic()
        let first = try topic.publish(Message(body: "a", messageGroupId: "g", messageDeduplicationId: "d1"), at: 0)
        #expect(first.deliveries == [0] && first.sequenceNumber == 1)
        let repeatInside = try topic.publish(
            Message(body: "b", messageGroupId: "g", messageDeduplicationId: "d1"),
            at: 299 * second)
        #expect(repeatInside.isDuplicate && repeatInside.deliveries.isEmpty)
        let repeatAfter = try topic.publish(
            Message(body: "c", messageGroupId: "g", messageDeduplicationId: "d1"),
            at: 300 * second)
        #expect(!repeatAfter.isDuplicate && repeatAfter.deliveries == [0] && repeatAfter.sequenceNumber == 2)
    }

    @Test("content-based deduplication hashes the body, not the attributes; an explicit id overrides it")
    func contentBasedDeduplication() throws {
        let topic = try fifoTopic(contentBased: true)
        let attribute = MessageAttribute(name: "k", dataType: "String", value: "1")
        #expect(try !topic.publish(Message(body: "same", messageGroupId: "g"), at: 0).isDuplicate)
        #expect(
            try topic.publish(Message(body: "same", attributes: [attribute], messageGroupId: "g"), at: 1).isDuplicate)
        #expect(try !topic.publish(Message(body: "other", messageGroupId: "g"), at: 2).isDuplicate)
        #expect(
            try !topic.publish(Message(body: "same", messageGroupId: "g", messageDeduplicationId: "x"), at: 3)
                .isDuplicate)
    }

    @Test("deduplication is per message group with MessageGroup scope and topic-wide with Topic scope")
    func deduplicationScope() throws {
        let perGroup = try fifoTopic(scope: .messageGroup)
        #expect(
            try !perGroup.publish(Message(body: "a", messageGroupId: "g1", messageDeduplicationId: "d"), at: 0)
                .isDuplicate)
        #expect(
            try !perGroup.publish(Message(body: "a", messageGroupId: "g2", messageDeduplicationId: "d"), at: 1)
                .isDuplicate)
        let topicWide = try fifoTopic(scope: .topic)
        #expect(
            try !topicWide.publish(Message(body: "a", messageGroupId: "g1", messageDeduplicationId: "d"), at: 0)
                .isDuplicate)
        #expect(
            try topicWide.publish(Message(body: "a", messageGroupId: "g2", messageDeduplicationId: "d"), at: 1)
                .isDuplicate)
    }

    @Test("FIFO publishes need a group id and a deduplication id or content-based deduplication")
    func requiredIdentifiers() throws {
        let topic = try fifoTopic()
        #expect(throws: TopicFanoutError.self) { try topic.publish(Message(body: "a", messageDeduplicationId: "d")) }
        #expect(throws: TopicFanoutError.self) { try topic.publish(Message(body: "a", messageGroupId: "g")) }
        #expect(throws: TopicFanoutError.self) {
            try topic.publish(Message(body: "a", messageGroupId: "bad id", messageDeduplicationId: "d"))
        }
        let standard = try Topic(name: "plain")
        #expect(throws: TopicFanoutError.self) { try standard.publish(Message(body: "a", messageGroupId: "g")) }
    }

    @Test("a message group is throttled above 300 messages per second, other groups are not")
    func groupThroughput() throws {
        let topic = try fifoTopic(scope: .messageGroup)
        for index in 0..<300 {
            _ = try topic.publish(
                Message(body: "\(index)", messageGroupId: "hot", messageDeduplicationId: "\(index)"),
                at: 0)
        }
        do {
            _ = try topic.publish(Message(body: "x", messageGroupId: "hot", messageDeduplicationId: "x"), at: 0)
            Issue.record("the 301st message in one second must be throttled")
        } catch {
            #expect(error.kind == .throttled)
        }
        #expect(
            try !topic.publish(Message(body: "y", messageGroupId: "cold", messageDeduplicationId: "y"), at: 0)
                .isDuplicate)
        // After a tenth of a second, 30 more tokens are back.
        #expect(
            try topic.publish(
                Message(body: "z", messageGroupId: "hot", messageDeduplicationId: "z"),
                at: second / 10
            ).sequenceNumber != nil)
    }

    @Test("the topic is throttled above 3,000 messages per second with Topic scope")
    func topicThroughput() throws {
        let topic = try fifoTopic(scope: .topic)
        var throttled = 0
        for index in 0..<3_100 {
            do {
                _ = try topic.publish(
                    Message(
                        body: "\(index)", messageGroupId: "g\(index % 20)",
                        messageDeduplicationId: "\(index)"), at: 0)
            } catch {
                #expect(error.kind == .throttled)
                throttled += 1
            }
        }
        #expect(throttled == 100)
    }

    @Test("sequence numbers increase in publish order and messages of a group leave one at a time in order")
    func groupOrdering() throws {
        let topic = try fifoTopic()
        var queue = GroupOrderedQueue<Int>()
        let groups = ["a", "b", "a", "c", "a", "b"]
        var last = 0
        for (index, group) in groups.enumerated() {
            let result = try topic.publish(
                Message(
                    body: "\(index)", messageGroupId: group,
                    messageDeduplicationId: "\(index)"), at: Int64(index))
            let sequence = try #require(result.sequenceNumber)
            #expect(sequence > last)
            last = sequence
            queue.enqueue(index, group: group)
        }
        // One message per group is in flight; the second "a" waits for the first to complete.
        let first = queue.next()
        let second = queue.next()
        let third = queue.next()
        #expect([first?.element, second?.element, third?.element] == [0, 1, 3])
        #expect(queue.next() == nil)
        queue.complete(group: "a")
        #expect(queue.next()?.element == 2)
        queue.complete(group: "b")
        queue.complete(group: "a")
        #expect(queue.next()?.element == 5)
        #expect(queue.next()?.element == 4)
        #expect(queue.count == 0)
    }

    @Test("FIFO topics accept only SQS subscribers, at most 100, with FIFO dead-letter queues")
    func fifoSubscribers() throws {
        let topic = try fifoTopic()
        #expect(throws: TopicFanoutError.self) {
            try topic.subscribe(SubscriptionConfiguration(deliveryProtocol: .lambda))
        }
        #expect(throws: TopicFanoutError.self) {
            try topic.subscribe(
                SubscriptionConfiguration(
                    deliveryProtocol: .sqs,
                    redrivePolicy: try RedrivePolicy(deadLetterTargetArn: "arn:aws:sqs:us-east-1:1:dlq")))
        }
        try topic.subscribe(
            SubscriptionConfiguration(
                deliveryProtocol: .sqs,
                redrivePolicy: try RedrivePolicy(deadLetterTargetArn: "arn:aws:sqs:us-east-1:1:dlq.fifo")))
        for _ in 2..<100 { try topic.subscribe(SubscriptionConfiguration(deliveryProtocol: .sqs)) }
        #expect(throws: TopicFanoutError.self) {
            try topic.subscribe(SubscriptionConfiguration(deliveryProtocol: .sqs))
        }
        #expect(throws: TopicFanoutError.self) { try Topic(name: "orders", kind: .fifo(FIFOSettings())) }
        #expect(throws: TopicFanoutError.self) { try Topic(name: "orders.fifo") }
    }
}
