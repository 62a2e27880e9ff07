import ArchitectureSpecs
import EventPatterns
import SimulationKernel
import Stochastics

/// One replication's workload: every producer's arrival times with their payloads (real JSON events or table
/// writes), generated once and read by every architecture of the replication.
///
/// Architectures see the same workload (common random numbers); generating it once instead of once per
/// architecture removes the largest per-event cost that does not depend on the design (event generation was a
/// fifth of a scenario run per architecture). Arrivals are generated on demand, in order, from the producer's
/// own random streams (`rep<r>/workload/<producer>/arrivals` and `…/payload`), so what an architecture sees does
/// not depend on how many others read the workload or on the order in which they read it.
///
/// Memory: readers advance in lockstep (``ScenarioRunner``), and ``discard(before:)`` drops the arrivals every
/// reader has passed, so the buffer holds one lockstep step's arrivals, not the run's.
///
/// Not thread-safe: one replication's architectures run on one thread.
final class Workload {
    /// One arrival of one producer.
    struct Arrival {
        /// Simulated time of the put or write, nanoseconds.
        var time: SimTime
        /// The event's compact JSON text, UTF-8, followed by its member table for the producer's
        /// ``layout(producer:)`` when it has one (`bytes < event.count`; event producers); empty for table
        /// producers and once the last reader took it.
        var event: [UInt8]
        /// Size in bytes of the event's compact JSON text (its first `bytes` bytes); 0 for writes.
        var bytes: Int
        /// The write (table producers).
        var write: Write?
        /// Readers that have not yet taken the arrival (``take(producer:index:)``).
        var untaken: Int
    }

    /// One table write.
    struct Write {
        var operation: WriteGenerator.Operation
        /// Key index: the item's partition key is `k<key>`.
        var key: Int
        /// Payload size in bytes.
        var size: Int
        /// The producer's write counter after this write (1-based), written as the item's `version`.
        var counter: Int
    }

    private struct Producer {
        var arrivals: ArrivalGenerator
        var factory: EventFactory?
        var tracePayloads: [JSONValue?] = []
        var writes: WriteGenerator?
        /// Generated arrivals not yet discarded; `buffer[0]` is arrival number `first`. An array, not a deque:
        /// a deque's element access copied the arrival (retaining its event) twice per take, and discarding
        /// moves only the few arrivals generated ahead of the slowest reader.
        var buffer: [Arrival] = []
        var first = 0
        /// The last generated arrival's time (-1 before the first).
        var lastTime: SimTime = -1
        /// Whether the producer has no more arrivals before the end of production.
        var finished = false
    }

    /// The producers' state, in memory the workload owns: reached through a constant pointer, so reading and
    /// updating it involves no dynamic exclusivity check (a class's stored array costs two runtime calls an
    /// access, about 2 % of a scenario run here). Safe as the workload is used from one thread, and no access
    /// to a producer overlaps another.
    private let producers: UnsafeMutableBufferPointer<Producer>
    /// Production ends here (the scenario's duration): no arrival at or after it.
    let end: SimTime
    /// The number of architectures that take every arrival.
    let readers: Int

    /// The workload of `replication`: one producer per `scenario.workload.producers`, in that order, for
    /// `readers` architectures.
    init(scenario: ScenarioSpec, replication: Int, readers: Int = 1) {
        end = scenario.duration
        self.readers = Swift.max(1, readers)
        func stream(_ name: String) -> RandomStream {
            RandomStream(scenarioSeed: scenario.seed, name: "rep\(replication)/workload/\(name)")
        }
        var producers: [Producer] = []
        for spec in scenario.workload.producers {
            var producer = Producer(arrivals: ArrivalGenerator(spec: spec, stream: stream("\(spec.name)/arrivals")))
            switch spec.payload {
            case .events(let template):
                if case .trace(_, let payloads) = spec.arrivals { producer.tracePayloads = payloads }
                producer.factory = EventFactory(
                    template: template, stream: stream("\(spec.name)/payload"),
                    expandingDetail: producer.tracePayloads.isEmpty)
            case .writes(let template):
                producer.writes = WriteGenerator(template: template, stream: stream("\(spec.name)/payload"))
            }
            producers.append(producer)
        }
        self.producers = .allocate(capacity: producers.count)
        _ = self.producers.initialize(from: producers)
    }

    deinit {
        producers.deinitialize()
        producers.deallocate()
    }

    /// The member layout of `producer`'s events (their tables follow their texts), or nil for table producers.
    func layout(producer: Int) -> JSONMemberLayout? { producers[producer].factory?.layout }

    /// Arrival number `index` (0-based) of `producer`, generating it and any before it that are missing; nil when
    /// the producer has fewer arrivals.
    /// - Precondition: `index` has not been discarded.
    /// - Complexity: O(1) amortized per arrival generated, plus the event's size.
    func arrival(producer: Int, index: Int) -> Arrival? {
        bufferPosition(producer: producer, index: index).map { producers[producer].buffer[$0] }
    }

    /// What a reader takes of an arrival.
    struct Taken {
        /// The event's text and member table (see ``Arrival/event``); empty for writes.
        var event: [UInt8] = []
        /// Size in bytes of the event's text.
        var bytes = 0
        var write: Write?
    }

    /// Arrival number `index` of `producer` for one of the ``readers``: the last reader's take leaves the buffer
    /// without the event, so the event's last reference is the reader's (which releases it as soon as it has
    /// routed it) rather than the buffer's.
    func take(producer: Int, index: Int) -> Taken? {
        var taken = Taken()
        return take(producer: producer, index: index, into: &taken) ? taken : nil
    }

    /// ``take(producer:index:)`` into a reader's variable; false when the producer has fewer arrivals. Without
    /// an optional to destroy: the optional tuple this returned was destroyed through generic value witnesses
    /// and protocol-conformance lookups, about 2 % of a scenario run.
    func take(producer: Int, index: Int, into taken: inout Taken) -> Bool {
        guard let position = bufferPosition(producer: producer, index: index) else { return false }
        // One in-place access: the deque's getter copies the whole `Arrival` (retaining its event) per field read.
        Self.take(&producers[producer].buffer[position], into: &taken)
        return true
    }

    private static func take(_ arrival: inout Arrival, into taken: inout Taken) {
        arrival.untaken -= 1
        taken.bytes = arrival.bytes
        taken.write = arrival.write
        if arrival.untaken == 0 {
            swap(&taken.event, &arrival.event)
        } else {
            taken.event = arrival.event
        }
    }

    /// The time of arrival number `index` of `producer` (``arrival(producer:index:)`` without copying, and so
    /// retaining, its event).
    func time(producer: Int, index: Int) -> SimTime? {
        guard let position = bufferPosition(producer: producer, index: index) else { return nil }
        return Self.time(of: &producers[producer].buffer[position])
    }

    /// Read through an in-place access, for the reason given in ``take(producer:index:)``.
    private static func time(of arrival: inout Arrival) -> SimTime { arrival.time }

    /// Where arrival `index` of `producer` sits in its buffer, generating it first if needed; nil when the
    /// producer has fewer arrivals.
    private func bufferPosition(producer: Int, index: Int) -> Int? {
        precondition(index >= producers[producer].first, "workload arrival read after it was discarded")
        while index - producers[producer].first >= producers[producer].buffer.count {
            guard generate(producer) else { return nil }
        }
        return index - producers[producer].first
    }

    /// Drops every producer's arrivals before `positions[producer]` (what every reader has consumed).
    /// - Complexity: O(number dropped).
    func discard(before positions: [Int]) {
        for producer in producers.indices {
            let count = min(positions[producer] - producers[producer].first, producers[producer].buffer.count)
            guard count > 0 else { continue }
            producers[producer].buffer.removeFirst(count)
            producers[producer].first += count
        }
    }

    /// The number of arrivals held, over all producers.
    var bufferedCount: Int { producers.reduce(0) { $0 + $1.buffer.count } }

    /// Appends the producer's next arrival; false when it has none.
    private func generate(_ index: Int) -> Bool {
        guard !producers[index].finished else { return false }
        guard let next = producers[index].arrivals.next(after: producers[index].lastTime, end: end) else {
            producers[index].finished = true
            return false
        }
        producers[index].lastTime = next.time
        var arrival = Arrival(time: next.time, event: [], bytes: 0, untaken: readers)
        if let write = producers[index].writes?.next() {
            arrival.write = Write(
                operation: write.operation, key: write.key, size: write.size, counter: write.counter)
        } else {
            // A trace's payload goes with its own timestamp (the arrival's trace index).
            var detail: JSONValue? = nil
            if let position = next.traceIndex, position < producers[index].tracePayloads.count {
                detail = producers[index].tracePayloads[position]
            }
            if let made = producers[index].factory?.makeEvent(at: next.time, detail: detail) {
                arrival.bytes = made.textCount
                arrival.event = made.event
            }
        }
        producers[index].buffer.append(arrival)
        return true
    }
}
