import ArgumentParser
import EventPatterns
import Foundation

/// `eventsim bench match`: compiles a rule set into one rule machine and times matching a file of events.
struct BenchMatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "match",
        abstract: "Benchmark the EventBridge rule machine.",
        discussion: """
            RULES is a JSON object {name: pattern}, or JSON lines each holding {"name": …, "pattern": …} or a \
            bare pattern (named by its line number). EVENTS is JSON lines (gzip when the name ends in .gz). \
            Prints a CSV header and one row: matches counts (event, rule) pairs; seconds and events_per_second \
            cover matching the event text (parsing included) and cpu_seconds is the thread's CPU time over that \
            span; compile_seconds covers adding the rules; bytes_per_rule is the machine's structural size and \
            rss_bytes_per_rule the resident-memory growth while compiling.
            """)

    @Option(help: "The rules file.")
    var rules: String

    @Option(help: "The events file (JSON lines, optionally .gz).")
    var events: String

    @Option(name: .customLong("repeat"), help: "Timed passes over the events.")
    var repeats: Int = 1

    func validate() throws {
        guard repeats >= 1 else { throw ValidationError("--repeat must be at least 1, got \(repeats)") }
    }

    func run() throws {
        let rulesText = try MatchCommand.readText(rules)
        let eventBytes = try MatchCommand.readBytes(events)
        do {
            let result = try MatchBenchmark.run(rulesText: rulesText, events: eventBytes, repeat: repeats)
            print(MatchBenchmarkResult.csvHeader)
            print(result.csvRow)
        } catch let error as JSONSyntaxError {
            MatchCommand.fail("\(events):\(error)")
        } catch {
            MatchCommand.fail("\(rules): error: \(error)")
        }
    }
}
