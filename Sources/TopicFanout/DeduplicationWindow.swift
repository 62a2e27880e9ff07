/// The set of deduplication keys seen in the last five minutes on a FIFO topic.
///
/// A key is remembered for `interval` from the publish that first used it; a repeat inside that interval is a
/// duplicate (accepted by the service but not delivered) and does not extend the interval.
public struct DeduplicationWindow: Sendable {
    /// SNS's deduplication interval: 5 minutes, nanoseconds.
    public static let interval: Int64 = 300 * RetryPolicy.second

    private var expiries: [String: Int64] = [:]
    /// Keys in the order they were admitted (their expiry times never decrease); `head` is the oldest live one.
    private var order: [(key: String, expiry: Int64)] = []
    private var head = 0

    public init() {}

    /// The number of keys currently remembered.
    public var count: Int { expiries.count }

    /// Records `key` at time `now` (nanoseconds, non-decreasing between calls).
    /// - Returns: true when the key is new in the window (deliver), false for a duplicate.
    /// - Complexity: amortised O(1).
    public mutating func admit(_ key: String, at now: Int64) -> Bool {
        expire(before: now)
        if let expiry = expiries[key], expiry > now { return false }
        let expiry = now + Self.interval
        expiries[key] = expiry
        order.append((key, expiry))
        return true
    }

    /// Forgets every key whose interval ended at or before `now`.
    private mutating func expire(before now: Int64) {
        while head < order.count, order[head].expiry <= now {
            let (key, expiry) = order[head]
            if expiries[key] == expiry { expiries[key] = nil }
            head += 1
        }
        if head > 1024 && head * 2 > order.count {
            order.removeFirst(head)
            head = 0
        }
    }
}

/// A token bucket over integer-nanosecond time: `rate` tokens per second, holding at most one second's worth.
struct RateLimiter: Sendable {
    let rate: Double
    private var tokens: Double
    private var updated: Int64

    init(rate: Double, now: Int64 = 0) {
        self.rate = rate
        self.tokens = rate
        self.updated = now
    }

    /// Takes `amount` tokens at `now` if available.
    mutating func take(_ amount: Double, at now: Int64) -> Bool {
        if now > updated {
            tokens = Swift.min(rate, tokens + rate * Double(now - updated) / 1e9)
            updated = now
        }
        guard tokens >= amount else { return false }
        tokens -= amount
        return true
    }

    /// Whether the bucket is full at `now` (an idle limiter that can be forgotten).
    func isFull(at now: Int64) -> Bool { tokens + rate * Double(now - updated) / 1e9 >= rate }
}
