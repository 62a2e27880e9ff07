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
        try checkRead(iterator, limit: limit, at: now)
        let index = try stream.lookup(iterator.shard)
        return try Self.read(
            stream.shards[index], from: iterator, limit: limit, at: now, retention: stream.retention,
            keys: store.keys, into: &buffer)
    }

    /// Reads up to `limit` records (and at most 1 MB) at `iterator` as headers passed to `consumer`, in order, and
    /// returns the next iterator, or `nil` once a closed shard is read to its end: the same records, limits and
    /// errors as ``readRecords(_:limit:at:into:)-([StreamRecord])``, without building ``StreamRecord`` values.
    /// - Complexity: O(records returned + log records in the shard); no allocation, no reference counting per
    ///   record.
    public func readRecords(
        _ iterator: ShardIterator, limit: Int = StreamLimits.maximumRecordsPerRead, at now: Int64,
        into consumer: inout some StreamRecordConsumer
    ) throws(ChangeStreamError) -> ShardIterator? {
        try readHeaders(iterator, limit: limit, at: now, into: &consumer).next
    }

    /// ``readRecords(_:limit:at:into:)`` into a consumer, also telling how many records were read and the last
    /// one's sequence number.
    @inline(__always)
    func readHeaders(
        _ iterator: ShardIterator, limit: Int = StreamLimits.maximumRecordsPerRead, at now: Int64,
        into consumer: inout some StreamRecordConsumer
    ) throws(ChangeStreamError) -> ReadOutcome {
        try checkRead(iterator, limit: limit, at: now)
        let index = try stream.lookup(iterator.shard)
        // The shard read in place through its address (the table does not change while it is read): passed as a
        // value, even a borrowed one, it was copied whole (about ten references retained and released) per read.
        return try Self.readHeaders(
            stream.shards.address(of: index), from: iterator, limit: limit, at: now, retention: stream.retention,
            into: &consumer)
    }

    /// The checks every read makes before it looks at the shard.
    @inline(__always)
    private func checkRead(_ iterator: ShardIterator, limit: Int, at now: Int64) throws(ChangeStreamError) {
        guard (1...StreamLimits.maximumRecordsPerRead).contains(limit) else { throw .invalidLimit(limit) }
        guard now - iterator.issuedAt <= StreamLimits.iteratorLifetime else {
            throw .expiredIterator(shard: iterator.shard, issuedAt: iterator.issuedAt, now: now)
        }
    }

    /// The body of ``readRecords(_:limit:at:into:)-([StreamRecord])``, taking the shard borrowed rather than
    /// copied.
    private static func read(
        _ shard: borrowing Shard, from iterator: ShardIterator, limit: Int, at now: Int64, retention: Int64,
        keys: [ItemKey], into buffer: inout [StreamRecord]
    ) throws(ChangeStreamError) -> ShardIterator? {
        let span = try readableSpan(shard, from: iterator, limit: limit, at: now, retention: retention)
        for offset in span { shard.appendRecord(at: offset, keys: keys, to: &buffer) }
        return nextIterator(shard, from: iterator, after: span, at: now)
    }

    /// The body of ``readHeaders(_:limit:at:into:)``.
    @inline(__always)
    private static func readHeaders(
        _ shard: UnsafePointer<Shard>, from iterator: ShardIterator, limit: Int, at now: Int64, retention: Int64,
        into consumer: inout some StreamRecordConsumer
    ) throws(ChangeStreamError) -> ReadOutcome {
        // The span of ``readableSpan(_:from:limit:at:retention:)``, worked out while the headers are passed on:
        // one read of each record.
        let start = try readableStart(shard.pointee, from: iterator, at: now, retention: retention)
        let end = min(shard.pointee.entries.count, start + limit)
        var offset = start
        var bytes = 0
        if start < end {
            // A block's run of entries at a time.
            shard.pointee.forEachHeader(in: start..<end) { header in
                if offset > start, bytes &+ header.sizeBytes > StreamLimits.maximumBytesPerRead { return false }
                bytes &+= header.sizeBytes
                consumer.consume(header)
                offset &+= 1
                return true
            }
        }
        let span = start..<offset
        let last = span.isEmpty ? nil : SequenceNumber(rawValue: shard.pointee.entries[span.upperBound - 1].sequence)
        let next = nextIterator(shard.pointee, from: iterator, after: span, at: now)
        return ReadOutcome(next: next, count: span.count, last: last)
    }

    /// The offsets (relative to the first retained record) of the records a read at `iterator` returns: at most
    /// `limit`, and no more than 1 MB unless the first record alone exceeds it.
    /// - Throws: ``ChangeStreamError/trimmedDataAccess(shard:detail:)`` if the position was trimmed.
    @inline(__always)
    private static func readableSpan(
        _ shard: borrowing Shard, from iterator: ShardIterator, limit: Int, at now: Int64, retention: Int64
    ) throws(ChangeStreamError) -> Range<Int> {
        var offset = try readableStart(shard, from: iterator, at: now, retention: retention)
        let count = shard.entries.count
        var bytes = 0
        let first = offset
        let end = min(count, first + limit)
        while offset < end {
            let size = shard.entries[offset].sizeBytes
            if offset > first, bytes + size > StreamLimits.maximumBytesPerRead { break }
            bytes += size
            offset += 1
        }
        return first..<max(first, offset)
    }

    /// The offset (relative to the first retained record) of the first record a read at `iterator` returns.
    /// - Throws: ``ChangeStreamError/trimmedDataAccess(shard:detail:)`` if the position was trimmed.
    @inline(__always)
    private static func readableStart(
        _ shard: borrowing Shard, from iterator: ShardIterator, at now: Int64, retention: Int64
    ) throws(ChangeStreamError) -> Int {
        let position = iterator.position
        let offset = position - shard.trimmedCount
        if offset < 0 || (offset < shard.entries.count && shard.entries.time(at: offset) <= now - retention) {
            throw .trimmedDataAccess(shard: iterator.shard, detail: "position \(position)")
        }
        return offset
    }

    /// The iterator after reading `span`, or `nil` if that read a closed shard to its end.
    @inline(__always)
    private static func nextIterator(
        _ shard: borrowing Shard, from iterator: ShardIterator, after span: Range<Int>, at now: Int64
    ) -> ShardIterator? {
        let next = shard.trimmedCount + span.upperBound
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
