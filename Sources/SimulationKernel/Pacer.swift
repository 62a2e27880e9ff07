/// A delaying rate limiter (the generic cell rate algorithm): requests are never refused, only postponed, so
/// that no more than `burst` pass at once and the long-run rate stays at most `rate` per second.
///
/// Models quotas whose excess is delayed rather than dropped, such as EventBridge's invocation quota
/// ("invocations are delayed, not dropped", eb-quota.html). Desired times need not be monotonic.
/// - Complexity: O(1) per reservation.
public struct Pacer: Sendable, Equatable {
    /// Emission interval, nanoseconds per request (1e9 / rate).
    public let interval: Double
    /// How far ahead of the theoretical schedule a request may go, nanoseconds ((burst − 1) × interval).
    public let tolerance: Double
    /// Theoretical arrival time of the next request.
    private var theoretical: Double = 0

    /// - Precondition: rate > 0, burst ≥ 1.
    public init(rate: Double, burst: Double = 1) {
        precondition(rate > 0 && burst >= 1, "invalid pacer")
        interval = 1e9 / rate
        tolerance = (burst - 1) * interval
    }

    /// Reserves a slot for a request that would like to pass at `desired`.
    /// - Returns: the time it may pass, ≥ `desired`.
    public mutating func reserve(at desired: SimTime) -> SimTime {
        let wanted = Double(desired)
        let allowed = Swift.max(wanted, theoretical - tolerance)
        theoretical = Swift.max(theoretical, allowed) + interval
        return SimTime(allowed.rounded(.up))
    }
}
