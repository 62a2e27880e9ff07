public import ArchitectureModels
import ArchitectureSpecs
import Stochastics

/// Short fixed-width tables for the terminal.
public enum ConsoleTable {
    /// Left-aligns the first column and right-aligns the rest.
    public static func render(_ rows: [[String]]) -> String {
        guard let first = rows.first else { return "" }
        var widths = [Int](repeating: 0, count: first.count)
        for row in rows {
            for (index, cell) in row.enumerated() { widths[index] = Swift.max(widths[index], cell.count) }
        }
        var text = ""
        for row in rows {
            var line = ""
            for (index, cell) in row.enumerated() {
                let padding = String(repeating: " ", count: widths[index] - cell.count)
                line += index == 0 ? cell + padding : "  " + padding + cell
            }
            while line.hasSuffix(" ") { line.removeLast() }
            text += line + "\n"
        }
        return text
    }

    /// One line per architecture: delivered, latency percentiles, losses, cost.
    public static func summary(_ outcome: ScenarioRunner.Outcome, costModel: CostModel = CostModel()) -> String {
        var rows = [
            [
                "architecture", "produced", "delivered", "p50 ms", "p99 ms", "p99.9 ms", "throttled",
                "dead-lettered", "lost", "unrouted", "in flight", "cost $", "balanced",
            ]
        ]
        for runs in outcome.runs {
            guard let first = runs.first else { continue }
            func mean(_ value: (RunResult) -> Double) -> Double { Summary(runs.map(value)).mean }
            rows.append([
                first.architecture,
                CSV.number(mean { Double($0.ledger.produced) }, digits: 0),
                CSV.number(mean { Double($0.ledger.delivered) }, digits: 0),
                CSV.number(mean { Double($0.overall.percentile(50)) / 1e6 }, digits: 1),
                CSV.number(mean { Double($0.overall.percentile(99)) / 1e6 }, digits: 1),
                CSV.number(mean { Double($0.overall.percentile(99.9)) / 1e6 }, digits: 1),
                CSV.number(mean { Double($0.ledger.throttled) }, digits: 0),
                CSV.number(mean { Double($0.ledger.deadLettered) }, digits: 0),
                CSV.number(mean { Double($0.ledger.lost) }, digits: 0),
                CSV.number(mean { Double($0.ledger.unrouted) }, digits: 0),
                CSV.number(mean { Double($0.ledger.inFlight) }, digits: 0),
                CSV.number(mean { costModel.cost(of: $0.usage) }, digits: 4),
                runs.allSatisfy { $0.ledger.balances } ? "yes" : "NO",
            ])
        }
        return render(rows)
    }
}
