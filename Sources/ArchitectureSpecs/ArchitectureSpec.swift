public import EventPatterns
public import SimulationKernel
public import Stochastics
public import TopicFanout

/// One design: named components wired as a graph, and where the workload enters it.
///
/// Components refer to each other by name; `ScenarioLoading` checks the wiring with located errors, and the
/// simulator resolves names to integer ids once before the run (rejecting bad wiring in specs built in code).
public struct ArchitectureSpec: Sendable {
    public var name: String
    /// The component that receives producers' events: a bus, topic, queue, function or endpoint.
    public var eventsEntry: String?
    public var buses: [BusSpec]
    public var topics: [TopicSpec]
    public var queues: [QueueSpec]
    public var functions: [FunctionSpec]
    public var endpoints: [EndpointSpec]
    public var streams: [StreamSpec]

    public init(
        name: String, eventsEntry: String?, buses: [BusSpec] = [], topics: [TopicSpec] = [],
        queues: [QueueSpec] = [], functions: [FunctionSpec] = [], endpoints: [EndpointSpec] = [],
        streams: [StreamSpec] = []
    ) {
        self.name = name
        self.eventsEntry = eventsEntry
        self.buses = buses
        self.topics = topics
        self.queues = queues
        self.functions = functions
        self.endpoints = endpoints
        self.streams = streams
    }

    /// Every component name, in declaration order per kind.
    public var componentNames: [String] {
        buses.map(\.name) + topics.map(\.name) + queues.map(\.name) + functions.map(\.name)
            + endpoints.map(\.name) + streams.map(\.name)
    }
}

/// An event bus: PutEvents quota, a latency profile, rules with targets, retries and a dead-letter queue.
public struct BusSpec: Sendable {
    public var name: String
    /// Publish-to-invocation latency, seconds (profile `eventbridge-classic` or `eventbridge-2024`, figures.md §8).
    public var latency: Distribution
    /// PutEvents requests per second (us-east-1: 10,000; figures.md §1.1, eb-quota.html L-9B653E91).
    public var putEventsRate: Double
    /// Entries a producer batches into one PutEvents request (1…10).
    public var entriesPerRequest: Int
    /// Target invocations per second (us-east-1: 18,750; L-5540C5E3); excess is delayed, not dropped.
    public var invocationRate: Double
    /// Times a producer's SDK retries a throttled PutEvents before giving up (the entry is then dropped).
    public var producerRetries: Int
    public var rules: [RuleSpec]
    public var retry: RouterRetrySpec
    /// Whether targets have a dead-letter queue (else exhausted events are dropped).
    public var deadLetterQueue: Bool

    public init(
        name: String, latency: Distribution, putEventsRate: Double = 10_000, entriesPerRequest: Int = 1,
        invocationRate: Double = 18_750, producerRetries: Int = 3, rules: [RuleSpec],
        retry: RouterRetrySpec = .eventBridgeDefault, deadLetterQueue: Bool = true
    ) {
        self.name = name
        self.latency = latency
        self.putEventsRate = putEventsRate
        self.entriesPerRequest = entriesPerRequest
        self.invocationRate = invocationRate
        self.producerRetries = producerRetries
        self.rules = rules
        self.retry = retry
        self.deadLetterQueue = deadLetterQueue
    }
}

/// A rule: an event pattern or a schedule, and up to five targets.
public struct RuleSpec: Sendable {
    public var name: String
    /// The real event pattern (validated); nil for a scheduled rule.
    public var pattern: EventPattern?
    /// A `rate(…)` or `cron(…)` schedule; nil for a pattern rule.
    public var schedule: ScheduleExpression?
    /// Target component names (1…5).
    public var targets: [String]

    public init(name: String, pattern: EventPattern? = nil, schedule: ScheduleExpression? = nil, targets: [String]) {
        self.name = name
        self.pattern = pattern
        self.schedule = schedule
        self.targets = targets
    }
}

/// How a router (bus) retries failed deliveries: exponential backoff with jitter, bounded by attempts and age.
public struct RouterRetrySpec: Sendable, Equatable {
    /// Retries after the first attempt (EventBridge: 0…185, default 185).
    public var maximumAttempts: Int
    /// Oldest age at which an event is still retried, nanoseconds (EventBridge: 60 s…24 h, default 24 h).
    public var maximumEventAge: SimTime
    /// First backoff delay and the cap, nanoseconds.
    public var initialDelay: SimTime
    public var maximumDelay: SimTime

    public init(maximumAttempts: Int, maximumEventAge: SimTime, initialDelay: SimTime, maximumDelay: SimTime) {
        self.maximumAttempts = maximumAttempts
        self.maximumEventAge = maximumEventAge
        self.initialDelay = initialDelay
        self.maximumDelay = maximumDelay
    }

    /// EventBridge's default: 185 attempts over 24 h with exponential backoff and jitter
    /// (eb-rule-retry-policy.html, figures.md §1.3). The 1 s start and 5 min cap are our assumption.
    public static let eventBridgeDefault = RouterRetrySpec(
        maximumAttempts: 185, maximumEventAge: 86_400 * 1_000_000_000, initialDelay: 1_000_000_000,
        maximumDelay: 300 * 1_000_000_000)
}

/// A topic: standard or FIFO, a latency profile, the publish quota, and subscriptions with filter policies.
public struct TopicSpec: Sendable {
    public var name: String
    public var fifo: Bool
    /// Publish-to-delivery latency, seconds (`sns-standard`: p50 73 ms, p99 225 ms; figures.md §8).
    public var latency: Distribution
    /// Publishes per second (us-east-1 standard: 30,000; figures.md §2.1).
    public var publishRate: Double
    /// Times the publisher's SDK retries a throttled publish.
    public var publisherRetries: Int
    /// Message attributes taken from the event: attribute name → dotted path into the event envelope.
    public var messageAttributes: [(name: String, path: String)]
    /// For FIFO topics: the event path whose value is the message group id.
    public var messageGroupPath: String?
    public var subscriptions: [SubscriptionSpec]

    public init(
        name: String, fifo: Bool = false, latency: Distribution, publishRate: Double = 30_000,
        publisherRetries: Int = 3, messageAttributes: [(name: String, path: String)] = [],
        messageGroupPath: String? = nil, subscriptions: [SubscriptionSpec]
    ) {
        self.name = name
        self.fifo = fifo
        self.latency = latency
        self.publishRate = publishRate
        self.publisherRetries = publisherRetries
        self.messageAttributes = messageAttributes
        self.messageGroupPath = messageGroupPath
        self.subscriptions = subscriptions
    }
}

/// A subscription: protocol, endpoint component (or an external sink), an optional real filter policy.
public struct SubscriptionSpec: Sendable {
    public var name: String
    public var deliveryProtocol: DeliveryProtocol
    /// The component that receives deliveries (a function for lambda, a queue for sqs, an endpoint for http/s);
    /// nil for external sinks (email, sms, push), which accept every delivery at their protocol's rate.
    public var target: String?
    public var filterPolicy: FilterPolicy?
    public var deadLetterQueue: Bool
    /// HTTP/S delivery policy; nil for the default (3 retries 20 s apart).
    public var httpPolicy: HTTPDeliveryPolicy?

    public init(
        name: String, deliveryProtocol: DeliveryProtocol, target: String?, filterPolicy: FilterPolicy? = nil,
        deadLetterQueue: Bool = true, httpPolicy: HTTPDeliveryPolicy? = nil
    ) {
        self.name = name
        self.deliveryProtocol = deliveryProtocol
        self.target = target
        self.filterPolicy = filterPolicy
        self.deadLetterQueue = deadLetterQueue
        self.httpPolicy = httpPolicy
    }
}
