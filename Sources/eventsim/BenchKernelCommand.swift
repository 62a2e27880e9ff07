import ArgumentParser
import QueueingModels
import Reports
import Stochastics

/// `eventsim bench kernel`: the hold model and the M/M/c queue, the same models as the C reference in
/// shared/anchors/des, so the two can be timed side by side.
struct BenchKernelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kernel",
        abstract: "Time the event calendar (hold model) or an M/M/c queue built from the kernel's server pool.",
        discussion: """
            eventsim bench kernel --model hold --pending 100000 --events 10000000
            eventsim bench kernel --model mmc --arrival-rate 3.6 --service-rate 1 --servers 4 \\
                --customers 1000000 --warmup 10000
            Prints one CSV header line and one row.
            """
    )

    enum Model: String, ExpressibleByArgument, CaseIterable { case hold, mmc }

    @Option(help: "Benchmark model: hold or mmc.") var model: Model
    @Option(help: "Hold model: events kept pending.") var pending: Int = 100_000
    @Option(help: "Hold model: events popped and rescheduled.") var events: Int = 10_000_000
    @Option(help: "M/M/c: arrival rate λ per second.") var arrivalRate: Double = 3.6
    @Option(help: "M/M/c: service rate μ per server per second.") var serviceRate: Double = 1
    @Option(help: "M/M/c: number of servers c.") var servers: Int = 4
    @Option(help: "M/M/c: customers measured after the warm-up.") var customers: Int = 1_000_000
    @Option(help: "M/M/c: warm-up customers, discarded.") var warmup: Int = 10_000
    @Option(help: "Random seed.") var seed: UInt64 = 1
    enum CalendarOption: String, ExpressibleByArgument, CaseIterable {
        case binary, quaternary, collections
        case calendarQueue = "calendar-queue"
        var choice: KernelBenchmark.CalendarChoice { KernelBenchmark.CalendarChoice(rawValue: rawValue)! }
    }

    @Option(help: "Event calendar: binary (default), quaternary, collections or calendar-queue.")
    var calendar: CalendarOption = .binary

    func validate() throws {
        guard pending >= 1, events >= 0 else { throw ValidationError("--pending must be ≥ 1 and --events ≥ 0") }
        guard arrivalRate > 0, arrivalRate.isFinite, serviceRate > 0, serviceRate.isFinite else {
            throw ValidationError("--arrival-rate and --service-rate must be positive")
        }
        guard servers >= 1, customers >= 1, warmup >= 0 else {
            throw ValidationError("--servers and --customers must be ≥ 1, --warmup ≥ 0")
        }
    }

    func run() throws {
        switch model {
        case .hold:
            let measurement = KernelBenchmark.hold(
                pending: pending, events: events, seed: seed, calendar: calendar.choice)
            print("model,pending,events,seconds,events_per_second,calendar,final_time_s,peak_rss_mb")
            print(
                CSV.row([
                    "hold", String(pending), String(events), CSV.number(measurement.seconds),
                    CSV.number(measurement.eventsPerSecond, digits: 0), calendar.rawValue,
                    CSV.number(measurement.finalTime), CSV.number(ProcessStatistics.peakResidentMegabytes),
                ]))
        case .mmc:
            let configuration = MMcConfiguration(
                arrivalRate: arrivalRate, service: .exponential(mean: 1 / serviceRate), servers: servers,
                warmupCustomers: warmup, customers: customers, seed: seed)
            let measurement = KernelBenchmark.queue(configuration, calendar: calendar.choice)
            let result = measurement.result
            print(
                "model,customers,seconds,customers_per_second,mean_wait,mean_sojourn,p_wait,calendar,events,"
                    + "mean_in_system,utilization,peak_rss_mb")
            print(
                CSV.row([
                    "mmc", String(measurement.customers), CSV.number(measurement.seconds),
                    CSV.number(measurement.customersPerSecond, digits: 0), CSV.number(result.meanWait),
                    CSV.number(result.meanSojourn), CSV.number(result.waitProbability), calendar.rawValue,
                    String(result.events), CSV.number(result.meanInSystem),
                    CSV.number(result.meanBusyServers / Double(servers)),
                    CSV.number(ProcessStatistics.peakResidentMegabytes),
                ]))
        }
    }
}
