/// What a publish did.
public struct PublishResult: Sendable, Equatable {
    /// The FIFO sequence number; nil on standard topics and for duplicates.
    public var sequenceNumber: Int?
    /// Whether the message repeated a deduplication id inside the window (accepted, delivered to nobody).
    public var isDuplicate: Bool
    /// The subscriptions the message is delivered to, ascending ids.
    public var deliveries: [Int]
    /// Subscriptions that passed the filter but cannot take the message (a client error: it goes to their
    /// dead-letter queue if they have one). Today: raw delivery to SQS with more than 10 attributes.
    public var clientErrors: [Int]
}

/// An SNS topic: standard or FIFO, with its subscriptions and their filter-policy index.
///
/// Not thread-safe (the simulator owns it); subscription ids are dense integers in subscription order.
public final class Topic {
    /// The kind of topic.
    public enum Kind: Sendable, Equatable {
        case standard
        case fifo(FIFOSettings)
    }

    public let name: String
    public let kind: Kind
    /// The topic-level HTTP/S delivery policy (used by HTTP/S subscriptions without their own).
    public let deliveryPolicy: HTTPDeliveryPolicy?
    /// The filter-policy quota per topic (200 by default in the service; adjustable).
    public let filterPolicyQuota: Int
    /// The subscription quota: 12,500,000 per standard topic, 100 per FIFO topic.
    public var subscriptionQuota: Int { isFIFO ? 100 : 12_500_000 }

    /// Subscriptions by id; nil once unsubscribed.
    public private(set) var subscriptions: [SubscriptionConfiguration?] = []
    private let index = SubscriptionIndex()
    private var fifoState: FIFOTopicState?
    private var activeCount = 0
    private var policyCount = 0
    private var scratch: [Int] = []
    /// Ids of active subscriptions with raw delivery to SQS (they refuse messages with more than 10 attributes).
    private var rawSQS: Set<Int> = []

    public var isFIFO: Bool { if case .fifo = kind { true } else { false } }
    /// The number of active subscriptions.
    public var subscriptionCount: Int { activeCount }
    /// The number of active subscriptions whose policy the index cannot pre-select (checked on every message).
    public var unindexedPolicyCount: Int { index.scannedCount }

    /// Creates a topic.
    /// - Throws: `TopicFanoutError` (`.invalidConfiguration`) for a bad name (1-256 letters, digits, `-`, `_`;
    ///   FIFO names end in `.fifo`, standard names must not).
    public init(
        name: String, kind: Kind = .standard, deliveryPolicy: HTTPDeliveryPolicy? = nil, filterPolicyQuota: Int = 200
    ) throws(TopicFanoutError) {
        let isFIFO: Bool
        if case .fifo = kind { isFIFO = true } else { isFIFO = false }
        let stem = isFIFO && name.hasSuffix(".fifo") ? String(name.dropLast(5)) : name
        guard !stem.isEmpty, name.utf8.count <= 256,
            stem.allSatisfy({ ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "-" || $0 == "_" })
        else {
            throw .configuration(
                "topic '\(name)'",
                "topic names are 1 to 256 letters, digits, hyphens and underscores"
                    + (isFIFO ? ", followed by .fifo" : ""))
        }
        guard isFIFO == name.hasSuffix(".fifo") else {
            throw .configuration(
                "topic '\(name)'",
                isFIFO
                    ? "a FIFO topic's name must end in .fifo"
                    : "only FIFO topics may have a name ending in .fifo")
        }
        self.name = name
        self.kind = kind
        self.deliveryPolicy = deliveryPolicy
        self.filterPolicyQuota = filterPolicyQuota
        if case .fifo(let settings) = kind { fifoState = FIFOTopicState(settings: settings) }
    }

    /// Adds a subscription and returns its id.
    /// - Throws: `TopicFanoutError` (`.invalidConfiguration`): settings the protocol does not allow, a non-SQS
    ///   subscriber or a standard dead-letter queue on a FIFO topic, a full topic, or the filter-policy quota.
    /// - Complexity: O(policy size) plus the index's insertion cost.
    @discardableResult
    public func subscribe(_ configuration: SubscriptionConfiguration) throws(TopicFanoutError) -> Int {
        try configuration.validate()
        if isFIFO {
            guard configuration.deliveryProtocol == .sqs else {
                throw .configuration(
                    "subscription",
                    "FIFO topics only deliver to SQS queues, not "
                        + configuration.deliveryProtocol.rawValue)
            }
            if let redrive = configuration.redrivePolicy, !redrive.isFIFOQueue {
                throw .configuration(
                    "subscription.RedrivePolicy",
                    "a FIFO topic's subscription needs a FIFO "
                        + "dead-letter queue, got \(redrive.deadLetterTargetArn)")
            }
        } else if let redrive = configuration.redrivePolicy, redrive.isFIFOQueue {
            throw .configuration(
                "subscription.RedrivePolicy",
                "a standard topic's subscription needs a standard "
                    + "dead-letter queue, got \(redrive.deadLetterTargetArn)")
        }
        guard activeCount < subscriptionQuota else {
            throw .configuration("topic '\(name)'", "the topic already has \(activeCount) subscriptions, its limit")
        }
        if configuration.filterPolicy != nil {
            guard policyCount < filterPolicyQuota else {
                throw .configuration(
                    "subscription.FilterPolicy",
                    "the topic already has \(policyCount) filter policies, its quota of \(filterPolicyQuota)")
            }
            policyCount += 1
        }
        let id = subscriptions.count
        subscriptions.append(configuration)
        index.add(id: id, policy: configuration.filterPolicy)
        if configuration.rawMessageDelivery && configuration.deliveryProtocol == .sqs { rawSQS.insert(id) }
        activeCount += 1
        return id
    }

    /// Removes a subscription; unknown or removed ids are ignored.
    public func unsubscribe(_ id: Int) {
        guard id >= 0, id < subscriptions.count, let configuration = subscriptions[id] else { return }
        if configuration.filterPolicy != nil { policyCount -= 1 }
        subscriptions[id] = nil
        rawSQS.remove(id)
        index.remove(id: id)
        activeCount -= 1
    }

    /// Publishes a message at time `now` (nanoseconds, non-decreasing) and fans it out.
    /// - Throws: `TopicFanoutError`: `.invalidMessage` (size, attributes, FIFO fields) or `.throttled` (FIFO quotas).
    /// - Complexity: the index's match cost (see `SubscriptionIndex`), not a scan of all subscriptions.
    public func publish(_ message: Message, at now: Int64 = 0) throws(TopicFanoutError) -> PublishResult {
        guard message.size <= Message.maximumSize else {
            throw .message("message", "the message is \(message.size) bytes, more than the 262144-byte limit")
        }
        var sequence: Int?
        if fifoState == nil {
            if message.messageGroupId != nil || message.messageDeduplicationId != nil {
                throw .message("message", "MessageGroupId and MessageDeduplicationId are only for FIFO topics")
            }
        }
        let view = try MessageView(message)
        if var state = fifoState {
            let admission = try state.admit(message, at: now)
            fifoState = state
            guard case .accepted(let number) = admission else {
                return PublishResult(sequenceNumber: nil, isDuplicate: true, deliveries: [], clientErrors: [])
            }
            sequence = number
        }
        matchingSubscriptions(view, into: &scratch)
        guard message.attributes.count > 10, !rawSQS.isEmpty else {
            return PublishResult(sequenceNumber: sequence, isDuplicate: false, deliveries: scratch, clientErrors: [])
        }
        var deliveries: [Int] = []
        var clientErrors: [Int] = []
        deliveries.reserveCapacity(scratch.count)
        for id in scratch {
            if rawSQS.contains(id) { clientErrors.append(id) } else { deliveries.append(id) }
        }
        return PublishResult(
            sequenceNumber: sequence, isDuplicate: false, deliveries: deliveries, clientErrors: clientErrors)
    }

    /// The ids of the subscriptions whose filter passes the message, ascending, into `result` (cleared first).
    public func matchingSubscriptions(_ view: MessageView, into result: inout [Int]) {
        index.matches(view, into: &result)
    }

    /// The same answer as `matchingSubscriptions` by checking every subscription's policy in turn: the reference
    /// the index is tested against, and the baseline of the benchmark.
    /// - Complexity: O(subscriptions x policy size).
    public func scanSubscriptions(_ view: MessageView) -> [Int] {
        index.scan(view)
    }
}
