public import ArchitectureModels
public import ArchitectureSpecs
public import SimulationKernel
import Stochastics

/// Finds, per architecture, the highest peak rate at which the scenario's service-level objective still holds.
///
/// The workload's shape is kept and every producer's rate scaled by one factor. At each probed factor the
/// architecture runs all replications; the SLO holds when the upper bound of the confidence interval (over
/// replications) of the latency percentile is within the bound and that of the lost fraction within its limit.
/// The search brackets (doubling or halving from the scenario's own rate) and then bisects until the bracket is
/// narrower than `precision` relative to the rate.
public enum CapacitySearch {
    /// What the search checks and how finely.
    public struct Options: Sendable {
        /// Latency percentile checked (e.g. 99).
        public var percentile: Double
        /// Latency bound, nanoseconds.
        public var latencyBound: SimTime
        /// Largest acceptable lost fraction (dropped and dead-lettered over produced).
        public var maxLossFraction: Double
        /// Confidence level of the check (the upper interval bound must meet the SLO); 0.5 uses the mean.
        public var confidence: Double
        /// Relative width of the final bracket.
        public var precision: Double
        public var jobs: Int

        public init(
            percentile: Double, latencyBound: SimTime, maxLossFraction: Double, confidence: Double = 0.95,
            precision: Double = 0.02, jobs: Int = 1
        ) {
            self.percentile = percentile
            self.latencyBound = latencyBound
            self.maxLossFraction = maxLossFraction
            self.confidence = confidence
            self.precision = precision
            self.jobs = jobs
        }
    }

    /// One probed rate.
    public struct Point: Sendable {
        public var scale: Double
        /// Peak offered rate, events per second (sum over producers of rate × peak multiplier × scale).
        public var offeredPeakRate: Double
        /// Mean over replications of the latency percentile, and the interval's upper bound, nanoseconds.
        public var latency: Double
        public var latencyUpper: Double
        public var lossFraction: Double
        public var lossUpper: Double
        public var meets: Bool
        public var limits: LimitCounters
        public var peakConcurrency: Double
        public var costPerHour: Double
    }

    /// The answer for one architecture.
    public struct Result: Sendable {
        public var architecture: String
        /// The highest probed rate that meets the SLO (nil when even the smallest probed rate fails).
        public var sustainable: Point?
        /// The lowest probed rate that fails (nil when even the largest probed rate meets the SLO).
        public var failing: Point?
        /// Every probed point, in increasing rate.
        public var curve: [Point]

        /// The component whose limit was hit most at the first failing rate.
        public var limitingComponent: String {
            guard let failing else { return "none reached" }
            if let limit = failing.limits.dominant { return limit.rawValue }
            return "consumer latency"
        }
    }

    /// The scenario's peak offered rate at scale 1.
    public static func basePeakRate(_ scenario: ScenarioSpec) -> Double {
        scenario.workload.producers.reduce(0) { $0 + $1.rate * $1.profile.maximumMultiplier }
    }

    /// The scenario with every producer's rate multiplied by `scale`.
    public static func scaled(_ scenario: ScenarioSpec, by scale: Double) -> ScenarioSpec {
        var copy = scenario
        for index in copy.workload.producers.indices { copy.workload.producers[index].rate *= scale }
        return copy
    }

    /// Runs one architecture at one scale and judges the SLO.
    public static func evaluate(
        _ scenario: ScenarioSpec, architecture: ArchitectureSpec, scale: Double, options: Options,
        costModel: CostModel = CostModel()
    ) throws(SimulationError) -> Point {
        var probe = scaled(scenario, by: scale)
        probe.architectures = [architecture]
        let outcome = try ScenarioRunner.run(probe, jobs: options.jobs)
        let runs = outcome.runs[0]
        let latencies = Summary(runs.map { Double($0.overall.percentile(options.percentile)) })
        let losses = Summary(
            runs.map { run in
                let lost = run.ledger.deadLettered + run.ledger.lost
                return Double(lost) / Swift.max(Double(run.ledger.produced), 1)
            })
        func upper(_ summary: Summary) -> Double {
            guard summary.count > 1, options.confidence > 0.5 else { return summary.mean }
            return summary.confidenceInterval(level: 2 * options.confidence - 1).upper
        }
        var limits = LimitCounters()
        for run in runs { limits.merge(run.ledger.limits) }
        let hours = Double(probe.duration + probe.drain) / 3.6e12
        let latencyUpper = upper(latencies), lossUpper = upper(losses)
        return Point(
            scale: scale, offeredPeakRate: basePeakRate(scenario) * scale, latency: latencies.mean,
            latencyUpper: latencyUpper, lossFraction: losses.mean, lossUpper: lossUpper,
            meets: latencyUpper <= Double(options.latencyBound) && lossUpper <= options.maxLossFraction,
            limits: limits,
            peakConcurrency: Summary(runs.map { Double($0.sinks.reduce(0) { $0 + $1.peakConcurrency }) }).mean,
            costPerHour: Summary(runs.map { costModel.cost(of: $0.usage) / Swift.max(hours, 1e-12) }).mean)
    }

    /// Finds where the SLO stops holding along a factor: probes 1, then doubles or halves until the outcome flips,
    /// then bisects until the two closest probes differ by less than `precision` relative to the good one.
    /// - Parameters:
    ///   - holdsBelow: true when the SLO holds below the boundary (offered rates), false when above it (resources).
    ///   - steps: the most doublings or halvings before giving up on a bracket.
    /// - Returns: the probe nearest the boundary that meets the SLO and the nearest that does not (either nil when
    ///   no bracket was found in that direction).
    static func boundary(
        holdsBelow: Bool, steps: Int, precision: Double, probe: (Double) throws(SimulationError) -> Point
    ) throws(SimulationError) -> (good: Point?, bad: Point?) {
        let start = try probe(1)
        var good: Point? = start.meets ? start : nil
        var bad: Point? = start.meets ? nil : start
        // Moving up when the SLO holds below and it still holds here (or holds above and it fails here).
        let factor = start.meets == holdsBelow ? 2.0 : 0.5
        var scale = factor
        for _ in 0..<steps {
            let point = try probe(scale)
            if point.meets { good = point } else { bad = point }
            if point.meets != start.meets { break }
            scale *= factor
        }
        if var closestGood = good, var closestBad = bad {
            while abs(closestGood.scale - closestBad.scale) / closestGood.scale > precision {
                let point = try probe((closestGood.scale + closestBad.scale) / 2)
                if point.meets { closestGood = point } else { closestBad = point }
            }
            good = closestGood
            bad = closestBad
        }
        return (good, bad)
    }

    /// Searches the highest sustainable scale for one architecture.
    /// - Complexity: O(log(range/precision)) evaluations, each a full run of every replication.
    public static func search(
        _ scenario: ScenarioSpec, architecture: ArchitectureSpec, options: Options, costModel: CostModel = CostModel()
    ) throws(SimulationError) -> Result {
        var curve: [Point] = []
        func probe(_ scale: Double) throws(SimulationError) -> Point {
            let point = try evaluate(
                scenario, architecture: architecture, scale: scale, options: options,
                costModel: costModel)
            curve.append(point)
            return point
        }
        let (low, high) = try boundary(holdsBelow: true, steps: 12, precision: options.precision, probe: probe)
        curve.sort { $0.scale < $1.scale }
        return Result(architecture: architecture.name, sustainable: low, failing: high, curve: curve)
    }
}
