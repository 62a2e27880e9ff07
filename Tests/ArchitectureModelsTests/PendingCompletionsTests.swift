import Testing

@testable import ArchitectureModels

@Suite("Pending completions")
struct PendingCompletionsTests {
    private typealias Completion = PendingCompletions.Completion

    private func completion(_ time: Int64, _ sequence: UInt64, function: Int32 = 0) -> Completion {
        Completion(time: time, sequence: sequence, function: function, copy: Int32(sequence))
    }

    /// Pops every completion due before (time, sequence).
    private func popAll(_ pending: inout PendingCompletions, before time: Int64, sequence: UInt64) -> [Completion] {
        var popped: [Completion] = []
        while let done = pending.popDue(before: time, sequence: sequence) { popped.append(done) }
        return popped
    }

    @Test func popsExactlyWhatPrecedesTheTimeAndSequence() {
        var pending = PendingCompletions()
        let times: [Int64] = [5, 1_000, 262_143, 262_144, 262_145, 3_000_000, 3_000_000, 900_000_000]
        for (sequence, time) in times.enumerated() {
            let added = pending.add(completion(time, UInt64(sequence) + 10), now: 0)
            #expect(added)
        }
        #expect(pending.count == times.count)
        #expect(popAll(&pending, before: 0, sequence: 99).isEmpty)
        // At the bucket boundary: 262,144 itself is not before (262,144, its own sequence).
        let first = popAll(&pending, before: 262_144, sequence: 13)
        #expect(Set(first.map(\.time)) == [5, 1_000, 262_143])
        // A tie in time is broken by the sequence, as the calendar breaks it.
        let tie = popAll(&pending, before: 3_000_000, sequence: 16)
        #expect(tie.map(\.time).sorted() == [262_144, 262_145, 3_000_000])
        #expect(tie.contains { $0.sequence == 15 } && !tie.contains { $0.sequence == 16 })
        #expect(popAll(&pending, before: 899_999_999, sequence: .max).map(\.sequence) == [16])
        #expect(popAll(&pending, before: 900_000_000, sequence: .max).map(\.sequence) == [17])
        #expect(pending.count == 0)
    }

    @Test func refusesCompletionsBeyondItsSpan() {
        var pending = PendingCompletions()
        let now: Int64 = 7_000_000_000
        let near = pending.add(completion(now + 1, 1), now: now)
        let far = pending.add(completion(now + PendingCompletions.span + 1, 2), now: now)
        #expect(near && !far)
        #expect(pending.count == 1)
        // Once empty, the wheel starts again from the time given.
        #expect(popAll(&pending, before: now + 2, sequence: 0).count == 1)
        let later = now + 60_000_000_000
        let again = pending.add(completion(later + PendingCompletions.span / 2, 3), now: later)
        #expect(again)
        #expect(popAll(&pending, before: later + PendingCompletions.span, sequence: 0).map(\.sequence) == [3])
    }

    @Test func removesOneFunctionsCompletionsAndKeepsTheRest() {
        var pending = PendingCompletions()
        for sequence in 0..<600 {
            let time = Int64(sequence) * 1_500_000
            let added = pending.add(completion(time, UInt64(sequence), function: Int32(sequence % 3)), now: 0)
            #expect(added)
        }
        var removed: [Completion] = []
        pending.removeAll(of: 1, into: &removed)
        #expect(removed.count == 200 && removed.allSatisfy { $0.function == 1 })
        #expect(pending.count == 400)
        // Freed slots are reused.
        let reused = pending.add(completion(5, 1_000), now: 0)
        #expect(reused)
        let rest = popAll(&pending, before: .max, sequence: 0)
        #expect(rest.count == 401 && !rest.contains { $0.function == 1 })
        #expect(Set(rest.map(\.sequence)).count == 401)
    }

    @Test func popsEveryCompletionOnceAcrossManyTurnsOfTheWheel() {
        var pending = PendingCompletions()
        var generator = SystemRandomNumberGenerator()
        var now: Int64 = 0
        var sequence: UInt64 = 0
        var added = 0
        var popped: [Completion] = []
        for _ in 0..<20_000 {
            now += Int64.random(in: 0..<400_000, using: &generator)
            let batch = popAll(&pending, before: now, sequence: sequence)
            // Nothing comes out before it is due.
            #expect(batch.allSatisfy { $0.time < now || ($0.time == now && $0.sequence < sequence) })
            popped += batch
            sequence += 1
            if pending.add(completion(now + Int64.random(in: 0..<1_200_000_000, using: &generator), sequence), now: now)
            {
                added += 1
            }
        }
        let due = popAll(&pending, before: .max, sequence: 0)
        #expect(popped.count + due.count == added)
        #expect(Set((popped + due).map(\.sequence)).count == added)
        #expect(added > 15_000 && added < 20_000)
    }
}
