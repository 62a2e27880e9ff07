import DequeModule

/// One shard: an append-only run of records in sequence-number order, trimmed from the front.
///
/// Records are addressed by absolute position: the first record ever appended is position 0, and
/// `trimmedCount` positions have been dropped from the front. Memory is proportional to the records still held.
struct Shard {
    let id: ShardID
    let parentID: ShardID?
    let createdAt: Int64
    /// When the shard stopped taking records, or `nil` while it is open.
    var closedAt: Int64?
    /// The retained records, oldest first; creation times never decrease.
    var records: Deque<StreamRecord> = []
    /// How many records were dropped from the front; the absolute position of `records.first`.
    var trimmedCount = 0
    /// The first and last sequence numbers ever appended (kept after trimming, for descriptions).
    var firstSequence: SequenceNumber?
    var lastSequence: SequenceNumber?
    /// Set once the shard is closed and all its records are past the retention period.
    var isDeleted = false

    init(id: ShardID, parentID: ShardID?, createdAt: Int64) {
        self.id = id
        self.parentID = parentID
        self.createdAt = createdAt
    }

    /// The absolute position just after the newest record.
    var endPosition: Int { trimmedCount + records.count }

    mutating func append(_ record: StreamRecord) {
        if firstSequence == nil { firstSequence = record.sequenceNumber }
        lastSequence = record.sequenceNumber
        records.append(record)
    }

    /// Drops the records created at or before `cutoff`.
    /// - Complexity: O(dropped records).
    mutating func trim(through cutoff: Int64) {
        while let first = records.first, first.approximateCreationTime <= cutoff {
            records.removeFirst()
            trimmedCount += 1
        }
    }

    /// The absolute position of the first record created after `cutoff`, that is, the logical trim horizon.
    /// - Complexity: O(log n).
    func horizon(after cutoff: Int64) -> Int {
        if records.first.map({ $0.approximateCreationTime > cutoff }) ?? true { return trimmedCount }
        var low = 0
        var high = records.count
        while low < high {
            let middle = (low + high) / 2
            if records[middle].approximateCreationTime <= cutoff { low = middle + 1 } else { high = middle }
        }
        return trimmedCount + low
    }

    /// The absolute position of the retained record with sequence number `sequence`, or `nil`.
    /// - Complexity: O(log n).
    func position(of sequence: SequenceNumber) -> Int? {
        var low = 0
        var high = records.count
        while low < high {
            let middle = (low + high) / 2
            if records[middle].sequenceNumber < sequence { low = middle + 1 } else { high = middle }
        }
        guard low < records.count, records[low].sequenceNumber == sequence else { return nil }
        return trimmedCount + low
    }
}
