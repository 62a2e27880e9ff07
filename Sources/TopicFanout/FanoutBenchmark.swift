import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The fan-out benchmark behind `eventsim bench fanout`: a standard topic with N generated subscriptions
/// (`WorkloadGenerator`), M generated messages published through `Topic.publish`, timed.
public enum FanoutBenchmark {
    /// The figures of one run.
    public struct Result: Sendable, Equatable {
        public var subscriptions: Int
        public var messages: Int
        /// Total deliveries over all messages (subscriptions whose filter passed).
        public var deliveries: Int
        /// Wall-clock seconds spent publishing the messages (building the topic excluded).
        public var seconds: Double
        /// CPU seconds the process spent publishing (less sensitive than `seconds` to other processes on a
        /// shared machine; 0 where unavailable).
        public var cpuSeconds: Double
        /// Seconds spent building the topic (parsing, validating and indexing the policies).
        public var buildSeconds: Double
        /// Growth of the resident set while building the topic, per subscription, bytes (Linux; else 0).
        public var bytesPerSubscription: Double
        /// Policies the index cannot pre-select (checked on every message).
        public var unindexedPolicies: Int
        /// Whether the run used the plain per-subscription scan instead of the index.
        public var scan: Bool

        /// Messages published per second.
        public var messagesPerSecond: Double { seconds > 0 ? Double(messages) / seconds : 0 }
        /// Messages published per CPU second.
        public var messagesPerCPUSecond: Double { cpuSeconds > 0 ? Double(messages) / cpuSeconds : 0 }
        /// Deliveries divided by (messages x subscriptions).
        public var deliveryRatio: Double {
            messages > 0 && subscriptions > 0 ? Double(deliveries) / (Double(messages) * Double(subscriptions)) : 0
        }

        /// The CSV header matching `csvRow`.
        public static let csvHeader =
            "subscriptions,messages,deliveries,seconds,messages_per_second,delivery_ratio,"
            + "build_seconds,bytes_per_subscription,unindexed_policies,mode,cpu_seconds,messages_per_cpu_second"

        /// One CSV row.
        public var csvRow: String {
            "\(subscriptions),\(messages),\(deliveries),\(format(seconds, 6)),\(format(messagesPerSecond, 1)),"
                + "\(format(deliveryRatio, 8)),\(format(buildSeconds, 3)),\(format(bytesPerSubscription, 1)),"
                + "\(unindexedPolicies),\(scan ? "scan" : "index"),\(format(cpuSeconds, 6)),"
                + "\(format(messagesPerCPUSecond, 1))"
        }

        private func format(_ value: Double, _ digits: Int) -> String {
            var scale = 1.0
            for _ in 0..<digits { scale *= 10 }
            let scaled = (value * scale).rounded()
            let whole = Int(scaled / scale)
            var fraction = String(Int(abs(scaled) - abs(Double(whole)) * scale))
            while fraction.count < digits { fraction = "0" + fraction }
            return digits == 0 ? "\(whole)" : "\(whole).\(fraction)"
        }
    }

    /// Runs the benchmark.
    /// - Parameters:
    ///   - subscriptions: N, the number of subscriptions (≥ 1).
    ///   - messages: M, the number of messages to publish (≥ 1).
    ///   - seed: the generator seed; the same seed gives the same policies, messages and deliveries.
    ///   - scan: check every policy for every message instead of using the index (the baseline).
    /// - Throws: `TopicFanoutError` if a generated policy or message is rejected (a generator bug).
    public static func run(subscriptions: Int, messages: Int, seed: UInt64, scan: Bool = false)
        throws(TopicFanoutError) -> Result
    {
        var generator = WorkloadGenerator(seed: seed)
        let heapBefore = heapBytes()
        let buildStart = ContinuousClock.now
        let topic = try Topic(name: "bench", filterPolicyQuota: .max)
        let protocols: [DeliveryProtocol] = [.sqs, .lambda, .https, .sqs, .firehose, .email]
        for index in 0..<subscriptions {
            var policy: FilterPolicy?
            if let (text, scope) = generator.nextPolicy() { policy = try FilterPolicy(text: text, scope: scope) }
            try topic.subscribe(
                SubscriptionConfiguration(
                    deliveryProtocol: protocols[index % protocols.count],
                    filterPolicy: policy))
        }
        let buildSeconds = seconds(since: buildStart)
        let heapAfter = heapBytes()
        var batch: [Message] = []
        batch.reserveCapacity(messages)
        for _ in 0..<messages { batch.append(generator.nextMessage()) }
        var deliveries = 0
        let start = ContinuousClock.now
        let cpuStart = cpuTime()
        if scan {
            for message in batch { deliveries += topic.scanSubscriptions(try MessageView(message)).count }
        } else {
            for message in batch { deliveries += try topic.publish(message).deliveries.count }
        }
        let elapsed = seconds(since: start)
        let cpu = max(cpuTime() - cpuStart, 0)
        let bytes = heapAfter > heapBefore ? Double(heapAfter - heapBefore) / Double(max(subscriptions, 1)) : 0
        return Result(
            subscriptions: subscriptions, messages: messages, deliveries: deliveries, seconds: elapsed,
            cpuSeconds: cpu, buildSeconds: buildSeconds, bytesPerSubscription: bytes,
            unindexedPolicies: topic.unindexedPolicyCount, scan: scan)
    }

    private static func seconds(since start: ContinuousClock.Instant) -> Double {
        let duration = ContinuousClock.now - start
        return Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// The CPU time of the process, seconds (0 where unavailable).
    static func cpuTime() -> Double {
        #if canImport(Glibc)
            var spec = timespec()
            guard clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &spec) == 0 else { return 0 }
            return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
        #else
            return 0
        #endif
    }

    /// The resident set size of the process in bytes (Linux `/proc/self/statm`, 4 KiB pages), or 0 elsewhere.
    static func heapBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
        return pages * 4096
    }
}
