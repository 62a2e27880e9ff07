import Foundation

/// How the delay grows across the backoff phase of a retry policy, from the minimum to the maximum delay.
///
/// SNS documents the four names and shows their shapes only as a graph (the curves rise from the minimum to the
/// maximum delay, linear straight, the others increasingly convex). This module fixes them as follows, for the
/// `i`-th of `n` backoff retries (`i` from 1), with `t = (i - 1) / (n - 1)` (`t = 0` when `n == 1`):
/// - `linear`: `min + (max - min) * t`
/// - `arithmetic`: `min + (max - min) * t²` (the steps between delays grow by a constant amount)
/// - `geometric`: `min * (max / min)^t` (each delay is a constant multiple of the previous one)
/// - `exponential`: `min * 2^(i - 1)`, capped at `max` (the delay doubles until it reaches the maximum)
public enum BackoffFunction: String, Sendable, Equatable, CaseIterable {
    case linear, arithmetic, geometric, exponential
}

/// A delivery retry policy in SNS's four phases: immediate (no-delay) retries, pre-backoff retries at the minimum
/// delay, backoff retries whose delay grows from the minimum to the maximum, and post-backoff retries at the maximum.
///
/// All durations are integer nanoseconds. A retry's delay is measured from the failure of the previous attempt.
/// SNS retries only after server-side errors; the simulator applies jitter on top of this nominal schedule.
public struct RetryPolicy: Sendable, Equatable {
    /// Retries without delay, right after the failed attempt.
    public var immediateRetries: Int
    /// Retries at `minDelay` after the immediate phase.
    public var preBackoffRetries: Int
    /// Retries whose delay follows `backoffFunction` from `minDelay` to `maxDelay`.
    public var backoffRetries: Int
    /// Retries at `maxDelay` after the backoff phase.
    public var postBackoffRetries: Int
    /// The minimum delay, nanoseconds.
    public var minDelay: Int64
    /// The maximum delay, nanoseconds.
    public var maxDelay: Int64
    /// The shape of the backoff phase.
    public var backoffFunction: BackoffFunction

    /// Creates a policy from its four phases. Callers validate (see `HTTPDeliveryPolicy` for the HTTP/S limits).
    public init(
        immediateRetries: Int, preBackoffRetries: Int, backoffRetries: Int, postBackoffRetries: Int,
        minDelay: Int64, maxDelay: Int64, backoffFunction: BackoffFunction
    ) {
        self.immediateRetries = immediateRetries
        self.preBackoffRetries = preBackoffRetries
        self.backoffRetries = backoffRetries
        self.postBackoffRetries = postBackoffRetries
        self.minDelay = minDelay
        self.maxDelay = maxDelay
        self.backoffFunction = backoffFunction
    }

    /// One second in nanoseconds.
    public static let second: Int64 = 1_000_000_000

    /// The fixed policy for AWS-managed endpoints (SQS, Lambda, Firehose): 3 immediate retries, 2 retries 1 s apart,
    /// 10 exponential retries from 1 s to 20 s, 100,000 retries 20 s apart; 100,015 retries over about 23 days.
    public static let awsManaged = RetryPolicy(
        immediateRetries: 3, preBackoffRetries: 2, backoffRetries: 10, postBackoffRetries: 100_000,
        minDelay: 1 * second, maxDelay: 20 * second, backoffFunction: .exponential)

    /// The fixed policy for customer-managed endpoints (email, SMS, mobile push; Firehose throttling errors):
    /// no immediate retry, 2 retries 10 s apart, 10 exponential retries from 10 s to 600 s, 38 retries 600 s apart;
    /// 50 retries over more than 6 hours.
    public static let customerManaged = RetryPolicy(
        immediateRetries: 0, preBackoffRetries: 2, backoffRetries: 10, postBackoffRetries: 38,
        minDelay: 10 * second, maxDelay: 600 * second, backoffFunction: .exponential)

    /// The default HTTP/S policy: 3 retries 20 s apart (linear backoff with minimum = maximum = 20 s).
    public static let httpDefault = RetryPolicy(
        immediateRetries: 0, preBackoffRetries: 0, backoffRetries: 3, postBackoffRetries: 0,
        minDelay: 20 * second, maxDelay: 20 * second, backoffFunction: .linear)

    /// The number of retries after the initial attempt (the sum of the four phases). SNS's tables call this
    /// "total attempts" (100,015 and 50 for the two fixed policies).
    public var retryCount: Int { immediateRetries + preBackoffRetries + backoffRetries + postBackoffRetries }

    /// The delay before retry `retry` (1-based), in nanoseconds after the previous attempt failed; nil when the
    /// policy is exhausted (then the message goes to the dead-letter queue, or is discarded without one).
    /// - Complexity: O(1).
    public func delay(beforeRetry retry: Int) -> Int64? {
        guard retry >= 1 else { return nil }
        var index = retry
        if index <= immediateRetries { return 0 }
        index -= immediateRetries
        if index <= preBackoffRetries { return minDelay }
        index -= preBackoffRetries
        if index <= backoffRetries { return backoffDelay(index, of: backoffRetries) }
        index -= backoffRetries
        if index <= postBackoffRetries { return maxDelay }
        return nil
    }

    /// The delay of backoff retry `i` of `n` (both 1-based), nanoseconds.
    func backoffDelay(_ i: Int, of n: Int) -> Int64 {
        let low = Double(minDelay)
        let high = Double(maxDelay)
        let t = n > 1 ? Double(i - 1) / Double(n - 1) : 0
        let value: Double
        switch backoffFunction {
        case .linear: value = low + (high - low) * t
        case .arithmetic: value = low + (high - low) * t * t
        case .geometric: value = low > 0 ? low * exp2(log2(high / low) * t) : high * t
        case .exponential:
            let doublings = Double(min(i - 1, 62))
            value = Swift.min(low * exp2(doublings), high)
        }
        // Guards for hand-built policies with odd values (negative or reversed delays): never trap.
        guard value.isFinite else { return maxDelay }
        return Int64(Swift.max(Swift.min(value.rounded(), 9.2e18), -9.2e18))
    }

    /// The delays before every retry, in order (`retryCount` elements), nanoseconds.
    /// - Complexity: O(`retryCount`) time and memory (100,015 elements for `awsManaged`).
    public func delays() -> [Int64] {
        (0..<Swift.max(retryCount, 0)).map { delay(beforeRetry: $0 + 1) ?? 0 }
    }

    /// The sum of all retry delays: how long after the first failure the last retry happens, ignoring the
    /// attempts' own durations and jitter. Nanoseconds.
    /// - Complexity: O(`backoffRetries`).
    public var totalRetryDuration: Int64 {
        var total = Double(preBackoffRetries) * Double(minDelay) + Double(postBackoffRetries) * Double(maxDelay)
        if backoffRetries > 0 {
            for i in 1...backoffRetries { total += Double(backoffDelay(i, of: backoffRetries)) }
        }
        // Saturates instead of overflowing for hand-built policies with absurd counts.
        return Int64(Swift.max(Swift.min(total, 9.2e18), -9.2e18))
    }

    /// The nominal times of the initial attempt and every retry when every attempt fails instantly, starting at
    /// `start` (nanoseconds); `retryCount + 1` elements.
    public func attemptTimes(startingAt start: Int64) -> [Int64] {
        var times = [start]
        times.reserveCapacity(Swift.max(retryCount, 0) + 1)
        var now = start
        for retry in 1...max(retryCount, 1) where retry <= retryCount {
            now += delay(beforeRetry: retry) ?? 0
            times.append(now)
        }
        return times
    }
}
