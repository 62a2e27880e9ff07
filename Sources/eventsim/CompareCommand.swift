import ArchitectureModels
import ArchitectureSpecs
import ArgumentParser
import Foundation
import Reports

/// `eventsim compare FILE`: every architecture on the same workload, paired replications, comparison.csv.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare a scenario's architectures metric by metric with paired confidence intervals.")

    @OptionGroup var options: ScenarioOptions
    @Flag(help: "Also write report.html (inline SVG charts).") var html = false

    func run() throws {
        let scenario = try options.loadScenario()
        let outcome = try options.execute(scenario)
        var files: [(path: String, text: String)] = [
            (options.out + "/comparison.csv", ComparisonReport.csv(outcome)),
            (options.out + "/summary.csv", SummaryReport.csv(outcome)),
            (options.out + "/timeseries.csv", TimeSeriesReport.csv(outcome)),
        ]
        if html { files.append((options.out + "/report.html", HTMLReport.render(outcome: outcome, capacity: nil))) }
        try writeReports(files, to: options.out)
        if !options.quiet { print(ComparisonReport.table(outcome), terminator: "") }
    }
}

/// Writes report files atomically; exit 73 when the directory cannot be written.
func writeReports(_ files: [(path: String, text: String)], to directory: String) throws {
    do {
        try AtomicFile.writeAll(files)
    } catch {
        FileHandle.standardError.write(Data("error: cannot write reports to '\(directory)': \(error)\n".utf8))
        throw ExitCode(73)
    }
}
