/// The settings of a Lambda-style event source mapping on the stream (see AWS's DynamoDB event source
/// parameters). Times are simulated nanoseconds.
public struct PollerConfiguration: Sendable, Hashable {
    /// The most records in one batch (`BatchSize`): 1 to 10,000, default 100.
    public var batchSize: Int
    /// How long to gather records before invoking (`MaximumBatchingWindowInSeconds`): 0 to 300 s, default 0.
    public var maximumBatchingWindow: Int64
    /// Concurrent batches per shard (`ParallelizationFactor`): 1 to 10, default 1. Records of one partition key
    /// always go to the same lane, so each item's records are still processed in order.
    public var parallelizationFactor: Int
    /// Whether a failed batch is split in two halves that are retried separately (`BisectBatchOnFunctionError`).
    public var bisectBatchOnFunctionError: Bool
    /// Retries after the first failed invocation before the batch is discarded (`MaximumRetryAttempts`):
    /// 0 to 10,000, or `nil` (the service's -1) to retry until the records expire.
    public var maximumRetryAttempts: Int?
    /// The age past which records are discarded instead of sent (`MaximumRecordAgeInSeconds`): 60 s to
    /// 604,800 s, or `nil` (the service's -1) for no limit beyond the 24-hour retention.
    public var maximumRecordAge: Int64?
    /// Where the poller starts on shards that exist when it first acts.
    public var startingPosition: StreamReader.StartingPosition
    /// The time between polls of one shard: 250 ms (4 polls per second) by default.
    public var pollInterval: Int64
    /// The largest invocation payload: 6 MB. A batch is cut when the next record would exceed it.
    public var maximumPayloadBytes: Int

    /// Creates a configuration; the defaults are the service's.
    public init(
        batchSize: Int = 100, maximumBatchingWindow: Int64 = 0, parallelizationFactor: Int = 1,
        bisectBatchOnFunctionError: Bool = false, maximumRetryAttempts: Int? = nil,
        maximumRecordAge: Int64? = nil, startingPosition: StreamReader.StartingPosition = .trimHorizon,
        pollInterval: Int64 = 250_000_000, maximumPayloadBytes: Int = 6 * 1_048_576
    ) {
        self.batchSize = batchSize
        self.maximumBatchingWindow = maximumBatchingWindow
        self.parallelizationFactor = parallelizationFactor
        self.bisectBatchOnFunctionError = bisectBatchOnFunctionError
        self.maximumRetryAttempts = maximumRetryAttempts
        self.maximumRecordAge = maximumRecordAge
        self.startingPosition = startingPosition
        self.pollInterval = pollInterval
        self.maximumPayloadBytes = maximumPayloadBytes
    }

    /// Checks every setting against the service's ranges, reporting the first one out of range.
    /// - Throws: ``ChangeStreamError/invalidConfiguration(field:value:expected:)``.
    public func validate() throws(ChangeStreamError) {
        let second = StreamLimits.second
        guard (1...10_000).contains(batchSize) else {
            throw .invalidConfiguration(field: "batchSize", value: String(batchSize), expected: "1 to 10000")
        }
        guard (0...300 * second).contains(maximumBatchingWindow) else {
            throw .invalidConfiguration(
                field: "maximumBatchingWindow", value: "\(maximumBatchingWindow) ns", expected: "0 to 300 s")
        }
        guard (1...10).contains(parallelizationFactor) else {
            throw .invalidConfiguration(
                field: "parallelizationFactor", value: String(parallelizationFactor), expected: "1 to 10")
        }
        if let retries = maximumRetryAttempts, !(0...10_000).contains(retries) {
            throw .invalidConfiguration(
                field: "maximumRetryAttempts", value: String(retries), expected: "0 to 10000, or nil for no limit")
        }
        if let age = maximumRecordAge, !(60 * second...604_800 * second).contains(age) {
            throw .invalidConfiguration(
                field: "maximumRecordAge", value: "\(age) ns", expected: "60 s to 604800 s, or nil for no limit")
        }
        guard pollInterval > 0 else {
            throw .invalidConfiguration(
                field: "pollInterval", value: "\(pollInterval) ns", expected: "a positive duration")
        }
        guard maximumPayloadBytes > 0 else {
            throw .invalidConfiguration(
                field: "maximumPayloadBytes", value: String(maximumPayloadBytes), expected: "a positive size")
        }
    }
}

/// A batch the poller asks the caller to hand to the function.
public struct Invocation: Sendable, Hashable {
    /// The identifier to quote in the ``InvocationResult``.
    public var id: UInt64
    /// The shard the records come from.
    public var shard: ShardID
    /// The lane within the shard (0 ..< parallelization factor).
    public var lane: Int
    /// The records, in sequence-number order.
    public var records: [StreamRecord]
    /// 1 for a first invocation, 2 for the first retry, and so on.
    public var attempt: Int
    /// The sum of the records' sizes in bytes.
    public var payloadBytes: Int
}

/// How a function invocation ended.
public enum InvocationOutcome: Sendable, Hashable {
    /// Every record was processed.
    case success
    /// The function failed; the whole batch is retried (or bisected).
    case failure
    /// The function reported the first record it failed on (`ReportBatchItemFailures`); the records before it
    /// are done and the rest is retried. A sequence number outside the batch counts as a failure of the batch.
    case partialFailure(firstFailed: SequenceNumber)
}

/// The caller's report of one finished invocation.
public struct InvocationResult: Sendable, Hashable {
    /// The invocation's identifier.
    public var id: UInt64
    /// How it ended.
    public var outcome: InvocationOutcome

    /// Creates a result.
    public init(id: UInt64, outcome: InvocationOutcome) {
        self.id = id
        self.outcome = outcome
    }
}

/// The description of a discarded batch sent to the on-failure destination (the service's
/// `DDBStreamBatchInfo` with its request context).
public struct FailedBatchRecord: Sendable, Hashable {
    /// Why the batch was discarded.
    public enum Condition: String, Sendable, Hashable {
        /// The batch failed more than `maximumRetryAttempts` retries.
        case retryAttemptsExhausted = "RetryAttemptsExhausted"
        /// A record of the batch was older than `maximumRecordAge`.
        case recordAgeExceeded = "RecordAgeExceeded"
    }

    /// The shard of the records.
    public var shard: ShardID
    /// The first record's sequence number.
    public var startSequenceNumber: SequenceNumber
    /// The last record's sequence number.
    public var endSequenceNumber: SequenceNumber
    /// The number of records discarded.
    public var batchSize: Int
    /// The creation time of the first and last records, in nanoseconds.
    public var approximateArrivalOfFirstRecord: Int64
    public var approximateArrivalOfLastRecord: Int64
    /// Why the batch was discarded.
    public var condition: Condition
    /// How many times the batch (or the batch it was bisected from) was invoked.
    public var approximateInvokeCount: Int
    /// When the batch was discarded, in nanoseconds.
    public var time: Int64
}

/// What one ``StreamPoller/act(at:on:results:into:)`` call asks of the caller.
public struct PollerOutput: Sendable {
    /// Batches to invoke now.
    public var invocations: [Invocation] = []
    /// Discarded batches to deliver to the on-failure destination.
    public var failedBatches: [FailedBatchRecord] = []

    /// Creates an empty output.
    public init() {}

    /// Empties both lists, keeping their storage for the next call.
    public mutating func removeAll() {
        invocations.removeAll(keepingCapacity: true)
        failedBatches.removeAll(keepingCapacity: true)
    }
}

/// Running totals of a poller.
public struct PollerStatistics: Sendable, Hashable {
    /// Invocations handed out, first attempts and retries.
    public var invocations = 0
    /// Invocations that were retries.
    public var retries = 0
    /// Records whose invocation succeeded.
    public var recordsSucceeded = 0
    /// Records sent to the on-failure destination.
    public var recordsDiscarded = 0
    /// GetRecords calls made.
    public var getRecordsCalls = 0
    /// Times the poller met data trimmed before it could read it.
    public var trimmedDataEvents = 0
}
