/// Stream lifecycle, shard rollover, partition splits and retention.
extension Table {
    /// Whether the stream is enabled.
    public var isStreamEnabled: Bool { stream.viewType != nil }

    /// The number of partitions.
    public var partitionCount: Int { partitions.count }

    /// The number of records held in memory; trimming keeps it to the records of the last 24 hours.
    /// - Complexity: O(shards).
    public var retainedRecordCount: Int { stream.retainedRecordCount }

    /// Enables the stream with `viewType`: every partition gets a new open shard without a parent.
    /// - Throws: ``ChangeStreamError/streamAlreadyEnabled``, ``ChangeStreamError/timeWentBackwards(now:last:)``.
    public mutating func enableStream(viewType: StreamViewType, at now: Int64) throws(ChangeStreamError) {
        guard stream.viewType == nil else { throw .streamAlreadyEnabled }
        try advanceClock(to: now)
        stream.viewType = viewType
        stream.lastViewType = viewType
        for index in partitions.indices {
            partitions[index].shard = stream.openShard(parent: nil, at: now)
            partitions[index].rolloverAt = now + stream.rollover
        }
    }

    /// Disables the stream: open shards close; their records stay readable until they are 24 hours old.
    /// - Throws: ``ChangeStreamError/streamNotEnabled``, ``ChangeStreamError/timeWentBackwards(now:last:)``.
    public mutating func disableStream(at now: Int64) throws(ChangeStreamError) {
        guard stream.viewType != nil else { throw .streamNotEnabled }
        try advanceClock(to: now)
        for index in partitions.indices {
            rollOverIfDue(index, at: now)
            if let shard = partitions[index].shard { stream.closeShard(shard, at: now) }
            partitions[index].shard = nil
            partitions[index].rolloverAt = .max
        }
        stream.viewType = nil
    }

    /// Splits partition `index` into two halves of its hash range. While the stream is enabled, the
    /// partition's open shard closes and each half gets a new shard whose parent is the closed one.
    /// - Throws: ``ChangeStreamError/partitionNotFound(index:count:)``,
    ///   ``ChangeStreamError/partitionCannotSplit(index:)``, ``ChangeStreamError/timeWentBackwards(now:last:)``.
    /// - Complexity: O(partitions).
    public mutating func splitPartition(_ index: Int, at now: Int64) throws(ChangeStreamError) {
        guard partitions.indices.contains(index) else {
            throw .partitionNotFound(index: index, count: partitions.count)
        }
        let lower = partitions[index].lowerBound
        let upper = index + 1 < partitions.count ? partitions[index + 1].lowerBound - 1 : UInt64.max
        guard lower < upper else { throw .partitionCannotSplit(index: index) }
        try advanceClock(to: now)
        rollOverIfDue(index, at: now)
        let middle = lower + (upper - lower) / 2 + 1
        var left = Partition(lowerBound: lower)
        var right = Partition(lowerBound: middle)
        if let parent = partitions[index].shard {
            stream.closeShard(parent, at: now)
            left.shard = stream.openShard(parent: parent, at: now)
            right.shard = stream.openShard(parent: parent, at: now)
            left.rolloverAt = now + stream.rollover
            right.rolloverAt = now + stream.rollover
        }
        partitions[index] = left
        partitions.insert(right, at: index + 1)
        // Partition indices from this one on have moved: the ids' cached indices are stale.
        store.forgetPartitions()
    }

    /// The index of the partition holding the item collection of `partitionKey`.
    public func partitionIndex(of partitionKey: AttributeValue) -> Int {
        partitionIndex(for: StableHash.of(partitionKey))
    }

    /// Brings the table to time `now`: rolls over shards that are due and trims records older than 24 hours,
    /// deleting closed shards left empty. Reads are correct without it; call it now and then (for example once
    /// a simulated minute) so memory stays proportional to the retention window.
    /// - Throws: ``ChangeStreamError/timeWentBackwards(now:last:)``.
    /// - Complexity: O(partitions + shards + trimmed records).
    public mutating func advance(to now: Int64) throws(ChangeStreamError) {
        try advanceClock(to: now)
        for index in partitions.indices { rollOverIfDue(index, at: now) }
        stream.trimAll(at: now, releasing: &store)
    }

    mutating func rollOverIfDue(_ partition: Int, at now: Int64) {
        if now >= partitions[partition].rolloverAt { rollOver(partition, at: now) }
    }

    /// Closes the partition's open shard and opens a child, at `now`: the first write to the partition or the
    /// first ``advance(to:)`` at or after the rollover time. Closing at `now` rather than back-dating gives
    /// readers 24 hours to see the closed shard before it is deleted.
    mutating func rollOver(_ partition: Int, at now: Int64) {
        guard let parent = partitions[partition].shard, now >= partitions[partition].rolloverAt else { return }
        stream.closeShard(parent, at: now)
        partitions[partition].shard = stream.openShard(parent: parent, at: now)
        partitions[partition].rolloverAt = now + stream.rollover
    }
}
