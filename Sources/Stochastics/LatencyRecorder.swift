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
/// Memory: one 16-bit count per bin, in blocks of 1,024 bins (2 KB) allocated when a value first falls in them
/// (all 30 blocks would be about 60 KB; a run's latencies usually touch a handful, which matters with hundreds
/// of consumers, two recorders each), and a queue of 1,024 values not yet counted (8 KB), besides the histogram. A
/// flush happens before any count could overflow. A reference type used by one simulation run on one thread.
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
    /// The bins' counts by block of ``blockSize`` bins: `blocks[bin >> blockShift]`, `nil` until a value falls in
    /// the block (every count in a missing block is 0).
    private let blocks: UnsafeMutablePointer<UnsafeMutablePointer<Count>?>
    /// A bin's count: 16 bits, so that a batch's increments touch half the lines that 32-bit counts spread over
    /// (these increments missed the second-level cache more than any other loads of a scenario run); a flush
    /// every 65,535 values keeps them from overflowing, which adds a bin walk per 65,535 values.
    typealias Count = UInt16
    private let blockCount: Int
    private static let blockShift = 10
    private static let blockSize = 1 << blockShift
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
    @usableFromInline let queue: UnsafeMutablePointer<Int64>
    @exclusivity(unchecked) @usableFromInline var queued = 0

    /// How many values wait before they are counted in bins: 8 KB of them. A simulation keeps dozens of recorders,
    /// whose bins together outgrow the caches, so counting each value as it comes misses the cache almost every
    /// time and the processor waits for it (7 % of a scenario run's time, sampled). Counted in a batch, the loads
    /// of one recorder's bins overlap, and the bins a batch touches again are cached.
    @usableFromInline static let queueCapacity = 1_024

    /// A recorder for ``LatencyHistogram``'s default range.
    public init() {
        highest = flushed.highestTrackable
        binCount = Self.bin(of: highest) + 1
        blockCount = (binCount + Self.blockSize - 1) >> Self.blockShift
        blocks = .allocate(capacity: blockCount)
        blocks.initialize(repeating: nil, count: blockCount)
        queue = .allocate(capacity: Self.queueCapacity)
    }

    deinit {
        for block in 0..<blockCount { blocks[block]?.deallocate() }
        blocks.deallocate()
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

    /// The largest value in `bin` (HdrHistogram's `highestEquivalentValue` of its values).
    static func highestValue(inBin bin: Int) -> UInt64 {
        let bucket = Swift.max(0, (bin >> halfCountMagnitude) - 1)
        return lowestValue(inBin: bin) + (1 << UInt64(bucket + unitMagnitude)) - 1
    }

    /// The largest trackable value of the default range, nanoseconds (larger ones are clamped to it).
    static let highestTrackable = LatencyHistogram().highestTrackable

    /// Records one latency in nanoseconds, as ``LatencyHistogram/record(nanoseconds:)`` would (negative values
    /// as 0, values above the range clamped and counted). - Complexity: amortized O(1).
    /// Inlinable: three records a delivery were a call each from the simulation's module.
    @inlinable @inline(__always)
    public func record(nanoseconds: Int64) {
        queue[queued] = nanoseconds
        queued &+= 1
        if _slowPath(queued == Self.queueCapacity) { countQueued() }
    }

    /// Counts the queued values in the bins, in two passes: the first folds each value into the pending totals
    /// (kept in registers) and replaces it by its bin, touching no other memory; the second only increments counts.
    /// The increments miss the caches (a run's recorders hold more bins than they do), and in a loop of a few
    /// instructions the processor has dozens of them in flight at once; interleaved with the totals' arithmetic,
    /// about five were (this function was 5.5 % of `ecommerce-peak`'s samples, 70 % of them on the increment).
    @inline(never) @usableFromInline
    func countQueued() {
        // Emptied first: the flush below counts nothing twice.
        let values = queued
        queued = 0
        guard values > 0 else { return }
        // No bin's count may overflow: every count is at most `pending`. When the flush happens does not change
        // the histogram (its bins are these bins; the extremes and the sum are exact either way).
        if _slowPath(pending &+ UInt64(values) > UInt64(Count.max)) { flush() }
        pending &+= UInt64(values)
        // The totals in locals (registers), stored once.
        var sum = self.sum
        var largest = self.largest
        var clamped = self.clamped
        var largestClamped = self.largestClamped
        var smallestNonZero = self.smallestNonZero
        var lowestBin = self.lowestBin
        var highestBin = self.highestBin
        let highest = self.highest
        for index in 0..<values {
            let sample = Swift.max(0, queue[index])
            sum &+= Int128(sample)
            largest = Swift.max(largest, sample)
            var value = UInt64(sample)
            if value > highest {
                value = highest
                clamped &+= 1
            }
            largestClamped = Swift.max(largestClamped, value)
            if value != 0 { smallestNonZero = Swift.min(smallestNonZero, value) }
            let bin = Self.bin(of: value)
            lowestBin = Swift.min(lowestBin, bin)
            highestBin = Swift.max(highestBin, bin)
            queue[index] = Int64(bin)
        }
        self.sum = sum
        self.largest = largest
        self.clamped = clamped
        self.largestClamped = largestClamped
        self.smallestNonZero = smallestNonZero
        self.lowestBin = lowestBin
        self.highestBin = highestBin
        for index in 0..<values {
            let bin = Int(truncatingIfNeeded: queue[index])
            let block = bin >> Self.blockShift
            var counts = blocks[block]
            if _slowPath(counts == nil) { counts = allocateBlock(block) }
            counts.unsafelyUnwrapped[bin & (Self.blockSize - 1)] &+= 1
        }
    }

    /// The count of `bin` (0 in a block not allocated).
    @inline(__always)
    private func count(_ bin: Int) -> Count {
        blocks[bin >> Self.blockShift].map { $0[bin & (Self.blockSize - 1)] } ?? 0
    }

    /// Allocates block `block` of the counts, zeroed. - Complexity: O(``blockSize``).
    @inline(never)
    private func allocateBlock(_ block: Int) -> UnsafeMutablePointer<Count> {
        let counts = UnsafeMutablePointer<Count>.allocate(capacity: Self.blockSize)
        counts.initialize(repeating: 0, count: Self.blockSize)
        blocks[block] = counts
        return counts
    }

    /// Adds what was recorded since the last flush to the histogram. - Complexity: O(bins between the smallest
    /// and largest value recorded since then).
    public func flush() {
        countQueued()
        guard pending > 0 else { return }
        let smallestBin = smallestNonZero == .max ? -1 : Self.bin(of: smallestNonZero)
        let largestBin = Self.bin(of: largestClamped)
        for bin in lowestBin...highestBin {
            // Blocks inside the range may be missing; their counts are 0.
            guard let counts = blocks[bin >> Self.blockShift], counts[bin & (Self.blockSize - 1)] != 0 else { continue }
            var count = UInt64(counts[bin & (Self.blockSize - 1)])
            counts[bin & (Self.blockSize - 1)] = 0
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
        let minimum = count(0) > 0 ? 0 : smallestNonZero
        guard p > 0 else { return Int64(minimum) }
        guard p < 100 else { return Int64(largestClamped) }
        let allowedAbove = LatencyHistogram.countAbove(percentile: p, of: pending)
        var bin = highestBin
        var above: UInt64 = 0
        while bin > lowestBin, above + UInt64(count(bin)) <= allowedAbove {
            above += UInt64(count(bin))
            bin -= 1
        }
        return Int64(Swift.max(Swift.min(Self.highestValue(inBin: bin), largestClamped), minimum))
    }

    /// Forgets everything recorded. - Complexity: O(bins touched since the last flush).
    public func reset() {
        queued = 0
        if highestBin >= lowestBin {
            for block in (lowestBin >> Self.blockShift)...(highestBin >> Self.blockShift) {
                guard let counts = blocks[block] else { continue }
                // The part of the block inside the touched range.
                let first = Swift.max(lowestBin, block << Self.blockShift)
                let last = Swift.min(highestBin, (block << Self.blockShift) + Self.blockSize - 1)
                (counts + (first & (Self.blockSize - 1))).update(repeating: 0, count: last - first + 1)
            }
        }
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
