import Foundation
import Testing

/// The reports in reports/ are what `bash scripts/run.sh` writes for the shipped scenarios. These tests rerun
/// each scenario and fail when a committed report differs (stale), then check the textbook report against
/// Erlang C. They need the release binary that `scripts/test.sh` builds and names in EVENTSIM_BINARY.
@Suite("Shipped scenarios and reports", .enabled(if: releaseBinary != nil, "needs EVENTSIM_BINARY (scripts/test.sh)"))
struct ShippedReportsTests {
    static let scenarios = ["ecommerce-peak", "high-fanout", "order-change-stream", "textbook-mmc"]

    @Test(arguments: scenarios)
    func committedReportsAreFresh(_ scenario: String) throws {
        let out = CLI.temporaryDirectory("fresh-\(scenario)")
        defer { CLI.remove(out) }
        let output = try CLI.run(["run", "scenarios/\(scenario).yaml", "--out", out, "--quiet"])
        #expect(output.status == 0, "\(output.stderr)")
        for file in ["summary.csv", "timeseries.csv"] {
            let fresh = try String(contentsOfFile: out + "/" + file, encoding: .utf8)
            let committed = try String(
                contentsOfFile: CLI.repository.appendingPathComponent("reports/\(scenario)/\(file)").path,
                encoding: .utf8)
            #expect(fresh == committed, "reports/\(scenario)/\(file) is stale: run `bash scripts/run.sh`")
        }
    }

    @Test func textbookReportMatchesErlangC() throws {
        let text = try String(
            contentsOfFile: CLI.repository.appendingPathComponent("reports/textbook-mmc/summary.csv").path,
            encoding: .utf8)
        let lines = text.split(separator: "\n").map {
            $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        }
        let header = lines[0]
        let row = try #require(lines.first { $0.count > 2 && $0[2] == "servers" })
        func value(_ column: String) throws -> Double {
            let index = try #require(header.firstIndex(of: column))
            return try #require(Double(row[index]))
        }
        // M/M/4 at rho 0.8 (analytic_mmc.csv): Wq = 0.7455405897 s, W = 1.745540590 s.
        let wait = try value("delivery_mean_ms"), waitHalfWidth = try value("delivery_mean_ms_ci")
        #expect(abs(wait - 745.5405897) <= waitHalfWidth, "Wq \(wait) ± \(waitHalfWidth) ms")
        let sojourn = try value("latency_mean_ms"), sojournHalfWidth = try value("latency_mean_ms_ci")
        #expect(abs(sojourn - 1745.540590) <= sojournHalfWidth, "W \(sojourn) ± \(sojournHalfWidth) ms")
        #expect(waitHalfWidth < 0.1 * 745.54)
    }
}
