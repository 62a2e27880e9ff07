import Testing

@testable import SimulationKernel

@Suite("Timing wheel calendar")
struct TimingWheelCalendarTests {
    /// Pops equal a sorted model's and the binary heap's, for every mix of near entries (the current bucket and
    /// earlier), entries in the lists, entries beyond the span (the overflow heap) and ties, with the clock
    /// moving as the pops say; `firstKey` always names the next pop.
    @Test(arguments: [
        (shift: 4, buckets: 64, spread: 100),  // 16 ns buckets over 1 µs; most entries in lists
        (shift: 4, buckets: 64, spread: 10_000),  // most entries beyond the span
        (shift: 10, buckets: 128, spread: 400_000),  // a mix, with long empty stretches
        (shift: 18, buckets: 4_096, spread: 3_000_000_000),  // finer than the scenarios' wheel
        (shift: 20, buckets: 1_024, spread: 3_000_000_000),  // the scenarios' wheel
    ])
    func popsInOrderWithTheHeap(shift: Int, buckets: Int, spread: Int) {
        var wheel = TimingWheelCalendar<Int>(bucketShift: shift, bucketCount: buckets)
        var heap = BufferHeapCalendar<Int>()
        var generator = TestGenerator(state: UInt64(shift * 1_000 + buckets) ^ UInt64(spread))
        var sequence: UInt64 = 0
        var now: SimTime = -5_000  // negative times too: buckets are floor(time / width)
        var mismatches = 0
        for step in 0..<40_000 {
            if generator.below(5) < 3 || wheel.count == 0 {
                // Some at `now` exactly, some tied with each other, some far ahead.
                let delay: SimTime =
                    switch generator.below(4) {
                    case 0: 0
                    case 1: SimTime(generator.below(8)) * 16
                    default: SimTime(generator.below(UInt64(spread)))
                    }
                let entry = CalendarEntry(time: now + delay, sequence: sequence, payload: step)
                sequence += 1
                wheel.insert(entry)
                heap.insert(entry)
            } else {
                let key = wheel.firstKey
                let expected = heap.popFirst()!
                let popped = wheel.popFirst()
                if popped?.sequence != expected.sequence || popped?.payload != expected.payload
                    || key?.sequence != expected.sequence || key?.time != expected.time
                {
                    mismatches += 1
                }
                now = expected.time
            }
            if wheel.count != heap.count { mismatches += 1 }
        }
        while let expected = heap.popFirst() {
            if wheel.popFirst()?.sequence != expected.sequence { mismatches += 1 }
        }
        #expect(mismatches == 0)
        #expect(wheel.popFirst() == nil && wheel.firstKey == nil && wheel.count == 0)
    }

    /// Entries move between the lists, the sorted current bucket and the overflow heap, and the node and
    /// current buffers grow: payloads holding references come out intact, and the ones left are released with
    /// the calendar.
    @Test func keepsPayloadsWithReferencesIntact() {
        var calendar = TimingWheelCalendar<String>(bucketShift: 6, bucketCount: 64)
        var generator = TestGenerator(state: 3)
        var sequence: UInt64 = 0
        var now: SimTime = 0
        var last: (SimTime, UInt64) = (-1, 0)
        var intact = true
        for round in 0..<20 {
            // A burst into one bucket grows the current buffer; a spread burst grows the nodes.
            for _ in 0..<300 {
                let delay = round % 2 == 0 ? SimTime(generator.below(64)) : SimTime(generator.below(20_000))
                let time = now + delay
                calendar.insert(CalendarEntry(time: time, sequence: sequence, payload: "event \(sequence) at \(time)"))
                sequence += 1
            }
            for _ in 0..<250 {
                let entry = calendar.popFirst()!
                intact = intact && entry.payload == "event \(entry.sequence) at \(entry.time)"
                intact = intact && (last.0 < entry.time || (last.0 == entry.time && last.1 < entry.sequence))
                last = (entry.time, entry.sequence)
                now = entry.time
            }
        }
        #expect(intact)
        #expect(calendar.count == 20 * 50)
    }

    /// The scheduler's merge with events kept outside the calendar reads the wheel's first key: a wheel and a
    /// heap hand over the same events before a given (time, sequence).
    @Test func schedulerMergesAsWithTheHeap() {
        var wheel = Scheduler<Int, TimingWheelCalendar<Int>>(
            calendar: TimingWheelCalendar(bucketShift: 8, bucketCount: 64))
        var heap = Scheduler<Int, BufferHeapCalendar<Int>>(calendar: BufferHeapCalendar())
        var generator = TestGenerator(state: 21)
        for event in 0..<2_000 {
            let time = SimTime(generator.below(100_000))
            wheel.schedule(event, at: time)
            heap.schedule(event, at: time)
        }
        var handed: [Int] = []
        var expected: [Int] = []
        for limit in stride(from: 0, through: 100_000, by: 7_919) {
            let sequence = UInt64(limit % 1_500)
            while let event = wheel.next(notAfter: .max, before: SimTime(limit), sequence: sequence) {
                handed.append(event)
            }
            while let event = heap.next(notAfter: .max, before: SimTime(limit), sequence: sequence) {
                expected.append(event)
            }
        }
        #expect(handed == expected && !handed.isEmpty)
    }
}

extension TimingWheelCalendarTests {
    /// Removing entries from the current bucket, the lists and the overflow heap leaves the others in order,
    /// with the current bucket refilled when it empties.
    @Test(arguments: [0, 1, 2])
    func removesWhatItIsToldAndKeepsTheRestInOrder(remainder: Int) {
        var wheel = TimingWheelCalendar<Int>(bucketShift: 6, bucketCount: 64)
        var generator = TestGenerator(state: 31 + UInt64(remainder))
        var entries: [CalendarEntry<Int>] = []
        for sequence in 0..<3_000 {
            // Spread over the current bucket, the lists (64 ns to 4 µs ahead) and beyond.
            let time = SimTime(generator.below(10_000))
            let entry = CalendarEntry(time: time, sequence: UInt64(sequence), payload: sequence)
            entries.append(entry)
            wheel.insert(entry)
        }
        // Pop a few so that the current bucket is somewhere in the middle.
        entries.sort { $0.precedes($1) }
        for expected in entries.prefix(100) { #expect(wheel.popFirst()?.sequence == expected.sequence) }
        let rest = Array(entries.dropFirst(100))
        let removed = wheel.removeAll { $0.payload % 3 == remainder }
        #expect(Set(removed.map(\.payload)) == Set(rest.filter { $0.payload % 3 == remainder }.map(\.payload)))
        var outOfOrder = 0
        for expected in rest where expected.payload % 3 != remainder {
            if wheel.popFirst()?.sequence != expected.sequence { outOfOrder += 1 }
        }
        #expect(outOfOrder == 0 && wheel.count == 0 && wheel.popFirst() == nil)
    }
}

extension TimingWheelCalendarTests {
    /// A removal that empties the current bucket moves the next list in: what is in the lists still comes
    /// before what lies beyond the span.
    @Test func removalThatEmptiesTheCurrentBucketMovesTheNextOneIn() {
        var wheel = TimingWheelCalendar<Int>(bucketShift: 6, bucketCount: 64)
        wheel.insert(CalendarEntry(time: 0, sequence: 0, payload: 0))  // current bucket
        wheel.insert(CalendarEntry(time: 1_000, sequence: 1, payload: 1))  // a list
        wheel.insert(CalendarEntry(time: 100_000, sequence: 2, payload: 2))  // beyond the span
        #expect(wheel.removeAll { $0.payload == 0 }.map(\.payload) == [0])
        #expect(wheel.firstKey?.sequence == 1)
        #expect(wheel.popFirst()?.payload == 1 && wheel.popFirst()?.payload == 2 && wheel.count == 0)
    }
}

/// A payload shaped like the scenarios' events: two 32-bit ids and a case.
private enum TwoIDEvent {
    case first(Int32, Int32)
    case second(Int32)
}

extension TimingWheelCalendarTests {
    /// A node's entry comes first (the wheel reaches it by the node's address) and its link fits in the entry's
    /// tail padding: one 32-byte line-aligned slot a node for the scenarios' events.
    @Test func nodesAreEntriesWithTheirLinkInOneSlot() {
        typealias Node = TimingWheelCalendar<TwoIDEvent>.Storage.Node
        #expect(MemoryLayout<Node>.offset(of: \Node.entry) == 0)
        #expect(MemoryLayout<Node>.stride == MemoryLayout<CalendarEntry<TwoIDEvent>>.stride)
        #expect(MemoryLayout<Node>.stride == 32)
        #expect(MemoryLayout<TimingWheelCalendar<String>.Storage.Node>.offset(of: \.entry) == 0)
    }
}
