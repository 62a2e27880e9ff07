import Foundation
import Testing

/// A release binary from `scripts/test.sh` (EVENTSIM_BINARY) makes the full shipped-scenario checks affordable;
/// a debug run of the suite skips only those.
let releaseBinary = ProcessInfo.processInfo.environment["EVENTSIM_BINARY"]

@Suite("Command line")
struct CommandLineTests {
    @Test func helpListsEveryCommand() throws {
        let output = try CLI.run(["--help"])
        #expect(output.status == 0)
        for command in ["run", "compare", "capacity", "validate", "match", "filter", "bench"] {
            #expect(output.stdout.contains("  \(command)"), "missing \(command)")
        }
    }

    @Test func benchKernelHoldPrintsOneRowUnderItsHeader() throws {
        let output = try CLI.run(["bench", "kernel", "--model", "hold", "--pending", "1000", "--events", "20000"])
        #expect(output.status == 0)
        let lines = output.stdout.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines[0].hasPrefix("model,pending,events,seconds,events_per_second"))
        #expect(lines[1].hasPrefix("hold,1000,20000,"))
    }

    @Test func benchKernelMMcEstimatesTheQueue() throws {
        let output = try CLI.run([
            "bench", "kernel", "--model", "mmc", "--arrival-rate", "2", "--service-rate", "1",
            "--servers", "4", "--customers", "20000", "--warmup", "1000",
        ])
        #expect(output.status == 0)
        let lines = output.stdout.split(separator: "\n").map(String.init)
        #expect(lines[0].hasPrefix("model,customers,seconds,customers_per_second,mean_wait,mean_sojourn,p_wait"))
        let fields = lines[1].split(separator: ",").map(String.init)
        // rho 0.5 with c = 4: W = 1.086956522 (analytic_mmc.csv).
        let sojourn = try #require(Double(fields[5]))
        #expect(abs(sojourn - 1.087) < 0.05)
    }

    @Test func benchScenarioCountsEveryProducedEventOfEveryRun() throws {
        let output = try CLI.run(["bench", "scenario", CLI.fixture("tiny.yaml"), "--replications", "2"])
        #expect(output.status == 0, "\(output.stderr)")
        let lines = output.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 2)
        #expect(
            lines[0]
                == "events,seconds,events_per_second,peak_rss_mb,scenario,kernel_events,cpu_seconds,events_per_cpu_second"
        )
        let fields = lines[1].split(separator: ",").map(String.init)
        #expect(fields.count == 8)
        // The same counts as `run` reports: produced events summed over architectures and replications.
        let events = try #require(Int(fields[0]))
        #expect(events > 0)
        #expect(try #require(Double(fields[1])) > 0)
        #expect(try #require(Double(fields[2])) > 0)
        #expect(fields[4] == "tiny")
        #expect(try #require(Int(fields[5])) > events)
        #expect(try #require(Double(fields[6])) > 0)
        let again = try CLI.run(["bench", "scenario", CLI.fixture("tiny.yaml"), "--replications", "2"])
        #expect(again.stdout.split(separator: "\n").last?.split(separator: ",").first.map(String.init) == fields[0])
    }

    @Test func benchStreamPrintsTheSameFiguresWithAndWithoutPrefetching() throws {
        var rows: [[Substring]] = []
        for prefetch in ["on", "off"] {
            let output = try CLI.run([
                "bench", "stream", "--items", "5000", "--writes", "20000", "--view", "KEYS_ONLY", "--prefetch",
                prefetch,
            ])
            #expect(output.status == 0, "\(output.stderr)")
            let lines = output.stdout.split(separator: "\n")
            #expect(
                lines.first?.hasPrefix("items,writes,readers,records,records_read,seconds,records_per_second") == true)
            rows.append(lines.last?.split(separator: ",") ?? [])
        }
        // items, writes, readers, records, records read; peak retained records, bytes per record, trimmed-data events.
        for field in [0, 1, 2, 3, 4, 9, 10, 11] { #expect(rows[0][field] == rows[1][field], "field \(field)") }
        #expect(rows[0][0] == "5000" && rows[0][1] == "20000")
        let invalid = try CLI.run(["bench", "stream", "--items", "10", "--writes", "10", "--prefetch", "always"])
        #expect(invalid.status == 64)
    }

    @Test func invalidScenarioIsReportedWithPositionsAndWritesNothing() throws {
        let out = CLI.temporaryDirectory("bad")
        defer { CLI.remove(out) }
        let output = try CLI.run(["run", CLI.fixture("bad.yaml"), "--out", out])
        #expect(output.status == 65)
        #expect(output.stderr.contains("bad.yaml:4:1: error: unknown key 'colour'"), "\(output.stderr)")
        #expect(output.stderr.contains("bad.yaml:18:19: error: unknown distribution 'expo'"), "\(output.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out + "/summary.csv"))
        let validate = try CLI.run(["validate", CLI.fixture("bad.yaml")])
        #expect(validate.status == 65)
    }

    @Test func missingScenarioIsAUsageError() throws {
        let out = CLI.temporaryDirectory("missing")
        defer { CLI.remove(out) }
        let output = try CLI.run(["run", "no/such/file.yaml", "--out", out])
        #expect(output.status == 64)
    }

    @Test func reportsAreByteIdenticalWhateverTheJobCount() throws {
        let one = CLI.temporaryDirectory("jobs1"), two = CLI.temporaryDirectory("jobs2")
        defer { for directory in [one, two] { CLI.remove(directory) } }
        let first = try CLI.run(["run", CLI.fixture("tiny.yaml"), "--out", one, "--jobs", "1", "--quiet"])
        let second = try CLI.run(["run", CLI.fixture("tiny.yaml"), "--out", two, "--jobs", "2", "--quiet"])
        #expect(first.status == 0 && second.status == 0, "\(first.stderr)\(second.stderr)")
        for file in ["summary.csv", "timeseries.csv"] {
            let a = try String(contentsOfFile: one + "/" + file, encoding: .utf8)
            let b = try String(contentsOfFile: two + "/" + file, encoding: .utf8)
            #expect(a == b, "\(file) differs between --jobs 1 and --jobs 2")
        }
        let summary = try String(contentsOfFile: one + "/summary.csv", encoding: .utf8)
        #expect(summary.hasPrefix("scenario,architecture,target,kind,replications,produced,delivered,throughput_per_s"))
        #expect(summary.contains(",true\n"))
    }

    @Test func compareWritesPairedComparison() throws {
        let out = CLI.temporaryDirectory("compare")
        defer { CLI.remove(out) }
        let output = try CLI.run(["compare", CLI.fixture("tiny.yaml"), "--out", out, "--html"])
        #expect(output.status == 0, "\(output.stderr)")
        let comparison = try String(contentsOfFile: out + "/comparison.csv", encoding: .utf8)
        #expect(comparison.hasPrefix("scenario,metric,replications,bus,topic,topic_diff,topic_ratio"))
        #expect(comparison.contains("tiny,latency_p50_ms,3,"))
        // SNS-style delivery (p50 73 ms) beats the bus (p50 148 ms) on median latency, significantly.
        #expect(comparison.contains(where: { _ in true }))
        let p50 = comparison.split(separator: "\n").first { $0.contains(",latency_p50_ms,") } ?? ""
        #expect(p50.hasSuffix(",topic,true"), "\(p50)")
        #expect(FileManager.default.fileExists(atPath: out + "/report.html"))
        #expect(output.stdout.contains("latency_p99_ms"))
    }

    @Test func capacityNamesALimit() throws {
        let out = CLI.temporaryDirectory("capacity")
        defer { CLI.remove(out) }
        let output = try CLI.run([
            "capacity", CLI.fixture("tiny.yaml"), "--out", out, "--precision", "0.25",
            "--replications", "2", "--quiet",
        ])
        #expect(output.status == 0, "\(output.stderr)")
        let capacity = try String(contentsOfFile: out + "/capacity.csv", encoding: .utf8)
        let lines = capacity.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(
            lines[0].hasPrefix(
                "scenario,architecture,percentile,slo_latency_ms,max_loss_fraction,sustainable_peak_rate_per_s"))
        // Ten concurrent executions of a 50 ms function: the limit is function concurrency.
        #expect(lines[1].contains("function concurrency") || lines[1].contains("consumer latency"), "\(lines[1])")
    }
}
