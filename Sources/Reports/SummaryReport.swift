public import ArchitectureModels
import ArchitectureSpecs
import Stochastics

/// `summary.csv`: one row per architecture for the whole design (target `*`), then one per consumer.
///
/// Values are means over replications; `_ci` columns are the half-widths of 95% Student-t confidence intervals
/// over replications (empty with one replication). Latencies in milliseconds, end to end from the producer's put
/// to the end of processing; `delivery_` latencies stop at the start of processing.
public enum SummaryReport {
    static let dropColumns = DropReason.allCases.map { "dropped_" + $0.rawValue }

    /// The column names, in order.
    public static let header: [String] =
        [
            "scenario", "architecture", "target", "kind", "replications", "produced", "delivered", "throughput_per_s",
            "throughput_per_s_ci", "latency_p50_ms", "latency_p50_ms_ci", "latency_p90_ms", "latency_p90_ms_ci",
            "latency_p99_ms", "latency_p99_ms_ci", "latency_p999_ms", "latency_p999_ms_ci", "latency_max_ms",
            "latency_mean_ms", "latency_mean_ms_ci", "delivery_mean_ms", "delivery_mean_ms_ci", "delivery_p50_ms",
            "delivery_p99_ms", "invocations", "failures", "throttled", "retried",
            "dead_lettered", "dropped",
        ] + dropColumns + [
            "in_flight", "peak_concurrency", "cold_starts", "gb_seconds", "cost_usd", "cost_per_million_events_usd",
            "balanced",
        ]

    /// The report's CSV text (header and rows, LF line ends).
    public static func csv(_ outcome: ScenarioRunner.Outcome, costModel: CostModel = CostModel()) -> String {
        var lines = [CSV.row(header)]
        for row in rows(outcome, costModel: costModel) { lines.append(CSV.row(row)) }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The rows as fields.
    public static func rows(_ outcome: ScenarioRunner.Outcome, costModel: CostModel = CostModel()) -> [[String]] {
        var rows: [[String]] = []
        let scenario = outcome.scenario
        for runs in outcome.runs {
            guard let first = runs.first else { continue }
            let replications = runs.count
            func mean(_ value: (RunResult) -> Double) -> Double { Summary(runs.map(value)).mean }
            func interval(_ value: (RunResult) -> Double) -> String {
                replications > 1 ? CSV.number(Summary(runs.map(value)).confidenceInterval().halfWidth, digits: 3) : ""
            }
            func milliseconds(_ nanoseconds: Int64) -> Double { Double(nanoseconds) / 1e6 }
            let measuredProduced = { (run: RunResult) in Double(run.ledger.produced) }
            // Whole-architecture row.
            var row: [String] = [
                scenario.name, first.architecture, "*", "architecture", String(replications),
                CSV.number(mean(measuredProduced), digits: 1),
                CSV.number(mean { Double($0.ledger.delivered) }, digits: 1),
                CSV.number(mean { Double($0.overall.count) / Swift.max($0.measuredSeconds, 1e-9) }, digits: 3),
                interval { Double($0.overall.count) / Swift.max($0.measuredSeconds, 1e-9) },
            ]
            for percentile in [50.0, 90.0, 99.0, 99.9] {
                row.append(CSV.number(mean { milliseconds($0.overall.percentile(percentile)) }, digits: 3))
                row.append(interval { milliseconds($0.overall.percentile(percentile)) })
            }
            row += [
                CSV.number(mean { milliseconds($0.overall.maximum) }, digits: 3),
                CSV.number(mean { $0.overall.mean / 1e6 }, digits: 3),
                interval { $0.overall.mean / 1e6 },
                "", "", "", "",
                CSV.number(mean { Double($0.sinks.reduce(0) { $0 + $1.invocations }) }, digits: 1),
                CSV.number(mean { Double($0.sinks.reduce(0) { $0 + $1.failures }) }, digits: 1),
                CSV.number(mean { Double($0.ledger.throttled) }, digits: 1),
                CSV.number(mean { Double($0.ledger.retried) }, digits: 1),
                CSV.number(mean { Double($0.ledger.deadLettered) }, digits: 1),
                CSV.number(mean { Double($0.ledger.dropped) }, digits: 1),
            ]
            for reason in DropReason.allCases {
                row.append(CSV.number(mean { Double($0.ledger.dropped(reason)) }, digits: 1))
            }
            row += [
                CSV.number(mean { Double($0.ledger.inFlight) }, digits: 1),
                CSV.number(mean { Double($0.sinks.reduce(0) { $0 + $1.peakConcurrency }) }, digits: 1),
                CSV.number(mean { Double($0.sinks.reduce(0) { $0 + $1.coldStarts }) }, digits: 1),
                CSV.number(mean { $0.usage.functionGigabyteSeconds }, digits: 3),
                CSV.number(mean { costModel.cost(of: $0.usage) }, digits: 6),
                CSV.number(
                    mean { costModel.cost(of: $0.usage) / Swift.max(Double($0.ledger.produced), 1) * 1e6 },
                    digits: 4),
                runs.allSatisfy { $0.ledger.balances } ? "true" : "false",
            ]
            rows.append(row)
            // One row per consumer.
            for (sinkIndex, sink) in first.sinks.enumerated() {
                func sinkMean(_ value: (SinkMetrics) -> Double) -> Double { mean { value($0.sinks[sinkIndex]) } }
                func sinkInterval(_ value: @escaping (SinkMetrics) -> Double) -> String {
                    interval { value($0.sinks[sinkIndex]) }
                }
                let throughput = { (run: RunResult) in
                    Double(run.sinks[sinkIndex].deliveredMeasured) / Swift.max(run.measuredSeconds, 1e-9)
                }
                var row: [String] = [
                    scenario.name, first.architecture, sink.name, sink.kind, String(replications), "",
                    CSV.number(sinkMean { Double($0.delivered) }, digits: 1),
                    CSV.number(mean(throughput), digits: 3), interval(throughput),
                ]
                for percentile in [50.0, 90.0, 99.0, 99.9] {
                    row.append(CSV.number(sinkMean { milliseconds($0.latency.percentile(percentile)) }, digits: 3))
                    row.append(sinkInterval { milliseconds($0.latency.percentile(percentile)) })
                }
                row += [
                    CSV.number(sinkMean { milliseconds($0.latency.maximum) }, digits: 3),
                    CSV.number(sinkMean { $0.latency.mean / 1e6 }, digits: 3),
                    sinkInterval { $0.latency.mean / 1e6 },
                    CSV.number(sinkMean { $0.deliveryLatency.mean / 1e6 }, digits: 3),
                    sinkInterval { $0.deliveryLatency.mean / 1e6 },
                    CSV.number(sinkMean { milliseconds($0.deliveryLatency.percentile(50)) }, digits: 3),
                    CSV.number(sinkMean { milliseconds($0.deliveryLatency.percentile(99)) }, digits: 3),
                    CSV.number(sinkMean { Double($0.invocations) }, digits: 1),
                    CSV.number(sinkMean { Double($0.failures) }, digits: 1),
                    CSV.number(sinkMean { Double($0.throttles) }, digits: 1),
                    CSV.number(sinkMean { Double($0.retried) }, digits: 1),
                    CSV.number(sinkMean { Double($0.deadLettered) }, digits: 1),
                    CSV.number(sinkMean { Double($0.dropped) }, digits: 1),
                ]
                for index in DropReason.allCases.indices {
                    row.append(CSV.number(sinkMean { Double($0.drops[index]) }, digits: 1))
                }
                row += [
                    "",
                    CSV.number(sinkMean { Double($0.peakConcurrency) }, digits: 1),
                    CSV.number(sinkMean { Double($0.coldStarts) }, digits: 1),
                    CSV.number(sinkMean { $0.gigabyteSeconds }, digits: 3),
                    "", "", "",
                ]
                rows.append(row)
            }
        }
        return rows
    }
}
