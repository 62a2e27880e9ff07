/// A token bucket rate limiter over simulated time: `rate` tokens per second refill up to `burst`.
///
/// Models a service quota such as PutEvents TPS: a request of `n` entries passes when `n` tokens are available.
/// Token arithmetic is in doubles, which IEEE 754 makes deterministic across runs.
/// - Complexity: O(1) per call.
public struct TokenBucket: Sendable, Equatable {
    /// Tokens added per second (> 0).
    public let rate: Double
    /// Bucket size: the largest burst (≥ 1).
    public let burst: Double
    @usableFromInline var tokens: Double
    @usableFromInline var lastRefill: SimTime

    /// A full bucket at time `time`.
    public init(rate: Double, burst: Double, at time: SimTime = 0) {
        precondition(rate > 0 && burst >= 1, "invalid token bucket")
        self.rate = rate
        self.burst = burst
        tokens = burst
        lastRefill = time
    }

    @inlinable
    mutating func refill(at time: SimTime) {
        if time > lastRefill {
            tokens = Swift.min(burst, tokens + Double(time - lastRefill) * rate / 1e9)
            lastRefill = time
        }
    }

    /// Takes `count` tokens at `time` if available. - Returns: whether the request passed.
    @inlinable
    public mutating func tryTake(_ count: Double = 1, at time: SimTime) -> Bool {
        refill(at: time)
        guard tokens >= count else { return false }
        tokens -= count
        return true
    }

    /// The earliest time ≥ `time` at which `count` tokens will be available (`count` must be ≤ `burst`).
    public mutating func availableTime(for count: Double = 1, at time: SimTime) -> SimTime {
        refill(at: time)
        if tokens >= count { return time }
        return time + SimTime(((count - tokens) * 1e9 / rate).rounded(.up))
    }

    /// Tokens available at `time`.
    public mutating func available(at time: SimTime) -> Double {
        refill(at: time)
        return tokens
    }
}
