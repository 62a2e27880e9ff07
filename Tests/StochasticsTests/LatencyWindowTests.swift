import Testing

@testable import Stochastics

/// A window's percentile read by selection is the recorder's (and so the histogram's).
@Suite("Latency window")
struct LatencyWindowTests {
    static let ranks = [0.0, 0.1, 1, 10, 50, 90, 99, 99.9, 99.99, 100]

    @Test(arguments: 0..<7)
    func percentilesEqualTheRecorders(shape: Int) {
        let values = LatencyRecorderTests.samples(shape: shape)
        let window = LatencyWindow()
        for p in Self.ranks {
            // A fresh recorder per rank: the window reorders its values on every read, the recorder must not
            // be the one being compared against itself.
            let recorder = LatencyRecorder()
            window.reset()
            for value in values {
                recorder.record(nanoseconds: value)
                window.record(nanoseconds: value)
            }
            #expect(window.percentile(p) == recorder.percentile(p), "p\(p) shape \(shape)")
        }
    }

    /// Beyond its buffer the window counts in a recorder: the percentiles do not change, and a reset goes back
    /// to the buffer.
    @Test func overflowingWindowsReadTheSame() {
        let stream = RandomStream(seed: 77)
        let values = (0..<(LatencyWindow.bufferCapacity + 5_000)).map { _ in
            Int64(stream.lognormal(mu: 18, sigma: 1.2))
        }
        let window = LatencyWindow()
        for round in 0..<3 {
            let recorder = LatencyRecorder()
            let count = round == 1 ? 1_000 : values.count  // overflow, then not, then again
            for value in values.prefix(count) {
                recorder.record(nanoseconds: value)
                window.record(nanoseconds: value)
            }
            for p in [50.0, 99, 99.9] { #expect(window.percentile(p) == recorder.percentile(p), "round \(round)") }
            window.reset()
        }
        #expect(window.percentile(99) == 0)
    }

    /// Selection finds every rank, with runs of equal values and sorted or reversed input.
    @Test(arguments: ["random", "equal", "sorted", "reversed", "two values"])
    func selectionFindsEveryRank(order: String) {
        let stream = RandomStream(seed: 5)
        let base: [Int64] = (0..<257).map { index in
            switch order {
            case "equal": 42
            case "sorted": Int64(index)
            case "reversed": Int64(300 - index)
            case "two values": index % 3 == 0 ? 7 : 9
            default: Int64(stream.uniformInt(below: 1_000))
            }
        }
        let sorted = base.sorted()
        var misses = 0
        for k in base.indices {
            var values = base
            let found = values.withUnsafeMutableBufferPointer {
                LatencyWindow.select(k, in: $0)
            }
            if found != sorted[k] { misses += 1 }
        }
        #expect(misses == 0)
    }
}
