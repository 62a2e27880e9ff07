/// The binary min-heap of ``BinaryHeapCalendar`` over a buffer of entries that one private object owns, written
/// through a pointer: no copy-on-write uniqueness check, capacity check through the array, or bounds check per
/// insert and pop (a `ContiguousArray` heap paid two uniqueness checks on each, about 2 % of a scenario run).
///
/// Copies of a calendar share its entries: a simulation owns its calendar and never copies it while running
/// (``Simulation`` keeps it in its scheduler). Pops in the same strict (time, sequence) order as every calendar.
/// Invariant: entries `0..<count` are initialized and form a heap; the rest of the buffer is not initialized.
/// - Complexity: insert and popFirst O(log₂ n); an insert that fills the buffer doubles it.
public struct BufferHeapCalendar<Payload>: EventCalendar {
    @usableFromInline final class Buffer {
        @usableFromInline @exclusivity(unchecked) var entries: UnsafeMutablePointer<CalendarEntry<Payload>>
        @usableFromInline @exclusivity(unchecked) var count = 0
        @usableFromInline @exclusivity(unchecked) var capacity: Int

        @usableFromInline init(capacity: Int) {
            self.capacity = capacity
            entries = .allocate(capacity: capacity)
        }

        deinit {
            entries.deinitialize(count: count)
            entries.deallocate()
        }

        /// Moves the entries to a buffer of `newCapacity` (at least `count`).
        @usableFromInline func grow(to newCapacity: Int) {
            let grown = UnsafeMutablePointer<CalendarEntry<Payload>>.allocate(capacity: newCapacity)
            grown.moveInitialize(from: entries, count: count)
            entries.deallocate()
            entries = grown
            capacity = newCapacity
        }
    }

    @usableFromInline let buffer = Buffer(capacity: 256)

    public init() {}

    @inlinable public var count: Int { buffer.count }

    @inlinable public var firstTime: SimTime? { buffer.count > 0 ? buffer.entries[0].time : nil }

    /// The earliest entry's time and sequence, or nil when empty. - Complexity: O(1).
    @inlinable public var firstKey: (time: SimTime, sequence: UInt64)? {
        buffer.count > 0 ? (buffer.entries[0].time, buffer.entries[0].sequence) : nil
    }

    @inlinable public mutating func reserveCapacity(_ capacity: Int) {
        if capacity > buffer.capacity { buffer.grow(to: capacity) }
    }

    @inlinable @inline(__always)
    public mutating func insert(_ entry: CalendarEntry<Payload>) {
        let buffer = self.buffer
        if buffer.count == buffer.capacity { buffer.grow(to: buffer.capacity * 2) }
        let heap = buffer.entries
        // A hole at the end moves up while the parent comes later.
        var index = buffer.count
        buffer.count &+= 1
        while index > 0 {
            let parent = (index &- 1) >> 1
            guard entry.precedes(heap[parent]) else { break }
            (heap + index).moveInitialize(from: heap + parent, count: 1)
            index = parent
        }
        (heap + index).initialize(to: entry)
    }

    @inlinable @inline(__always)
    public mutating func popFirst() -> CalendarEntry<Payload>? {
        let buffer = self.buffer
        guard buffer.count > 0 else { return nil }
        let heap = buffer.entries
        let first = heap.move()
        buffer.count &-= 1
        let count = buffer.count
        if count == 0 { return first }
        // The last entry fills the hole at the root, moving down past earlier children.
        let last = (heap + count).move()
        let index = BinaryHeap.siftDown(heap, count: count, last: last) {
            (heap + $1).moveInitialize(from: heap + $0, count: 1)
        }
        (heap + index).initialize(to: last)
        return first
    }
}
