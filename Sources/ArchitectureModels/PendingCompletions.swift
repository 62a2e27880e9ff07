import SimulationKernel

/// Completions of asynchronous invocations that only do accounting, kept out of the event calendar: a timing
/// wheel of buckets 2¹⁸ ns (about 262 µs) wide over 4,096 buckets (about 1.07 s ahead of the earliest pending
/// completion), each bucket an unsorted list.
///
/// A successful invocation of an event copy, on a function with nothing waiting, ends by counting the delivery
/// and freeing its environment: nothing downstream happens at that time. Such a completion needs no kernel
/// event (a push and a pop of the calendar's heap) as long as it is applied before anything reads what it
/// changes: the function's idle and busy environments (read when an invocation starts), the architecture's
/// concurrency (read at every start and when a window closes), the window's counts and latencies (read when it
/// closes). ``ArchitectureSimulation`` therefore applies every completion due before (now, the current event's
/// sequence) before each start and each window close, and the rest at the end of the run.
///
/// Each completion keeps the calendar sequence it would have had (``Scheduler/reserveSequence()``), so "due
/// before" is the calendar's own (time, sequence) order, ties included, and a completion can still be moved
/// into the calendar unchanged (``removeAll(of:into:)``) when its function starts queueing work. Due
/// completions come out in no particular order: what they change (counts, sums, latency bins, free lists) does
/// not depend on it.
///
/// Invariants: every completion lies in bucket `cursor ..< cursor + bucketCount` (absolute bucket numbers,
/// `time >> bucketShift`) and at or after `earliest`; every live node of `nodes` (a ``Slab``) is in exactly one
/// bucket's list.
/// - Complexity: ``add(_:now:)`` O(1); ``popDue(before:sequence:)`` O(1) amortized per completion plus the
///   buckets the cursor passes (one per 262 µs of simulated time) and the entries of the current bucket that
///   are not due yet; ``removeAll(of:into:)`` O(buckets + count).
struct PendingCompletions {
    /// One completion: when, its calendar sequence, and the invocation (function and event copy).
    struct Completion: Equatable {
        var time: SimTime
        var sequence: UInt64
        var function: Int32
        var copy: Int32
    }

    static let bucketShift = 18
    static let bucketCount = 4_096
    /// How far ahead of the earliest bucket a completion may lie, ns (about 1.07 s).
    static let span: SimTime = SimTime(bucketCount) << bucketShift

    /// A completion and the next node of its bucket's list (-1 at the end).
    private struct Node {
        var completion: Completion
        var next: Int32
    }

    /// The bucket heads and the wheel's position, in one object so that the wheel is not copied on write.
    private final class Wheel {
        /// First node of each bucket's list, -1 when empty; indexed by absolute bucket mod `bucketCount`.
        @exclusivity(unchecked) var heads: UnsafeMutablePointer<Int32>
        /// The earliest bucket (absolute number) that may hold a completion.
        @exclusivity(unchecked) var cursor: SimTime = 0
        /// No completion is earlier than this time, ns: a look for due completions before it finds none.
        @exclusivity(unchecked) var earliest: SimTime = .max

        init() {
            heads = .allocate(capacity: PendingCompletions.bucketCount)
            heads.initialize(repeating: -1, count: PendingCompletions.bucketCount)
        }

        deinit { heads.deallocate() }
    }

    private let wheel = Wheel()
    private var nodes = Slab<Node>()

    /// The number of completions held.
    var count: Int { nodes.liveCount }

    /// Adds a completion due at `completion.time` ≥ `now`, unless it lies beyond the wheel's span.
    /// - Returns: false when it does not fit (the caller schedules a kernel event instead).
    @inline(__always) mutating func add(_ completion: Completion, now: SimTime) -> Bool {
        let wheel = self.wheel
        let bucket = completion.time >> Self.bucketShift
        if nodes.liveCount == 0 { wheel.cursor = now >> Self.bucketShift }
        guard bucket &- wheel.cursor < SimTime(Self.bucketCount) else { return false }
        wheel.earliest = Swift.min(wheel.earliest, completion.time)
        let head = wheel.heads + Int(bucket & SimTime(Self.bucketCount - 1))
        head.pointee = nodes.insert(Node(completion: completion, next: head.pointee))
        return true
    }

    /// Removes and returns one completion that comes before (`time`, `sequence`) in the calendar's order, or nil
    /// when none does.
    @inline(__always) mutating func popDue(before time: SimTime, sequence: UInt64) -> Completion? {
        guard nodes.liveCount > 0, wheel.earliest <= time else { return nil }
        return popDueSlow(before: time, sequence: sequence)
    }

    private mutating func popDueSlow(before time: SimTime, sequence: UInt64) -> Completion? {
        let wheel = self.wheel
        let target = time >> Self.bucketShift
        let mask = SimTime(Self.bucketCount - 1)
        // Buckets before the target's hold only completions earlier than `time`: take their heads.
        while wheel.cursor < target {
            let head = wheel.heads + Int(wheel.cursor & mask)
            let node = head.pointee
            if node >= 0 {
                head.pointee = nodes[node].next
                return release(node)
            }
            wheel.cursor += 1
        }
        guard wheel.cursor == target else { return nil }
        // The target's bucket: only what precedes (time, sequence). What stays in it is not earlier than its
        // least time, and later buckets start after it.
        var earliest = (target + 1) << Self.bucketShift
        var previous: Int32 = -1
        var node = wheel.heads[Int(target & mask)]
        while node >= 0 {
            let completion = nodes[node].completion
            let next = nodes[node].next
            if completion.time < time || (completion.time == time && completion.sequence < sequence) {
                unlink(node, after: previous, next: next, bucket: target)
                return release(node)
            }
            earliest = Swift.min(earliest, completion.time)
            previous = node
            node = next
        }
        wheel.earliest = earliest
        return nil
    }

    /// Takes `node` out of the list of absolute bucket `bucket`, where it follows `previous` (-1: the head).
    private mutating func unlink(_ node: Int32, after previous: Int32, next: Int32, bucket: SimTime) {
        if previous >= 0 {
            nodes[previous].next = next
        } else {
            wheel.heads[Int(bucket & SimTime(Self.bucketCount - 1))] = next
        }
    }

    /// Frees an unlinked node and returns its completion.
    private mutating func release(_ node: Int32) -> Completion {
        let completion = nodes[node].completion
        nodes.remove(node)
        if nodes.liveCount == 0 { wheel.earliest = .max }
        return completion
    }

    /// Removes every completion of `function` (in no particular order), appending them to `removed`.
    mutating func removeAll(of function: Int32, into removed: inout [Completion]) {
        for bucket in 0..<SimTime(Self.bucketCount) {
            var previous: Int32 = -1
            var node = wheel.heads[Int(bucket)]
            while node >= 0 {
                let next = nodes[node].next
                if nodes[node].completion.function == function {
                    unlink(node, after: previous, next: next, bucket: bucket)
                    removed.append(release(node))
                } else {
                    previous = node
                }
                node = next
            }
        }
    }
}
