import ArchitectureModels
import ArchitectureSpecs
import EventPatterns
import Foundation
import Stochastics
import Testing

@testable import Reports

#if canImport(FoundationXML)
    import FoundationXML
#endif

private let second: Int64 = 1_000_000_000

private func producer(rate: Double) -> ProducerSpec {
    ProducerSpec(
        name: "load", rate: rate,
        payload: .events(
            EventTemplate(
                source: .literal(.string("test")), detailType: .literal(.string("Job")),
                detail: .object([("id", .sequence(prefix: "job-"))]))))
}

private func functionArchitecture(_ name: String, service: Double) -> ArchitectureSpec {
    ArchitectureSpec(
        name: name, eventsEntry: "worker",
        functions: [
            FunctionSpec(
                name: "worker", coldStart: .constant(0.1),
                service: (try? .makeExponential(mean: service)) ?? .constant(service))
        ])
}

private func textbook(rate: Double, duration: Int64, replications: Int) throws -> ScenarioSpec {
    ScenarioSpec(
        name: "textbook", seed: 31, duration: duration, warmup: duration / 20, replications: replications,
        window: duration / 10, workload: WorkloadSpec(producers: [producer(rate: rate)]),
        architectures: [
            ArchitectureSpec(
                name: "mmc", eventsEntry: "servers",
                endpoints: [
                    EndpointSpec(name: "servers", servers: 4, queueLimit: -1, service: try .makeExponential(mean: 1))
                ])
        ])
}

@Suite("CSV")
struct CSVTests {
    @Test func fieldsAreQuotedOnlyWhenNeeded() {
        #expect(CSV.row(["a", "b,c", "say \"hi\"", "x\ny"]) == "a,\"b,c\",\"say \"\"hi\"\"\",\"x\ny\"")
    }

    @Test func numbersAreSpelledDeterministically() {
        #expect(CSV.number(1.5) == "1.5")
        #expect(CSV.number(2.0) == "2")
        #expect(CSV.number(-0.0000001) == "0")
        #expect(CSV.number(1234.56789, digits: 2) == "1234.57")
        #expect(CSV.number(.nan) == "nan")
    }

    @Test func atomicWritesLeaveNoTemporaryFiles() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("eventsim-atomic-\(getpid())")
        try? FileManager.default.removeItem(at: directory)
        try AtomicFile.writeAll([(directory.path + "/a.csv", "1\n"), (directory.path + "/b.csv", "2\n")])
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        #expect(names == ["a.csv", "b.csv"])
        #expect(try String(contentsOfFile: directory.path + "/b.csv", encoding: .utf8) == "2\n")
        try FileManager.default.removeItem(at: directory)
    }

    @Test func aFailedWriteLeavesTheTargetUntouched() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("eventsim-fail-\(getpid())")
        try? FileManager.default.removeItem(at: directory)
        try AtomicFile.write("old\n", to: directory.path + "/summary.csv")
        // The second file's parent is a regular file, so staging fails and nothing is renamed.
        #expect(throws: (any Error).self) {
            try AtomicFile.writeAll([
                (directory.path + "/summary.csv", "new\n"),
                (directory.path + "/summary.csv/inner.csv", "x\n"),
            ])
        }
        #expect(try String(contentsOfFile: directory.path + "/summary.csv", encoding: .utf8) == "old\n")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter {
            $0.hasPrefix(".tmp")
        }
        #expect(leftovers.isEmpty)
        try FileManager.default.removeItem(at: directory)
    }
}

@Suite("Comparison and capacity")
struct ComparisonAndCapacityTests {
    @Test func pairedComparisonFindsTheFasterDesign() throws {
        let scenario = ScenarioSpec(
            name: "pair", seed: 3, duration: 60 * second, drain: 20 * second, replications: 4,
            workload: WorkloadSpec(producers: [producer(rate: 20)]),
            architectures: [functionArchitecture("slow", service: 0.2), functionArchitecture("fast", service: 0.05)])
        let outcome = try ScenarioRunner.run(scenario, jobs: 2)
        let rows = ComparisonReport.rows(outcome)
        let p50 = try #require(rows.first { $0.metric == "latency_p50_ms" })
        #expect(p50.winner == "fast")
        #expect(p50.significant)
        #expect(p50.differences[0] < 0)
        #expect(p50.intervals[0].upper < 0)
        let csv = ComparisonReport.csv(outcome)
        #expect(
            csv.hasPrefix(
                "scenario,metric,replications,slow,fast,fast_diff,fast_ratio,fast_diff_ci_low,fast_diff_ci_high,winner,significant\n"
            ))
        // Common random numbers: both designs saw exactly the same workload.
        #expect(outcome.runs[0].map(\.ledger.produced) == outcome.runs[1].map(\.ledger.produced))
    }

    @Test func identicalDesignsAreNotSignificantlyDifferent() throws {
        let scenario = ScenarioSpec(
            name: "same", seed: 4, duration: 30 * second, drain: 10 * second, replications: 3,
            workload: WorkloadSpec(producers: [producer(rate: 20)]),
            architectures: [functionArchitecture("a", service: 0.1), functionArchitecture("b", service: 0.1)])
        let rows = ComparisonReport.rows(try ScenarioRunner.run(scenario, jobs: 1))
        #expect(rows.allSatisfy { !$0.significant })
    }

    @Test func capacitySearchFindsTheErlangCRate() throws {
        // M/M/4: the p99 of time in system is 6.893203749 s exactly at lambda = 3.2 (rho 0.8; analytic_mmc.csv).
        let scenario = try textbook(rate: 2.0, duration: 6_000 * second, replications: 4)
        let options = CapacitySearch.Options(
            percentile: 99, latencyBound: 6_893_203_749, maxLossFraction: 0.001,
            confidence: 0.5, precision: 0.02, jobs: 2)
        let result = try CapacitySearch.search(scenario, architecture: scenario.architectures[0], options: options)
        let rate = try #require(result.sustainable?.offeredPeakRate)
        #expect(abs(rate / 3.2 - 1) < 0.05, "found \(rate), exact 3.2")
        #expect(result.failing != nil)
        #expect(result.curve.count >= 4)
        let csv = CapacityReport.csv(scenario: scenario, options: options, results: [result])
        #expect(csv.hasPrefix(CapacityReport.header.joined(separator: ",") + "\n"))
    }

    @Test func provisioningFindsMoreServersForAHigherRate() throws {
        let scenario = try textbook(rate: 2.0, duration: 2_000 * second, replications: 2)
        let options = CapacitySearch.Options(
            percentile: 99, latencyBound: 6_893_203_749, maxLossFraction: 0.001,
            confidence: 0.5, precision: 0.1, jobs: 2)
        let result = try CapacitySearch.provision(
            scenario, architecture: scenario.architectures[0], targetRate: 6.4,
            options: options)
        let factor = try #require(result.factor)
        // Twice the rate needs about twice the servers (8 servers at rho 0.8 have a shorter p99 than 4).
        #expect(factor > 1.2 && factor <= 2.1, "factor \(factor)")
        #expect((result.provisioned?.endpoints[0].servers ?? 0) >= 5)
    }
}

@Suite("HTML report")
struct HTMLReportTests {
    final class WellFormedness: NSObject, XMLParserDelegate {
        var polylines: [String] = []
        var svgIDs: [String] = []
        func parser(
            _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            if name == "polyline", let series = attributes["data-series"] { polylines.append(series) }
            if name == "svg", let id = attributes["id"] { svgIDs.append(id) }
        }
    }

    @Test func reportIsWellFormedAndHoldsEverySeries() throws {
        let scenario = ScenarioSpec(
            name: "html <&>", seed: 5, duration: 20 * second, replications: 2, window: 2 * second,
            slo: ServiceLevelObjective(latency: 2 * second),
            workload: WorkloadSpec(producers: [producer(rate: 10)]),
            architectures: [functionArchitecture("alpha", service: 0.05), functionArchitecture("beta", service: 0.1)])
        let outcome = try ScenarioRunner.run(scenario, jobs: 1)
        let html = HTMLReport.render(outcome: outcome, capacity: nil)
        let parser = XMLParser(data: Data(html.utf8))
        let delegate = WellFormedness()
        parser.delegate = delegate
        #expect(parser.parse(), "not well-formed: \(String(describing: parser.parserError))")
        #expect(delegate.svgIDs == ["latency-cdf", "throughput", "backlog", "concurrency"])
        #expect(delegate.polylines.filter { $0 == "alpha" }.count == 4)
        #expect(delegate.polylines.filter { $0 == "beta" }.count == 4)
        #expect(
            !html.contains("http://") || html.components(separatedBy: "http://").count == 5,
            "only the SVG namespace may name a URL")
    }

    /// Axis ticks must read differently even when they are closer than three decimals show (loss fractions).
    @Test(arguments: [0.0008, 0.004, 1.0, 40.0, 20_000.0])
    func neighbouringTicksHaveDistinctLabels(top: Double) {
        let labels = (0...4).map { HTMLReport.label(top * Double($0) / 4, step: top / 4) }
        #expect(Set(labels).count == 5, "\(labels)")
    }

    @Test func linearLabelsKeepTheirUsualPrecision() {
        #expect(HTMLReport.label(0.5, step: 0.25) == "0.5")
        #expect(HTMLReport.label(12.5, step: 2.5) == "12.5")
        #expect(HTMLReport.label(2_500, step: 500) == "2500")
        #expect(HTMLReport.label(0.0004, step: 0.0002) == "0.0004")
        #expect(HTMLReport.label(0.00123456, step: 0.0002) == "0.00123")
    }

    @Test func logLabelsShowThreeSignificantDigits() {
        #expect(HTMLReport.logLabel(0.01234) == "0.0123")
        #expect(HTMLReport.logLabel(1.5) == "1.5")
        #expect(HTMLReport.logLabel(1.2345) == "1.23")
        #expect(HTMLReport.logLabel(123.4) == "123")
        #expect(HTMLReport.logLabel(4_567) == "4567")
    }
}

/// The path of a headless-capable Chromium, if this machine has one.
private let chromium: String? = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
    .first { FileManager.default.isExecutableFile(atPath: $0) }

@Suite("HTML report in a browser", .enabled(if: chromium != nil, "Chromium is not installed"))
struct HTMLBrowserTests {
    @Test func chromiumRendersTheReport() throws {
        let scenario = ScenarioSpec(
            name: "render", seed: 6, duration: 10 * second, replications: 1, window: second,
            workload: WorkloadSpec(producers: [producer(rate: 10)]),
            architectures: [functionArchitecture("alpha", service: 0.05)])
        let html = HTMLReport.render(outcome: try ScenarioRunner.run(scenario, jobs: 1), capacity: nil)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("eventsim-render-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let page = directory.appendingPathComponent("report.html"), shot = directory.appendingPathComponent("shot.png")
        try Data(html.utf8).write(to: page)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: chromium!)
        process.arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--screenshot=\(shot.path)",
            "--window-size=1000,2000", page.absoluteString,
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        let size = (try FileManager.default.attributesOfItem(atPath: shot.path)[.size] as? Int) ?? 0
        #expect(size > 10_000, "screenshot of \(size) bytes")
        try? FileManager.default.removeItem(at: directory)
    }
}
