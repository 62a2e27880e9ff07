public import Stochastics

/// What one consumer (a function, an endpoint, or an external subscriber) saw in one run.
///
/// Latencies are end to end: from the producer's put to the end of processing (``latency``) and to the start
/// of processing (``deliveryLatency``, what published "publish to consumer" benchmarks measure); only events
/// produced after the warm-up are recorded.
public struct SinkMetrics: Sendable {
    /// Component name.
    public var name: String
    /// Component kind: function, endpoint, external.
    public var kind: String
    /// Copies processed successfully (all of the run, warm-up included).
    public var delivered = 0
    /// Copies processed successfully that were produced after the warm-up.
    public var deliveredMeasured = 0
    public var latency = LatencyHistogram()
    public var deliveryLatency = LatencyHistogram()
    /// Invocations or requests started (including retries), failures, throttles and cold starts.
    public var invocations = 0
    public var failures = 0
    public var throttles = 0
    public var coldStarts = 0
    /// Largest number of concurrent executions (function environments busy, endpoint servers busy).
    public var peakConcurrency = 0
    /// Execution time × memory, GB-seconds (functions).
    public var gigabyteSeconds = 0.0
    /// Copies bound for this consumer that were dead-lettered, dropped (by reason) or retried.
    public var deadLettered = 0
    public var drops = [Int](repeating: 0, count: DropReason.allCases.count)
    public var retried = 0

    public var dropped: Int { drops.reduce(0, +) }

    public init(name: String, kind: String) {
        self.name = name
        self.kind = kind
    }

    /// Counts one measured delivery (one access to the consumer's row instead of one per field); the simulation
    /// records its latencies in ``LatencyRecorder``s that become ``latency`` and ``deliveryLatency`` at the end.
    mutating func noteMeasuredDelivery() {
        delivered += 1
        deliveredMeasured += 1
    }

    /// Counts one started invocation: a cold start or not, the function's busy environments now, and its
    /// execution's GB-seconds.
    mutating func noteInvocation(cold: Bool, concurrency: Int, gigabyteSeconds: Double) {
        invocations += 1
        if cold { coldStarts += 1 }
        peakConcurrency = Swift.max(peakConcurrency, concurrency)
        self.gigabyteSeconds += gigabyteSeconds
    }
}

/// One row of the time series: what happened during one window.
public struct WindowSample: Sendable, Equatable {
    /// Window start, nanoseconds.
    public var start: Int64
    public var produced = 0
    public var delivered = 0
    /// Copies in flight at the window's end.
    public var backlog = 0
    /// Largest total concurrency (busy function environments and endpoint servers) during the window.
    public var concurrency = 0
    public var throttles = 0
    /// 99th percentile of end-to-end latencies completed in the window, nanoseconds (0 if none).
    public var p99: Int64 = 0

    public init(start: Int64) { self.start = start }
}

/// Billable usage of one run, priced by the cost model.
public struct UsageCounters: Sendable, Equatable {
    /// Bus events ingested, in 64 KB chunks.
    public var busEventChunks = 0
    /// Topic publishes, in 64 KB chunks (standard and FIFO).
    public var topicPublishChunks = 0
    public var fifoPublishChunks = 0
    /// Topic deliveries to HTTP/S endpoints, email and other customer endpoints.
    public var httpDeliveries = 0
    public var emailDeliveries = 0
    public var otherDeliveries = 0
    /// Function invocations (requests) and their GB-seconds.
    public var functionRequests = 0
    public var functionGigabyteSeconds = 0.0
    /// Queue API requests (send, receive, delete), in 64 KB chunks.
    public var queueRequests = 0
    /// Stream GetRecords calls.
    public var streamReads = 0

    public init() {}

    public mutating func merge(_ other: UsageCounters) {
        busEventChunks += other.busEventChunks
        topicPublishChunks += other.topicPublishChunks
        fifoPublishChunks += other.fifoPublishChunks
        httpDeliveries += other.httpDeliveries
        emailDeliveries += other.emailDeliveries
        otherDeliveries += other.otherDeliveries
        functionRequests += other.functionRequests
        functionGigabyteSeconds += other.functionGigabyteSeconds
        queueRequests += other.queueRequests
        streamReads += other.streamReads
    }
}

/// Everything one run of one architecture produced.
public struct RunResult: Sendable {
    public var architecture: String
    public var replication: Int
    public var ledger: Ledger
    /// One entry per consumer, in declaration order.
    public var sinks: [SinkMetrics]
    /// End-to-end latency over all consumers.
    public var overall: LatencyHistogram
    public var timeSeries: [WindowSample]
    public var usage: UsageCounters
    /// Simulated span over which throughput is measured (after warm-up to the end of production), seconds.
    public var measuredSeconds: Double
    /// Kernel events handled.
    public var events: UInt64
}
