import ArgumentParser
import Foundation
import TopicFanout

/// `eventsim bench fanout`: SNS-style fan-out throughput against N filtered subscriptions.
struct BenchFanoutCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fanout",
        abstract: "Measure topic fan-out throughput with N filtered subscriptions.",
        discussion: """
            Builds a standard topic with N subscriptions whose filter policies come from a seeded generator \
            (attribute and body scope, 1-5 keys, mixed operators, a few without policy), publishes M generated \
            messages, and prints a CSV header and one row. Use a release build for meaningful figures.
            """)

    @Option(help: "The number of subscriptions (N).")
    var subscriptions: Int

    @Option(help: "The number of messages to publish (M).")
    var messages: Int

    @Option(help: "The generator seed.")
    var seed: UInt64 = 1

    @Flag(help: "Check every policy for every message instead of using the index (the baseline).")
    var scan = false

    func validate() throws {
        guard subscriptions >= 1 else {
            throw ValidationError("--subscriptions must be at least 1, got \(subscriptions)")
        }
        guard messages >= 1 else { throw ValidationError("--messages must be at least 1, got \(messages)") }
        guard subscriptions <= 12_500_000 else {
            throw ValidationError(
                "--subscriptions must be at most 12500000 (the per-topic quota), got \(subscriptions)")
        }
    }

    func run() throws {
        do {
            let result = try FanoutBenchmark.run(
                subscriptions: subscriptions, messages: messages, seed: seed, scan: scan)
            print(FanoutBenchmark.Result.csvHeader)
            print(result.csvRow)
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            throw ExitCode(65)
        }
    }
}
