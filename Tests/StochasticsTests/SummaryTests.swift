import Histogram
import Testing

@testable import Stochastics

@Suite("Summary statistics")
struct SummaryTests {
    @Test func welfordMatchesTwoPassFormulas() {
        let values: [Double] = [2, 4, 4, 4, 5, 5, 7, 9]
        let summary = Summary(values)
        #expect(summary.count == 8)
        #expect(summary.mean == 5)
        #expect(abs(summary.variance - 32.0 / 7.0) < 1e-12)
        #expect(summary.minimum == 2 && summary.maximum == 9)
    }

    @Test func mergingSplitsGivesTheWholeSummary() {
        let values = (0..<1000).map { Double(($0 * 7919) % 1000) / 10 }
        var left = Summary(values[..<300])
        left.merge(Summary(values[300...]))
        let whole = Summary(values)
        #expect(left.count == whole.count)
        #expect(abs(left.mean - whole.mean) < 1e-9)
        #expect(abs(left.variance - whole.variance) < 1e-9)
    }

    @Test func studentTQuantileMatchesTables() {
        #expect(abs(StudentT.quantile(probability: 0.975, degreesOfFreedom: 9) - 2.262_157_163) < 1e-6)
        #expect(abs(StudentT.quantile(probability: 0.995, degreesOfFreedom: 4) - 4.604_094_871) < 1e-6)
    }

    @Test func confidenceIntervalUsesStudentT() {
        let summary = Summary([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
        let interval = summary.confidenceInterval(level: 0.95)
        let expected = 2.262_157_163 * summary.standardDeviation / 10.0.squareRoot()
        #expect(abs(interval.halfWidth - expected) < 1e-6)
        #expect(interval.contains(5.5))
    }

    @Test func oneObservationHasAnInfiniteInterval() {
        #expect(Summary([3]).confidenceInterval().halfWidth == .infinity)
    }

    @Test func histogramPercentilesAreWithinThreeDigits() {
        var histogram = LatencyHistogram()
        for millisecond in 1...1000 { histogram.record(nanoseconds: Int64(millisecond) * 1_000_000) }
        #expect(abs(Double(histogram.percentile(50)) / 500e6 - 1) < 0.002)
        #expect(abs(Double(histogram.percentile(99)) / 990e6 - 1) < 0.002)
        #expect(histogram.maximum == 1_000_000_000)
        var other = LatencyHistogram()
        other.record(nanoseconds: 5_000_000_000)
        histogram.merge(other)
        #expect(histogram.count == 1001)
        #expect(histogram.maximum == 5_000_000_000)
        // The mean is the exact sum over the count: (500,500 ms + 5,000 ms) / 1,001.
        #expect(histogram.sum == 505_500_000_000)
        #expect(histogram.mean == 505_500_000_000.0 / 1_001)
    }

    @Test func histogramMeanIsExactWhereARunningMeanRounds() {
        // A running (Welford) mean of these drifts in the last bits; the integer sum does not.
        var histogram = LatencyHistogram()
        var expected: Int128 = 0
        for index in 0..<100_000 {
            let value = Int64(index % 7 == 0 ? 999_999_999_937 : 1_234_567 + index)
            histogram.record(nanoseconds: value)
            expected += Int128(value)
        }
        histogram.record(nanoseconds: -5)  // recorded as 0
        #expect(histogram.sum == expected)
        #expect(histogram.mean == Double(expected) / 100_001)
        histogram.reset()
        #expect(histogram.count == 0 && histogram.mean == 0 && histogram.maximum == 0)
    }

    /// The top-down percentile equals the library's bottom-up one, value for value, on histograms of several
    /// shapes: sub-microsecond values, one value, heavy tails, clamped values.
    @Test(arguments: 0..<6)
    func percentilesEqualTheLibrarys(shape: Int) {
        let stream = RandomStream(seed: UInt64(100 + shape))
        var histogram = LatencyHistogram()
        let samples = [1, 1_000, 5_000, 20_000, 3, 50_000][shape]
        for _ in 0..<samples {
            let value: Int64
            switch shape {
            case 0: value = 777
            case 1: value = Int64(stream.uniformInt(below: 2_000))
            case 2: value = Int64(stream.lognormal(mu: 18, sigma: 1))
            case 3: value = Int64(stream.exponential(mean: 2e8)) + (stream.bernoulli(0.01) ? 3_600_000_000_000 : 0)
            case 4: value = 400_000_000_000_000  // beyond two days: clamped
            default: value = Int64(stream.pareto(shape: 1.2, scale: 1e6))
            }
            histogram.record(nanoseconds: value)
        }
        for p in [0.0, 0.1, 1, 10, 25, 50, 90, 99, 99.9, 99.99, 99.999, 100] {
            #expect(
                histogram.percentile(p) == Int64(histogram.histogram.valueAtPercentile(p)), "p\(p) shape \(shape)")
        }
    }

    @Test func histogramClampsInsteadOfLosingHugeValues() {
        var histogram = LatencyHistogram(highest: 1_000_000_000)
        histogram.record(nanoseconds: 10_000_000_000)
        #expect(histogram.count == 1)
        #expect(histogram.clampedCount == 1)
        histogram.record(nanoseconds: .max)
        #expect(histogram.maximum == .max)
    }

    @Test func aMergedTotalEqualsRecordingEverySampleOnce() {
        let stream = RandomStream(seed: 9)
        var parts = [LatencyHistogram](repeating: LatencyHistogram(), count: 3)
        var total = LatencyHistogram()
        for round in 0..<30_000 {
            let latency = Int64(stream.exponential(mean: 0.2) * 1e9) - (round % 1_000 == 0 ? 1_000_000_000_000 : 0)
            parts[round % 3].record(nanoseconds: latency)
            total.record(nanoseconds: latency)
        }
        let tenDays: Int64 = 864_000_000_000_000  // beyond the trackable two days: clamped
        parts[1].record(nanoseconds: tenDays)
        total.record(nanoseconds: tenDays)
        let merged = LatencyHistogram(merging: parts)
        #expect(merged.count == total.count)
        #expect(merged.clampedCount == total.clampedCount && merged.clampedCount == 1)
        for p in [0.0, 1, 50, 90, 99, 99.9, 100] { #expect(merged.percentile(p) == total.percentile(p)) }
        #expect(merged.sum == total.sum && merged.mean == total.mean)
        #expect(merged.maximum == total.maximum && merged.maximum == tenDays)
    }
}
