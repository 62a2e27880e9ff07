import ArchitectureSpecs
import SimulationKernel
import Yams

/// The top level: scenario settings, the service-level objective, the workload and the architectures.
extension ScenarioReader {
    static let scenarioKeys = [
        "name", "seed", "duration", "warmup", "drain", "replications", "window", "slo", "workload", "architectures",
    ]
    static let architectureKeys = ["name", "entry", "buses", "topics", "queues", "functions", "endpoints", "streams"]

    /// Reads a whole scenario; nil when any problem was reported.
    func scenario(_ root: Node) -> ScenarioSpec? {
        guard let fields = fields(root, "scenario", keys: Self.scenarioKeys) else { return nil }
        let name = required(fields, "name").flatMap { self.name($0) }
        let seed = required(fields, "seed").flatMap { unsigned($0, "seed") }
        let duration = required(fields, "duration").flatMap { self.duration($0, "duration", positive: true) }
        var warmup = fields["warmup"].map { self.duration($0, "warmup") } ?? 0
        if let value = warmup, let duration, value >= duration, let node = fields["warmup"] {
            error(
                node,
                "'warmup' (\(node.scalarText ?? "")) must be less than 'duration' "
                    + "(\(fields["duration"]?.scalarText ?? ""))")
            warmup = nil
        }
        let drain = fields["drain"].map { self.duration($0, "drain") } ?? 0
        let replications = fields["replications"].map { integer($0, "replications", 1...1_000) } ?? 1
        let window = fields["window"].map { self.duration($0, "window", positive: true) } ?? 1_000_000_000
        let slo = fields["slo"].map(serviceLevelObjective) ?? ServiceLevelObjective()
        let producers = workload(required(fields, "workload"))
        let architectures = self.architectures(required(fields, "architectures"), producers: producers.read)
        guard let name, let seed, let duration, let warmup, let drain, let replications, let window, let slo,
            producers.complete, let architectures, !hasErrors
        else { return nil }
        return ScenarioSpec(
            name: name, seed: seed, duration: duration, warmup: warmup, drain: drain,
            replications: replications, window: window, slo: slo,
            workload: WorkloadSpec(producers: producers.read.map(\.spec)),
            architectures: architectures)
    }

    private func serviceLevelObjective(_ node: Node) -> ServiceLevelObjective? {
        guard let fields = fields(node, "slo", label: "slo", keys: ["percentile", "latency", "max_loss_fraction"])
        else {
            return nil
        }
        let defaults = ServiceLevelObjective()
        let percentile =
            fields["percentile"].map { number($0, "percentile", above: 0, atMost: 100) }
            ?? defaults.percentile
        let latency = fields["latency"].map { duration($0, "latency", positive: true) } ?? defaults.latency
        let loss =
            fields["max_loss_fraction"].map { number($0, "max_loss_fraction", atLeast: 0, atMost: 1) }
            ?? defaults.maxLossFraction
        guard let percentile, let loss else { return nil }
        if fields["latency"] != nil, latency == nil { return nil }
        return ServiceLevelObjective(percentile: percentile, latency: latency, maxLossFraction: loss)
    }

    /// The producers read without problems (with their name nodes), and whether that is all of them.
    private func workload(_ node: Node?) -> (read: [(spec: ProducerSpec, nameNode: Node?)], complete: Bool) {
        guard let node, let fields = fields(node, "workload", label: "workload", keys: ["producers"]),
            let list = required(fields, "producers")
        else { return ([], false) }
        let items = sequence(list, "producers")
        if case .sequence = list, items.isEmpty { error(list, "the workload needs at least one producer") }
        var producers: [(spec: ProducerSpec, nameNode: Node?)] = []
        var seen: [String: Node] = [:]
        for item in items {
            let nameNode = item.mapping?["name"]
            if let nameNode, let name = nameNode.scalarText {
                requireUnique(name, at: nameNode, &seen, "producer name")
            }
            if let producer = producer(item) { producers.append((producer, nameNode)) }
        }
        return (producers, producers.count == items.count && !items.isEmpty)
    }

    private func architectures(_ node: Node?, producers: [(spec: ProducerSpec, nameNode: Node?)])
        -> [ArchitectureSpec]?
    {
        guard let node else { return nil }
        let items = sequence(node, "architectures")
        guard case .sequence = node else { return nil }
        if items.isEmpty { error(node, "a scenario needs at least one architecture") }
        var result: [ArchitectureSpec] = []
        var seen: [String: Node] = [:]
        for item in items {
            if let nameNode = item.mapping?["name"], let name = nameNode.scalarText {
                requireUnique(name, at: nameNode, &seen, "architecture name")
            }
            if let architecture = architecture(item, producers: producers) { result.append(architecture) }
        }
        return result.count == items.count && !items.isEmpty ? result : nil
    }

    private func architecture(_ node: Node, producers: [(spec: ProducerSpec, nameNode: Node?)]) -> ArchitectureSpec? {
        guard let fields = fields(node, "architecture", keys: Self.architectureKeys) else { return nil }
        let nameNode = required(fields, "name")
        let name = nameNode.flatMap { self.name($0) }
        let wiring = Wiring()
        var entry: String?
        var valid = name != nil
        if let entryNode = fields["entry"] {
            entry = self.name(entryNode, "entry")
            if let entry {
                wiring.refer(
                    to: entry, at: entryNode, allowed: Wiring.routable, role: "entry",
                    owner: "architecture '\(name ?? "?")'")
            } else {
                valid = false
            }
        }
        func list<T>(_ key: String, _ read: (Node, Wiring) -> T?) -> [T] {
            var values: [T] = []
            for item in sequence(fields[key], key) {
                if let value = read(item, wiring) { values.append(value) } else { valid = false }
            }
            if let node = fields[key], node.sequence == nil { valid = false }
            return values
        }
        let buses = list("buses", bus)
        let topics = list("topics", topic)
        let queues = list("queues", queue)
        let functions = list("functions", function)
        let endpoints = list("endpoints", endpoint)
        let streams = list("streams", stream)
        let architectureName = name ?? "?"
        wiring.check(self, architecture: architectureName)
        let anchor = nameNode ?? node
        for producer in producers {
            switch producer.spec.payload {
            case .events where entry == nil && fields["entry"] == nil:
                error(
                    anchor,
                    "architecture '\(architectureName)' has no 'entry' for the events of producer "
                        + "'\(producer.spec.name)'")
                valid = false
            case .writes(let writes) where !wiring.contains(writes.table, .stream):
                error(
                    anchor,
                    "architecture '\(architectureName)' has no stream for table '\(writes.table)' "
                        + "written by producer '\(producer.spec.name)'")
                valid = false
            default: break
            }
        }
        guard let name, valid else { return nil }
        return ArchitectureSpec(
            name: name, eventsEntry: entry, buses: buses, topics: topics, queues: queues,
            functions: functions, endpoints: endpoints, streams: streams)
    }
}
