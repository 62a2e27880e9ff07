/// The fields of a stream record that cost nothing to read: everything but the key and the images.
///
/// A reader that only needs sizes, sequence numbers, event kinds or times reads headers through a
/// ``StreamRecordConsumer`` instead of ``StreamRecord`` values: a header is 32 bytes of plain integers, built
/// straight from the shard's compact entry, with no key to copy, no images to retain and nothing to release.
public struct StreamRecordHeader: Sendable, Hashable {
    /// The modification kind.
    public var eventName: EventName
    /// The record's sequence number.
    public var sequenceNumber: SequenceNumber
    /// The record's size in bytes, as ``StreamRecord/sizeBytes``.
    public var sizeBytes: Int
    /// When the modification happened, in simulated nanoseconds.
    public var approximateCreationTime: Int64

    /// Creates a header.
    public init(eventName: EventName, sequenceNumber: SequenceNumber, sizeBytes: Int, approximateCreationTime: Int64) {
        self.eventName = eventName
        self.sequenceNumber = sequenceNumber
        self.sizeBytes = sizeBytes
        self.approximateCreationTime = approximateCreationTime
    }

    /// The header of `record`: what ``StreamRecordConsumer`` is given for the same record.
    public init(_ record: StreamRecord) {
        self.init(
            eventName: record.eventName, sequenceNumber: record.sequenceNumber, sizeBytes: record.sizeBytes,
            approximateCreationTime: record.approximateCreationTime)
    }
}

/// Takes the records of a read one header at a time, in the order the read returns them (sequence-number order
/// within a shard). Conform a value type and pass it `inout`; reads are specialised for it, so a consumer that
/// adds up a field costs a few instructions a record.
public protocol StreamRecordConsumer {
    /// Takes the next record read.
    mutating func consume(_ record: StreamRecordHeader)
}

/// What one read into a consumer did.
struct ReadOutcome {
    /// The iterator for the next read, or `nil` once a closed shard is read to its end.
    var next: ShardIterator?
    /// The number of records read.
    var count: Int
    /// The sequence number of the last record read, or `nil` if none was.
    var last: SequenceNumber?
}
