import DequeModule

/// A Lambda-style event source poller for a table's stream, written as a state machine on the caller's clock.
///
/// The caller (the simulator) drives it with two calls and stores no closures in it:
/// - ``nextActionTime()``: the earliest time the poller wants to act (a poll, or a batching window that ends);
/// - ``act(at:on:results:into:)``: at time `t`, take the results of finished invocations, poll the shards that
///   are due, and hand out new invocations and the descriptions of discarded batches.
///
/// Each shard is read only after its parent is finished; its records are spread over
/// `parallelizationFactor` lanes by partition key, and each lane has at most one invocation in flight, so the
/// records of one item are processed in order. A failed batch blocks its lane (and, once the shard's buffer of
/// `batchSize × parallelizationFactor` records is full, the whole shard) and is retried (bisected if so
/// configured) until it succeeds, runs out of retries, or holds a record older than the maximum record age;
/// then it is discarded and described in ``PollerOutput/failedBatches``. Checkpoints advance only past records
/// whose invocation succeeded or that were discarded, so no record is processed twice after a successful batch.
public struct StreamPoller: Sendable {
    struct PendingBatch: Sendable {
        var records: [StreamRecord]
        /// Failed invocations of this batch (or of the batch it was bisected from).
        var failedAttempts: Int
    }

    struct Lane: Sendable {
        var queue: Deque<StreamRecord> = []
        var queueBytes = 0
        /// When the records now queued started waiting for the batching window.
        var windowStart: Int64 = 0
        /// Batches to retry, the earliest on top (last).
        var retries: [PendingBatch] = []
        var inFlight: PendingBatch?
        var inFlightID: UInt64 = 0

        var isIdle: Bool { queue.isEmpty && retries.isEmpty && inFlight == nil }

        /// The sequence number of the lane's earliest record not yet done.
        var firstUnfinished: SequenceNumber? {
            inFlight?.records.first?.sequenceNumber ?? retries.last?.records.first?.sequenceNumber
                ?? queue.first?.sequenceNumber
        }
    }

    struct Lease: Sendable {
        let id: ShardID
        let parent: ShardID?
        var iterator: ShardIterator?
        var reissue: ShardIteratorType = .trimHorizon
        var needsIterator = true
        /// The shard is closed and every record has been fetched.
        var ended = false
        var finished = false
        var nextPollAt: Int64 = .min
        var lanes: [Lane]
        var buffered = 0
        /// Sequence numbers fetched and not yet covered by the checkpoint, in order.
        var unchecked: Deque<SequenceNumber> = []
        var checkpoint: SequenceNumber?
        var lastFetched: SequenceNumber?
    }

    /// The configuration in force.
    public let configuration: PollerConfiguration
    var leases: [Lease] = []
    var lastKnownShard = 0
    var started = false
    var lastActTime: Int64 = .min
    var nextInvocationID: UInt64 = 1
    /// Running totals.
    public internal(set) var statistics = PollerStatistics()

    /// Creates a poller.
    /// - Throws: ``ChangeStreamError/invalidConfiguration(field:value:expected:)`` for a setting out of range.
    public init(_ configuration: PollerConfiguration = PollerConfiguration()) throws(ChangeStreamError) {
        try configuration.validate()
        self.configuration = configuration
    }

    /// The earliest time the poller wants to act, in nanoseconds: the next due poll of a shard, or the end of a
    /// batching window. `nil` means it waits only for invocation results. Before the first call of ``act``,
    /// any time will do (it returns `Int64.min`).
    /// - Complexity: O(shards × parallelization factor).
    public func nextActionTime() -> Int64? {
        guard started else { return .min }
        var next: Int64?
        var active = false
        for lease in leases where !lease.finished && isEligible(lease) {
            active = true
            if !lease.ended, lease.buffered < room { next = min(next ?? .max, lease.nextPollAt) }
            for lane in lease.lanes where lane.inFlight == nil {
                if !lane.retries.isEmpty {
                    next = min(next ?? .max, lastActTime)
                } else if !lane.queue.isEmpty {
                    next = min(next ?? .max, lane.windowStart + configuration.maximumBatchingWindow)
                }
            }
        }
        if !active { next = min(next ?? .max, lastActTime + configuration.pollInterval) }
        return next
    }

    /// The checkpoint of every shard the poller is reading: the largest sequence number such that it and every
    /// earlier record of the shard are done (succeeded or discarded); `nil` for a shard with none done yet.
    public var checkpoints: [(shard: ShardID, sequenceNumber: SequenceNumber?)] {
        leases.filter { !$0.finished }.map { ($0.id, $0.checkpoint) }
    }

    /// The number of invocations in flight.
    public var inFlightCount: Int {
        leases.reduce(0) { $0 + $1.lanes.reduce(0) { $0 + ($1.inFlight == nil ? 0 : 1) } }
    }

    /// The most records buffered per shard: enough for a full batch in every lane.
    var room: Int { configuration.batchSize * configuration.parallelizationFactor }

    func isEligible(_ lease: Lease) -> Bool {
        guard let parent = lease.parent else { return true }
        guard let parentLease = leases.first(where: { $0.id == parent }) else { return true }
        return parentLease.finished
    }

    /// Acts at time `now`: applies `results`, discovers new shards, polls the shards that are due, and appends
    /// the invocations to make and the discarded batches to `output`.
    /// - Throws: ``ChangeStreamError/unknownInvocation(_:)`` if a result names no invocation in flight (nothing is
    ///   applied then); ``ChangeStreamError/timeWentBackwards(now:last:)``.
    /// - Complexity: O(records moved + shards × parallelization factor).
    public mutating func act(
        at now: Int64, on table: Table, results: some Collection<InvocationResult>, into output: inout PollerOutput
    ) throws(ChangeStreamError) {
        guard now >= lastActTime else { throw .timeWentBackwards(now: now, last: lastActTime) }
        var located: [(lease: Int, lane: Int)] = []
        located.reserveCapacity(results.count)
        for result in results {
            guard let place = locate(result.id) else { throw .unknownInvocation(result.id) }
            located.append(place)
        }
        lastActTime = now
        for (result, place) in zip(results, located) {
            complete(place.lease, place.lane, result.outcome, at: now, into: &output)
        }
        discover(table, at: now)
        var index = 0
        while index < leases.count {
            if !leases[index].finished, isEligible(leases[index]) {
                if !leases[index].ended, leases[index].buffered < room, now >= leases[index].nextPollAt {
                    poll(index, table, at: now)
                }
                for lane in leases[index].lanes.indices { dispatch(index, lane, at: now, into: &output) }
                advanceCheckpoint(index)
                if leases[index].ended, leases[index].lanes.allSatisfy(\.isIdle) { leases[index].finished = true }
            }
            index += 1
        }
        leases.removeAll { $0.finished && $0.id.rawValue < table.stream.firstShardNumber }
    }

    func locate(_ id: UInt64) -> (lease: Int, lane: Int)? {
        for lease in leases.indices {
            for lane in leases[lease].lanes.indices
            where leases[lease].lanes[lane].inFlight != nil && leases[lease].lanes[lane].inFlightID == id {
                return (lease, lane)
            }
        }
        return nil
    }

    /// Adds a lease for every shard created since the last call; counts shards deleted before they were seen.
    mutating func discover(_ table: Table, at now: Int64) {
        let found = table.shards(after: ShardID(rawValue: lastKnownShard))
        var next = found.startIndex
        let end = table.nextShardID.rawValue
        for number in (lastKnownShard + 1)..<max(lastKnownShard + 1, end) {
            guard next < found.endIndex, found[next].id.rawValue == number else {
                if started { statistics.trimmedDataEvents += 1 }
                continue
            }
            let shard = found[next]
            next += 1
            var lease = Lease(
                id: shard.id, parent: shard.parentID,
                lanes: Array(repeating: Lane(), count: configuration.parallelizationFactor))
            if started {
                lease.iterator = .atStart(of: shard.id, at: now)
                lease.needsIterator = false
            } else if configuration.startingPosition == .latest {
                if shard.closedAt != nil {
                    lease.finished = true
                } else {
                    lease.reissue = .latest
                }
            }
            leases.append(lease)
        }
        lastKnownShard = max(lastKnownShard, end - 1)
        started = true
    }
}
