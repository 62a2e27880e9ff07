import ArgumentParser

/// The `eventsim` command line: simulate event-driven architectures from scenario files, and benchmark the real
/// rule matcher, topic fan-out, change stream and simulation kernel.
@main
struct EventsimCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eventsim",
        abstract: "Performance simulation and benchmarking for event-driven architectures.",
        discussion: """
            Exit codes: 0 success, 1 'no match' (match/filter), 64 usage error, 65 invalid input data.
            """,
        version: "0.1.0",
        subcommands: [
            RunCommand.self, CompareCommand.self, CapacityCommand.self, ValidateCommand.self, MatchCommand.self,
            FilterCommand.self, BenchCommand.self,
        ]
    )
}

/// `eventsim bench …`: the benchmarks, each printing a CSV header line and one row.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmark the kernel, the rule matcher, the topic fan-out and the change stream.",
        subcommands: [
            BenchKernelCommand.self, BenchMatchCommand.self, BenchFanoutCommand.self, BenchStreamCommand.self,
            BenchScenarioCommand.self,
        ]
    )
}
