import ArchitectureSpecs
import DequeModule
import EventPatterns
import SimulationKernel
import Stochastics
import TopicFanout

/// A component of an architecture, by kind and index into that kind's array.
struct ComponentRef: Hashable {
    /// Buses and topics first: ``readsEvents`` relies on the order.
    enum Kind: UInt8 { case bus, topic, queue, function, endpoint, external, stream }
    var kind: Kind
    var index: Int32

    /// Whether the component reads the event's JSON (buses match it, topics filter it); the others use only
    /// its creation time and size.
    @inline(__always) var readsEvents: Bool { kind.rawValue <= Kind.topic.rawValue }
}

/// Who sent a copy, which decides how its failures are retried.
enum Router: Equatable {
    /// A producer put it directly (SDK retries on throttling, no delivery retries).
    case producer
    /// A bus rule (EventBridge retry policy, then its DLQ).
    case bus(Int32)
    /// A topic subscription (per-protocol retry policy, then the subscription's DLQ).
    case subscription(topic: Int32, subscription: Int32)
    /// A stream poller (the poller retries whole batches).
    case stream(Int32)
}

/// One copy of an event on its way to one component.
struct Copy {
    var message: Int32
    var target: ComponentRef
    var router: Router
    /// Failed attempts so far (delivery attempts, receives, or SDK retries).
    var attempts: Int32 = 0
    /// When the current router accepted the event (maximum event age counts from here).
    var routedAt: SimTime
    /// When processing started (for delivery latency).
    var startedAt: SimTime = 0
    /// For copies of change-stream records: the record's sequence number.
    var record: UInt64 = 0
}

/// One produced event: the real JSON envelope and its creation time.
struct MessageRecord {
    var createdAt: SimTime
    var measured: Bool
    /// The producer whose member layout (``Workload/layout(producer:)``) the event's member table follows, when
    /// `event` carries one after its text; -1 when `event` is text only.
    var layout: Int32 = -1
    /// The event's compact JSON text, UTF-8, which buses match and topics read their attributes from (shared
    /// with the workload and the replication's other architectures), then its member table when `layout` is
    /// not -1; empty once no router needs it.
    var event: [UInt8]
    /// The size billed and checked against quotas, bytes; with a member table, the size of the text before it.
    var bytes: Int
    var liveCopies: Int32 = 0
    /// Live copies bound for a bus or a topic: the only components that read `event`. When the last of them is
    /// routed, the event is released at once, while its tree is still in the caches from matching; releasing
    /// it when the last consumer finished touched memory long evicted (5 % of a run when events were trees).
    var routerCopies: Int32 = 0

    /// The length of the event's text within `event`.
    var textCount: Int { layout < 0 ? event.count : bytes }
}

/// The kernel events of an architecture simulation: small, integer ids only.
enum SimEvent {
    case produce(Int32)
    case attempt(Int32)
    case functionDone(Int32, Int32)
    /// A successful invocation of an event copy ends (function, copy): one that ``PendingCompletions`` held, moved
    /// into the calendar when its function started queueing work, or that lay beyond the wheel's span.
    case asyncDone(Int32, Int32)
    case functionWake(Int32)
    case asyncRetry(Int32)
    case endpointDone(Int32, Int32)
    case queueVisible(Int32)
    case queueWindow(Int32)
    case scheduledRule(Int32, Int32)
    case streamPoll(Int32, Int32)
    case streamBatchReady(Int32, Int32)
    case tick
    case warmupEnd
}

/// One run of one architecture under the scenario's workload, as a kernel model.
///
/// Components live in arrays indexed by integer ids; copies and messages in slabs; the only per-event
/// allocations are the real JSON events themselves and what matching needs. Random streams: the workload's are
/// named `rep<r>/workload/<producer>/…` and are identical for every architecture (common random numbers); a
/// component's are `rep<r>/<architecture>/<component>`.
struct ArchitectureSimulation: SimulationModel {
    typealias Event = SimEvent

    let scenario: ScenarioSpec
    let architecture: ArchitectureSpec
    let replication: Int
    let productionEnd: SimTime
    /// The replication's workload, shared with its other architectures.
    let workload: Workload

    var producers = ComponentArray<ProducerState>()
    var buses = ComponentArray<BusState>()
    var topics = ComponentArray<TopicState>()
    var queues = ComponentArray<QueueState>()
    var functions = ComponentArray<FunctionState>()
    var endpoints = ComponentArray<EndpointState>()
    var streams = ComponentArray<StreamState>()
    var entry: ComponentRef?

    var messages = Slab<MessageRecord>()
    var copies = Slab<Copy>()
    var ledger = Ledger()
    var sinks = ComponentArray<SinkMetrics>()
    var usage = UsageCounters()
    var timeSeries: [WindowSample] = []
    var window: WindowSample
    /// Latency recorders (``LatencyRecorder``) by sink, slots 2·sink and 1 + 2·sink: the measured end-to-end
    /// latencies and latencies to the start of processing, which become the sinks' histograms in
    /// ``result(events:)``.
    private(set) var recorders: [LatencyRecorder] = []
    /// The end-to-end latencies completed in the current window, for its p99 (kept as values: the p99 is read
    /// once, when the window closes).
    let windowLatencies = LatencyWindow()
    /// `windowLatencies`, unretained (the model owns it).
    let windowLatenciesRef: Unmanaged<LatencyWindow>
    /// `recorders`, unretained (they own them): calling a class instance read from an array or a property
    /// retained and released it, six reference-count operations a delivery.
    private(set) var recorderSlots: [Unmanaged<LatencyRecorder>] = []
    /// Busy function environments plus busy endpoint servers, now (less the deferred completions not yet
    /// applied; see ``applyCompletions(before:sequence:)``).
    var concurrency = 0
    /// Successful invocations whose completion only does accounting, applied lazily instead of as kernel events.
    var completions = PendingCompletions()
    /// Whether such completions are deferred to ``completions`` (true) or scheduled as kernel events like any
    /// other (false; tests compare both ways).
    var defersCompletions = true
    /// Storage for completions moved back into the calendar (reused).
    var movedCompletions: [PendingCompletions.Completion] = []
    /// Whether the producers' arrivals are kept here and merged with the calendar's events by
    /// ``Simulation/run(mergingArrivalsUntil:)`` (true), or scheduled as `.produce` kernel events (false; tests
    /// compare both ways). An arrival is planned ahead of the next, so either way it holds its place among
    /// equal times by its reserved sequence.
    var mergesArrivals = true
    /// Every producer's next arrival while arrivals are merged: when it is due, ns (`.max`: none left), and the
    /// calendar sequence reserved for it when it was planned (arrivals are not kept in the calendar).
    var arrivals = ArrivalTournament(count: 0)
    /// The earliest planned arrival of all producers (``arrivals``'s first): its producer, time (`.max`: none
    /// left) and sequence.
    var arrivalProducer: Int32 = 0
    var arrivalTime: SimTime = .max
    var arrivalSequence: UInt64 = .max
    var matchScratch: [Int] = []
    /// Where a topic's attribute values lie in one event's text (reused storage).
    var attributeRangeScratch: [Range<Int>?] = []
    /// Storage for the next queue batch (an earlier batch's array, reused).
    var batchScratch: [Int32] = []
    let retryStream: RandomStream

    /// - Parameter workload: the replication's workload (built from `scenario` and `replication`), which other
    ///   architectures of the replication may share.
    init(
        scenario: ScenarioSpec, architecture: ArchitectureSpec, replication: Int, workload: Workload
    ) throws(SimulationError) {
        self.scenario = scenario
        self.architecture = architecture
        self.replication = replication
        self.workload = workload
        productionEnd = scenario.duration
        window = WindowSample(start: 0)
        windowLatenciesRef = Unmanaged.passUnretained(windowLatencies)
        retryStream = RandomStream(scenarioSeed: scenario.seed, name: "rep\(replication)/\(architecture.name)/retries")
        try build()
        recorders = (0..<2 * sinks.count).map { _ in LatencyRecorder() }
        recorderSlots = recorders.map { Unmanaged.passUnretained($0) }
    }

    /// Records `nanoseconds` in recorder `slot` (see ``recorders``).
    @inline(__always) func record(_ nanoseconds: Int64, slot: Int) {
        recorderSlots[slot]._withUnsafeGuaranteedRef { $0.record(nanoseconds: nanoseconds) }
    }

    /// The random stream of a component of this architecture.
    func componentStream(_ name: String) -> RandomStream {
        RandomStream(scenarioSeed: scenario.seed, name: "rep\(replication)/\(architecture.name)/\(name)")
    }

    mutating func handle<C: EventCalendar>(_ event: SimEvent, scheduler: inout Scheduler<SimEvent, C>) {
        switch event {
        case .produce(let producer): produce(producer, scheduler: &scheduler)
        case .attempt(let copy): attempt(copy, scheduler: &scheduler)
        case .functionDone(let function, let invocation):
            functionDone(function, invocation: invocation, scheduler: &scheduler)
        case .asyncDone(let function, let copy):
            completeAsync(function, copy: copy, at: scheduler.now)
            startInvocations(function, scheduler: &scheduler)
        case .functionWake(let function):
            functions[Int(function)].wakeScheduled = false
            startInvocations(function, scheduler: &scheduler)
        case .asyncRetry(let copy): submitAsync(copy, scheduler: &scheduler)
        case .endpointDone(let endpoint, let copy): endpointDone(endpoint, copy: copy, scheduler: &scheduler)
        case .queueVisible(let copy): queueVisible(copy, scheduler: &scheduler)
        case .queueWindow(let queue):
            queues[Int(queue)].windowScheduled = false
            formBatches(queue, windowExpired: true, scheduler: &scheduler)
        case .scheduledRule(let bus, let rule): fireSchedule(bus: bus, rule: rule, scheduler: &scheduler)
        case .streamPoll(let stream, let shard): streamPoll(stream, shard: shard, scheduler: &scheduler)
        case .streamBatchReady(let stream, let batch): streamBatchReady(stream, batch: batch, scheduler: &scheduler)
        case .tick: tick(scheduler: &scheduler)
        case .warmupEnd: warmupEnd(at: scheduler.now)
        }
    }

    /// Schedules the first events of the run.
    mutating func start<C: EventCalendar>(scheduler: inout Scheduler<SimEvent, C>) {
        arrivals = ArrivalTournament(count: producers.count)
        for index in producers.indices { scheduleNextArrival(Int32(index), scheduler: &scheduler) }
        for (busIndex, bus) in buses.enumerated() {
            for (ruleIndex, rule) in bus.spec.rules.enumerated() {
                if let first = rule.schedule?.next(after: -1), first < productionEnd {
                    scheduler.schedule(.scheduledRule(Int32(busIndex), Int32(ruleIndex)), at: first)
                }
            }
        }
        for streamIndex in streams.indices { startStreamPolling(Int32(streamIndex), scheduler: &scheduler) }
        scheduler.schedule(.tick, at: scenario.window)
        if scenario.warmup > 0 { scheduler.schedule(.warmupEnd, at: scenario.warmup) }
    }
}

/// A configuration the simulator cannot build (names already validated by the loader; this catches specs built
/// in code).
public struct SimulationError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
