public import SimulationKernel
public import Stochastics

/// A window during which a consumer fails every call (an outage), nanoseconds from the start.
public struct OutageWindow: Sendable, Equatable {
    public var start: SimTime
    public var end: SimTime
    public init(start: SimTime, end: SimTime) {
        self.start = start
        self.end = end
    }

    public func contains(_ time: SimTime) -> Bool { time >= start && time < end }
}

/// A Lambda-style function: concurrency limit, scaling rate, cold starts, service time, errors, timeout.
public struct FunctionSpec: Sendable {
    public var name: String
    /// Largest number of concurrent executions (reserved concurrency; account default 1,000, figures.md §3.1).
    public var concurrency: Int
    /// New execution environments per second and the burst (current model: 1,000 per 10 s per function).
    public var scalingRate: Double
    public var scalingBurst: Double
    /// Extra init time of a new environment, seconds (lognormal p50 250 ms, p99 1.5 s; figures.md §8).
    public var coldStart: Distribution
    /// Execution time per invocation, seconds.
    public var service: Distribution
    /// Extra execution time per record of a batch beyond the first, seconds (queue and stream pollers).
    public var perRecord: Distribution
    /// Probability that an invocation fails (0…1).
    public var errorRate: Double
    /// Invocations running longer than this fail with a timeout, nanoseconds.
    public var timeout: SimTime
    /// Memory size in MB, for GB-second cost.
    public var memoryMB: Int
    /// Asynchronous invocations (from a bus or topic): retries after a function error (0…2), 1 min then 2 min.
    public var asyncRetries: Int
    /// Asynchronous invocations older than this are discarded (60 s…6 h, default 6 h).
    public var maximumEventAge: SimTime
    /// Whether asynchronous failures go to an on-failure destination (counted dead-lettered) or are dropped.
    public var onFailureDestination: Bool
    public var outages: [OutageWindow]

    public init(
        name: String, concurrency: Int = 1_000, scalingRate: Double = 100, scalingBurst: Double = 1_000,
        coldStart: Distribution, service: Distribution, perRecord: Distribution = .constant(0),
        errorRate: Double = 0, timeout: SimTime = 30_000_000_000, memoryMB: Int = 512,
        asyncRetries: Int = 2, maximumEventAge: SimTime = 21_600_000_000_000,
        onFailureDestination: Bool = true, outages: [OutageWindow] = []
    ) {
        self.name = name
        self.concurrency = concurrency
        self.scalingRate = scalingRate
        self.scalingBurst = scalingBurst
        self.coldStart = coldStart
        self.service = service
        self.perRecord = perRecord
        self.errorRate = errorRate
        self.timeout = timeout
        self.memoryMB = memoryMB
        self.asyncRetries = asyncRetries
        self.maximumEventAge = maximumEventAge
        self.onFailureDestination = onFailureDestination
        self.outages = outages
    }
}

/// A queue read by a function through a poller (event source mapping).
public struct QueueSpec: Sendable {
    public var name: String
    /// The function that processes batches.
    public var consumer: String
    /// Records per batch (1…10,000; default 10).
    public var batchSize: Int
    /// Longest wait to fill a batch, nanoseconds (0…300 s).
    public var batchingWindow: SimTime
    /// Largest number of concurrent batches (2…1,000).
    public var maximumConcurrency: Int
    /// Poller pick-up latency from send to invocation start, seconds (`sqs`: p50 16 ms, p99 105 ms).
    public var pollLatency: Distribution
    /// A failed batch becomes visible again after this, nanoseconds (default 30 s).
    public var visibilityTimeout: SimTime
    /// Receives after which a message moves to the queue's dead-letter queue; nil for none (it retries forever).
    public var maxReceiveCount: Int?

    public init(
        name: String, consumer: String, batchSize: Int = 10, batchingWindow: SimTime = 0,
        maximumConcurrency: Int = 1_000, pollLatency: Distribution, visibilityTimeout: SimTime = 30_000_000_000,
        maxReceiveCount: Int? = 5
    ) {
        self.name = name
        self.consumer = consumer
        self.batchSize = batchSize
        self.batchingWindow = batchingWindow
        self.maximumConcurrency = maximumConcurrency
        self.pollLatency = pollLatency
        self.visibilityTimeout = visibilityTimeout
        self.maxReceiveCount = maxReceiveCount
    }
}

/// An HTTP endpoint: a fixed number of servers, a bounded queue, errors when overloaded.
public struct EndpointSpec: Sendable {
    public var name: String
    public var servers: Int
    /// Requests that may wait when all servers are busy; beyond it the endpoint answers 503.
    public var queueLimit: Int
    public var service: Distribution
    public var errorRate: Double
    public var outages: [OutageWindow]

    public init(
        name: String, servers: Int, queueLimit: Int, service: Distribution, errorRate: Double = 0,
        outages: [OutageWindow] = []
    ) {
        self.name = name
        self.servers = servers
        self.queueLimit = queueLimit
        self.service = service
        self.errorRate = errorRate
        self.outages = outages
    }
}

/// A table with a change stream, read by a Lambda-style poller that feeds a function or a bus.
public struct StreamSpec: Sendable {
    /// The table name (producers' `writes` name it).
    public var name: String
    /// Stream view type: KEYS_ONLY, NEW_IMAGE, OLD_IMAGE or NEW_AND_OLD_IMAGES.
    public var viewType: String
    /// Number of table partitions (each with one open shard).
    public var partitions: Int
    /// The component fed by the poller: a function (batches) or a bus (one event per record).
    public var target: String
    public var batchSize: Int
    public var batchingWindow: SimTime
    public var parallelizationFactor: Int
    /// Polls per second per shard (4, figures.md §3.4).
    public var pollsPerSecond: Double
    /// Write-to-readable latency, seconds (`dynamodb-streams` end to end p50 213 ms, p99 552 ms, minus polling).
    public var propagation: Distribution
    /// Retries of a failed batch (−1: until the record expires).
    public var maximumRetryAttempts: Int
    public var bisectOnError: Bool

    public init(
        name: String, viewType: String = "NEW_AND_OLD_IMAGES", partitions: Int = 4, target: String,
        batchSize: Int = 100, batchingWindow: SimTime = 0, parallelizationFactor: Int = 1,
        pollsPerSecond: Double = 4, propagation: Distribution, maximumRetryAttempts: Int = -1,
        bisectOnError: Bool = false
    ) {
        self.name = name
        self.viewType = viewType
        self.partitions = partitions
        self.target = target
        self.batchSize = batchSize
        self.batchingWindow = batchingWindow
        self.parallelizationFactor = parallelizationFactor
        self.pollsPerSecond = pollsPerSecond
        self.propagation = propagation
        self.maximumRetryAttempts = maximumRetryAttempts
        self.bisectOnError = bisectOnError
    }
}
