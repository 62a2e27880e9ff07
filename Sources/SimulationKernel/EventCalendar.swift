/// Identifies one scheduled event so it can be cancelled; it is the event's insertion sequence number.
public struct EventHandle: Hashable, Sendable {
    public let sequence: UInt64
    @inlinable public init(sequence: UInt64) { self.sequence = sequence }
}

/// One entry of an event calendar: the firing time, a tie-breaking insertion sequence and the payload.
///
/// Entries are ordered by (time, sequence); sequences are unique, so no two entries ever tie and events
/// that fall at the same time fire in the order they were scheduled (FIFO).
public struct CalendarEntry<Payload> {
    public var time: SimTime
    public var sequence: UInt64
    public var payload: Payload

    @inlinable
    public init(time: SimTime, sequence: UInt64, payload: Payload) {
        self.time = time
        self.sequence = sequence
        self.payload = payload
    }

    /// Strict (time, sequence) order.
    @inlinable
    public func precedes(_ other: CalendarEntry) -> Bool {
        time < other.time || (time == other.time && sequence < other.sequence)
    }

    /// The entry's (time, sequence) as one unsigned 128-bit number that orders as ``precedes(_:)`` does (the
    /// time's sign bit flipped, so negative times come first). Comparing two keys compiles to a compare and a
    /// subtract with borrow, with no branch: a heap picks the earlier of two children with it, a choice no branch
    /// predictor can guess.
    @inlinable @inline(__always)
    public var orderKey: UInt128 {
        UInt128(UInt64(bitPattern: time) ^ (1 << 63)) << 64 | UInt128(sequence)
    }
}

/// A priority queue of timed events: the future event list of a discrete-event simulation.
///
/// Implementations: ``BinaryHeapCalendar`` (the kernel's default, fastest in `eventsim bench kernel`),
/// ``BufferHeapCalendar`` (the same heap over a buffer it owns, for runs that never copy their calendar),
/// ``TimingWheelCalendar`` (buckets of a fixed width with a heap beyond their span, for the scenarios),
/// ``QuaternaryHeapCalendar``, ``CollectionsHeapCalendar`` (swift-collections' min-max `Heap`) and
/// ``CalendarQueue`` (Brown's bucket calendar). All pop in strict (time, sequence) order.
public protocol EventCalendar<Payload> {
    associatedtype Payload

    /// Number of pending entries.
    var count: Int { get }

    /// Adds an entry. The caller supplies a sequence that is unique and increasing.
    mutating func insert(_ entry: CalendarEntry<Payload>)

    /// Removes and returns the earliest entry, or nil when empty.
    mutating func popFirst() -> CalendarEntry<Payload>?

    /// The earliest entry's time, or nil when empty.
    var firstTime: SimTime? { get }

    /// Reserves room for `capacity` entries.
    mutating func reserveCapacity(_ capacity: Int)
}
