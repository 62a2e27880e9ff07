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
    /// - Parameters:
    ///   - jobs: worker threads; results do not depend on it.
    ///   - progress: called (from worker threads) after each finished run with (finished, total).
    /// - Throws: `SimulationError` for a specification the simulator cannot build, or when a run's ledger does
    ///   not balance (a bug, never silent).
    public static func run(
        _ scenario: ScenarioSpec, jobs: Int, progress: (@Sendable (Int, Int) -> Void)? = nil
    ) throws(SimulationError) -> Outcome {
        // Build every architecture once up front so configuration errors surface before any work.
        for architecture in scenario.architectures {
            _ = try ArchitectureSimulation(scenario: scenario, architecture: architecture, replication: 0)
        }
        let architectures = scenario.architectures.count
        let total = architectures * scenario.replications
        let counter = ProgressCounter()
        let results = Replications.run(count: total, jobs: jobs) { index -> Result<RunResult, SimulationError> in
            let architecture = scenario.architectures[index / scenario.replications]
            let replication = index % scenario.replications
            let result = Result { () throws(SimulationError) -> RunResult in
                try runOne(scenario, architecture: architecture, replication: replication)
            }
            if let progress { progress(counter.increment(), total) }
            return result
        }
        var runs: [[RunResult]] = Array(repeating: [], count: architectures)
        for (index, result) in results.enumerated() {
            switch result {
            case .success(let run): runs[index / scenario.replications].append(run)
            case .failure(let error): throw error
            }
        }
        return Outcome(scenario: scenario, runs: runs)
    }

    /// Runs one architecture for one replication.
    public static func runOne(
        _ scenario: ScenarioSpec, architecture: ArchitectureSpec, replication: Int
    ) throws(SimulationError) -> RunResult {
        let model = try ArchitectureSimulation(scenario: scenario, architecture: architecture, replication: replication)
        var simulation = Simulation(model: model)
        simulation.model.start(scheduler: &simulation.scheduler)
        let end = scenario.duration + scenario.drain
        simulation.run(until: end)
        if simulation.model.window.start < end { simulation.model.closeWindow(at: end) }
        let result = simulation.model.result(events: simulation.scheduler.processedCount)
        guard result.ledger.balances else {
            throw SimulationError(
                "internal error: architecture '\(architecture.name)' replication \(replication) "
                    + "lost track of events: \(result.ledger)")
        }
        return result
    }
}

/// A thread-safe counter for progress reports.
final class ProgressCounter: Sendable {
    private let value = Atomic<Int>(0)
    func increment() -> Int { value.wrappingAdd(1, ordering: .relaxed).newValue }
}
