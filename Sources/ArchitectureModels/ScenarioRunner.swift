public import ArchitectureSpecs
import SimulationKernel
import Synchronization

/// Runs every architecture of a scenario for every replication, in parallel, with results in a fixed order.
public enum ScenarioRunner {
    /// The results of a whole scenario: `runs[a][r]` is architecture `a`, replication `r`.
    public struct Outcome: Sendable {
        public var scenario: ScenarioSpec
        public var runs: [[RunResult]]
    }

    /// Runs the scenario.
    ///
    /// The unit of work is one replication with all its architectures, run in lockstep on one thread so that
    /// they share one ``Workload`` (the events are generated once). When there are fewer replications than jobs,
    /// each architecture of each replication runs on its own instead, so that every core has work; so it does
    /// when the producers only write to tables (nothing costly to share, and the designs' tables would be in
    /// memory together). Results are identical either way: an architecture's run depends only on the scenario,
    /// its spec and the replication.
    /// - Parameters:
    ///   - jobs: worker threads; results do not depend on it.
    ///   - progress: called (from worker threads) as runs finish, with (finished, total) counted in runs of one
    ///     architecture for one replication.
    /// - Throws: `SimulationError` for a specification the simulator cannot build, or when a run's ledger does
    ///   not balance (a bug, never silent).
    public static func run(
        _ scenario: ScenarioSpec, jobs: Int, progress: (@Sendable (Int, Int) -> Void)? = nil
    ) throws(SimulationError) -> Outcome {
        // Build every architecture once up front so configuration errors surface before any work.
        let probe = Workload(scenario: scenario, replication: 0)
        for architecture in scenario.architectures {
            _ = try ArchitectureSimulation(
                scenario: scenario, architecture: architecture, replication: 0, workload: probe)
        }
        let architectures = scenario.architectures.count
        let replications = scenario.replications
        // Lockstep pays when the workload has events to share; table writes are cheap to generate, while the
        // designs' tables and stream records would all be alive at once.
        let sharesEvents = scenario.workload.producers.contains {
            if case .events = $0.payload { true } else { false }
        }
        let units: [(replication: Int, architectures: [Int])] =
            replications >= jobs && sharesEvents || architectures == 1
            ? (0..<replications).map { ($0, Array(0..<architectures)) }
            : (0..<architectures).flatMap { architecture in (0..<replications).map { ($0, [architecture]) } }
        let total = architectures * replications
        let counter = ProgressCounter()
        let results = Replications.run(count: units.count, jobs: jobs) {
            index -> Result<[RunResult], SimulationError> in
            let unit = units[index]
            let result = Result { () throws(SimulationError) -> [RunResult] in
                try run(
                    scenario, architectures: unit.architectures.map { scenario.architectures[$0] },
                    replication: unit.replication)
            }
            if let progress { progress(counter.increment(by: unit.architectures.count), total) }
            return result
        }
        var runs = [[RunResult?]](repeating: Array(repeating: nil, count: replications), count: architectures)
        for (unit, result) in zip(units, results) {
            switch result {
            case .success(let unitRuns):
                for (architecture, run) in zip(unit.architectures, unitRuns) {
                    runs[architecture][unit.replication] = run
                }
            case .failure(let error): throw error
            }
        }
        return Outcome(scenario: scenario, runs: runs.map { $0.compactMap { $0 } })
    }

    /// Runs one architecture for one replication.
    public static func runOne(
        _ scenario: ScenarioSpec, architecture: ArchitectureSpec, replication: Int
    ) throws(SimulationError) -> RunResult {
        try run(scenario, architectures: [architecture], replication: replication)[0]
    }

    /// Simulated time each architecture advances before the others catch up (50 ms); the shared workload holds
    /// about this much of every producer's arrivals. The second and third architectures read an event soon after
    /// the first: with 1 s steps, `ecommerce-peak`'s flash sale held about 650 KB of events, more than a core's
    /// 512 KB second-level cache, and their first touch of each event (its reference count, its member table)
    /// missed it. Stop 18 settled on 100 ms (1.00–1.15× as fast as 1 s steps). Once the calendar became a timing
    /// wheel (stop 20), 50 ms steps counted 15 % fewer last-level misses than 100 ms (cachegrind, 512 KB last
    /// level; 6 % more first-level ones) and ran 1.04–1.06× as fast (medians of two sets of ten pairs); 25 ms
    /// counted 7 % fewer last-level and 16 % more first-level misses again and ran even with 50 ms (eight pairs,
    /// 1.01×). Running each architecture to the end would hold the whole run's events. The results do not depend
    /// on the step (architectures share nothing but the workload, which is the same whoever generates it).
    static let lockstep: SimTime = 50_000_000

    /// Runs `architectures` for one replication in lockstep on one shared workload; results in the same order.
    public static func run(
        _ scenario: ScenarioSpec, architectures: [ArchitectureSpec], replication: Int
    ) throws(SimulationError) -> [RunResult] {
        try run(scenario, architectures: architectures, replication: replication, kernelEventsOnly: false)
    }

    /// ``run(_:architectures:replication:)``, with deferred completions (``PendingCompletions``) and merged
    /// arrivals, or with every completion and arrival a kernel event (`kernelEventsOnly`; the results are the
    /// same, tests compare them).
    static func run(
        _ scenario: ScenarioSpec, architectures: [ArchitectureSpec], replication: Int, kernelEventsOnly: Bool
    ) throws(SimulationError) -> [RunResult] {
        let workload = Workload(scenario: scenario, replication: replication, readers: architectures.count)
        var simulations: [Simulation<ArchitectureSimulation, ScenarioCalendar>] = []
        for architecture in architectures {
            let model = try ArchitectureSimulation(
                scenario: scenario, architecture: architecture, replication: replication, workload: workload)
            var simulation = Simulation(model: model, calendar: ScenarioCalendar())
            simulation.model.defersCompletions = !kernelEventsOnly
            simulation.model.mergesArrivals = !kernelEventsOnly
            simulation.model.start(scheduler: &simulation.scheduler)
            simulations.append(simulation)
        }
        let end = scenario.duration + scenario.drain
        var horizon: SimTime = 0
        var positions = [Int](repeating: 0, count: scenario.workload.producers.count)
        while horizon < end {
            horizon = horizon > end - lockstep ? end : horizon + lockstep
            for index in simulations.indices { simulations[index].run(mergingArrivalsUntil: horizon) }
            for producer in positions.indices {
                positions[producer] = simulations.reduce(Int.max) { min($0, $1.model.producers[producer].next) }
            }
            workload.discard(before: positions)
        }
        var results: [RunResult] = []
        for index in simulations.indices {
            // Deferred completions due by the end happen within the run (as kernel events up to `end` do).
            simulations[index].model.applyCompletions(before: end, sequence: .max)
            if simulations[index].model.window.start < end { simulations[index].model.closeWindow(at: end) }
            let result = simulations[index].model.result(events: simulations[index].scheduler.processedCount)
            guard result.ledger.balances else {
                throw SimulationError(
                    "internal error: architecture '\(architectures[index].name)' replication \(replication) "
                        + "lost track of events: \(result.ledger)")
            }
            results.append(result)
        }
        return results
    }
}

/// A thread-safe counter for progress reports.
final class ProgressCounter: Sendable {
    private let value = Atomic<Int>(0)
    func increment(by count: Int) -> Int { value.wrappingAdd(count, ordering: .relaxed).newValue }
}

/// The scenarios' event calendar: a timing wheel (copies are planned tens to hundreds of milliseconds ahead of a
/// clock that moves by microseconds), with a heap for what lies beyond its span. It pops in the same order as the
/// binary heap it replaced (``BufferHeapCalendar``), so reports did not change; docs/decisions/0002 has the figures.
typealias ScenarioCalendar = TimingWheelCalendar<SimEvent>

extension Simulation where Model == ArchitectureSimulation, Calendar == ScenarioCalendar {
    /// Handles every event with time ≤ `end`, the producers' arrivals merged in (time, sequence) order from the
    /// model (``ArchitectureSimulation/mergesArrivals``) instead of going through the calendar's heap (an
    /// arrival is planned a fraction of a millisecond ahead, so its insert climbed the whole heap and its pop
    /// sank through it); then sets the clock to `end`. Exactly ``run(until:)``'s order otherwise.
    mutating func run(mergingArrivalsUntil end: SimTime) {
        guard model.mergesArrivals else { return run(until: end) }
        while true {
            if let event = scheduler.next(
                notAfter: end, before: model.arrivalTime, sequence: model.arrivalSequence)
            {
                model.handle(event, scheduler: &scheduler)
                continue
            }
            guard model.arrivalTime <= end else { break }
            scheduler.enter(at: model.arrivalTime, sequence: model.arrivalSequence)
            model.produce(model.arrivalProducer, scheduler: &scheduler)
        }
        scheduler.advance(to: end)
    }
}
