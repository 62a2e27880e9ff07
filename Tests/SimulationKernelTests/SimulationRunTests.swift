import Testing

@testable import SimulationKernel

/// A model that reschedules itself every `period` and counts ticks.
struct Ticker: SimulationModel {
    var period: SimTime
    var ticks = 0
    mutating func handle<C: EventCalendar>(_ event: Int, scheduler: inout Scheduler<Int, C>) {
        ticks += 1
        scheduler.schedule(event, after: period)
    }
}

@Suite("Run loop")
struct SimulationRunTests {
    @Test func runUntilHandlesEventsUpToAndIncludingTheEnd() {
        var simulation = Simulation(model: Ticker(period: 10))
        simulation.scheduler.schedule(0, at: 0)
        simulation.run(until: 100)
        #expect(simulation.model.ticks == 11)  // t = 0, 10, …, 100
        #expect(simulation.now == 100)
        simulation.run(until: 105)
        #expect(simulation.model.ticks == 11)
        #expect(simulation.now == 105)
    }

    @Test func runWhileStopsOnTheCondition() {
        var simulation = Simulation(model: Ticker(period: 1))
        simulation.scheduler.schedule(0, at: 0)
        simulation.run { $0.ticks < 42 }
        #expect(simulation.model.ticks == 42)
        #expect(simulation.scheduler.processedCount == 42)
    }

    /// An event scheduled late with a sequence reserved earlier fires where it would have had it been
    /// scheduled when the sequence was taken: before later-scheduled events at the same time.
    @Test func reservedSequencesKeepTheirPlaceAmongEqualTimes() {
        var scheduler = Scheduler<Int, BufferHeapCalendar<Int>>(calendar: BufferHeapCalendar())
        scheduler.schedule(1, at: 50)
        let reserved = scheduler.reserveSequence()
        scheduler.schedule(3, at: 50)
        scheduler.schedule(4, at: 20)
        scheduler.schedule(2, at: 50, sequence: reserved)
        var order: [Int] = []
        var sequences: [UInt64] = []
        while let event = scheduler.next() {
            order.append(event)
            sequences.append(scheduler.currentSequence)
        }
        #expect(order == [4, 1, 2, 3])
        #expect(sequences == [3, 0, reserved, 2])
        #expect(reserved == 1)
    }

    /// A model's own event at (time, sequence) is merged with the calendar's: events before it come out, and
    /// entering it moves the clock and the current sequence to it.
    @Test func eventsBeforeAModelsOwnEventComeOutFirst() {
        var scheduler = Scheduler<Int, BufferHeapCalendar<Int>>(calendar: BufferHeapCalendar())
        scheduler.schedule(1, at: 10)
        scheduler.schedule(5, at: 30)
        let own = scheduler.reserveSequence()
        scheduler.schedule(2, at: 30)
        scheduler.schedule(3, at: 30)
        scheduler.schedule(4, at: 90)
        #expect(scheduler.next(notAfter: 100, before: 30, sequence: own) == 1)
        // Scheduled before the model's event was planned: first at the same time.
        #expect(scheduler.next(notAfter: 100, before: 30, sequence: own) == 5)
        #expect(scheduler.next(notAfter: 100, before: 30, sequence: own) == nil)
        scheduler.enter(at: 30, sequence: own)
        #expect(scheduler.now == 30 && scheduler.currentSequence == own && scheduler.processedCount == 3)
        #expect(scheduler.next(notAfter: 50, before: .max, sequence: .max) == 2)
        #expect(scheduler.next(notAfter: 50, before: .max, sequence: .max) == 3)
        #expect(scheduler.next(notAfter: 50, before: .max, sequence: .max) == nil)
        #expect(scheduler.pendingCount == 1 && scheduler.now == 30)
    }

    @Test func stepReportsAnEmptyCalendar() {
        var simulation = Simulation(model: Ticker(period: 1))
        #expect(simulation.step() == false)
    }
}

@Suite("Resources")
struct ResourceTests {
    @Test func serverPoolServesQueuesThenRejects() {
        var pool = ServerPool<Int>(capacity: 2, queueLimit: 1)
        let admissions = [1, 2, 3, 4].map { pool.arrive($0, at: 0) }
        #expect(admissions == [.served, .served, .queued, .rejected])
        #expect(pool.occupancy == 3)
        let released = [pool.release(at: 10), pool.release(at: 10)]
        #expect(released == [3, nil])
        #expect(pool.busy == 1)
    }

    @Test func serverPoolTracksTimeAverages() {
        var pool = ServerPool<Int>(capacity: 1)
        _ = pool.arrive(1, at: 0)
        _ = pool.arrive(2, at: 0)
        _ = pool.release(at: 50)  // 2 starts
        _ = pool.release(at: 100)  // idle
        #expect(pool.busyStatistic.mean(at: 200) == 0.5)
        #expect(pool.queueStatistic.mean(at: 100) == 0.5)
    }

    @Test func tokenBucketEnforcesItsRate() {
        var bucket = TokenBucket(rate: 10, burst: 5)
        var passed = 0
        for _ in 0..<20 where bucket.tryTake(at: 0) { passed += 1 }
        #expect(passed == 5)
        // 10 tokens/s: one token per 100 ms.
        let early = bucket.tryTake(at: 50_000_000)
        let onTime = bucket.tryTake(at: 100_000_000)
        #expect(!early && onTime)
        let nextTime = bucket.availableTime(at: 100_000_000)
        #expect(nextTime == 200_000_000)
        // Over 10 s, exactly the rate passes in steady state.
        var steady = 0
        var time: SimTime = 1_000_000_000
        while time < 11_000_000_000 {
            if bucket.tryTake(at: time) { steady += 1 }
            time += 1_000_000
        }
        #expect(steady >= 100 && steady <= 105)
    }

    @Test func timeWeightedStatisticForgetsWarmUp() {
        var statistic = TimeWeightedStatistic()
        statistic.update(to: 10, at: 0)
        statistic.update(to: 2, at: 100)
        statistic.reset(at: 100)
        #expect(statistic.mean(at: 200) == 2)
        #expect(statistic.maximum == 2)
    }

    @Test func replicationResultsDoNotDependOnThreadCount() {
        let work: @Sendable (Int) -> UInt64 = { index in
            var generator = TestGenerator(state: UInt64(index))
            var total: UInt64 = 0
            for _ in 0..<10_000 { total &+= generator.next() }
            return total
        }
        let serial = Replications.run(count: 16, jobs: 1, work)
        let parallel = Replications.run(count: 16, jobs: 4, work)
        #expect(serial == parallel)
        #expect(serial.count == 16)
    }
}
