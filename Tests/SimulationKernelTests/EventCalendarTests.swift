import Testing

@testable import SimulationKernel

/// A tiny deterministic generator for randomized tests (splitmix64).
struct TestGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
    mutating func below(_ bound: UInt64) -> UInt64 { next() % bound }
}

enum CalendarKind: String, CaseIterable, Sendable {
    case quaternary, binary, collections, calendarQueue, buffer, wheel
}

/// Pushes and pops a random interleaving on a calendar and checks it against a sorted model.
func checkCalendarOrder<C: EventCalendar>(_ calendar: inout C, seed: UInt64) where C.Payload == Int {
    var generator = TestGenerator(state: seed)
    var model: [CalendarEntry<Int>] = []
    var sequence: UInt64 = 0
    var now: SimTime = 0
    for step in 0..<5_000 {
        if generator.below(3) > 0 || model.isEmpty {
            // Many equal times on purpose: ties must resolve by sequence.
            let time = now + SimTime(generator.below(50)) * 1_000
            let entry = CalendarEntry(time: time, sequence: sequence, payload: step)
            sequence += 1
            calendar.insert(entry)
            model.append(entry)
        } else {
            model.sort { $0.precedes($1) }
            let expected = model.removeFirst()
            let popped = calendar.popFirst()
            #expect(popped?.time == expected.time && popped?.sequence == expected.sequence)
            now = expected.time
        }
        #expect(calendar.count == model.count)
    }
    model.sort { $0.precedes($1) }
    for expected in model {
        let popped = calendar.popFirst()
        #expect(popped?.sequence == expected.sequence)
    }
    let last = calendar.popFirst()
    #expect(last == nil)
}

@Suite("Event calendars")
struct EventCalendarTests {
    @Test(arguments: CalendarKind.allCases)
    func popsInTimeThenSequenceOrder(kind: CalendarKind) {
        switch kind {
        case .quaternary:
            var calendar = QuaternaryHeapCalendar<Int>()
            checkCalendarOrder(&calendar, seed: 1)
        case .binary:
            var calendar = BinaryHeapCalendar<Int>()
            checkCalendarOrder(&calendar, seed: 2)
        case .collections:
            var calendar = CollectionsHeapCalendar<Int>()
            checkCalendarOrder(&calendar, seed: 3)
        case .calendarQueue:
            var calendar = CalendarQueue<Int>()
            checkCalendarOrder(&calendar, seed: 4)
        case .buffer:
            var calendar = BufferHeapCalendar<Int>()
            checkCalendarOrder(&calendar, seed: 5)
        case .wheel:
            var calendar = TimingWheelCalendar<Int>()
            checkCalendarOrder(&calendar, seed: 6)
            // Buckets of 1 µs over 64 µs: most entries land in lists or beyond the span.
            var small = TimingWheelCalendar<Int>(bucketShift: 10, bucketCount: 64)
            checkCalendarOrder(&small, seed: 7)
        }
    }

    /// The binary heaps pick children without a branch while they fit ``BinaryHeap/branchlessBytes`` and with
    /// one above: both ways pop in order, also while the heap shrinks through the limit.
    @Test(arguments: [CalendarKind.binary, .buffer])
    func heapsPopInOrderAcrossTheBranchFreeLimit(kind: CalendarKind) {
        let entries = 3 * BinaryHeap.branchlessBytes / MemoryLayout<CalendarEntry<Int>>.stride
        var generator = TestGenerator(state: 11)
        var model = (0..<entries).map {
            CalendarEntry(time: SimTime(generator.below(5_000)) - 1_000, sequence: UInt64($0), payload: $0)
        }
        var binary = BinaryHeapCalendar<Int>()
        var buffer = BufferHeapCalendar<Int>()
        for entry in model { if kind == .binary { binary.insert(entry) } else { buffer.insert(entry) } }
        model.sort { $0.precedes($1) }
        var outOfOrder = 0
        for expected in model {
            let popped = kind == .binary ? binary.popFirst() : buffer.popFirst()
            if popped?.sequence != expected.sequence { outOfOrder += 1 }
        }
        #expect(outOfOrder == 0)
    }

    /// The branch-free order key orders as `precedes`, negative times and equal times included.
    @Test func orderKeyOrdersAsPrecedes() {
        let times: [SimTime] = [.min, -5, -1, 0, 1, 5, .max]
        let entries = times.flatMap { time in
            [0, 1, UInt64.max].map { CalendarEntry(time: time, sequence: $0, payload: 0) }
        }
        for a in entries {
            for b in entries { #expect((a.orderKey < b.orderKey) == a.precedes(b)) }
        }
    }

    /// The buffer heap moves its entries rather than copying them: payloads that hold references come out
    /// intact, through growth, and are released with the calendar.
    @Test func bufferHeapKeepsPayloadsWithReferencesIntact() {
        var calendar = BufferHeapCalendar<String>()
        calendar.reserveCapacity(8)
        var generator = TestGenerator(state: 9)
        for sequence in 0..<2_000 {
            let time = SimTime(generator.below(500))
            calendar.insert(
                CalendarEntry(time: time, sequence: UInt64(sequence), payload: "event \(sequence) at \(time)"))
        }
        #expect(calendar.count == 2_000)
        var last: (SimTime, UInt64) = (-1, 0)
        for _ in 0..<1_000 {
            let entry = calendar.popFirst()!
            #expect(entry.payload == "event \(entry.sequence) at \(entry.time)")
            #expect(last.0 < entry.time || (last.0 == entry.time && last.1 < entry.sequence))
            last = (entry.time, entry.sequence)
        }
        #expect(calendar.count == 1_000 && calendar.firstTime != nil)
    }

    @Test func equalTimesFireInSchedulingOrder() {
        var scheduler = Scheduler<Int, QuaternaryHeapCalendar<Int>>(calendar: .init())
        for value in 0..<100 { scheduler.schedule(value, at: 5) }
        var fired: [Int] = []
        while let value = scheduler.next() { fired.append(value) }
        #expect(fired == Array(0..<100))
    }

    @Test func cancelledEventsNeverFire() {
        var scheduler = Scheduler<Int, QuaternaryHeapCalendar<Int>>(calendar: .init())
        let handles = (0..<10).map { scheduler.schedule($0, at: SimTime($0)) }
        scheduler.cancel(handles[3])
        scheduler.cancel(handles[7])
        var fired: [Int] = []
        while let value = scheduler.next() { fired.append(value) }
        #expect(fired == [0, 1, 2, 4, 5, 6, 8, 9])
    }

    @Test func pastTimesAreClampedToNow() {
        var scheduler = Scheduler<Int, BinaryHeapCalendar<Int>>(calendar: .init())
        scheduler.schedule(1, at: 100)
        _ = scheduler.next()
        scheduler.schedule(2, at: 50)
        _ = scheduler.next()
        #expect(scheduler.now == 100)
    }
}
