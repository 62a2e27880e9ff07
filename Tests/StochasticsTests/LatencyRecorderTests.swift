import Foundation
import Histogram
import Testing

@testable import Stochastics

/// The recorder leaves its histogram exactly as recording every value directly would.
@Suite("Latency recorder")
struct LatencyRecorderTests {
    /// Samples of several shapes: zeros and sub-microsecond values, one value, one bin, heavy tails, values
    /// beyond the trackable range, negative values.
    static func samples(shape: Int) -> [Int64] {
        let stream = RandomStream(seed: UInt64(200 + shape))
        switch shape {
        case 0: return [0]
        case 1: return [777]
        case 2: return (0..<3_000).map { _ in Int64(stream.uniformInt(below: 1_500)) - 100 }
        case 3: return (0..<20_000).map { _ in Int64(stream.lognormal(mu: 18, sigma: 1.5)) }
        case 4:
            return (0..<10_000).map { _ in
                Int64(stream.exponential(mean: 2e8)) + (stream.bernoulli(0.01) ? 400_000_000_000_000 : 0)
            }
        case 5: return [5_000_000, 5_000_001, 5_000_002, 5_000_003]
        default: return (0..<50_000).map { _ in Int64(stream.pareto(shape: 1.1, scale: 1e5)) }
        }
    }

    @Test(arguments: 0..<7)
    func flushedHistogramEqualsRecordingDirectly(shape: Int) {
        let values = Self.samples(shape: shape)
        var direct = LatencyHistogram()
        let recorder = LatencyRecorder()
        for (index, value) in values.enumerated() {
            direct.record(nanoseconds: value)
            recorder.record(nanoseconds: value)
            if index == values.count / 2 { recorder.flush() }  // flushing in between changes nothing
        }
        let recorded = recorder.histogram()
        #expect(recorded.histogram == direct.histogram)
        #expect(recorded.histogram.maxRecorded == direct.histogram.maxRecorded)
        #expect(recorded.histogram.min == direct.histogram.min)
        #expect(recorded.histogram.minNonZero == direct.histogram.minNonZero)
        #expect(recorded.count == direct.count && recorded.clampedCount == direct.clampedCount)
        #expect(recorded.sum == direct.sum && recorded.maximum == direct.maximum)
        for p in [0.0, 1, 50, 90, 99, 99.9, 100] { #expect(recorded.percentile(p) == direct.percentile(p)) }
    }

    /// A bin's count is 16 bits: far more values than that in one bin (and in a few) flush in time, so nothing
    /// wraps; the histogram and the percentiles read from the recorder are still the direct ones.
    @Test(arguments: [1, 3])
    func binsHoldMoreValuesThanACountsRange(distinct: Int) {
        var direct = LatencyHistogram()
        let recorder = LatencyRecorder()
        for index in 0..<200_003 {
            let value = Int64(5_000_000 + index % distinct)
            direct.record(nanoseconds: value)
            recorder.record(nanoseconds: value)
        }
        for p in [0.0, 50, 99, 100] { #expect(recorder.percentile(p) == direct.percentile(p), "p\(p)") }
        let recorded = recorder.histogram()
        #expect(recorded.histogram == direct.histogram)
        #expect(recorded.count == 200_003 && recorded.sum == direct.sum)
    }

    /// Read from the bins before any flush, and after, percentiles are the histogram's.
    @Test(arguments: 0..<7)
    func percentilesFromTheBinsEqualTheHistograms(shape: Int) {
        var direct = LatencyHistogram()
        let recorder = LatencyRecorder()
        for value in Self.samples(shape: shape) {
            direct.record(nanoseconds: value)
            recorder.record(nanoseconds: value)
        }
        let ranks = [0.0, 0.1, 1, 10, 50, 90, 99, 99.9, 99.99, 100]
        for p in ranks { #expect(recorder.percentile(p) == direct.percentile(p), "p\(p) shape \(shape)") }
        recorder.flush()
        for p in ranks { #expect(recorder.percentile(p) == direct.percentile(p), "p\(p) shape \(shape) flushed") }
    }

    /// Values wait in a queue before they are counted: reads see them whatever the queue holds, at every fill
    /// around its capacity, and a reset forgets them.
    @Test(arguments: [
        1, LatencyRecorder.queueCapacity - 1, LatencyRecorder.queueCapacity, LatencyRecorder.queueCapacity + 1,
        3 * LatencyRecorder.queueCapacity + 7,
    ])
    func queuedValuesCountAtEveryFill(values: Int) {
        var direct = LatencyHistogram()
        let recorder = LatencyRecorder()
        for index in 0..<values {
            let value = Int64(1_000 + index * 7_919 % 100_000)
            direct.record(nanoseconds: value)
            recorder.record(nanoseconds: value)
        }
        #expect(recorder.percentile(50) == direct.percentile(50) && recorder.percentile(100) == direct.maximum)
        #expect(recorder.histogram().histogram == direct.histogram)
        for _ in 0..<values { recorder.record(nanoseconds: 5_000_000_000) }
        recorder.reset()
        #expect(recorder.histogram().count == 0)
    }

    /// Every value's bin is the histogram's own: a value and the lowest value of its bin count together there.
    @Test func binsAreTheHistogramsBins() {
        var values: [UInt64] = [0, 1, 511, 512, 1_023, 1_024, 2_047, 2_048, 1_048_575, 1_048_576, 172_800_000_000_000]
        var power: UInt64 = 1
        while power < 172_800_000_000_000 {
            values += [power - 1, power, power + 1, power + power / 3]
            power <<= 1
        }
        for value in values where value <= 172_800_000_000_000 {
            let lowest = LatencyRecorder.lowestValue(inBin: LatencyRecorder.bin(of: value))
            var histogram = LatencyHistogram().histogram
            histogram.record(value)
            #expect(histogram.lowestEquivalentForValue(value) == lowest, "\(value)")
        }
    }

    @Test func resetForgetsEverything() {
        let recorder = LatencyRecorder()
        recorder.record(nanoseconds: 1_000_000)
        _ = recorder.histogram()
        recorder.record(nanoseconds: 2_000_000)
        recorder.reset()
        #expect(recorder.histogram().count == 0 && recorder.percentile(50) == 0)
        recorder.record(nanoseconds: 3_000_000)
        #expect(recorder.percentile(100) == 3_000_000)
        #expect(recorder.histogram().count == 1 && recorder.histogram().maximum == 3_000_000)
        recorder.reset()  // without a flush: the bins are cleared
        recorder.record(nanoseconds: 7_000)
        #expect(recorder.percentile(0) == 7_000 && recorder.histogram().count == 1)
    }

    /// Windows recorded one after another with a reset between them (a run's windowed p99), each spread over
    /// several blocks of bins, some reached in one window only: every window reads as a fresh histogram would.
    @Test func windowsResetBetweenThemReadAsFreshHistograms() {
        let recorder = LatencyRecorder()
        let stream = RandomStream(seed: 17)
        for window in 0..<12 {
            var direct = LatencyHistogram()
            // Latencies around 10^(4 + window % 6) ns: the windows move across the bins' blocks and back.
            let scale = pow(10, 4 + Double(window % 6))
            for _ in 0..<(500 + 300 * window) {
                let value = Int64(stream.exponential(mean: scale)) + (stream.bernoulli(0.02) ? 3_000_000_000 : 0)
                direct.record(nanoseconds: value)
                recorder.record(nanoseconds: value)
            }
            for p in [0.0, 50, 90, 99, 99.9, 100] {
                #expect(recorder.percentile(p) == direct.percentile(p), "window \(window) p\(p)")
            }
            recorder.reset()
        }
    }
}
