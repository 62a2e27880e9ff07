/// The clock and future event list of one simulation run, generic over the event payload and the calendar.
///
/// Models receive it `inout` while handling an event and schedule follow-up events through it. Events at
/// equal times fire in scheduling order. Cancellation is lazy: a cancelled event stays in the calendar and is
/// skipped when it reaches the front, so cancelling is O(1) and the common path pays one `isEmpty` check.
/// Not `Sendable` by design: one run belongs to one thread.
public struct Scheduler<Event, Calendar: EventCalendar> where Calendar.Payload == Event {
    /// The current simulated time in nanoseconds; never decreases.
    @inlinable public var now: SimTime { _now }
    @usableFromInline var _now: SimTime = 0
    @usableFromInline var calendar: Calendar
    @usableFromInline var nextSequence: UInt64 = 0
    /// The sequence of the event being handled (the last one ``next(notAfter:)`` returned).
    @inlinable public var currentSequence: UInt64 { _currentSequence }
    @usableFromInline var _currentSequence: UInt64 = 0
    @usableFromInline var cancelled: Set<UInt64> = []
    /// Number of events handed to the model so far.
    @inlinable public var processedCount: UInt64 { _processedCount }
    @usableFromInline var _processedCount: UInt64 = 0

    public init(calendar: Calendar) { self.calendar = calendar }

    /// Reserves calendar room for `capacity` pending events (avoids growth during a run).
    public mutating func reserveCapacity(_ capacity: Int) { calendar.reserveCapacity(capacity) }

    /// Number of events pending (cancelled ones included until they are skipped).
    @inlinable public var pendingCount: Int { calendar.count }

    /// Schedules `event` at absolute time `time` (clamped to `now` if in the past).
    /// - Returns: a handle for ``cancel(_:)``.
    /// - Complexity: that of the calendar's insert, O(log n) for the heaps.
    @inlinable @inline(__always) @discardableResult
    public mutating func schedule(_ event: Event, at time: SimTime) -> EventHandle {
        let sequence = nextSequence
        nextSequence &+= 1
        calendar.insert(CalendarEntry(time: Swift.max(time, now), sequence: sequence, payload: event))
        return EventHandle(sequence: sequence)
    }

    /// Takes the sequence number the next scheduled event would get, for an event the model keeps outside the
    /// calendar: it stays ordered against the calendar's events as if scheduled now, and can be put in the
    /// calendar later with ``schedule(_:at:sequence:)``.
    @inlinable @inline(__always)
    public mutating func reserveSequence() -> UInt64 {
        defer { nextSequence &+= 1 }
        return nextSequence
    }

    /// Schedules `event` at `time` (clamped to `now`) with a sequence taken earlier by ``reserveSequence()``,
    /// so it fires exactly where it would have had it been scheduled when the sequence was taken.
    /// - Precondition: `sequence` came from ``reserveSequence()`` and was not used yet.
    @inlinable
    public mutating func schedule(_ event: Event, at time: SimTime, sequence: UInt64) {
        calendar.insert(CalendarEntry(time: Swift.max(time, now), sequence: sequence, payload: event))
    }

    /// Schedules `event` after a delay of `delay` nanoseconds (negative delays count as zero).
    @inlinable @inline(__always) @discardableResult
    public mutating func schedule(_ event: Event, after delay: SimTime) -> EventHandle {
        schedule(event, at: delay > 0 ? now &+ delay : now)
    }

    /// Cancels a pending event; cancelling one that already fired or was cancelled has no effect.
    public mutating func cancel(_ handle: EventHandle) {
        if handle.sequence < nextSequence { cancelled.insert(handle.sequence) }
    }

    /// Removes the next live event with time ≤ `limit`, advancing `now` to it.
    /// - Returns: nil when no live event remains at or before `limit`.
    @inlinable @inline(__always)
    public mutating func next(notAfter limit: SimTime = .max) -> Event? {
        while let entry = calendar.popFirst() {
            if entry.time > limit {
                // Not due yet: put it back (same sequence, so its order is unchanged). This happens once per
                // `run(until:)`, and spares calendars whose peek is costly (the calendar queue) a peek per event.
                calendar.insert(entry)
                return nil
            }
            if let event = handOver(entry) { return event }
        }
        return nil
    }

    /// The payload of an entry just taken from the calendar, with the clock and the current sequence moved to
    /// it; nil when it was cancelled (then it is forgotten).
    @inlinable @inline(__always)
    mutating func handOver(_ entry: CalendarEntry<Event>) -> Event? {
        if !cancelled.isEmpty, cancelled.remove(entry.sequence) != nil { return nil }
        _now = entry.time
        _currentSequence = entry.sequence
        _processedCount &+= 1
        return entry.payload
    }

    /// Makes an event that the model keeps outside the calendar the one being handled: the clock moves to
    /// `time` and the current sequence becomes `sequence` (taken with ``reserveSequence()`` when the event was
    /// planned), and it counts as handled. The caller merges its events with the calendar's in (time, sequence)
    /// order (``next(notAfter:before:sequence:)``), so `time` is never before `now`.
    @inlinable @inline(__always)
    public mutating func enter(at time: SimTime, sequence: UInt64) {
        _now = Swift.max(time, _now)
        _currentSequence = sequence
        _processedCount &+= 1
    }

    /// Moves the clock forward to `time` without handling anything (no-op if `time` ≤ now).
    public mutating func advance(to time: SimTime) {
        if time > _now { _now = time }
    }
}

/// A calendar that shows its earliest entry's key without removing it.
public protocol KeyedEventCalendar<Payload>: EventCalendar {
    /// The earliest entry's time and sequence, or nil when empty. - Complexity: O(1).
    var firstKey: (time: SimTime, sequence: UInt64)? { get }
}

extension BufferHeapCalendar: KeyedEventCalendar {}
extension TimingWheelCalendar: KeyedEventCalendar {}

extension Scheduler where Calendar: KeyedEventCalendar {
    /// Removes the next live event with time ≤ `limit` that comes before (`time`, `sequence`) in the calendar's
    /// order, advancing `now` to it: for a model that merges events of its own (planned with
    /// ``reserveSequence()``, handled after ``enter(at:sequence:)``) with the calendar's.
    /// - Returns: nil when no live event remains at or before `limit` ahead of (`time`, `sequence`).
    /// - Complexity: a look at the calendar's first key, then that of a pop.
    @inlinable @inline(__always)
    public mutating func next(notAfter limit: SimTime, before time: SimTime, sequence: UInt64) -> Event? {
        while let first = calendar.firstKey, first.time <= limit,
            first.time < time || (first.time == time && first.sequence < sequence)
        {
            if let event = handOver(calendar.popFirst().unsafelyUnwrapped) { return event }
        }
        return nil
    }
}

/// A simulated system: a state machine that reacts to its own events.
public protocol SimulationModel {
    associatedtype Event

    /// Handles one event at `scheduler.now`, scheduling any follow-up events.
    mutating func handle<C: EventCalendar>(_ event: Event, scheduler: inout Scheduler<Event, C>)
}

/// A model together with its scheduler: the run loop.
public struct Simulation<Model: SimulationModel, Calendar: EventCalendar> where Calendar.Payload == Model.Event {
    public var model: Model
    public var scheduler: Scheduler<Model.Event, Calendar>

    public init(model: Model, calendar: Calendar) {
        self.model = model
        self.scheduler = Scheduler(calendar: calendar)
    }

    /// The current simulated time.
    @inlinable public var now: SimTime { scheduler.now }

    /// Handles one event. - Returns: false when no event is pending.
    @inlinable @discardableResult
    public mutating func step() -> Bool {
        guard let event = scheduler.next() else { return false }
        model.handle(event, scheduler: &scheduler)
        return true
    }

    /// Handles every event with time ≤ `end`, then sets the clock to `end`.
    @inlinable
    public mutating func run(until end: SimTime) {
        while let event = scheduler.next(notAfter: end) {
            model.handle(event, scheduler: &scheduler)
        }
        scheduler.advance(to: end)
    }

    /// Handles events while `condition` holds for the model (checked before each event) and events remain.
    @inlinable
    public mutating func run(while condition: (Model) -> Bool) {
        while condition(model), let event = scheduler.next() {
            model.handle(event, scheduler: &scheduler)
        }
    }
}

extension Simulation where Calendar == BinaryHeapCalendar<Model.Event> {
    /// A simulation on the default calendar, the binary heap (fastest in `eventsim bench kernel`; see
    /// docs/decisions/0002-event-calendar.md).
    public init(model: Model) { self.init(model: model, calendar: BinaryHeapCalendar()) }
}
