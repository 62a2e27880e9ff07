/// Records latencies for a ``LatencyHistogram`` at a fraction of the cost of its `record(nanoseconds:)`, by
/// counting them in bins of its own that map one to one onto the histogram's, and adding the counts to the
/// histogram in bulk (``histogram()``, ``flush()``).
///
/// HdrHistogram's recording path is not inlined across modules: about 110 instructions a value, with three calls
/// and a uniqueness check, where the bins here take about 34 with the call. Three records a delivery made
/// recording 8 % of a scenario run. The bins follow HdrHistogram's index arithmetic for ``LatencyHistogram``'s default range (1 µs
/// to 2 days, three significant digits). A flush adds each bin's count at a value inside it, using the exact
/// smallest non-zero and largest values recorded for the bins that hold them, so the histogram ends up exactly
/// as if each value had been recorded in it: equal counts, minimum, maximum, sum and percentiles (tested against
/// recording directly).
///
/// Memory: one `UInt32` count per bin (about 120 KB; a flush happens before any count could overflow) and a queue
/// of 1,024 values not yet counted (8 KB), besides the histogram. A reference type used by one simulation run on one thread.
public final class LatencyRecorder {
    /// HdrHistogram's parameters for the default range: values below 2^9 ns share the first bins' unit, and each
    /// power-of-two bucket above has 2^10 bins.
    private static let unitMagnitude = 9
    private static let halfCountMagnitude = 10
    private static let halfCount = 1 << halfCountMagnitude
    /// `(2^11 − 1) << unitMagnitude`: maps the values of bucket 0 to it.
    private static let subBucketMask: UInt64 = (1 << 11 - 1) << 9
    /// 64 − unitMagnitude − 11: the leading-zero count of bucket 0's largest value.
    private static let leadingZeroCountBase = 44

    /// The histogram's largest trackable value; larger values are clamped to it, as the histogram clamps them.
    private let highest: UInt64
    private let binCount: Int
    private let counts: UnsafeMutablePointer<UInt32>
    /// The recorded values' histogram, up to the last flush.
    private var flushed = LatencyHistogram()
    /// What was recorded since the last flush: values, sum, largest value before clamping, values clamped,
    /// smallest non-zero and largest values after clamping, and the range of bins touched.
    private var pending: UInt64 = 0
    private var sum: Int128 = 0
    private var largest: Int64 = -1
    private var clamped: UInt64 = 0
    private var smallestNonZero = UInt64.max
    private var largestClamped: UInt64 = 0
    private var lowestBin = Int.max
    private var highestBin = -1
    /// Values recorded but not yet counted in the bins (``queueCapacity`` at most).
    private let queue: UnsafeMutablePointer<Int64>
    private var queued = 0

    /// How many values wait before they are counted in bins: 8 KB of them. A simulation keeps dozens of recorders,
    /// whose bins together outgrow the caches, so counting each value as it comes misses the cache almost every
    /// time and the processor waits for it (7 % of a scenario run's time, sampled). Counted in a batch, the loads
    /// of one recorder's bins overlap, and the bins a batch touches again are cached.
    static let queueCapacity = 1_024

    /// A recorder for ``LatencyHistogram``'s default range.
    public init() {
        highest = flushed.highestTrackable
        binCount = Self.bin(of: highest) + 1
        counts = .allocate(capacity: binCount)
        counts.initialize(repeating: 0, count: binCount)
        queue = .allocate(capacity: Self.queueCapacity)
    }

    deinit {
        counts.deallocate()
        queue.deallocate()
    }

    /// HdrHistogram's counts index of `value` (at most the largest trackable value).
    @inline(__always) static func bin(of value: UInt64) -> Int {
        let bucket = leadingZeroCountBase &- (value | subBucketMask).leadingZeroBitCount
        return (bucket &+ 1) << halfCountMagnitude &+ Int(truncatingIfNeeded: value >> UInt64(bucket &+ unitMagnitude))
            &- halfCount
    }

    /// The smallest value in `bin` (HdrHistogram's `valueFromIndex`).
    static func lowestValue(inBin bin: Int) -> UInt64 {
        var bucket = (bin >> halfCountMagnitude) - 1
        var subBucket = (bin & (halfCount - 1)) + halfCount
        if bucket < 0 {
            subBucket -= halfCount
            bucket = 0
        }
        return UInt64(subBucket) << UInt64(bucket + unitMagnitude)
    }

    /// Records one latency in nanoseconds, as ``LatencyHistogram/record(nanoseconds:)`` would (negative values
    /// as 0, values above the range clamped and counted). - Complexity: amortized O(1).
    @inline(__always)
    public func record(nanoseconds: Int64) {
        queue[queued] = nanoseconds
        queued &+= 1
        if _slowPath(queued == Self.queueCapacity) { countQueued() }
    }

    /// Counts the queued values in the bins.
    @inline(never)
    private func countQueued() {
        // Emptied first: a flush on the way (a count about to overflow) counts the queue too.
        let values = queued
        queued = 0
        for index in 0..<values { tally(queue[index]) }
    }

    /// Counts one value in the bins and the pending totals.
    @inline(__always)
    private func tally(_ nanoseconds: Int64) {
        let sample = Swift.max(0, nanoseconds)
        sum &+= Int128(sample)
        if sample > largest { largest = sample }
        var value = UInt64(sample)
        if value > highest {
            value = highest
            clamped &+= 1
        }
        if value > largestClamped { largestClamped = value }
        if value != 0, value < smallestNonZero { smallestNonZero = value }
        let bin = Self.bin(of: value)
        counts[bin] &+= 1
        if bin < lowestBin { lowestBin = bin }
        if bin > highestBin { highestBin = bin }
        pending &+= 1
        if pending == UInt64(UInt32.max) { flush() }
    }

    /// Adds what was recorded since the last flush to the histogram. - Complexity: O(bins between the smallest
    /// and largest value recorded since then).
    public func flush() {
        countQueued()
        guard pending > 0 else { return }
        let smallestBin = smallestNonZero == .max ? -1 : Self.bin(of: smallestNonZero)
        let largestBin = Self.bin(of: largestClamped)
        for bin in lowestBin...highestBin where counts[bin] != 0 {
            var count = UInt64(counts[bin])
            counts[bin] = 0
            // The exact extremes stand for their bins, so the histogram's minimum and maximum are exact; the
            // other bins' lowest values lie strictly between them.
            if bin == smallestBin, bin == largestBin {
                flushed.absorb(smallestNonZero, count: 1)
                count -= 1
                if count > 0 { flushed.absorb(largestClamped, count: count) }
            } else {
                let value =
                    bin == smallestBin
                    ? smallestNonZero : bin == largestBin ? largestClamped : Self.lowestValue(inBin: bin)
                flushed.absorb(value, count: count)
            }
        }
        flushed.absorbTotals(sum: sum, largest: largest, clamped: clamped)
        clearPending()
    }

    /// Everything recorded (since the last ``reset()``), as a histogram.
    public func histogram() -> LatencyHistogram {
        flush()
        return flushed
    }

    /// The value at percentile `p` (0…100) of everything recorded since the last ``reset()``, nanoseconds:
    /// ``LatencyHistogram/percentile(_:)`` of ``histogram()``, read from the bins while nothing has been flushed
    /// (the use of a window's p99: counts summed from the largest value down, and no flush).
    /// - Complexity: O(bins between the result and the largest value) before a flush.
    public func percentile(_ p: Double) -> Int64 {
        countQueued()
        guard flushed.count == 0 else { return histogram().percentile(p) }
        guard pending > 0 else { return 0 }
        // HdrHistogram's minimum: 0 when its first bin (values below 2^9) holds any value.
        let minimum = counts[0] > 0 ? 0 : smallestNonZero
        guard p > 0 else { return Int64(minimum) }
        guard p < 100 else { return Int64(largestClamped) }
        let allowedAbove = LatencyHistogram.countAbove(percentile: p, of: pending)
        var bin = highestBin
        var above: UInt64 = 0
        while bin > lowestBin, above + UInt64(counts[bin]) <= allowedAbove {
            above += UInt64(counts[bin])
            bin -= 1
        }
        let bucket = Swift.max(0, (bin >> Self.halfCountMagnitude) - 1)
        let highestInBin = Self.lowestValue(inBin: bin) + (1 << UInt64(bucket + Self.unitMagnitude)) - 1
        return Int64(Swift.max(Swift.min(highestInBin, largestClamped), minimum))
    }

    /// Forgets everything recorded. - Complexity: O(bins touched since the last flush).
    public func reset() {
        queued = 0
        if highestBin >= lowestBin { (counts + lowestBin).update(repeating: 0, count: highestBin - lowestBin + 1) }
        clearPending()
        flushed.reset()
    }

    /// Forgets the totals recorded since the last flush (their bins are zero already).
    private func clearPending() {
        pending = 0
        sum = 0
        largest = -1
        clamped = 0
        smallestNonZero = .max
        largestClamped = 0
        lowestBin = .max
        highestBin = -1
    }
}
