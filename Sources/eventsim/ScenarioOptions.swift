import ArchitectureModels
import ArchitectureSpecs
import ArgumentParser
import Foundation
import ScenarioLoading

/// The options every scenario-running command shares (`run`, `compare`, `capacity`, `bench scenario`).
struct ScenarioOptions: ParsableArguments {
    @Argument(help: "The scenario file (YAML).") var file: String
    @Option(help: "Directory for the reports.") var out: String = "reports"
    @Option(help: "Replications (overrides the scenario's).") var replications: Int?
    @Option(help: "Seed (overrides the scenario's).") var seed: UInt64?
    @Option(help: "Worker threads; the reports do not depend on it.") var jobs: Int = ProcessInfo.processInfo
        .activeProcessorCount
    @Flag(help: "Print nothing but errors.") var quiet = false

    func validate() throws {
        if let replications, !(1...1_000).contains(replications) {
            throw ValidationError("--replications must be between 1 and 1000")
        }
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
    }

    /// Loads and validates the scenario, applying the overrides; exits 64 for a missing file, 65 for bad data.
    func loadScenario() throws -> ScenarioSpec {
        guard FileManager.default.isReadableFile(atPath: file) else {
            FileHandle.standardError.write(Data("error: cannot read scenario file '\(file)'\n".utf8))
            throw ExitCode(64)
        }
        do {
            var scenario = try ScenarioLoader.load(path: file)
            if let replications { scenario.replications = replications }
            if let seed { scenario.seed = seed }
            return scenario
        } catch {
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
            throw ExitCode(65)
        }
    }

    /// Runs the scenario with progress on standard error when it is a terminal.
    func execute(_ scenario: ScenarioSpec) throws -> ScenarioRunner.Outcome {
        var progress: (@Sendable (Int, Int) -> Void)? = nil
        if !quiet && isatty(2) != 0 {
            let name = scenario.name
            progress = { done, total in
                FileHandle.standardError.write(Data("\r\(name): run \(done)/\(total)".utf8))
                if done == total { FileHandle.standardError.write(Data("\n".utf8)) }
            }
        }
        do {
            return try ScenarioRunner.run(scenario, jobs: jobs, progress: progress)
        } catch {
            FileHandle.standardError.write(Data("\(file): error: \(error)\n".utf8))
            throw ExitCode(65)
        }
    }
}
