import SimulationKernel

/// Completions of asynchronous invocations that only do accounting, kept out of the event calendar in a timing
/// wheel of their own (``TimingWheelCalendar``: 1,024 buckets of 2²⁰ ns, about 1.05 ms), for completions due within
/// ``span`` (about 1.07 s) of when they are planned.
///
/// A successful invocation of an event copy, on a function with nothing waiting, ends by counting the delivery
/// and freeing its environment: nothing downstream happens at that time. Such a completion needs no kernel
/// event (a dispatch through the calendar) as long as it is applied before anything reads what it changes: the
/// function's idle and busy environments (read when an invocation starts), the architecture's concurrency (read
/// at every start and when a window closes), the window's counts and latencies (read when it closes).
/// ``ArchitectureSimulation`` therefore applies every completion due before (now, the current event's sequence)
/// before each start and each window close, and the rest at the end of the run.
///
/// Each completion keeps the calendar sequence it would have had (``Scheduler/reserveSequence()``), so "due
/// before" is the calendar's own (time, sequence) order, ties included, and a completion can still be moved into
/// the calendar unchanged (``removeAll(of:into:)``) when its function starts queueing work. Due completions come
/// out in (time, sequence) order, though nothing depends on it: what they change (counts, sums, latency bins,
/// free lists) is the same in any order. The wheel keeps its earliest entry at hand, so a look for due
/// completions when none is due is a compare (an unsorted wheel rescanned its current bucket's list each time).
/// - Complexity: ``add(_:now:)`` O(1); ``popDue(before:sequence:)`` O(1) amortized per completion plus the
///   wheel's bucket moves; ``removeAll(of:into:)`` O(buckets + count).
struct PendingCompletions {
    /// One completion: when, its calendar sequence, and the invocation (function and event copy).
    struct Completion: Equatable {
        var time: SimTime
        var sequence: UInt64
        var function: Int32
        var copy: Int32
    }

    /// The invocation a wheel entry completes.
    struct Invocation {
        var function: Int32
        var copy: Int32
    }

    /// How far ahead of now a completion may lie, ns (2³⁰, about 1.07 s: the wheel's span); later ones (mostly
    /// cold starts) stay kernel events.
    static let span: SimTime = 1 << 30

    private var wheel = TimingWheelCalendar<Invocation>(bucketShift: 20, bucketCount: 1_024)

    /// The number of completions held.
    var count: Int { wheel.count }

    /// Adds a completion due at `completion.time` ≥ `now`, unless it lies ``span`` or more ahead.
    /// - Returns: false when it does not fit (the caller schedules a kernel event instead).
    @inline(__always) mutating func add(_ completion: Completion, now: SimTime) -> Bool {
        guard completion.time &- now < Self.span else { return false }
        wheel.insert(
            CalendarEntry(
                time: completion.time, sequence: completion.sequence,
                payload: Invocation(function: completion.function, copy: completion.copy)))
        return true
    }

    /// Removes and returns the earliest completion if it comes before (`time`, `sequence`) in the calendar's
    /// order, or nil when none does.
    @inline(__always) mutating func popDue(before time: SimTime, sequence: UInt64) -> Completion? {
        guard let first = wheel.firstKey, first.time < time || (first.time == time && first.sequence < sequence)
        else { return nil }
        let entry = wheel.popFirst().unsafelyUnwrapped
        return Completion(
            time: entry.time, sequence: entry.sequence, function: entry.payload.function, copy: entry.payload.copy)
    }

    /// Removes every completion of `function` (in no particular order), appending them to `removed`.
    mutating func removeAll(of function: Int32, into removed: inout [Completion]) {
        for entry in wheel.removeAll(where: { $0.payload.function == function }) {
            removed.append(
                Completion(
                    time: entry.time, sequence: entry.sequence, function: entry.payload.function,
                    copy: entry.payload.copy))
        }
    }
}
