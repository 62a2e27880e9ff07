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
    /// The exact sum of ``record(nanoseconds:)``'s samples (after negatives become 0, before clamping): the mean
    /// is this over ``count``, exact up to one rounding, and adding it costs no division per sample (a running
    /// Welford summary here divided twice per delivery, and a run's total needed one more).
    public private(set) var sum: Int128 = 0
    /// The largest of ``record(nanoseconds:)``'s samples, before clamping (-1 when there are none).
    private var largest: Int64 = -1
    private let highest: UInt64
    /// An empty histogram of the same range, sharing its counts buffer with every other copy (copy on write):
    /// ``reset()`` assigns it, and the next `record` copies the buffer with one `memcpy`. The library's own
    /// `reset` and `init` fill the counts element by element through generic code, about 3.5 M instructions for
    /// the default range: a scenario's windowed p99 resets cost a sixth of a one-minute run.
    private let empty: Histogram<UInt64>

    /// The default range's empty histogram, built once per process.
    private static let standardEmpty = Histogram<UInt64>(
        lowestDiscernibleValue: standardLowest, highestTrackableValue: standardHighest,
        numberOfSignificantValueDigits: .three)
    private static let standardLowest: UInt64 = 1_000
    private static let standardHighest: UInt64 = 172_800_000_000_000

    /// - Parameters:
    ///   - lowest: the smallest distinguishable value, in nanoseconds (default 1 µs).
    ///   - highest: the largest trackable value, in nanoseconds (default 2 days).
    public init(lowest: UInt64 = 1_000, highest: UInt64 = 172_800_000_000_000) {
        if lowest == Self.standardLowest, highest == Self.standardHighest {
            empty = Self.standardEmpty
        } else {
            empty = Histogram(
                lowestDiscernibleValue: lowest, highestTrackableValue: highest,
                numberOfSignificantValueDigits: .three)
        }
        histogram = empty
        self.highest = highest
    }

    /// Records one latency in nanoseconds (negative values are recorded as 0). - Complexity: O(1).
    public mutating func record(nanoseconds: Int64) {
        let sample = max(0, nanoseconds)
        sum &+= Int128(sample)
        if sample > largest { largest = sample }
        var value = UInt64(sample)
        if value > highest {
            value = highest
            clampedCount += 1
        }
        _ = histogram.record(value)
    }

    /// How many of `total` samples may lie above the range holding percentile `p` (0 < p < 100), by the
    /// library's rank (the smallest count that reaches p percent, rounded up, at least 1): the result's range is
    /// the lowest whose cumulative count reaches the rank. Shared by the top-down percentile walks.
    static func countAbove(percentile p: Double, of total: UInt64) -> UInt64 {
        let requested = Swift.min(Swift.max(p.nextDown, 0), 100)
        let rank = Swift.max(1, UInt64((requested * Double(total) / 100).rounded(.up)))
        return total - Swift.min(rank, total)
    }

    /// Number of recorded samples.
    public var count: UInt64 { histogram.totalCount }

    /// The value at percentile `p` (0…100) in nanoseconds, exactly as `Histogram.valueAtPercentile` gives it;
    /// 0 when empty.
    ///
    /// The library sums counts from the lowest value up, about 20,000 of them for latencies near a second, in
    /// generic code: 1.5 M instructions a call, and a run asks once per window (2 % of a ten-minute scenario).
    /// Here the counts are summed from the largest recorded value down, which reaches a high percentile after
    /// the few hundred values above it.
    /// - Complexity: O(number of distinguishable values between the result and the maximum).
    public func percentile(_ p: Double) -> Int64 {
        guard count > 0 else { return 0 }
        guard p > 0, p < 100 else { return Int64(histogram.valueAtPercentile(p)) }
        // Walk down from the maximum's range while the range below still qualifies.
        let allowedAbove = Self.countAbove(percentile: p, of: histogram.totalCount)
        var value = histogram.maxRecorded
        var above: UInt64 = 0
        while true {
            let lowest = histogram.lowestEquivalentForValue(value)
            let here = UInt64(histogram.countForValue(value))
            guard lowest > 0, above + here <= allowedAbove else { break }
            above += here
            value = lowest - 1
        }
        let result = histogram.highestEquivalentForValue(value)
        return Int64(Swift.max(Swift.min(result, histogram.maxRecorded), histogram.min))
    }

    /// The exact largest value ``record(nanoseconds:)`` recorded, nanoseconds (0 when empty).
    public var maximum: Int64 { max(0, largest) }

    /// The mean of ``record(nanoseconds:)``'s samples, nanoseconds: their exact sum over their number, rounded
    /// once (0 when empty).
    public var mean: Double { count == 0 ? 0 : Double(sum) / Double(count) }

    /// Adds every sample of `other`.
    public mutating func merge(_ other: LatencyHistogram) {
        histogram.add(other.histogram)
        clampedCount += other.clampedCount
        sum &+= other.sum
        largest = max(largest, other.largest)
    }

    /// The samples of every histogram in `parts` (they must share this type's default range): a simulator that
    /// records each sample into one of several histograms builds their total once at the end, instead of a
    /// second cache-missing count increment per sample. Counts, percentiles, sum and maximum equal those of
    /// recording every sample into one histogram: integer sums do not depend on the order of addition.
    public init(merging parts: [LatencyHistogram]) {
        self.init()
        for part in parts { merge(part) }
    }

    /// The largest trackable value, nanoseconds: larger ones are clamped to it.
    var highestTrackable: UInt64 { highest }

    /// Adds `count` samples at `value` (at most ``highestTrackable``) to the counts only (``LatencyRecorder``).
    mutating func absorb(_ value: UInt64, count: UInt64) {
        _ = histogram.record(value, count: count)
    }

    /// Adds samples' sum, largest value and clamped count (``LatencyRecorder``; their counts go in through
    /// ``absorb(_:count:)``).
    mutating func absorbTotals(sum: Int128, largest: Int64, clamped: UInt64) {
        self.sum &+= sum
        self.largest = max(self.largest, largest)
        clampedCount += clamped
    }

    /// Removes every sample (used at the end of a warm-up period).
    public mutating func reset() {
        histogram = empty
        clampedCount = 0
        sum = 0
        largest = -1
    }
}
