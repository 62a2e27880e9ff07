/// Brown's calendar queue (CACM 1988): a ring of "day" buckets, each a short sorted list, whose width adapts
/// to the spacing of pending events. Kept for the calendar benchmark (docs/decisions/0002-event-calendar.md).
///
/// Invariant: every bucket is sorted so its earliest entry is last (pop is O(1) from the end); entry `e`
/// lives in bucket `(e.time / width) mod bucketCount`. The ring resizes (doubling or halving) when the
/// number of entries leaves [bucketCount/2, 2·bucketCount], re-estimating the width from the head of the queue.
/// - Complexity: O(1) expected insert and popFirst when event spacing is stable; O(n) on a resize.
public struct CalendarQueue<Payload>: EventCalendar {
    @usableFromInline var buckets: [[CalendarEntry<Payload>]]
    @usableFromInline var width: SimTime
    @usableFromInline var currentBucket = 0
    /// Exclusive upper time bound of the current bucket's "day" in the current "year".
    @usableFromInline var currentTop: SimTime
    @usableFromInline var size = 0

    public init() {
        buckets = Array(repeating: [], count: 2)
        width = 1_000_000
        currentTop = width
    }

    public var count: Int { size }

    public var firstTime: SimTime? {
        guard size > 0 else { return nil }
        var best: SimTime? = nil
        for bucket in buckets {
            if let last = bucket.last, best == nil || last.time < best! { best = last.time }
        }
        return best
    }

    public mutating func reserveCapacity(_ capacity: Int) {}

    @inlinable
    func bucketIndex(_ time: SimTime) -> Int {
        Int(truncatingIfNeeded: (time / width) & Int64(buckets.count - 1))
    }

    public mutating func insert(_ entry: CalendarEntry<Payload>) {
        insertWithoutResize(entry)
        size += 1
        if size > 2 * buckets.count { resize(to: buckets.count * 2) }
    }

    mutating func insertWithoutResize(_ entry: CalendarEntry<Payload>) {
        let index = bucketIndex(entry.time)
        // Keep the earliest at the end; the new entry usually lands near the end (late events go first).
        var position = buckets[index].count
        while position > 0, buckets[index][position - 1].precedes(entry) { position -= 1 }
        buckets[index].insert(entry, at: position)
        // An entry earlier than the current day moves the scan back to it.
        if entry.time < currentTop - width {
            currentBucket = index
            currentTop = (entry.time / width + 1) * width
        }
    }

    public mutating func popFirst() -> CalendarEntry<Payload>? {
        guard size > 0 else { return nil }
        var scanned = 0
        while scanned < buckets.count {
            if let last = buckets[currentBucket].last, last.time < currentTop {
                buckets[currentBucket].removeLast()
                size -= 1
                if size < buckets.count / 2, buckets.count > 2 { resize(to: buckets.count / 2) }
                return last
            }
            currentBucket = (currentBucket + 1) & (buckets.count - 1)
            currentTop += width
            scanned += 1
        }
        // A whole year without an event: jump straight to the earliest one.
        var bestBucket = 0
        var best: CalendarEntry<Payload>? = nil
        for index in buckets.indices {
            if let last = buckets[index].last, best == nil || last.precedes(best!) {
                best = last
                bestBucket = index
            }
        }
        currentBucket = bestBucket
        currentTop = (best!.time / width + 1) * width
        return popFirst()
    }

    mutating func resize(to newCount: Int) {
        var all: [CalendarEntry<Payload>] = []
        all.reserveCapacity(size)
        for bucket in buckets { all.append(contentsOf: bucket) }
        all.sort { $0.precedes($1) }
        // New width: three times the mean gap among the earliest events (Brown's heuristic).
        let sample = Swift.min(all.count, 25)
        if sample >= 2 {
            let gap = (all[sample - 1].time - all[0].time) / SimTime(sample - 1)
            width = Swift.max(1, 3 * gap)
        }
        buckets = Array(repeating: [], count: newCount)
        let start = all.first?.time ?? 0
        currentBucket = bucketIndex(start)
        currentTop = (start / width + 1) * width
        for entry in all.reversed() {
            buckets[bucketIndex(entry.time)].append(entry)
        }
    }
}
