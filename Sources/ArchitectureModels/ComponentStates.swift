import ArchitectureSpecs
import DequeModule
import EventPatterns
import SimulationKernel
import Stochastics
import TopicFanout

/// A producer as one architecture reads it: its place in the shared ``Workload``.
struct ProducerState {
    let spec: ProducerSpec
    /// The index of the producer's next arrival in the workload.
    var next = 0
    /// Table producers: the index of the stream of their table.
    var stream: Int?
}

/// An event bus: quotas, the compiled rule machine and rule targets.
struct BusState {
    let spec: BusSpec
    let stream: RandomStream
    var putQuota: TokenBucket
    var invocationQuota: Pacer
    let machine: RuleMachine
    /// Every rule's targets, rule after rule (by rule index = rule id in the machine): rule `r`'s are
    /// `ruleTargets[ruleTargetStarts[r] ..< ruleTargetStarts[r + 1]]`. Flat, so routing a matched rule reads
    /// elements, where an array per rule was retained and released for every rule an event matched.
    let ruleTargets: [ComponentRef]
    let ruleTargetStarts: [Int]

    /// Where rule `rule`'s targets lie in ``ruleTargets``.
    @inline(__always) func targetPositions(ofRule rule: Int) -> Range<Int> {
        ruleTargetStarts[rule]..<ruleTargetStarts[rule + 1]
    }
    /// By producer: the machine's plan for the member layout of the producer's events (nil for table producers).
    let plans: [RuleMachine.MemberPlan?]
    /// By producer: the members the plan reads, each with whether its part of the cache key is its value's
    /// numeric class (`RuleMachine.numericClass(of:plan:member:)`: members only `numeric` ranges test, such as
    /// amounts, so that the cache keeps hitting when every event has a different amount) or its text; and
    /// matching outcomes by those parts (the rules do not change during a run, so the outcome is a function of
    /// them); each producer's cache turns itself off when its events rarely repeat them (random ids). One array
    /// per producer: reading it retains it once per event.
    let planMembers: [[PlanMember]]
    let matchCaches: [TopicMatchCache]
}

/// A member a bus's plan reads, and whether the match cache keys it by its numeric class.
struct PlanMember {
    var member: Int32
    var numeric: Bool
}

/// A topic: the real fan-out index, subscription targets and retry policies, the publish quota.
struct TopicState {
    let spec: TopicSpec
    let stream: RandomStream
    let topic: Topic
    var publishQuota: TokenBucket
    /// FIFO topics: deduplication window and per-group/per-topic throughput limits.
    var fifo: FIFOTopicState?
    /// By subscription id (as returned by `Topic.subscribe`): the spec index, target and retry policy.
    let subscriptionIndex: [Int32]
    let subscriptionTargets: [ComponentRef]
    let retryPolicies: [RetryPolicy]
    /// `spec.messageAttributes` with each dotted path split once, not per publish.
    let attributePaths: [(name: String, path: [String])]
    /// The same paths, prepared for finding all their values in an event's text in one pass.
    let attributeLookup: JSONTextPaths
    /// By producer, then attribute path: the member of the layout of the producer's events that holds the
    /// attribute's value (`JSONTextPaths.slots(in:)`; -1: none), flat, valid for producers whose
    /// `attributeSlotsKnown` (otherwise the text is scanned).
    let attributeSlots: [Int32]
    let attributeSlotsKnown: [Bool]
    /// By subscription id: which usage counter a delivery adds to.
    let subscriptionBilling: [DeliveryBilling]
    /// Whether the attribute names are valid and distinct (checked once here, not per message; when they are
    /// not, each message is checked and the invalid ones are filtered out as before).
    let attributeNamesChecked: Bool
    /// Filtering outcomes by attribute values (standard topics whose policies all look at attributes only).
    let matchCache: TopicMatchCache
    /// By attribute path: the endpoints of every subscription's numeric tests of the attribute, when all its tests
    /// are numeric (`FilterPolicy.numericEndpoints(ofAttribute:)`), else nil. A valid `Number` value of such an
    /// attribute is keyed in the match cache by its slot among them, so that prices or amounts that all differ
    /// still hit the cache; other values by their texts.
    let attributeEndpoints: [[Double]?]
    /// Whether any attribute has endpoints (the common topic has none and keys every value by its text).
    let classesAttributes: Bool
    /// `spec.messageGroupPath`, split.
    let groupPath: [String]?
    /// Whether a subscription's filter policy looks at the message body (then each message's body is parsed for
    /// the views; otherwise the views go without it, which no attribute policy reads).
    let readsBodies: Bool
}

/// The usage counter a topic delivery adds to, by protocol (Lambda, SQS and Firehose deliveries are not billed
/// as deliveries).
enum DeliveryBilling {
    case none, http, email, other

    init(_ deliveryProtocol: DeliveryProtocol) {
        switch deliveryProtocol {
        case .http, .https: self = .http
        case .email, .emailJSON: self = .email
        case .sms, .application: self = .other
        case .lambda, .sqs, .firehose: self = .none
        }
    }
}

/// What a function invocation works on.
enum WorkItem {
    case async(Int32)
    case queueBatch(queue: Int32, batch: Int32)
    case streamBatch(stream: Int32, batch: Int32)
}

/// A running invocation.
struct Invocation {
    var item: WorkItem
    var start: SimTime
    var processingStart: SimTime
    var fails: Bool
}

/// A Lambda-style function: execution environments, concurrency limit, scaling rate, an asynchronous queue.
struct FunctionState {
    let spec: FunctionSpec
    let stream: RandomStream
    let sink: Int
    var environments = 0
    var idle = 0
    var busy = 0
    var pending = Deque<WorkItem>()
    var scaling: TokenBucket
    var wakeScheduled = false
    var invocations = Slab<Invocation>()
    /// Completions of this function held in the architecture's ``PendingCompletions`` (only while `pending` is
    /// empty: a function that queues work moves them back into the calendar).
    var deferredCompletions = 0
}

/// A queue read by a function through a poller.
struct QueueState {
    let spec: QueueSpec
    let stream: RandomStream
    let consumer: Int32
    var ready = Deque<Int32>()
    var batchesInFlight = 0
    var batches = Slab<[Int32]>()
    var windowScheduled = false
}

/// An HTTP endpoint.
struct EndpointState {
    let spec: EndpointSpec
    let stream: RandomStream
    let sink: Int
    var pool: ServerPool<Int32>
}

extension ArchitectureSimulation {
    /// Resolves names, compiles rules and filter policies, and seeds every component.
    mutating func build() throws(SimulationError) {
        var names: [String: ComponentRef] = [:]
        func register(_ name: String, _ kind: ComponentRef.Kind, _ index: Int) throws(SimulationError) {
            guard names[name] == nil else {
                throw SimulationError("architecture '\(architecture.name)': duplicate component name '\(name)'")
            }
            names[name] = ComponentRef(kind: kind, index: Int32(index))
        }
        for (index, spec) in architecture.buses.enumerated() { try register(spec.name, .bus, index) }
        for (index, spec) in architecture.topics.enumerated() { try register(spec.name, .topic, index) }
        for (index, spec) in architecture.queues.enumerated() { try register(spec.name, .queue, index) }
        for (index, spec) in architecture.functions.enumerated() { try register(spec.name, .function, index) }
        for (index, spec) in architecture.endpoints.enumerated() { try register(spec.name, .endpoint, index) }
        for (index, spec) in architecture.streams.enumerated() { try register(spec.name, .stream, index) }

        func resolve(_ name: String, _ context: String, _ allowed: Set<ComponentRef.Kind>) throws(SimulationError)
            -> ComponentRef
        {
            guard let reference = names[name], allowed.contains(reference.kind) else {
                throw SimulationError(
                    "architecture '\(architecture.name)': \(context) names '\(name)', "
                        + "which is not a component of a fitting kind")
            }
            return reference
        }
        let routable: Set<ComponentRef.Kind> = [.bus, .topic, .queue, .function, .endpoint]

        if let entryName = architecture.eventsEntry { entry = try resolve(entryName, "entry", routable) }

        for spec in architecture.functions {
            sinks.append(SinkMetrics(name: spec.name, kind: "function"))
            functions.append(
                FunctionState(
                    spec: spec, stream: componentStream(spec.name), sink: sinks.count - 1,
                    scaling: TokenBucket(
                        rate: Swift.max(spec.scalingRate, 1e-9), burst: Swift.max(spec.scalingBurst, 1))))
        }
        for spec in architecture.endpoints {
            sinks.append(SinkMetrics(name: spec.name, kind: "endpoint"))
            endpoints.append(
                EndpointState(
                    spec: spec, stream: componentStream(spec.name), sink: sinks.count - 1,
                    pool: ServerPool(
                        capacity: Swift.max(1, spec.servers),
                        queueLimit: spec.queueLimit < 0 ? nil : spec.queueLimit)))
        }
        for spec in architecture.queues {
            let consumer = try resolve(spec.consumer, "queue '\(spec.name)' consumer", [.function])
            queues.append(QueueState(spec: spec, stream: componentStream(spec.name), consumer: consumer.index))
        }
        for spec in architecture.buses {
            let machine = RuleMachine()
            var targets: [ComponentRef] = []
            var targetStarts = [0]
            for (ruleIndex, rule) in spec.rules.enumerated() {
                if let pattern = rule.pattern { machine.add(pattern, id: ruleIndex) }
                for target in rule.targets {
                    targets.append(try resolve(target, "rule '\(rule.name)' target", routable))
                }
                targetStarts.append(targets.count)
            }
            let plans = scenario.workload.producers.indices.map {
                workload.layout(producer: $0).map(machine.plan(for:))
            }
            // Quotas: PutEvents requests/s × entries per request, one second of burst.
            let entryRate = spec.putEventsRate * Double(Swift.max(1, spec.entriesPerRequest))
            buses.append(
                BusState(
                    spec: spec, stream: componentStream(spec.name),
                    putQuota: TokenBucket(rate: Swift.max(entryRate, 1e-9), burst: Swift.max(entryRate, 1)),
                    invocationQuota: Pacer(
                        rate: Swift.max(spec.invocationRate, 1e-9),
                        burst: Swift.max(spec.invocationRate, 1)),
                    machine: machine, ruleTargets: targets, ruleTargetStarts: targetStarts, plans: plans,
                    planMembers: plans.map { plan in
                        guard let plan else { return [] }
                        return zip(plan.members, machine.numericallyClassed(plan)).map(PlanMember.init)
                    },
                    matchCaches: plans.map { TopicMatchCache(enabled: $0 != nil) }))
        }
        var externalSinks: [String: Int] = [:]
        for (topicIndex, spec) in architecture.topics.enumerated() {
            let topic: Topic
            do {
                topic = try Topic(
                    name: "topic\(topicIndex)" + (spec.fifo ? ".fifo" : ""),
                    kind: spec.fifo ? .fifo(FIFOSettings()) : .standard,
                    filterPolicyQuota: Swift.max(200, spec.subscriptions.count))
            } catch { throw SimulationError("topic '\(spec.name)': \(error)") }
            var subscriptionIndex: [Int32] = []
            var subscriptionTargets: [ComponentRef] = []
            var policies: [RetryPolicy] = []
            for (index, subscription) in spec.subscriptions.enumerated() {
                let configuration = SubscriptionConfiguration(
                    deliveryProtocol: subscription.deliveryProtocol, endpoint: subscription.target ?? subscription.name,
                    filterPolicy: subscription.filterPolicy, deliveryPolicy: subscription.httpPolicy)
                let id: Int
                do { id = try topic.subscribe(configuration) } catch {
                    throw SimulationError("topic '\(spec.name)' subscription '\(subscription.name)': \(error)")
                }
                guard id == subscriptionIndex.count else {
                    throw SimulationError("topic '\(spec.name)': subscription ids are not dense")
                }
                subscriptionIndex.append(Int32(index))
                if let target = subscription.target {
                    subscriptionTargets.append(
                        try resolve(
                            target, "subscription '\(subscription.name)' target",
                            [.function, .queue, .endpoint]))
                } else {
                    // External subscribers (email, SMS, push) share one consumer row per topic and protocol:
                    // thousands of them would otherwise each hold their own latency histograms.
                    let sinkName = "\(spec.name)/\(subscription.deliveryProtocol.rawValue)"
                    let sink: Int
                    if let existing = externalSinks[sinkName] {
                        sink = existing
                    } else {
                        sinks.append(SinkMetrics(name: sinkName, kind: "external"))
                        sink = sinks.count - 1
                        externalSinks[sinkName] = sink
                    }
                    subscriptionTargets.append(ComponentRef(kind: .external, index: Int32(sink)))
                }
                policies.append(configuration.retryPolicy())
            }
            let attributeLookup = JSONTextPaths(spec.messageAttributes.map { JSONValue.pathComponents($0.path) })
            let attributeEndpoints = spec.messageAttributes.map { attribute in
                Self.numericEndpoints(of: attribute.name, in: spec.subscriptions.compactMap(\.filterPolicy))
            }
            let attributeSlots = scenario.workload.producers.indices.map {
                workload.layout(producer: $0).flatMap(attributeLookup.slots(in:))
            }
            topics.append(
                TopicState(
                    spec: spec, stream: componentStream(spec.name), topic: topic,
                    publishQuota: TokenBucket(
                        rate: Swift.max(spec.publishRate, 1e-9), burst: Swift.max(spec.publishRate, 1)),
                    fifo: spec.fifo ? FIFOTopicState(settings: FIFOSettings(topicRate: spec.publishRate)) : nil,
                    subscriptionIndex: subscriptionIndex, subscriptionTargets: subscriptionTargets,
                    retryPolicies: policies,
                    attributePaths: spec.messageAttributes.map {
                        (name: $0.name, path: JSONValue.pathComponents($0.path))
                    },
                    attributeLookup: attributeLookup,
                    attributeSlots: attributeSlots.flatMap { $0 ?? Array(repeating: -1, count: attributeLookup.count) },
                    attributeSlotsKnown: attributeSlots.map { $0 != nil },
                    subscriptionBilling: subscriptionIndex.map {
                        DeliveryBilling(spec.subscriptions[Int($0)].deliveryProtocol)
                    },
                    attributeNamesChecked: (try? MessageView.checkAttributeNames(spec.messageAttributes.map(\.name)))
                        != nil,
                    matchCache: TopicMatchCache(
                        enabled: !spec.fifo
                            && spec.subscriptions.allSatisfy {
                                ($0.filterPolicy?.scope ?? .messageAttributes) == .messageAttributes
                            }),
                    attributeEndpoints: attributeEndpoints,
                    classesAttributes: attributeEndpoints.contains { $0 != nil },
                    groupPath: spec.messageGroupPath.map(JSONValue.pathComponents),
                    readsBodies: spec.subscriptions.contains { $0.filterPolicy?.scope == .messageBody }))
        }
        var streamTargets: [ComponentRef] = []
        for spec in architecture.streams {
            streamTargets.append(try resolve(spec.target, "stream '\(spec.name)' target", [.function, .bus]))
        }
        try buildStreams(targets: streamTargets)

        for spec in scenario.workload.producers {
            var state = ProducerState(spec: spec)
            switch spec.payload {
            case .events:
                if entry == nil {
                    throw SimulationError(
                        "architecture '\(architecture.name)' has no entry for producer '\(spec.name)'")
                }
            case .writes(let template):
                guard let stream = streams.firstIndex(where: { $0.spec.name == template.table }) else {
                    throw SimulationError(
                        "architecture '\(architecture.name)' has no stream for table '\(template.table)'")
                }
                state.stream = stream
            }
            producers.append(state)
        }
    }

    /// The sorted distinct endpoints of every policy's numeric tests of attribute `name`, when every policy tests
    /// it numerically or not at all (``TopicState/attributeEndpoints``); nil when one tests it otherwise.
    static func numericEndpoints(of name: String, in policies: [FilterPolicy]) -> [Double]? {
        var values: [Double] = []
        for policy in policies {
            guard let endpoints = policy.numericEndpoints(ofAttribute: name) else { return nil }
            values += endpoints
        }
        return NumericClass.endpoints(values)
    }
}
