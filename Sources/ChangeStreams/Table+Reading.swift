import DequeModule

/// The stream's read API: DescribeStream, GetShardIterator and GetRecords, all non-mutating.
///
/// Trimming is applied logically on every read: a record older than 24 hours at time `now` is unreadable even
/// if ``Table/advance(to:)`` has not yet freed it.
extension Table {
    /// The stream's view type, state and live shards.
    /// - Complexity: O(shards).
    public func describeStream() -> StreamDescription {
        StreamDescription(
            viewType: stream.lastViewType, isEnabled: stream.viewType != nil, shards: shards(after: nil))
    }

    /// The live shards with identifiers greater than `shard` (all of them for `nil`), in identifier order.
    /// - Complexity: O(shards listed).
    public func shards(after shard: ShardID?) -> [ShardDescription] {
        let start = max(0, (shard?.rawValue ?? 0) + 1 - stream.firstShardNumber)
        guard start < stream.shards.count else { return [] }
        var result: [ShardDescription] = []
        for index in start..<stream.shards.count where !stream.shards[index].isDeleted {
            let shard = stream.shards[index]
            result.append(
                ShardDescription(
                    id: shard.id, parentID: shard.parentID, createdAt: shard.createdAt, closedAt: shard.closedAt,
                    startingSequenceNumber: shard.firstSequence,
                    endingSequenceNumber: shard.closedAt == nil ? nil : shard.lastSequence,
                    retainedRecordCount: shard.count))
        }
        return result
    }

    /// The identifier the next new shard will get; every identifier below it was used by some shard.
    public var nextShardID: ShardID { ShardID(rawValue: stream.nextShardNumber) }

    /// A new iterator for `shard` (GetShardIterator).
    /// - Throws: ``ChangeStreamError/shardNotFound(_:)``; ``ChangeStreamError/trimmedDataAccess(shard:detail:)`` if
    ///   the shard or the requested record was trimmed; ``ChangeStreamError/sequenceNumberNotInShard(_:_:)``.
    /// - Complexity: O(log records in the shard).
    public func shardIterator(
        _ shard: ShardID, _ type: ShardIteratorType, at now: Int64
    ) throws(ChangeStreamError) -> ShardIterator {
        let index = try stream.lookup(shard)
        let state = stream.shards[index]
        let horizon = state.horizon(after: now - stream.retention)
        let position: Int
        switch type {
        case .trimHorizon:
            position = horizon
        case .latest:
            position = state.endPosition
        case .atSequenceNumber(let sequence), .afterSequenceNumber(let sequence):
            if let found = state.position(of: sequence) {
                guard found >= horizon else {
                    throw .trimmedDataAccess(shard: shard, detail: "sequence number \(sequence)")
                }
                position = found + (type == .atSequenceNumber(sequence) ? 0 : 1)
            } else if let first = state.firstSequence, sequence >= first,
                sequence.rawValue < (state.entries.first?.sequence ?? .max)
            {
                throw .trimmedDataAccess(shard: shard, detail: "sequence number \(sequence)")
            } else {
                throw .sequenceNumberNotInShard(sequence, shard)
            }
        }
        return ShardIterator(shard: shard, position: position, issuedAt: now)
    }

    /// Reads up to `limit` records (and at most 1 MB) at `iterator` into `buffer` (GetRecords without a result
    /// allocation), returning the next iterator, or `nil` once a closed shard is read to its end.
    ///
    /// At least one record is returned when one is available, even if it alone exceeds 1 MB.
    /// - Throws: ``ChangeStreamError/expiredIterator(shard:issuedAt:now:)`` after 15 minutes;
    ///   ``ChangeStreamError/trimmedDataAccess(shard:detail:)`` if the position was trimmed;
    ///   ``ChangeStreamError/invalidLimit(_:)``.
    /// - Complexity: O(records returned + log records in the shard).
    public func readRecords(
        _ iterator: ShardIterator, limit: Int = StreamLimits.maximumRecordsPerRead, at now: Int64,
        into buffer: inout [StreamRecord]
    ) throws(ChangeStreamError) -> ShardIterator? {
        guard (1...StreamLimits.maximumRecordsPerRead).contains(limit) else { throw .invalidLimit(limit) }
        guard now - iterator.issuedAt <= StreamLimits.iteratorLifetime else {
            throw .expiredIterator(shard: iterator.shard, issuedAt: iterator.issuedAt, now: now)
        }
        let index = try stream.lookup(iterator.shard)
        return try Self.read(
            stream.shards[index], from: iterator, limit: limit, at: now, retention: stream.retention,
            keys: store.keys, into: &buffer)
    }

    /// The body of ``readRecords(_:limit:at:into:)``, taking the shard borrowed rather than copied.
    private static func read(
        _ shard: borrowing Shard, from iterator: ShardIterator, limit: Int, at now: Int64, retention: Int64,
        keys: [ItemKey], into buffer: inout [StreamRecord]
    ) throws(ChangeStreamError) -> ShardIterator? {
        let position = iterator.position
        var offset = position - shard.trimmedCount
        let count = shard.entries.count
        if offset < 0 || (offset < count && shard.entries[offset].time <= now - retention) {
            throw .trimmedDataAccess(shard: iterator.shard, detail: "position \(position)")
        }
        var bytes = 0
        let first = offset
        let end = min(count, first + limit)
        while offset < end {
            let size = shard.entries[offset].sizeBytes
            if offset > first, bytes + size > StreamLimits.maximumBytesPerRead { break }
            bytes += size
            shard.appendRecord(at: offset, keys: keys, to: &buffer)
            offset += 1
        }
        let next = shard.trimmedCount + offset
        if shard.closedAt != nil, next == shard.endPosition { return nil }
        return ShardIterator(shard: iterator.shard, position: next, issuedAt: now)
    }

    /// Reads up to `limit` records at `iterator` (GetRecords); see ``readRecords(_:limit:at:into:)``.
    public func getRecords(
        _ iterator: ShardIterator, limit: Int = StreamLimits.maximumRecordsPerRead, at now: Int64
    ) throws(ChangeStreamError) -> GetRecordsResult {
        var records: [StreamRecord] = []
        let next = try readRecords(iterator, limit: limit, at: now, into: &records)
        return GetRecordsResult(records: records, nextIterator: next)
    }
}
