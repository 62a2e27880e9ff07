/// The latencies of one time window, kept as values, for one percentile read when the window closes: the same
/// value ``LatencyRecorder/percentile(_:)`` (and so ``LatencyHistogram/percentile(_:)``) gives for them, found by
/// selection instead of by counting every value in a bin.
///
/// A recorder counts each value in its bins as it goes, an increment that usually misses the caches; a window's
/// percentile needs only the value of one rank. Here a record is a store into a buffer, and ``percentile(_:)``
/// selects that rank in place (Hoare's selection, O(n) expected) and maps it onto HdrHistogram's bins: the
/// histogram's value at a percentile is the highest value equivalent to the value of that rank (the rank from
/// ``LatencyHistogram/countAbove(percentile:of:)``), at most the largest value and at least the minimum.
///
/// Memory: up to ``bufferCapacity`` values (512 KB); beyond that the window counts its values in a
/// ``LatencyRecorder`` instead, which gives the same percentiles, so a window of millions of deliveries stays
/// bounded. A reference type used by one simulation run on one thread.
public final class LatencyWindow {
    /// Values kept before the window falls back to a recorder.
    public static let bufferCapacity = 65_536

    @usableFromInline let buffer: UnsafeMutablePointer<Int64>
    @exclusivity(unchecked) @usableFromInline var count = 0
    /// Set once the buffer overflowed in this window: every value since its start is counted here.
    @exclusivity(unchecked) @usableFromInline var recorder: LatencyRecorder?
    /// A recorder kept for the next overflowing window.
    private var spare: LatencyRecorder?

    public init() {
        buffer = .allocate(capacity: Self.bufferCapacity)
    }

    deinit { buffer.deallocate() }

    /// Records one latency in nanoseconds (negative values count as 0, values beyond the histogram's range as
    /// its largest, as a recorder counts them). - Complexity: O(1), amortized over an overflow.
    @inlinable @inline(__always)
    public func record(nanoseconds: Int64) {
        if _fastPath(count < Self.bufferCapacity) {
            buffer[count] = nanoseconds
            count &+= 1
        } else {
            overflow(nanoseconds)
        }
    }

    /// Moves the buffered values into a recorder and records `nanoseconds` there, as every later value.
    @usableFromInline @inline(never) func overflow(_ nanoseconds: Int64) {
        if recorder == nil {
            let recorder = spare ?? LatencyRecorder()
            spare = nil
            for index in 0..<count { recorder.record(nanoseconds: buffer[index]) }
            self.recorder = recorder
        }
        recorder.unsafelyUnwrapped.record(nanoseconds: nanoseconds)
    }

    /// The value at percentile `p` (0…100) of the values recorded since the last ``reset()``, nanoseconds: what a
    /// ``LatencyRecorder`` given the same values returns (0 when there are none). Reorders the buffered values.
    /// - Complexity: O(n) expected for n values.
    public func percentile(_ p: Double) -> Int64 {
        if let recorder { return recorder.percentile(p) }
        guard count > 0 else { return 0 }
        let highest = LatencyRecorder.highestTrackable
        // Clamped as the recorder clamps, with the extremes the percentile is bounded by.
        var smallest = UInt64.max
        var largest: UInt64 = 0
        for index in 0..<count {
            let value = Swift.min(UInt64(Swift.max(0, buffer[index])), highest)
            buffer[index] = Int64(value)
            smallest = Swift.min(smallest, value)
            largest = Swift.max(largest, value)
        }
        // HdrHistogram's minimum: 0 when a value falls in its first bin (below 2^9 ns).
        let minimum = LatencyRecorder.bin(of: smallest) == 0 ? 0 : smallest
        guard p > 0 else { return Int64(minimum) }
        guard p < 100 else { return Int64(largest) }
        let total = UInt64(count)
        let rank = Int(total - LatencyHistogram.countAbove(percentile: p, of: total))  // 1-based, from the smallest
        let value = UInt64(Self.select(rank - 1, in: UnsafeMutableBufferPointer(start: buffer, count: count)))
        let highestEquivalent = LatencyRecorder.highestValue(inBin: LatencyRecorder.bin(of: value))
        return Int64(Swift.max(Swift.min(highestEquivalent, largest), minimum))
    }

    /// Forgets the window's values. - Complexity: O(1), or that of a recorder's reset after an overflow.
    public func reset() {
        count = 0
        if let recorder {
            recorder.reset()
            spare = recorder
            self.recorder = nil
        }
    }

    /// The value of 0-based rank `k` among `values`, which it reorders (Hoare's selection with the
    /// median of three as pivot; equal values split evenly, so runs of one value stay linear).
    /// - Precondition: 0 ≤ k < values.count. - Complexity: O(values.count) expected.
    static func select(_ k: Int, in values: UnsafeMutableBufferPointer<Int64>) -> Int64 {
        var low = 0
        var high = values.count - 1
        while high > low {
            let middle = low + (high - low) / 2
            // Median of three, moved so that values[low] ≤ pivot ≤ values[high].
            if values[middle] < values[low] { values.swapAt(middle, low) }
            if values[high] < values[low] { values.swapAt(high, low) }
            if values[high] < values[middle] { values.swapAt(high, middle) }
            let pivot = values[middle]
            var i = low
            var j = high
            while i <= j {
                while values[i] < pivot { i += 1 }
                while pivot < values[j] { j -= 1 }
                if i <= j {
                    values.swapAt(i, j)
                    i += 1
                    j -= 1
                }
            }
            // values[low...j] ≤ pivot ≤ values[i...high], and values strictly between j and i equal the pivot.
            if k <= j {
                high = j
            } else if k >= i {
                low = i
            } else {
                return pivot
            }
        }
        return values[low]
    }
}
