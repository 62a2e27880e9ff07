/// A consumer of the whole stream that respects shard lineage: it reads a shard only after finishing the
/// shard's parent, so every item's records arrive in the order of its modifications, across rollovers and
/// splits.
///
/// The reader is a value driven by the caller's clock: each ``read(_:at:into:)`` call discovers new shards,
/// reads every eligible shard up to its newest record, and appends the records to a caller-owned buffer. It
/// renews its iterators on every call; after a longer pause it resumes at its exact position, as a client does
/// from its checkpoint. A reader that falls more than 24 hours behind loses the trimmed records; it then records a
/// ``TrimmedDataEvent`` and resumes at the trim horizon, so nothing else is lost.
public struct StreamReader: Sendable {
    /// Where a reader starts.
    public enum StartingPosition: Sendable, Hashable {
        /// At the oldest untrimmed record of the oldest shards.
        case trimHorizon
        /// After the newest record at the first call: only later changes are read.
        case latest
    }

    /// A place where the reader found data trimmed before it could read it.
    public struct TrimmedDataEvent: Sendable, Hashable {
        /// The shard concerned.
        public var shard: ShardID
        /// When the reader met the trimmed data, in nanoseconds.
        public var time: Int64
        /// The error the stream reported.
        public var error: ChangeStreamError
    }

    struct Lease: Sendable {
        let id: ShardID
        let parent: ShardID?
        var iterator: ShardIterator?
        var lastSequence: SequenceNumber?
        /// Read from the shard's first record (shards created after the reader started), so that a record
        /// trimmed before the reader got to it is reported, never skipped.
        var fromStart: Bool
        var finished = false
    }

    let startingPosition: StartingPosition
    var leases: [Lease] = []
    var lastKnownShard = 0
    var started = false
    /// Every place where data was trimmed before the reader got to it, in order.
    public private(set) var trimmedDataEvents: [TrimmedDataEvent] = []
    /// The number of GetRecords calls made so far.
    public private(set) var readCalls = 0

    /// Creates a reader that starts at `startingPosition` on its first call.
    public init(startingPosition: StartingPosition = .trimHorizon) {
        self.startingPosition = startingPosition
    }

    /// Reads every record available at `now` from every shard whose parent is finished, appending them to
    /// `buffer` shard by shard (parents first). Returns the number of records appended.
    /// - Complexity: O(records read + shards).
    @discardableResult
    public mutating func read(_ table: Table, at now: Int64, into buffer: inout [StreamRecord]) -> Int {
        readAll(table, at: now) { iterator throws(ChangeStreamError) in
            let before = buffer.count
            let next = try table.readRecords(iterator, at: now, into: &buffer)
            let last = buffer.count > before ? buffer.last?.sequenceNumber : nil
            return ReadOutcome(next: next, count: buffer.count - before, last: last)
        }
    }

    /// Reads the same records as ``read(_:at:into:)-([StreamRecord])``, in the same order and with the same
    /// trimmed-data handling, passing each record's header to `consumer` instead of building records. Returns
    /// the number of records read.
    /// - Complexity: O(records read + shards); no allocation or reference counting per record.
    @discardableResult
    public mutating func read(_ table: Table, at now: Int64, into consumer: inout some StreamRecordConsumer) -> Int {
        readAll(table, at: now) { iterator throws(ChangeStreamError) in
            try table.readHeaders(iterator, at: now, into: &consumer)
        }
    }

    /// Discovers new shards and drains every eligible one with `readBatch` (one GetRecords call at an iterator).
    @inline(__always)
    mutating func readAll(
        _ table: Table, at now: Int64, _ readBatch: (ShardIterator) throws(ChangeStreamError) -> ReadOutcome
    ) -> Int {
        discover(table, at: now)
        var total = 0
        var index = 0
        while index < leases.count {
            if !leases[index].finished, isEligible(leases[index], in: table) {
                total += drain(index, table, at: now, readBatch)
            }
            index += 1
        }
        leases.removeAll { $0.finished && $0.id.rawValue < table.stream.firstShardNumber }
        return total
    }

    /// Whether the reader has read every shard it knows to its end (no open shard left to follow).
    public var isIdle: Bool { leases.allSatisfy(\.finished) }

    /// Adds a lease for every shard created since the last call. Once started, a shard identifier that was
    /// allocated but is no longer listed belongs to a shard deleted (trimmed) before the reader saw it.
    mutating func discover(_ table: Table, at now: Int64) {
        let found = table.shards(after: ShardID(rawValue: lastKnownShard))
        var next = found.startIndex
        let end = table.nextShardID.rawValue
        for number in (lastKnownShard + 1)..<max(lastKnownShard + 1, end) {
            guard next < found.endIndex, found[next].id.rawValue == number else {
                if started {
                    let id = ShardID(rawValue: number)
                    trimmedDataEvents.append(
                        TrimmedDataEvent(
                            shard: id, time: now, error: .trimmedDataAccess(shard: id, detail: "the whole shard")))
                }
                continue
            }
            let shard = found[next]
            next += 1
            var lease = Lease(id: shard.id, parent: shard.parentID, fromStart: started)
            if !started, startingPosition == .latest {
                if shard.closedAt != nil {
                    lease.finished = true
                } else {
                    lease.iterator = try? table.shardIterator(shard.id, .latest, at: now)
                }
            }
            leases.append(lease)
        }
        lastKnownShard = max(lastKnownShard, end - 1)
        started = true
    }

    func isEligible(_ lease: Lease, in table: Table) -> Bool {
        guard let parent = lease.parent else { return true }
        if let parentLease = leases.first(where: { $0.id == parent }) { return parentLease.finished }
        return true
    }

    /// Reads lease `index`'s shard with `readBatch` until it returns nothing or the shard ends; returns the number
    /// of records read.
    @inline(__always)
    mutating func drain(
        _ index: Int, _ table: Table, at now: Int64,
        _ readBatch: (ShardIterator) throws(ChangeStreamError) -> ReadOutcome
    ) -> Int {
        let id = leases[index].id
        var total = 0
        while true {
            let iterator: ShardIterator
            if let current = leases[index].iterator {
                iterator = current
            } else if leases[index].fromStart {
                iterator = .atStart(of: id, at: now)
            } else {
                do throws(ChangeStreamError) {
                    iterator = try table.shardIterator(id, reissueType(index), at: now)
                } catch {
                    if !recover(index, error, table, at: now) { return total }
                    continue
                }
            }
            readCalls += 1
            do throws(ChangeStreamError) {
                let outcome = try readBatch(iterator)
                total += outcome.count
                if let last = outcome.last { leases[index].lastSequence = last }
                leases[index].iterator = outcome.next
                if outcome.next == nil {
                    leases[index].finished = true
                    return total
                }
                if outcome.count == 0 { return total }
            } catch {
                if !recover(index, error, table, at: now) { return total }
            }
        }
    }

    func reissueType(_ index: Int) -> ShardIteratorType {
        leases[index].lastSequence.map(ShardIteratorType.afterSequenceNumber) ?? .trimHorizon
    }

    /// Handles a read error; returns whether to try again.
    mutating func recover(_ index: Int, _ error: ChangeStreamError, _ table: Table, at now: Int64) -> Bool {
        let id = leases[index].id
        switch error {
        case .expiredIterator:
            leases[index].iterator = leases[index].iterator?.renewed(at: now)
            return true
        case .trimmedDataAccess:
            trimmedDataEvents.append(TrimmedDataEvent(shard: id, time: now, error: error))
            if table.stream.index(of: id) == nil {
                leases[index].finished = true
                return false
            }
            leases[index].lastSequence = nil
            leases[index].fromStart = false
            leases[index].iterator = nil
            return true
        default:
            trimmedDataEvents.append(TrimmedDataEvent(shard: id, time: now, error: error))
            leases[index].finished = true
            return false
        }
    }
}
