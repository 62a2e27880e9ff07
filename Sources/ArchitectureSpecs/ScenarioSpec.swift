public import SimulationKernel

/// A whole scenario: one workload run against several architectures, as read from a scenario file.
///
/// These are plain, validated values (`Sendable`); `ScenarioLoading` builds them from YAML with located
/// errors, tests build them directly. Times are nanoseconds, rates per second.
public struct ScenarioSpec: Sendable {
    /// Scenario name, used in report rows.
    public var name: String
    /// Scenario seed: every random stream derives from it and a component's stable name.
    public var seed: UInt64
    /// How long producers produce, nanoseconds (> 0).
    public var duration: SimTime
    /// Initial period whose events are excluded from latency statistics, nanoseconds (< duration).
    public var warmup: SimTime
    /// Extra simulated time after producers stop, to let in-flight work finish, nanoseconds (≥ 0).
    public var drain: SimTime
    /// Independent replications (≥ 1).
    public var replications: Int
    /// Width of one time-series window, nanoseconds (> 0).
    public var window: SimTime
    /// The service-level objective the capacity search and reports check.
    public var slo: ServiceLevelObjective
    /// The workload shared by every architecture.
    public var workload: WorkloadSpec
    /// The designs compared; the first is the baseline of comparisons.
    public var architectures: [ArchitectureSpec]

    public init(
        name: String, seed: UInt64, duration: SimTime, warmup: SimTime = 0, drain: SimTime = 0,
        replications: Int = 1, window: SimTime = 1_000_000_000, slo: ServiceLevelObjective = .init(),
        workload: WorkloadSpec, architectures: [ArchitectureSpec]
    ) {
        self.name = name
        self.seed = seed
        self.duration = duration
        self.warmup = warmup
        self.drain = drain
        self.replications = replications
        self.window = window
        self.slo = slo
        self.workload = workload
        self.architectures = architectures
    }
}

/// Targets a design must meet: a latency percentile bound and a bound on the lost fraction.
public struct ServiceLevelObjective: Sendable, Equatable {
    /// Percentile of end-to-end latency the bound applies to (e.g. 99).
    public var percentile: Double
    /// Largest acceptable latency at that percentile, nanoseconds; nil for no bound.
    public var latency: SimTime?
    /// Largest acceptable fraction of produced events dropped or dead-lettered (0…1).
    public var maxLossFraction: Double

    public init(percentile: Double = 99, latency: SimTime? = nil, maxLossFraction: Double = 0.001) {
        self.percentile = percentile
        self.latency = latency
        self.maxLossFraction = maxLossFraction
    }
}

/// The workload: producers of events and of table writes.
public struct WorkloadSpec: Sendable {
    public var producers: [ProducerSpec]
    public init(producers: [ProducerSpec]) { self.producers = producers }
}
