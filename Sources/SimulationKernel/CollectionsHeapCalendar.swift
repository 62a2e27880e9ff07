public import HeapModule

/// The event calendar on swift-collections' `Heap` (a min-max heap), kept for the calendar benchmark.
///
/// `Heap` gives no order among equal elements, so the element compares by (time, sequence), which never ties.
/// - Complexity: insert and popFirst O(log n).
public struct CollectionsHeapCalendar<Payload>: EventCalendar {
    @usableFromInline
    struct Element: Comparable {
        @usableFromInline var entry: CalendarEntry<Payload>
        @usableFromInline init(entry: CalendarEntry<Payload>) { self.entry = entry }
        @usableFromInline static func < (lhs: Element, rhs: Element) -> Bool { lhs.entry.precedes(rhs.entry) }
        @usableFromInline static func == (lhs: Element, rhs: Element) -> Bool {
            lhs.entry.time == rhs.entry.time && lhs.entry.sequence == rhs.entry.sequence
        }
    }

    @usableFromInline var heap = Heap<Element>()

    public init() {}

    @inlinable public var count: Int { heap.count }

    @inlinable public var firstTime: SimTime? { heap.min?.entry.time }

    @inlinable public mutating func reserveCapacity(_ capacity: Int) { heap.reserveCapacity(capacity) }

    @inlinable public mutating func insert(_ entry: CalendarEntry<Payload>) { heap.insert(Element(entry: entry)) }

    @inlinable public mutating func popFirst() -> CalendarEntry<Payload>? { heap.popMin()?.entry }
}
