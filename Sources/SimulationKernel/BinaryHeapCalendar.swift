/// An implicit binary min-heap of calendar entries, as in the C reference (`anchors/des/c/mmc.c`).
/// - Complexity: insert and popFirst O(log₂ n); no allocation once capacity is reached.
public struct BinaryHeapCalendar<Payload>: EventCalendar {
    @usableFromInline var storage: ContiguousArray<CalendarEntry<Payload>> = []

    public init() {}

    @inlinable public var count: Int { storage.count }

    @inlinable public var firstTime: SimTime? { storage.first?.time }

    @inlinable public mutating func reserveCapacity(_ capacity: Int) { storage.reserveCapacity(capacity) }

    @inlinable @inline(__always)
    public mutating func insert(_ entry: CalendarEntry<Payload>) {
        storage.append(entry)
        storage.withUnsafeMutableBufferPointer { heap in
            var index = heap.count &- 1
            while index > 0 {
                let parent = (index &- 1) >> 1
                guard entry.precedes(heap[parent]) else { break }
                heap[index] = heap[parent]
                index = parent
            }
            heap[index] = entry
        }
    }

    @inlinable @inline(__always)
    public mutating func popFirst() -> CalendarEntry<Payload>? {
        guard let last = storage.popLast() else { return nil }
        if storage.isEmpty { return last }
        return storage.withUnsafeMutableBufferPointer { heap in
            let first = heap[0]
            let index = BinaryHeap.siftDown(heap.baseAddress!, count: heap.count, last: last) { heap[$1] = heap[$0] }
            heap[index] = last
            return first
        }
    }
}

/// The sift-down shared by the binary heaps.
@usableFromInline enum BinaryHeap {
    /// The heap size in bytes up to which ``siftDown(_:count:last:move:)`` picks children without a branch: about
    /// one core's L2 cache. Below it the entries are cached and a mispredicted choice costs more than the
    /// compare; above it a branch lets the processor load the next level before the choice is known, and the
    /// branch-free choice, which waits for each level's loads, is slower (the hold model with 64,000 pending
    /// events: 30 % slower branch-free, 1,000 pending: 30 % faster).
    @usableFromInline static let branchlessBytes = 1 << 19

    /// Moves the hole at the root of the heap `heap[0..<count]` down while a child precedes `last`, moving that
    /// child up with `move(from, to)`; returns where `last` goes.
    @inlinable @inline(__always)
    static func siftDown<Payload>(
        _ heap: UnsafeMutablePointer<CalendarEntry<Payload>>, count: Int, last: CalendarEntry<Payload>,
        move: (_ from: Int, _ to: Int) -> Void
    ) -> Int {
        var index = 0
        // Two loops, chosen once per pop, so that each level runs one way without testing which.
        if count &* MemoryLayout<CalendarEntry<Payload>>.stride <= branchlessBytes {
            while true {
                // Wrapping arithmetic: indices stay below count, which is far below Int.max / 2.
                let left = 2 &* index &+ 1
                if left >= count { break }
                // The earlier child, without a branch (half the choices go either way); only the last parent
                // can lack a right child.
                var best = left
                if _fastPath(left &+ 1 < count) { best &+= heap[left &+ 1].orderKey < heap[left].orderKey ? 1 : 0 }
                guard heap[best].precedes(last) else { break }
                move(best, index)
                index = best
            }
        } else {
            while true {
                let left = 2 &* index &+ 1
                if left >= count { break }
                let right = left &+ 1
                let best = right < count && heap[right].precedes(heap[left]) ? right : left
                guard heap[best].precedes(last) else { break }
                move(best, index)
                index = best
            }
        }
        return index
    }
}
