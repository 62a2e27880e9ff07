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
    @inlinable
    public static func nanoseconds(seconds: Double) -> SimTime {
        let value = (seconds * 1e9).rounded()
        if value >= 9.2e18 { return .max }
        if value <= -9.2e18 { return .min }
        return Int64(value)
    }

    /// Converts nanoseconds to seconds.
    @inlinable
    public static func seconds(_ time: SimTime) -> Double { Double(time) / 1e9 }

    /// Converts nanoseconds to milliseconds.
    @inlinable
    public static func milliseconds(_ time: SimTime) -> Double { Double(time) / 1e6 }
}
