/// `FifoThroughputScope`: where deduplication and the throughput quota apply on a FIFO topic.
public enum FIFOThroughputScope: String, Sendable, Equatable, CaseIterable {
    /// Deduplication over the whole topic; 3,000 messages/s and 20 MB/s per topic.
    case topic = "Topic"
    /// High-throughput mode: deduplication per message group; the Region's account quota per topic.
    case messageGroup = "MessageGroup"
}

/// The settings of a FIFO topic.
public struct FIFOSettings: Sendable, Equatable {
    /// `ContentBasedDeduplication`: without an explicit id, the SHA-256 of the body is the deduplication id.
    public var contentBasedDeduplication: Bool
    /// `FifoThroughputScope`.
    public var throughputScope: FIFOThroughputScope
    /// Messages per second per message group (300).
    public var groupRate: Double
    /// Messages per second per topic: 3,000 with `.topic` scope, the Region's quota (30,000 in us-east-1) with
    /// `.messageGroup`.
    public var topicRate: Double
    /// Bytes per second per topic with `.topic` scope (20 MB/s); nil for none.
    public var topicBytesPerSecond: Double?

    public init(
        contentBasedDeduplication: Bool = false, throughputScope: FIFOThroughputScope = .topic,
        groupRate: Double = 300, topicRate: Double? = nil, topicBytesPerSecond: Double? = nil
    ) {
        self.contentBasedDeduplication = contentBasedDeduplication
        self.throughputScope = throughputScope
        self.groupRate = groupRate
        self.topicRate = topicRate ?? (throughputScope == .topic ? 3_000 : 30_000)
        self.topicBytesPerSecond = topicBytesPerSecond ?? (throughputScope == .topic ? 20_000_000 : nil)
    }
}

/// What a FIFO publish did.
public enum FIFOAdmission: Sendable, Equatable {
    /// New message: deliver it; `sequenceNumber` orders it within the topic (and so within its group).
    case accepted(sequenceNumber: Int)
    /// A repeat of a deduplication id inside the 5-minute window: accepted but not delivered.
    case duplicate
}

/// The publish-side state of a FIFO topic: deduplication window, sequence numbers, throughput limits.
public struct FIFOTopicState: Sendable {
    public let settings: FIFOSettings
    private var window = DeduplicationWindow()
    private var nextSequence = 1
    private var topicLimiter: RateLimiter
    private var byteLimiter: RateLimiter?
    private var groupLimiters: [String: RateLimiter] = [:]

    public init(settings: FIFOSettings) {
        self.settings = settings
        topicLimiter = RateLimiter(rate: settings.topicRate)
        byteLimiter = settings.topicBytesPerSecond.map { RateLimiter(rate: $0) }
    }

    /// Admits a message published at `now` (nanoseconds, non-decreasing).
    /// - Throws: `TopicFanoutError` `.invalidMessage` (missing or malformed group or deduplication id) or
    ///   `.throttled` (per-group or per-topic quota exceeded; the message is not accepted).
    public mutating func admit(_ message: Message, at now: Int64) throws(TopicFanoutError) -> FIFOAdmission {
        guard let group = message.messageGroupId else {
            throw .message("MessageGroupId", "a FIFO topic requires a MessageGroupId on every message")
        }
        try Self.checkIdentifier(group, name: "MessageGroupId")
        let dedupID: String
        if let explicit = message.messageDeduplicationId {
            try Self.checkIdentifier(explicit, name: "MessageDeduplicationId")
            dedupID = explicit
        } else if settings.contentBasedDeduplication {
            dedupID = SHA256.hexDigest(message.body)
        } else {
            throw .message(
                "MessageDeduplicationId",
                "the topic has no content-based deduplication, so every message needs a MessageDeduplicationId")
        }
        var groupLimiter = groupLimiters[group] ?? RateLimiter(rate: settings.groupRate, now: now)
        guard groupLimiter.take(1, at: now) else {
            throw TopicFanoutError(
                .throttled, path: "MessageGroupId '\(group)'",
                "the message group exceeds \(Int(settings.groupRate)) messages per second")
        }
        guard topicLimiter.take(1, at: now) else {
            throw TopicFanoutError(.throttled, "the topic exceeds \(Int(settings.topicRate)) messages per second")
        }
        if var bytes = byteLimiter {
            guard bytes.take(Double(message.size), at: now) else {
                throw TopicFanoutError(.throttled, "the topic exceeds \(Int(bytes.rate)) bytes per second")
            }
            byteLimiter = bytes
        }
        groupLimiters[group] = groupLimiter
        if groupLimiters.count > 4096 { groupLimiters = groupLimiters.filter { !$0.value.isFull(at: now) } }
        let key = settings.throughputScope == .messageGroup ? "\(group)\u{0}\(dedupID)" : dedupID
        guard window.admit(key, at: now) else { return .duplicate }
        defer { nextSequence += 1 }
        return .accepted(sequenceNumber: nextSequence)
    }

    /// Group and deduplication ids: 1-128 characters from ASCII 33-126 (letters, digits, punctuation).
    static func checkIdentifier(_ value: String, name: String) throws(TopicFanoutError) {
        guard (1...128).contains(value.utf8.count), value.utf8.allSatisfy({ (33...126).contains($0) }) else {
            throw .message(name, "must be 1 to 128 characters from letters, digits and punctuation, got \"\(value)\"")
        }
    }
}
