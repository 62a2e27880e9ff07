public import DequeModule

/// What happened to a job that arrived at a ``ServerPool``.
public enum Admission: Equatable, Sendable {
    /// A server was free: the job starts service now.
    case served
    /// All servers busy: the job waits in the FIFO queue.
    case queued
    /// All servers busy and the queue is full: the job is turned away.
    case rejected
}

/// `capacity` identical servers in front of one FIFO queue, optionally bounded (M/M/c/K when
/// `queueLimit = K − c`). The pool tracks occupancy and its time averages; the caller schedules service
/// completions and calls ``release(at:)`` for each.
///
/// Invariants: `busy ≤ capacity`; the queue is non-empty only when `busy == capacity`;
/// `queue.count ≤ queueLimit`. - Complexity: O(1) amortized per operation, no allocation in steady state.
public struct ServerPool<Job> {
    /// Number of servers (≥ 1).
    public let capacity: Int
    /// Maximum number of waiting jobs; nil for an unbounded queue.
    public let queueLimit: Int?
    /// Servers currently busy.
    @inlinable public var busy: Int { _busy }
    @usableFromInline var _busy = 0
    /// Waiting jobs, oldest first.
    @inlinable public var queue: Deque<Job> { _queue }
    @usableFromInline var _queue = Deque<Job>()
    /// Time-weighted number of busy servers.
    @inlinable public var busyStatistic: TimeWeightedStatistic { _busyStatistic }
    @usableFromInline var _busyStatistic: TimeWeightedStatistic
    /// Time-weighted queue length.
    @inlinable public var queueStatistic: TimeWeightedStatistic { _queueStatistic }
    @usableFromInline var _queueStatistic: TimeWeightedStatistic

    /// - Precondition: `capacity ≥ 1`, `queueLimit ≥ 0` (validated by callers that take user input).
    public init(capacity: Int, queueLimit: Int? = nil, at time: SimTime = 0) {
        precondition(capacity >= 1 && (queueLimit ?? 0) >= 0, "invalid server pool")
        self.capacity = capacity
        self.queueLimit = queueLimit
        _busyStatistic = TimeWeightedStatistic(at: time)
        _queueStatistic = TimeWeightedStatistic(at: time)
    }

    /// Offers `job` at `time`. On `.served` the caller starts its service; on `.queued` the pool keeps it.
    @inlinable @inline(__always)
    public mutating func arrive(_ job: Job, at time: SimTime) -> Admission {
        if _busy < capacity {
            _busy += 1
            _busyStatistic.update(to: Double(_busy), at: time)
            return .served
        }
        if let limit = queueLimit, _queue.count >= limit { return .rejected }
        _queue.append(job)
        _queueStatistic.update(to: Double(_queue.count), at: time)
        return .queued
    }

    /// A server finished at `time`. - Returns: the next waiting job, which starts service on that server now,
    /// or nil if none waited (the server becomes idle).
    @inlinable @inline(__always)
    public mutating func release(at time: SimTime) -> Job? {
        if let job = _queue.popFirst() {
            _queueStatistic.update(to: Double(_queue.count), at: time)
            return job
        }
        precondition(_busy > 0, "release without a busy server")
        _busy -= 1
        _busyStatistic.update(to: Double(_busy), at: time)
        return nil
    }

    /// Jobs in the system (in service plus waiting).
    @inlinable public var occupancy: Int { _busy + _queue.count }

    /// Forgets the statistics' history before `time` (warm-up deletion).
    public mutating func resetStatistics(at time: SimTime) {
        _busyStatistic.reset(at: time)
        _queueStatistic.reset(at: time)
    }
}
