/// An implicit 4-ary min-heap of calendar entries in one contiguous array.
///
/// A 4-ary heap halves the depth of a binary heap and keeps each node's children in one cache line; measured
/// here it is nevertheless 15–35% slower than the binary heap on the hold model, because the extra comparisons
/// per level cost more than the saved levels (docs/decisions/0002-event-calendar.md).
/// - Complexity: insert O(log₄ n), popFirst O(4 log₄ n); no allocation once capacity is reached.
public struct QuaternaryHeapCalendar<Payload>: EventCalendar {
    @usableFromInline var storage: ContiguousArray<CalendarEntry<Payload>> = []

    public init() {}

    @inlinable public var count: Int { storage.count }

    @inlinable public var firstTime: SimTime? { storage.first?.time }

    @inlinable public mutating func reserveCapacity(_ capacity: Int) { storage.reserveCapacity(capacity) }

    @inlinable
    public mutating func insert(_ entry: CalendarEntry<Payload>) {
        storage.append(entry)
        storage.withUnsafeMutableBufferPointer { heap in
            var index = heap.count - 1
            while index > 0 {
                let parent = (index - 1) >> 2
                guard entry.precedes(heap[parent]) else { break }
                heap[index] = heap[parent]
                index = parent
            }
            heap[index] = entry
        }
    }

    @inlinable
    public mutating func popFirst() -> CalendarEntry<Payload>? {
        guard let last = storage.popLast() else { return nil }
        if storage.isEmpty { return last }
        return storage.withUnsafeMutableBufferPointer { heap in
            let first = heap[0]
            let count = heap.count
            var index = 0
            while true {
                let firstChild = 4 * index + 1
                if firstChild >= count { break }
                var best = firstChild
                let end = Swift.min(firstChild + 4, count)
                var child = firstChild + 1
                while child < end {
                    if heap[child].precedes(heap[best]) { best = child }
                    child += 1
                }
                guard heap[best].precedes(last) else { break }
                heap[index] = heap[best]
                index = best
            }
            heap[index] = last
            return first
        }
    }
}
