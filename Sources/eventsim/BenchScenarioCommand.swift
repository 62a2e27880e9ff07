import ArchitectureModels
import ArchitectureSpecs
import ArgumentParser
import Foundation
import Reports

/// `eventsim bench scenario FILE`: simulation speed on one core (every architecture, every replication, in
/// turn), counting producer events.
struct BenchScenarioCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scenario",
        abstract:
            "Time a scenario's simulation on one core; prints events, seconds, events per second, peak RSS, CPU seconds."
    )

    @Argument(help: "The scenario file (YAML).") var file: String
    @Option(help: "Replications (overrides the scenario's).") var replications: Int?
    @Option(help: "Simulated duration in seconds (overrides the scenario's; the profile keeps its times).")
    var duration: Double?

    func run() throws {
        var options = try ScenarioOptions.parse([file, "--jobs", "1", "--quiet"])
        options.replications = replications
        var scenario = try options.loadScenario()
        if let duration {
            guard duration > 0 else { throw ValidationError("--duration must be positive") }
            scenario.duration = Int64(duration * 1e9)
            scenario.warmup = min(scenario.warmup, scenario.duration / 2)
        }
        let clock = ContinuousClock()
        var outcome: ScenarioRunner.Outcome?
        let cpuStart = ProcessStatistics.cpuSeconds
        let elapsed = try clock.measure { outcome = try options.execute(scenario) }
        let cpuSeconds = ProcessStatistics.cpuSeconds - cpuStart
        let events = outcome!.runs.joined().reduce(0) { $0 + $1.ledger.produced }
        let kernelEvents = outcome!.runs.joined().reduce(UInt64(0)) { $0 + $1.events }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        print("events,seconds,events_per_second,peak_rss_mb,scenario,kernel_events,cpu_seconds,events_per_cpu_second")
        print(
            CSV.row([
                String(events), CSV.number(seconds, digits: 3), CSV.number(Double(events) / seconds, digits: 0),
                CSV.number(ProcessStatistics.peakResidentMegabytes, digits: 1), scenario.name,
                String(kernelEvents), CSV.number(cpuSeconds, digits: 3),
                CSV.number(cpuSeconds > 0 ? Double(events) / cpuSeconds : 0, digits: 0),
            ]))
    }
}
