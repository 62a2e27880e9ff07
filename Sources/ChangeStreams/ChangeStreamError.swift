/// Everything that can go wrong in this module; each case's description is one clear sentence.
public enum ChangeStreamError: Error, Sendable, Hashable, CustomStringConvertible {
    /// An item or key lacks a key attribute of the table's key schema.
    case missingKeyAttribute(String)
    /// A key attribute holds a type other than `S`, `N` or `B`.
    case invalidKeyType(attribute: String, type: String)
    /// A key attribute holds an empty string or binary.
    case emptyKeyValue(attribute: String)
    /// A key has a sort key value but the table has none.
    case unexpectedSortKey
    /// A number's text is not a valid number.
    case invalidNumber(attribute: String, text: String)
    /// An item is larger than the 400 KB limit.
    case itemTooLarge(bytes: Int)
    /// An update tries to change or remove a key attribute.
    case keyAttributeUpdate(String)
    /// The caller's clock went backwards.
    case timeWentBackwards(now: Int64, last: Int64)
    /// `enableStream` was called on a table whose stream is enabled.
    case streamAlreadyEnabled
    /// `disableStream` was called on a table whose stream is disabled.
    case streamNotEnabled
    /// No shard with this identifier was ever created.
    case shardNotFound(ShardID)
    /// The requested position lies before the stream's trim horizon (the service's TrimmedDataAccessException).
    case trimmedDataAccess(shard: ShardID, detail: String)
    /// The iterator is older than 15 minutes (the service's ExpiredIteratorException).
    case expiredIterator(shard: ShardID, issuedAt: Int64, now: Int64)
    /// The sequence number is not one of the shard's records.
    case sequenceNumberNotInShard(SequenceNumber, ShardID)
    /// A GetRecords limit outside 1...1000.
    case invalidLimit(Int)
    /// The partition index does not exist.
    case partitionNotFound(index: Int, count: Int)
    /// The partition's hash range holds a single value and cannot be halved.
    case partitionCannotSplit(index: Int)
    /// A configuration value is out of its range.
    case invalidConfiguration(field: String, value: String, expected: String)
    /// A handler result names an invocation that is not in flight.
    case unknownInvocation(UInt64)

    public var description: String {
        switch self {
        case .missingKeyAttribute(let name):
            "error: the item has no key attribute '\(name)'"
        case .invalidKeyType(let name, let type):
            "error: key attribute '\(name)' has type \(type); expected one of: S, N, B"
        case .emptyKeyValue(let name):
            "error: key attribute '\(name)' is empty; key values must have at least one byte"
        case .unexpectedSortKey:
            "error: the key has a sort key value but the table's key schema has no sort key"
        case .invalidNumber(let name, let text):
            "error: attribute '\(name)' has invalid number '\(text)'; expected decimal digits with an optional "
                + "sign, fraction and exponent, at most 38 significant digits"
        case .itemTooLarge(let bytes):
            "error: the item is \(bytes) bytes; the limit is \(StreamLimits.maximumItemSize) bytes"
        case .keyAttributeUpdate(let name):
            "error: an update cannot change or remove key attribute '\(name)'"
        case .timeWentBackwards(let now, let last):
            "error: time \(now) ns is before the table's last time \(last) ns; time must not go backwards"
        case .streamAlreadyEnabled:
            "error: the stream is already enabled; disable it before enabling it with another view type"
        case .streamNotEnabled:
            "error: the stream is not enabled"
        case .shardNotFound(let shard):
            "error: no shard \(shard) exists in this stream"
        case .trimmedDataAccess(let shard, let detail):
            "error: TrimmedDataAccess: \(detail) in \(shard) is beyond the trim horizon; records older than "
                + "24 hours were trimmed"
        case .expiredIterator(let shard, let issuedAt, let now):
            "error: ExpiredIterator: the iterator for \(shard) was issued at \(issuedAt) ns and expired "
                + "15 minutes later, before \(now) ns"
        case .sequenceNumberNotInShard(let sequence, let shard):
            "error: sequence number \(sequence) is not a record of \(shard)"
        case .invalidLimit(let limit):
            "error: limit \(limit) is out of range; expected 1 to \(StreamLimits.maximumRecordsPerRead)"
        case .partitionNotFound(let index, let count):
            "error: partition \(index) does not exist; the table has \(count) partitions (0 to \(count - 1))"
        case .partitionCannotSplit(let index):
            "error: partition \(index) covers a single hash value and cannot be split"
        case .invalidConfiguration(let field, let value, let expected):
            "error: \(field) is \(value); expected \(expected)"
        case .unknownInvocation(let id):
            "error: invocation \(id) is not in flight"
        }
    }
}
