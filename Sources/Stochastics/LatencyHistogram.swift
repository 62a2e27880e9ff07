public import Histogram

/// Streaming latency quantiles over integer nanoseconds, with 3 significant digits (HdrHistogram).
///
/// Memory is fixed by the trackable range (1 µs … ~1 day by default), not by the number of samples; recording
/// is O(1) and allocation-free. Values below the lowest discernible value are recorded at it; values above
/// the highest trackable one are clamped (and counted in ``clampedCount``) rather than lost.
public struct LatencyHistogram: Sendable {
    public private(set) var histogram: Histogram<UInt64>
    /// Samples clamped to the top of the trackable range.
    public private(set) var clampedCount: UInt64 = 0
    /// Exact running summary (mean, min, max) alongside the quantile sketch.
    public private(set) var summary = Summary()
    private let highest: UInt64

    /// - Parameters:
    ///   - lowest: the smallest distinguishable value, in nanoseconds (default 1 µs).
    ///   - highest: the largest trackable value, in nanoseconds (default 2 days).
    public init(lowest: UInt64 = 1_000, highest: UInt64 = 172_800_000_000_000) {
        histogram = Histogram(
            lowestDiscernibleValue: lowest, highestTrackableValue: highest,
            numberOfSignificantValueDigits: .three)
        self.highest = highest
    }

    /// Records one latency in nanoseconds (negative values are recorded as 0). - Complexity: O(1).
    public mutating func record(nanoseconds: Int64) {
        var value = UInt64(max(0, nanoseconds))
        summary.add(Double(value))
        if value > highest {
            value = highest
            clampedCount += 1
        }
        _ = histogram.record(value)
    }

    /// Number of recorded samples.
    public var count: UInt64 { histogram.totalCount }

    /// The value at percentile `p` (0…100) in nanoseconds; 0 when empty.
    public func percentile(_ p: Double) -> Int64 {
        count == 0 ? 0 : Int64(histogram.valueAtPercentile(p))
    }

    /// The exact largest recorded value in nanoseconds.
    public var maximum: Int64 { count == 0 ? 0 : Int64(summary.maximum) }

    /// Adds every sample of `other`.
    public mutating func merge(_ other: LatencyHistogram) {
        histogram.add(other.histogram)
        clampedCount += other.clampedCount
        summary.merge(other.summary)
    }

    /// Removes every sample (used at the end of a warm-up period).
    public mutating func reset() {
        histogram.reset()
        clampedCount = 0
        summary = Summary()
    }
}
