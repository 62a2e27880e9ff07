/// Where a new shard iterator starts (GetShardIterator's `ShardIteratorType`).
public enum ShardIteratorType: Sendable, Hashable {
    /// At the oldest record not yet trimmed.
    case trimHorizon
    /// Just after the newest record: only records written later are read.
    case latest
    /// At the record with this sequence number.
    case atSequenceNumber(SequenceNumber)
    /// Just after the record with this sequence number.
    case afterSequenceNumber(SequenceNumber)
}

/// A position in one shard, valid for 15 minutes after it was issued.
///
/// Iterators are plain values: the stream keeps no state for them, so holding many costs nothing.
public struct ShardIterator: Sendable, Hashable {
    /// The shard read.
    public let shard: ShardID
    /// The absolute position of the next record to read.
    let position: Int
    /// When the iterator was issued, in nanoseconds; it expires 15 minutes later.
    public let issuedAt: Int64

    /// The same position, issued at `now`: what a client gets by asking for an iterator at its checkpoint
    /// (`AT_SEQUENCE_NUMBER` of the next record), including a TrimmedDataAccess error if it was trimmed.
    /// An iterator at the first record `shard` ever held (`AT_SEQUENCE_NUMBER` of its starting sequence number):
    /// reading it fails with TrimmedDataAccess if anything of the shard was trimmed.
    static func atStart(of shard: ShardID, at now: Int64) -> ShardIterator {
        ShardIterator(shard: shard, position: 0, issuedAt: now)
    }

    func renewed(at now: Int64) -> ShardIterator {
        ShardIterator(shard: shard, position: position, issuedAt: now)
    }
}

/// The answer of one GetRecords call.
public struct GetRecordsResult: Sendable, Hashable {
    /// The records read, in sequence-number order: at most 1,000 and at most 1 MB.
    public var records: [StreamRecord]
    /// The iterator for the next call, or `nil` once a closed shard has been read to its end.
    public var nextIterator: ShardIterator?
}

/// One shard as DescribeStream lists it.
public struct ShardDescription: Sendable, Hashable {
    /// The shard's identifier.
    public var id: ShardID
    /// The shard it replaced (after a rollover or a partition split), if any.
    public var parentID: ShardID?
    /// When the shard opened, in nanoseconds.
    public var createdAt: Int64
    /// When the shard closed, or `nil` while it is open.
    public var closedAt: Int64?
    /// The first sequence number the shard ever held, or `nil` if it never held a record.
    public var startingSequenceNumber: SequenceNumber?
    /// The last sequence number of a closed shard, or `nil` while the shard is open or if it held none.
    public var endingSequenceNumber: SequenceNumber?
    /// The number of records currently held (after trimming).
    public var retainedRecordCount: Int
}

/// The stream as DescribeStream shows it.
public struct StreamDescription: Sendable, Hashable {
    /// The view type of the latest enabling, or `nil` if the stream was never enabled.
    public var viewType: StreamViewType?
    /// Whether the stream takes new records.
    public var isEnabled: Bool
    /// The shards not yet deleted, by increasing identifier (so parents come before their children).
    public var shards: [ShardDescription]
}
