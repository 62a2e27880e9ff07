/// Why a copy of an event was dropped. Raw values are the report's column suffixes.
public enum DropReason: String, Sendable, CaseIterable, Comparable {
    /// PutEvents throttled and the producer's retries ran out.
    case putThrottled = "put_throttled"
    /// Publish throttled and the publisher's retries ran out.
    case publishThrottled = "publish_throttled"
    /// No rule of the bus matched the event.
    case noMatchingRule = "no_matching_rule"
    /// No subscription's filter policy accepted the message.
    case filteredOut = "filtered_out"
    /// Retries exhausted and no dead-letter queue configured.
    case retriesExhausted = "retries_exhausted"
    /// The consumer rejected the request (queue full / 503) and the sender does not retry.
    case rejected
    /// A FIFO topic discarded the message as a duplicate within its deduplication window.
    case duplicate
    /// A table write that changed nothing, so its stream wrote no record (not a loss).
    case noChange = "no_change"
    /// A change-stream record aged out (24 h retention) before it was processed.
    case expired

    public static func < (lhs: DropReason, rhs: DropReason) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// The fate of every copy of every event in one run: nothing is lost silently.
///
/// A *copy* is one event on its way to one component. A producer creates one copy per event; a router (bus rule,
/// topic) ends its incoming copy as *routed* and creates one copy per matched target. Invariant, checked at the
/// end of every run against an independent count of live copies:
/// `created = delivered + dropped + deadLettered + routed + inFlight`.
public struct Ledger: Sendable, Equatable {
    /// Events produced by the workload.
    public var produced = 0
    /// Copies created (produced events plus copies made by fan-out).
    public var created = 0
    public var delivered = 0
    public var deadLettered = 0
    /// Copies consumed by a router that fanned them out.
    public var routed = 0
    /// Retries performed (any component).
    public var retried = 0
    /// Throttling events (quota or concurrency refusals).
    public var throttled = 0
    /// Drops by reason, indexed by `DropReason.allCases` order.
    public var drops = [Int](repeating: 0, count: DropReason.allCases.count)
    /// Copies still in flight at the end of the run, counted from the live state.
    public var inFlight = 0
    /// Which limits were hit, and how often: what the capacity report names as the limiting component.
    public var limits = LimitCounters()

    public init() {}

    public var dropped: Int { drops.reduce(0, +) }

    /// Copies that ended without reaching a consumer by design, not by failure: no rule or policy wanted them, or
    /// a table write changed nothing.
    public var unrouted: Int { dropped(.noMatchingRule) + dropped(.filteredOut) + dropped(.noChange) }

    /// Copies lost: dropped for any other reason (throttling, exhausted retries, rejection, expiry).
    public var lost: Int { dropped - unrouted }

    public func dropped(_ reason: DropReason) -> Int { drops[DropReason.allCases.firstIndex(of: reason)!] }

    mutating func drop(_ reason: DropReason) { drops[DropReason.allCases.firstIndex(of: reason)!] += 1 }

    /// Whether every created copy is accounted for.
    public var balances: Bool { created == delivered + dropped + deadLettered + routed + inFlight }

    /// Adds another run's counts (for totals over replications).
    public mutating func merge(_ other: Ledger) {
        produced += other.produced
        created += other.created
        delivered += other.delivered
        deadLettered += other.deadLettered
        routed += other.routed
        retried += other.retried
        throttled += other.throttled
        inFlight += other.inFlight
        for index in drops.indices { drops[index] += other.drops[index] }
        limits.merge(other.limits)
    }
}

/// How often each kind of limit refused or delayed work in a run.
public struct LimitCounters: Sendable, Equatable {
    /// The limits, in the order reports list them, with their report names.
    public enum Limit: String, Sendable, CaseIterable {
        case putEventsQuota = "PutEvents quota"
        case invocationQuota = "invocation quota"
        case publishQuota = "publish quota"
        case functionConcurrency = "function concurrency"
        case scalingRate = "function scaling rate"
        case queuePollers = "queue poller concurrency"
        case endpointCapacity = "endpoint capacity"
        case consumerErrors = "consumer errors"
    }

    public var counts = [Int](repeating: 0, count: Limit.allCases.count)

    public init() {}

    public subscript(limit: Limit) -> Int {
        get { counts[Limit.allCases.firstIndex(of: limit)!] }
        set { counts[Limit.allCases.firstIndex(of: limit)!] = newValue }
    }

    /// The limit hit most often, or nil when none was hit.
    public var dominant: Limit? {
        guard let best = counts.indices.max(by: { counts[$0] < counts[$1] }), counts[best] > 0 else { return nil }
        return Limit.allCases[best]
    }

    public mutating func merge(_ other: LimitCounters) {
        for index in counts.indices { counts[index] += other.counts[index] }
    }
}
