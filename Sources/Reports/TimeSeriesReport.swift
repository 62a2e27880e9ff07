public import ArchitectureModels
import ArchitectureSpecs
import Stochastics

/// `timeseries.csv`: per architecture and window, the mean over replications of what happened in the window.
public enum TimeSeriesReport {
    public static let header = [
        "scenario", "architecture", "window_start_s", "produced", "delivered", "backlog", "concurrency", "throttles",
        "p99_ms",
    ]

    public static func csv(_ outcome: ScenarioRunner.Outcome) -> String {
        var lines = [CSV.row(header)]
        for runs in outcome.runs {
            guard let first = runs.first else { continue }
            let windows = runs.map(\.timeSeries.count).min() ?? 0
            for window in 0..<windows {
                func mean(_ value: (WindowSample) -> Double) -> String {
                    CSV.number(Summary(runs.map { value($0.timeSeries[window]) }).mean, digits: 3)
                }
                lines.append(
                    CSV.row([
                        outcome.scenario.name, first.architecture,
                        CSV.number(Double(first.timeSeries[window].start) / 1e9, digits: 3),
                        mean { Double($0.produced) }, mean { Double($0.delivered) }, mean { Double($0.backlog) },
                        mean { Double($0.concurrency) }, mean { Double($0.throttles) }, mean { Double($0.p99) / 1e6 },
                    ]))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
