public import ArchitectureModels
public import ArchitectureSpecs
import Foundation

extension CapacitySearch {
    /// The reverse question's answer: the smallest resources that meet the SLO at a target rate.
    public struct Provisioning: Sendable {
        public var architecture: String
        /// The resource multiplier found (nil when even 64× the scenario's resources fail).
        public var factor: Double?
        /// The architecture with its resources scaled by `factor`.
        public var provisioned: ArchitectureSpec?
        public var point: Point?
        public var evaluations: Int
    }

    /// The architecture with every capacity setting multiplied by `factor` (concurrency, scaling rate, servers,
    /// poller concurrency, quotas; a stream's parallelization factor within its 1…10 range).
    public static func scaledResources(_ architecture: ArchitectureSpec, by factor: Double) -> ArchitectureSpec {
        func scale(_ value: Int) -> Int { Swift.max(1, Int((Double(value) * factor).rounded(.up))) }
        var copy = architecture
        for index in copy.functions.indices {
            copy.functions[index].concurrency = scale(copy.functions[index].concurrency)
            copy.functions[index].scalingRate *= factor
            copy.functions[index].scalingBurst = Swift.max(1, copy.functions[index].scalingBurst * factor)
        }
        for index in copy.endpoints.indices { copy.endpoints[index].servers = scale(copy.endpoints[index].servers) }
        for index in copy.queues.indices {
            copy.queues[index].maximumConcurrency = scale(copy.queues[index].maximumConcurrency)
        }
        for index in copy.buses.indices {
            copy.buses[index].putEventsRate *= factor
            copy.buses[index].invocationRate *= factor
        }
        for index in copy.topics.indices { copy.topics[index].publishRate *= factor }
        for index in copy.streams.indices {
            copy.streams[index].parallelizationFactor = Swift.min(10, scale(copy.streams[index].parallelizationFactor))
        }
        return copy
    }

    /// Finds the smallest resource multiplier at which `architecture` meets the SLO at peak rate `targetRate`.
    public static func provision(
        _ scenario: ScenarioSpec, architecture: ArchitectureSpec, targetRate: Double, options: Options,
        costModel: CostModel = CostModel()
    ) throws(SimulationError) -> Provisioning {
        let scale = targetRate / Swift.max(basePeakRate(scenario), 1e-12)
        var evaluations = 0
        func probe(_ factor: Double) throws(SimulationError) -> Point {
            evaluations += 1
            var point = try evaluate(
                scenario, architecture: scaledResources(architecture, by: factor), scale: scale,
                options: options, costModel: costModel)
            point.scale = factor
            return point
        }
        let (good, _) = try boundary(holdsBelow: false, steps: 6, precision: options.precision, probe: probe)
        return Provisioning(
            architecture: architecture.name, factor: good?.scale,
            provisioned: good.map { scaledResources(architecture, by: $0.scale) }, point: good,
            evaluations: evaluations)
    }
}

/// `capacity.csv` and `capacity_curve.csv`.
public enum CapacityReport {
    public static let header = [
        "scenario", "architecture", "percentile", "slo_latency_ms", "max_loss_fraction", "sustainable_peak_rate_per_s",
        "scale", "limiting_component", "latency_ms_at_rate", "latency_ms_upper_at_rate", "loss_fraction_at_rate",
        "peak_concurrency_at_rate", "cost_per_hour_usd_at_rate", "first_failing_rate_per_s", "evaluations",
    ]

    public static func csv(scenario: ScenarioSpec, options: CapacitySearch.Options, results: [CapacitySearch.Result])
        -> String
    {
        var lines = [CSV.row(header)]
        for result in results {
            let point = result.sustainable
            lines.append(
                CSV.row([
                    scenario.name, result.architecture, CSV.number(options.percentile, digits: 3),
                    CSV.number(Double(options.latencyBound) / 1e6, digits: 3),
                    CSV.number(options.maxLossFraction, digits: 6),
                    point.map { CSV.number($0.offeredPeakRate, digits: 3) } ?? "",
                    point.map { CSV.number($0.scale, digits: 6) } ?? "",
                    result.limitingComponent,
                    point.map { CSV.number($0.latency / 1e6, digits: 3) } ?? "",
                    point.map { CSV.number($0.latencyUpper / 1e6, digits: 3) } ?? "",
                    point.map { CSV.number($0.lossFraction, digits: 6) } ?? "",
                    point.map { CSV.number($0.peakConcurrency, digits: 1) } ?? "",
                    point.map { CSV.number($0.costPerHour, digits: 4) } ?? "",
                    result.failing.map { CSV.number($0.offeredPeakRate, digits: 3) } ?? "",
                    String(result.curve.count),
                ]))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    public static func curveCSV(scenario: ScenarioSpec, results: [CapacitySearch.Result]) -> String {
        var lines = [
            CSV.row([
                "scenario", "architecture", "scale", "offered_peak_rate_per_s", "latency_ms",
                "latency_ms_upper", "loss_fraction", "meets_slo", "dominant_limit",
            ])
        ]
        for result in results {
            for point in result.curve {
                lines.append(
                    CSV.row([
                        scenario.name, result.architecture, CSV.number(point.scale, digits: 6),
                        CSV.number(point.offeredPeakRate, digits: 3), CSV.number(point.latency / 1e6, digits: 3),
                        CSV.number(point.latencyUpper / 1e6, digits: 3), CSV.number(point.lossFraction, digits: 6),
                        point.meets ? "true" : "false", point.limits.dominant?.rawValue ?? "",
                    ]))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    public static let provisioningHeader = [
        "scenario", "architecture", "target_peak_rate_per_s", "resource_factor", "function_concurrency",
        "endpoint_servers", "queue_pollers", "put_events_rate", "invocation_rate", "publish_rate",
        "latency_ms_at_rate", "loss_fraction_at_rate", "cost_per_hour_usd", "evaluations",
    ]

    public static func provisioningCSV(
        scenario: ScenarioSpec, targetRate: Double,
        results: [CapacitySearch.Provisioning]
    ) -> String {
        var lines = [CSV.row(provisioningHeader)]
        for result in results {
            let spec = result.provisioned
            func list(_ values: [(String, String)]?) -> String {
                (values ?? []).map { "\($0.0)=\($0.1)" }.joined(separator: ";")
            }
            lines.append(
                CSV.row([
                    scenario.name, result.architecture, CSV.number(targetRate, digits: 3),
                    result.factor.map { CSV.number($0, digits: 4) } ?? "",
                    list(spec?.functions.map { ($0.name, String($0.concurrency)) }),
                    list(spec?.endpoints.map { ($0.name, String($0.servers)) }),
                    list(spec?.queues.map { ($0.name, String($0.maximumConcurrency)) }),
                    list(spec?.buses.map { ($0.name, CSV.number($0.putEventsRate, digits: 1)) }),
                    list(spec?.buses.map { ($0.name, CSV.number($0.invocationRate, digits: 1)) }),
                    list(spec?.topics.map { ($0.name, CSV.number($0.publishRate, digits: 1)) }),
                    result.point.map { CSV.number($0.latency / 1e6, digits: 3) } ?? "",
                    result.point.map { CSV.number($0.lossFraction, digits: 6) } ?? "",
                    result.point.map { CSV.number($0.costPerHour, digits: 4) } ?? "",
                    String(result.evaluations),
                ]))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
