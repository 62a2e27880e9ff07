import ArgumentParser
import ChangeStreams
import Foundation

/// `eventsim bench stream`: write random modifications to a table with a change stream and read them back.
struct BenchStreamCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stream",
        abstract: "Measure change-stream throughput: M random writes over N items, read back through iterators.",
        discussion: """
            Writes M modifications (puts 45 %, single-attribute updates 45 %, deletes 10 %) of N small items \
            spread over 48 simulated hours, so the 24-hour retention trims half of them, with shard rollovers \
            every 4 hours and a split of every partition half-way. R readers follow the whole stream in lineage \
            order, reading after every 4,096 writes or 10 simulated minutes. Prints a CSV header and one row; records_per_second counts \
            records written and read by every reader per wall-clock second, records_per_cpu_second per second \
            of the thread's CPU time (the fair figure on a shared machine). Use a release build.
            """)

    @Option(help: "The number of distinct items (N).")
    var items: Int

    @Option(help: "The number of writes (M).")
    var writes: Int

    @Option(help: "The number of readers of the whole stream (R).")
    var readers: Int = 1

    @Option(help: "The workload seed.")
    var seed: UInt64 = 1

    /// The view types as command-line values.
    enum ViewOption: String, ExpressibleByArgument, CaseIterable {
        case keysOnly = "KEYS_ONLY"
        case newImage = "NEW_IMAGE"
        case oldImage = "OLD_IMAGE"
        case newAndOldImages = "NEW_AND_OLD_IMAGES"
    }

    @Option(help: "The stream view type: KEYS_ONLY, NEW_IMAGE, OLD_IMAGE or NEW_AND_OLD_IMAGES.")
    var view: ViewOption = .newAndOldImages

    /// Whether the writer prefetches the table's cache lines a few writes ahead.
    enum PrefetchOption: String, ExpressibleByArgument, CaseIterable {
        case auto, on, off

        var setting: Bool? {
            switch self {
            case .auto: nil
            case .on: true
            case .off: false
            }
        }
    }

    @Option(
        help: """
            Prefetch the table's cache lines a few writes ahead: auto (when N exceeds 4,096 items, beyond a core's \
            second-level cache), on or off. Only the times depend on it.
            """)
    var prefetch: PrefetchOption = .auto

    func validate() throws {
        guard (1...StreamBenchmark.maximumItems).contains(items) else {
            throw ValidationError("--items must be between 1 and \(StreamBenchmark.maximumItems), got \(items)")
        }
        guard (1...StreamBenchmark.maximumWrites).contains(writes) else {
            throw ValidationError("--writes must be between 1 and \(StreamBenchmark.maximumWrites), got \(writes)")
        }
        guard (0...100).contains(readers) else {
            throw ValidationError("--readers must be between 0 and 100, got \(readers)")
        }
    }

    func run() throws {
        do {
            let result = try StreamBenchmark.run(
                items: items, writes: writes, readers: readers, seed: seed,
                viewType: StreamViewType(rawValue: view.rawValue) ?? .newAndOldImages, prefetch: prefetch.setting)
            print(StreamBenchmarkResult.csvHeader)
            print(result.csvRow)
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            throw ExitCode(65)
        }
    }
}
