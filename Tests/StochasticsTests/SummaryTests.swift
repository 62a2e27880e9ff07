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
    }

    @Test func histogramClampsInsteadOfLosingHugeValues() {
        var histogram = LatencyHistogram(highest: 1_000_000_000)
        histogram.record(nanoseconds: 10_000_000_000)
        #expect(histogram.count == 1)
        #expect(histogram.clampedCount == 1)
    }
}
