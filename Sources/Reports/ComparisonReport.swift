public import ArchitectureModels
import ArchitectureSpecs
public import Stochastics

/// `comparison.csv`: the architectures side by side on the same workload, metric by metric.
///
/// Replication `r` of every architecture ran on the same workload draws (common random numbers), so
/// differences are paired: the interval of a difference is the Student-t interval of the per-replication
/// differences against the first architecture, much tighter than comparing two independent intervals.
public enum ComparisonReport {
    /// A compared metric: how to read it from a run, its unit, and which direction is better.
    public struct Metric: Sendable {
        public let name: String
        public let lowerIsBetter: Bool
        /// Reads the metric from one run, given the cost model and the run's simulated hours.
        public let value: @Sendable (RunResult, CostModel, Double) -> Double
    }

    /// The metrics, in report order.
    public static let metrics: [Metric] = [
        Metric(name: "latency_p50_ms", lowerIsBetter: true) { run, _, _ in Double(run.overall.percentile(50)) / 1e6 },
        Metric(name: "latency_p90_ms", lowerIsBetter: true) { run, _, _ in Double(run.overall.percentile(90)) / 1e6 },
        Metric(name: "latency_p99_ms", lowerIsBetter: true) { run, _, _ in Double(run.overall.percentile(99)) / 1e6 },
        Metric(name: "latency_p999_ms", lowerIsBetter: true) { run, _, _ in
            Double(run.overall.percentile(99.9)) / 1e6
        },
        Metric(name: "throughput_per_s", lowerIsBetter: false) { run, _, _ in
            Double(run.overall.count) / Swift.max(run.measuredSeconds, 1e-9)
        },
        Metric(name: "throttled", lowerIsBetter: true) { run, _, _ in Double(run.ledger.throttled) },
        Metric(name: "dead_lettered", lowerIsBetter: true) { run, _, _ in Double(run.ledger.deadLettered) },
        Metric(name: "dropped", lowerIsBetter: true) { run, _, _ in
            Double(run.ledger.lost)
        },
        Metric(name: "peak_concurrency", lowerIsBetter: true) { run, _, _ in
            Double(run.sinks.reduce(0) { $0 + $1.peakConcurrency })
        },
        Metric(name: "cold_starts", lowerIsBetter: true) { run, _, _ in
            Double(run.sinks.reduce(0) { $0 + $1.coldStarts })
        },
        Metric(name: "cost_per_million_events_usd", lowerIsBetter: true) { run, costs, _ in
            costs.cost(of: run.usage) / Swift.max(Double(run.ledger.produced), 1) * 1e6
        },
        Metric(name: "cost_per_hour_usd", lowerIsBetter: true) { run, costs, hours in
            costs.cost(of: run.usage) / Swift.max(hours, 1e-12)
        },
    ]

    /// One compared row.
    public struct Row: Sendable {
        public var metric: String
        public var values: [Double]
        /// Against the first architecture, for each other one: mean difference, ratio, interval, significance.
        public var differences: [Double]
        public var ratios: [Double]
        public var intervals: [ConfidenceInterval]
        public var winner: String
        /// Whether the winner's advantage over every other architecture is significant.
        public var significant: Bool
        public var winnerIndex: Int
    }

    public static func rows(_ outcome: ScenarioRunner.Outcome, costModel: CostModel = CostModel()) -> [Row] {
        let names = outcome.runs.map { $0.first?.architecture ?? "" }
        let hours = Double(outcome.scenario.duration + outcome.scenario.drain) / 3.6e12
        var rows: [Row] = []
        for metric in metrics {
            let perRun = outcome.runs.map { runs in runs.map { metric.value($0, costModel, hours) } }
            let values = perRun.map { Summary($0).mean }
            var differences: [Double] = [], ratios: [Double] = [], intervals: [ConfidenceInterval] = []
            for index in perRun.indices.dropFirst() {
                let paired = zip(perRun[index], perRun[0]).map { $0 - $1 }
                let interval = Summary(paired).confidenceInterval(level: 0.95)
                differences.append(interval.mean)
                ratios.append(values[0] != 0 ? values[index] / values[0] : (values[index] == 0 ? 1 : .infinity))
                intervals.append(interval)
            }
            let best =
                values.indices.min { metric.lowerIsBetter ? values[$0] < values[$1] : values[$0] > values[$1] } ?? 0
            // Significant when the winner's paired difference against every other excludes zero.
            var significant = true
            for other in values.indices where other != best {
                let paired = zip(perRun[best], perRun[other]).map { $0 - $1 }
                let interval = Summary(paired).confidenceInterval(level: 0.95)
                if interval.contains(0) || interval.halfWidth.isNaN { significant = false }
            }
            // With a single design there is nothing to win.
            let winner = values.count < 2 ? "" : names[best]
            if values.count < 2 { significant = false }
            rows.append(
                Row(
                    metric: metric.name, values: values, differences: differences, ratios: ratios,
                    intervals: intervals, winner: winner, significant: significant, winnerIndex: best))
        }
        return rows
    }

    public static func csv(_ outcome: ScenarioRunner.Outcome, costModel: CostModel = CostModel()) -> String {
        let names = outcome.runs.map { $0.first?.architecture ?? "" }
        var header = ["scenario", "metric", "replications"] + names
        for name in names.dropFirst() {
            header += ["\(name)_diff", "\(name)_ratio", "\(name)_diff_ci_low", "\(name)_diff_ci_high"]
        }
        header += ["winner", "significant"]
        var lines = [CSV.row(header)]
        for row in rows(outcome, costModel: costModel) {
            var fields = [outcome.scenario.name, row.metric, String(outcome.scenario.replications)]
            fields += row.values.map { CSV.number($0, digits: 4) }
            for index in row.differences.indices {
                let interval = row.intervals[index]
                fields += [
                    CSV.number(row.differences[index], digits: 4), CSV.number(row.ratios[index], digits: 4),
                    interval.halfWidth.isFinite ? CSV.number(interval.lower, digits: 4) : "",
                    interval.halfWidth.isFinite ? CSV.number(interval.upper, digits: 4) : "",
                ]
            }
            fields += [row.winner, row.significant ? "true" : "false"]
            lines.append(CSV.row(fields))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The console table: values per architecture, the winner, and "n.s." where the difference is not significant.
    public static func table(_ outcome: ScenarioRunner.Outcome, costModel: CostModel = CostModel()) -> String {
        let names = outcome.runs.map { $0.first?.architecture ?? "" }
        var lines: [[String]] = [["metric"] + names + ["winner"]]
        for row in rows(outcome, costModel: costModel) {
            lines.append(
                [row.metric] + row.values.map { CSV.number($0, digits: 2) }
                    + [row.winner.isEmpty ? "-" : row.winner + (row.significant ? "" : " (n.s.)")])
        }
        return ConsoleTable.render(lines)
    }
}
