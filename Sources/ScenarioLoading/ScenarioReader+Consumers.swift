import ArchitectureSpecs
import SimulationKernel
import Stochastics
import Yams

/// Queues, functions, endpoints and change streams.
extension ScenarioReader {
    static let queueKeys = [
        "name", "consumer", "batch_size", "batching_window", "maximum_concurrency", "poll_latency",
        "visibility_timeout", "max_receive_count",
    ]
    static let functionKeys = [
        "name", "concurrency", "scaling_rate", "scaling_burst", "cold_start", "service", "per_record", "error_rate",
        "timeout", "memory_mb", "async_retries", "maximum_event_age", "on_failure_destination", "outages",
    ]
    static let endpointKeys = ["name", "servers", "queue_limit", "service", "error_rate", "outages"]
    static let streamKeys = [
        "name", "view_type", "partitions", "target", "batch_size", "batching_window", "parallelization_factor",
        "polls_per_second", "propagation", "maximum_retry_attempts", "bisect_on_error",
    ]
    static let viewTypes = ["KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES"]

    /// Reads and declares a component's name.
    private func declaredName(_ fields: Fields, _ kind: Wiring.Kind, _ wiring: Wiring) -> String? {
        guard let nameNode = required(fields, "name"), let name = name(nameNode) else { return nil }
        wiring.declare(name, kind, at: nameNode)
        return name
    }

    /// Reads a reference to another component and records it for the cross-checks.
    private func reference(
        _ fields: Fields, _ key: String, owner: String, allowed: [Wiring.Kind],
        _ wiring: Wiring
    ) -> String? {
        guard let node = required(fields, key), let name = name(node, key) else { return nil }
        wiring.refer(to: name, at: node, allowed: allowed, role: key, owner: owner)
        return name
    }

    func queue(_ node: Node, _ wiring: Wiring) -> QueueSpec? {
        guard let fields = fields(node, "queue", keys: Self.queueKeys) else { return nil }
        let name = declaredName(fields, .queue, wiring)
        let consumer = reference(fields, "consumer", owner: "queue '\(name ?? "?")'", allowed: [.function], wiring)
        let batchSize = fields["batch_size"].map { integer($0, "batch_size", 1...10_000) } ?? 10
        let window =
            fields["batching_window"].map {
                duration($0, "batching_window", atMost: (300_000_000_000, "300s"))
            } ?? 0
        let concurrency = fields["maximum_concurrency"].map { integer($0, "maximum_concurrency", 2...1_000) } ?? 1_000
        let latency =
            fields["poll_latency"].map { distribution($0, "poll_latency") }
            ?? LatencyProfiles.named("sqs")!.distribution
        let visibility =
            fields["visibility_timeout"].map {
                duration($0, "visibility_timeout", atMost: (43_200_000_000_000, "12h"))
            } ?? 30_000_000_000
        var receives: Int?? = .some(5)
        if let receivesNode = fields["max_receive_count"] {
            receives =
                receivesNode.isNull
                ? .some(nil)
                : integer(receivesNode, "max_receive_count", 1...1_000).map {
                    .some($0)
                }
        }
        guard let name, let consumer, let batchSize, let window, let concurrency, let latency, let visibility,
            let receives
        else { return nil }
        return QueueSpec(
            name: name, consumer: consumer, batchSize: batchSize, batchingWindow: window,
            maximumConcurrency: concurrency, pollLatency: latency, visibilityTimeout: visibility,
            maxReceiveCount: receives)
    }

    func function(_ node: Node, _ wiring: Wiring) -> FunctionSpec? {
        guard let fields = fields(node, "function", keys: Self.functionKeys) else { return nil }
        let name = declaredName(fields, .function, wiring)
        let concurrency = fields["concurrency"].map { integer($0, "concurrency", 1...1_000_000) } ?? 1_000
        let scalingRate = fields["scaling_rate"].map { number($0, "scaling_rate", above: 0) } ?? 100
        let scalingBurst = fields["scaling_burst"].map { number($0, "scaling_burst", atLeast: 1) } ?? 1_000
        let coldStart =
            fields["cold_start"].map { distribution($0, "cold_start") }
            ?? LatencyProfiles.named("lambda-cold-start")!.distribution
        let service = required(fields, "service").flatMap { distribution($0, "service") }
        let perRecord = fields["per_record"].map { distribution($0, "per_record") } ?? .constant(0)
        let errorRate = fields["error_rate"].map { number($0, "error_rate", atLeast: 0, atMost: 1) } ?? 0
        let timeout =
            fields["timeout"].map {
                duration($0, "timeout", positive: true, atMost: (900_000_000_000, "900s"))
            } ?? 30_000_000_000
        let memory = fields["memory_mb"].map { integer($0, "memory_mb", 128...10_240) } ?? 512
        let retries = fields["async_retries"].map { integer($0, "async_retries", 0...2) } ?? 2
        let age =
            fields["maximum_event_age"].map {
                duration($0, "maximum_event_age", atLeast: (60_000_000_000, "60s"), atMost: (21_600_000_000_000, "6h"))
            } ?? 21_600_000_000_000
        let destination = fields["on_failure_destination"].map { bool($0, "on_failure_destination") } ?? true
        let outages = outageWindows(fields["outages"])
        guard let name, let concurrency, let scalingRate, let scalingBurst, let coldStart, let service, let perRecord,
            let errorRate, let timeout, let memory, let retries, let age, let destination, let outages
        else { return nil }
        return FunctionSpec(
            name: name, concurrency: concurrency, scalingRate: scalingRate, scalingBurst: scalingBurst,
            coldStart: coldStart, service: service, perRecord: perRecord, errorRate: errorRate,
            timeout: timeout, memoryMB: memory, asyncRetries: retries, maximumEventAge: age,
            onFailureDestination: destination, outages: outages)
    }

    func endpoint(_ node: Node, _ wiring: Wiring) -> EndpointSpec? {
        guard let fields = fields(node, "endpoint", keys: Self.endpointKeys) else { return nil }
        let name = declaredName(fields, .endpoint, wiring)
        let servers = required(fields, "servers").flatMap { integer($0, "servers", 1...1_000_000) }
        let queueLimit = fields["queue_limit"].map { integer($0, "queue_limit", -1...1_000_000_000) } ?? -1
        let service = required(fields, "service").flatMap { distribution($0, "service") }
        let errorRate = fields["error_rate"].map { number($0, "error_rate", atLeast: 0, atMost: 1) } ?? 0
        let outages = outageWindows(fields["outages"])
        guard let name, let servers, let queueLimit, let service, let errorRate, let outages else { return nil }
        return EndpointSpec(
            name: name, servers: servers, queueLimit: queueLimit, service: service,
            errorRate: errorRate, outages: outages)
    }

    func stream(_ node: Node, _ wiring: Wiring) -> StreamSpec? {
        guard let fields = fields(node, "stream", keys: Self.streamKeys) else { return nil }
        let name = declaredName(fields, .stream, wiring)
        var viewType: String? = "NEW_AND_OLD_IMAGES"
        if let viewNode = fields["view_type"] {
            viewType = string(viewNode, "view_type")
            if let text = viewType, !Self.viewTypes.contains(text) {
                error(
                    viewNode, "unknown view_type '\(text)'; expected one of: \(Self.viewTypes.joined(separator: ", "))")
                viewType = nil
            }
        }
        let partitions = fields["partitions"].map { integer($0, "partitions", 1...10_000) } ?? 4
        let target = reference(fields, "target", owner: "stream '\(name ?? "?")'", allowed: [.function, .bus], wiring)
        let batchSize = fields["batch_size"].map { integer($0, "batch_size", 1...10_000) } ?? 100
        let window =
            fields["batching_window"].map {
                duration($0, "batching_window", atMost: (300_000_000_000, "300s"))
            } ?? 0
        let factor = fields["parallelization_factor"].map { integer($0, "parallelization_factor", 1...10) } ?? 1
        let polls = fields["polls_per_second"].map { number($0, "polls_per_second", above: 0) } ?? 4
        let propagation = required(fields, "propagation").flatMap { distribution($0, "propagation") }
        let retries = fields["maximum_retry_attempts"].map { integer($0, "maximum_retry_attempts", -1...10_000) } ?? -1
        let bisect = fields["bisect_on_error"].map { bool($0, "bisect_on_error") } ?? false
        guard let name, let viewType, let partitions, let target, let batchSize, let window, let factor, let polls,
            let propagation, let retries, let bisect
        else { return nil }
        return StreamSpec(
            name: name, viewType: viewType, partitions: partitions, target: target, batchSize: batchSize,
            batchingWindow: window, parallelizationFactor: factor, pollsPerSecond: polls,
            propagation: propagation, maximumRetryAttempts: retries, bisectOnError: bisect)
    }

    /// `[{start: 5m, end: 6m}, ...]` with start < end.
    private func outageWindows(_ node: Node?) -> [OutageWindow]? {
        var windows: [OutageWindow] = []
        var failed = false
        for item in sequence(node, "outages") {
            guard let fields = fields(item, "outage", keys: ["start", "end"]) else {
                failed = true
                continue
            }
            let start = required(fields, "start").flatMap { duration($0, "start") }
            let end = required(fields, "end").flatMap { duration($0, "end") }
            guard let start, let end else {
                failed = true
                continue
            }
            guard start < end else {
                error(item, "an outage's 'start' must come before its 'end'")
                failed = true
                continue
            }
            windows.append(OutageWindow(start: start, end: end))
        }
        if let node, case .sequence = node {} else if node != nil { failed = true }
        return failed ? nil : windows
    }
}
