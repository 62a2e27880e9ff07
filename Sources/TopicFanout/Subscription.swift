/// The endpoint type of a subscription, with SNS's protocol names as raw values.
public enum DeliveryProtocol: String, Sendable, Equatable, CaseIterable {
    case lambda, sqs, http, https, email, emailJSON = "email-json", sms, application, firehose

    /// Whether AWS manages the endpoint (SQS, Lambda, Firehose), which selects the long fixed retry policy.
    public var isAWSManaged: Bool { self == .sqs || self == .lambda || self == .firehose }

    /// Whether the subscription may enable raw message delivery (SQS, Firehose, HTTP/S).
    public var supportsRawDelivery: Bool { self == .sqs || self == .firehose || self == .http || self == .https }

    /// Whether the protocol takes a custom HTTP/S delivery policy.
    public var isHTTP: Bool { self == .http || self == .https }
}

/// A subscription's dead-letter queue (`RedrivePolicy`): an SQS queue that receives messages that failed with a
/// client error or exhausted the retry policy.
public struct RedrivePolicy: Sendable, Equatable {
    /// `deadLetterTargetArn`, `arn:aws:sqs:REGION:ACCOUNT:NAME`.
    public let deadLetterTargetArn: String
    /// Whether the queue is a FIFO queue (its name ends in `.fifo`).
    public var isFIFOQueue: Bool { deadLetterTargetArn.hasSuffix(".fifo") }

    /// Creates a redrive policy.
    /// - Throws: `TopicFanoutError` (`.invalidConfiguration`) when the ARN is not an SQS queue ARN.
    public init(deadLetterTargetArn: String) throws(TopicFanoutError) {
        let parts = deadLetterTargetArn.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn", parts[2] == "sqs", !parts[3].isEmpty, !parts[5].isEmpty else {
            throw .configuration(
                "redrivePolicy.deadLetterTargetArn",
                "'\(deadLetterTargetArn)' is not an SQS queue ARN (arn:aws:sqs:REGION:ACCOUNT:NAME)")
        }
        self.deadLetterTargetArn = deadLetterTargetArn
    }
}

/// The configuration of one subscription: endpoint, filter policy, raw delivery, redrive and delivery policies.
public struct SubscriptionConfiguration: Sendable {
    /// The endpoint type.
    public var deliveryProtocol: DeliveryProtocol
    /// The endpoint (queue ARN, function ARN, URL, address, …); informational for the simulator.
    public var endpoint: String
    /// The filter policy with its scope, or nil to receive every message.
    public var filterPolicy: FilterPolicy?
    /// `RawMessageDelivery`: the body is delivered without SNS's JSON envelope (SQS, Firehose, HTTP/S only).
    public var rawMessageDelivery: Bool
    /// The dead-letter queue, if any.
    public var redrivePolicy: RedrivePolicy?
    /// The HTTP/S delivery policy (nil: the topic's, else the default). Only HTTP/S subscriptions may set one.
    public var deliveryPolicy: HTTPDeliveryPolicy?

    /// Creates a configuration; `Topic.subscribe` validates it against the topic.
    public init(
        deliveryProtocol: DeliveryProtocol, endpoint: String = "", filterPolicy: FilterPolicy? = nil,
        rawMessageDelivery: Bool = false, redrivePolicy: RedrivePolicy? = nil,
        deliveryPolicy: HTTPDeliveryPolicy? = nil
    ) {
        self.deliveryProtocol = deliveryProtocol
        self.endpoint = endpoint
        self.filterPolicy = filterPolicy
        self.rawMessageDelivery = rawMessageDelivery
        self.redrivePolicy = redrivePolicy
        self.deliveryPolicy = deliveryPolicy
    }

    /// The retry policy for this subscription's deliveries after server-side errors.
    /// - Parameters:
    ///   - topicPolicy: the topic-level HTTP/S delivery policy, if any (used by HTTP/S subscriptions without one).
    ///   - throttled: whether the failure was a Firehose throttling error (those follow the customer-managed policy).
    public func retryPolicy(topicPolicy: HTTPDeliveryPolicy? = nil, throttled: Bool = false) -> RetryPolicy {
        if deliveryProtocol.isHTTP { return (deliveryPolicy ?? topicPolicy ?? .standard).retry }
        if deliveryProtocol == .firehose && throttled { return .customerManaged }
        return deliveryProtocol.isAWSManaged ? .awsManaged : .customerManaged
    }

    /// Checks the settings that do not depend on the topic.
    func validate() throws(TopicFanoutError) {
        if rawMessageDelivery && !deliveryProtocol.supportsRawDelivery {
            throw .configuration(
                "subscription.RawMessageDelivery",
                "raw message delivery is only available for sqs, firehose, http and https subscriptions, "
                    + "not \(deliveryProtocol.rawValue)")
        }
        if deliveryPolicy != nil && !deliveryProtocol.isHTTP {
            throw .configuration(
                "subscription.DeliveryPolicy",
                "a delivery policy can only be set on http and https subscriptions, not \(deliveryProtocol.rawValue)")
        }
    }
}
