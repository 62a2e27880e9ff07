import ArchitectureModels
import ArchitectureSpecs
import ArgumentParser
import Foundation
import Reports

/// `eventsim capacity FILE`: the highest sustainable peak rate per architecture and what limits it, or with
/// `--target-rate` the smallest resources that meet the SLO at a given rate.
struct CapacityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "capacity",
        abstract: "Search each architecture's highest peak rate that meets the scenario's SLO.")

    @OptionGroup var options: ScenarioOptions
    @Option(help: "Latency percentile the SLO bounds: p50, p90, p99, p99.9 (default: the scenario's).")
    var metric: String?
    @Option(help: "Latency bound in milliseconds (default: the scenario's slo.latency).") var slo: Double?
    @Option(help: "Largest lost fraction (default: the scenario's slo.max_loss_fraction).") var maxLoss: Double?
    @Option(help: "Relative precision of the search.") var precision: Double = 0.02
    @Option(help: "Confidence with which the SLO must hold (0.5 = on average).") var confidence: Double = 0.95
    @Option(help: "Instead: the smallest resources that meet the SLO at this peak rate (events/s).")
    var targetRate: Double?
    @Flag(help: "Also write report.html (inline SVG charts).") var html = false

    func validate() throws {
        guard precision > 0, precision < 1 else { throw ValidationError("--precision must be in (0, 1)") }
        guard confidence >= 0.5, confidence < 1 else { throw ValidationError("--confidence must be in [0.5, 1)") }
        if let slo, !(slo > 0) { throw ValidationError("--slo must be a positive number of milliseconds") }
        if let targetRate, !(targetRate > 0) { throw ValidationError("--target-rate must be positive") }
        if let metric, Self.percentile(metric) == nil {
            throw ValidationError("--metric '\(metric)' is not a percentile; expected one of: p50, p90, p99, p99.9")
        }
    }

    static func percentile(_ text: String) -> Double? {
        guard text.hasPrefix("p"), let value = Double(text.dropFirst()), value > 0, value < 100 else { return nil }
        return value
    }

    func run() throws {
        let scenario = try options.loadScenario()
        guard let bound = slo.map({ Int64($0 * 1e6) }) ?? scenario.slo.latency else {
            FileHandle.standardError.write(
                Data("error: the scenario has no slo.latency; pass --slo MILLISECONDS\n".utf8))
            throw ExitCode(64)
        }
        let searchOptions = CapacitySearch.Options(
            percentile: metric.flatMap(Self.percentile) ?? scenario.slo.percentile, latencyBound: bound,
            maxLossFraction: maxLoss ?? scenario.slo.maxLossFraction, confidence: confidence, precision: precision,
            jobs: options.jobs)
        do {
            if let targetRate {
                var results: [CapacitySearch.Provisioning] = []
                for architecture in scenario.architectures {
                    results.append(
                        try CapacitySearch.provision(
                            scenario, architecture: architecture,
                            targetRate: targetRate, options: searchOptions))
                    progress("\(architecture.name): provisioned")
                }
                try writeReports(
                    [
                        (
                            options.out + "/provisioning.csv",
                            CapacityReport.provisioningCSV(
                                scenario: scenario, targetRate: targetRate,
                                results: results)
                        )
                    ], to: options.out)
                if !options.quiet {
                    print(
                        ConsoleTable.render(
                            [["architecture", "resource factor", "latency ms", "loss"]]
                                + results.map {
                                    [
                                        $0.architecture, $0.factor.map { CSV.number($0, digits: 3) } ?? "none ≤ 64",
                                        $0.point.map { CSV.number($0.latency / 1e6, digits: 1) } ?? "",
                                        $0.point.map { CSV.number($0.lossFraction, digits: 5) } ?? "",
                                    ]
                                }), terminator: "")
                }
                return
            }
            var results: [CapacitySearch.Result] = []
            for architecture in scenario.architectures {
                results.append(try CapacitySearch.search(scenario, architecture: architecture, options: searchOptions))
                progress("\(architecture.name): searched")
            }
            var files = [
                (
                    path: options.out + "/capacity.csv",
                    text: CapacityReport.csv(scenario: scenario, options: searchOptions, results: results)
                ),
                (
                    path: options.out + "/capacity_curve.csv",
                    text: CapacityReport.curveCSV(scenario: scenario, results: results)
                ),
            ]
            if html {
                let outcome = try ScenarioRunner.run(scenario, jobs: options.jobs)
                files.append(
                    (
                        options.out + "/report.html",
                        HTMLReport.render(outcome: outcome, capacity: (searchOptions, results))
                    ))
            }
            try writeReports(files, to: options.out)
            if !options.quiet {
                print(
                    ConsoleTable.render(
                        [
                            [
                                "architecture", "sustainable peak /s", "limited by", "latency ms", "loss",
                                "concurrency", "cost $/h",
                            ]
                        ]
                            + results.map { result in
                                let point = result.sustainable
                                return [
                                    result.architecture,
                                    point.map { CSV.number($0.offeredPeakRate, digits: 1) } ?? "none",
                                    result.limitingComponent,
                                    point.map { CSV.number($0.latency / 1e6, digits: 1) } ?? "",
                                    point.map { CSV.number($0.lossFraction, digits: 5) } ?? "",
                                    point.map { CSV.number($0.peakConcurrency, digits: 0) } ?? "",
                                    point.map { CSV.number($0.costPerHour, digits: 2) } ?? "",
                                ]
                            }), terminator: "")
            }
        } catch let error as SimulationError {
            FileHandle.standardError.write(Data("\(options.file): error: \(error.description)\n".utf8))
            throw ExitCode(65)
        }
    }

    func progress(_ text: String) {
        if !options.quiet, isatty(2) != 0 { FileHandle.standardError.write(Data("\(text)\n".utf8)) }
    }
}
