import ArchitectureModels
import ArchitectureSpecs
import ArgumentParser
import Foundation
import Reports

/// `eventsim run FILE`: simulates every architecture of a scenario and writes summary.csv and timeseries.csv.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Simulate a scenario's architectures and write summary.csv and timeseries.csv.")

    @OptionGroup var options: ScenarioOptions

    func run() throws {
        let scenario = try options.loadScenario()
        let outcome = try options.execute(scenario)
        let summary = SummaryReport.csv(outcome)
        let series = TimeSeriesReport.csv(outcome)
        do {
            try AtomicFile.writeAll([
                (path: options.out + "/summary.csv", text: summary),
                (path: options.out + "/timeseries.csv", text: series),
            ])
        } catch {
            FileHandle.standardError.write(Data("error: cannot write reports to '\(options.out)': \(error)\n".utf8))
            throw ExitCode(73)
        }
        if !options.quiet { print(ConsoleTable.summary(outcome), terminator: "") }
    }
}
