/// Simulated time: integer nanoseconds since the start of a run.
///
/// Integers make event order exact and reproducible (no floating-point drift over long runs); an `Int64`
/// covers ±292 years of simulated time at nanosecond resolution.
public typealias SimTime = Int64

/// Conversions between seconds and ``SimTime``.
public enum Time {
    /// Nanoseconds per second.
    public static let nanosecondsPerSecond: Int64 = 1_000_000_000

    /// Converts seconds to nanoseconds, rounding to the nearest nanosecond and saturating at ±Int64.max.
    @inlinable @inline(__always)
    public static func nanoseconds(seconds: Double) -> SimTime {
        // Round half away from zero by offsetting before truncation: the same result as `rounded()` without a
        // libm call on the hot path (variates are converted once per event). NaN saturates to 0.
        let value = seconds * 1e9
        if value >= 0 {
            return value < 9.2e18 ? Int64(value + 0.5) : .max
        }
        if value < 0 { return value > -9.2e18 ? Int64(value - 0.5) : .min }
        return 0
    }

    /// Converts nanoseconds to seconds.
    @inlinable
    public static func seconds(_ time: SimTime) -> Double { Double(time) / 1e9 }

    /// Converts nanoseconds to milliseconds.
    @inlinable
    public static func milliseconds(_ time: SimTime) -> Double { Double(time) / 1e6 }
}
