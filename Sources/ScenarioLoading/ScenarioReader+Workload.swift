import ArchitectureSpecs
import EventPatterns
import SimulationKernel
import Stochastics
import Yams

/// Producers: rate, profile, arrivals and what they emit (events or table writes).
extension ScenarioReader {
    static let producerKeys = ["name", "rate", "profile", "arrivals", "event", "writes"]

    /// Reads one producer; nil after reporting a problem.
    func producer(_ node: Node) -> ProducerSpec? {
        guard let fields = fields(node, "producer", keys: Self.producerKeys) else { return nil }
        let name = required(fields, "name").flatMap { self.name($0) }
        let arrivals = fields["arrivals"].map(arrivalProcess) ?? .poisson
        var rate: Double? = 0
        let replaysTrace = fields["arrivals"]?.mapping?["kind"]?.scalarText == "trace"
        if replaysTrace, fields["rate"] == nil {
            rate = 0  // a replayed trace needs no rate
        } else {
            rate = required(fields, "rate").flatMap { number($0, "rate", atLeast: 0) }
        }
        let profile = fields["profile"].map(rateProfile) ?? .constant
        var payload: PayloadSpec?
        switch exactlyOne(fields, ["event", "writes"]) {
        case "event": payload = fields["event"].flatMap(eventTemplate).map(PayloadSpec.events)
        case "writes": payload = fields["writes"].flatMap(writeTemplate).map(PayloadSpec.writes)
        default: break
        }
        guard let name, let rate, let profile, let arrivals, let payload else { return nil }
        return ProducerSpec(name: name, rate: rate, profile: profile, arrivals: arrivals, payload: payload)
    }

    /// `constant` or `{kind: constant | steps | diurnal | flash-sale, ...}`.
    private func rateProfile(_ node: Node) -> RateProfile? {
        let kinds = ["constant", "steps", "diurnal", "flash-sale"]
        guard
            let (kind, fields) = kindAndFields(
                node, "profile", noun: "rate profile", kinds: kinds,
                keys: [
                    "constant": [], "steps": ["steps"], "diurnal": ["period", "peak", "peak_at"],
                    "flash-sale": ["start", "ramp", "hold", "decay", "peak"],
                ])
        else { return nil }
        switch kind {
        case "constant":
            return .constant
        case "steps":
            guard let fields, let list = required(fields, "steps") else { return nil }
            var steps: [RateStep] = []
            var failed = false
            for item in sequence(list, "steps") {
                guard let step = self.fields(item, "step", keys: ["at", "multiplier"]),
                    let at = required(step, "at").flatMap({ duration($0, "at") }),
                    let multiplier = required(step, "multiplier").flatMap({ number($0, "multiplier", atLeast: 0) })
                else {
                    failed = true
                    continue
                }
                if let last = steps.last, at < last.at {
                    error(item, "steps must be in time order: this step's 'at' comes before the previous one's")
                    failed = true
                }
                steps.append(RateStep(at: at, multiplier: multiplier))
            }
            return failed ? nil : .steps(steps)
        case "diurnal":
            guard let fields else { return nil }
            let period = fields["period"].map { duration($0, "period", positive: true) } ?? 86_400_000_000_000
            let peak = required(fields, "peak").flatMap { number($0, "peak", atLeast: 0) }
            let peakAt = fields["peak_at"].map { duration($0, "peak_at") } ?? 0
            guard let period, let peak, let peakAt else { return nil }
            return .diurnal(period: period, peakMultiplier: peak, peakAt: peakAt)
        default:
            guard let fields else { return nil }
            let start = required(fields, "start").flatMap { duration($0, "start") }
            let ramp = fields["ramp"].map { duration($0, "ramp") } ?? 0
            let hold = required(fields, "hold").flatMap { duration($0, "hold") }
            let decay = fields["decay"].map { duration($0, "decay") } ?? 0
            let peak = required(fields, "peak").flatMap { number($0, "peak", atLeast: 0) }
            guard let start, let ramp, let hold, let decay, let peak else { return nil }
            return .flashSale(start: start, ramp: ramp, hold: hold, decay: decay, peakMultiplier: peak)
        }
    }

    /// `poisson`, `constant` or `{kind: poisson | constant | bursty | trace, ...}`.
    private func arrivalProcess(_ node: Node) -> ArrivalProcess? {
        let kinds = ["poisson", "constant", "bursty", "trace"]
        guard
            let (kind, fields) = kindAndFields(
                node, "arrivals", noun: "arrival process", kinds: kinds,
                keys: [
                    "poisson": [], "constant": [], "bursty": ["burst_multiplier", "mean_burst", "mean_calm"],
                    "trace": ["file"],
                ])
        else { return nil }
        switch kind {
        case "poisson": return .poisson
        case "constant": return .constant
        case "bursty":
            guard let fields else { return nil }
            let multiplier = required(fields, "burst_multiplier").flatMap { number($0, "burst_multiplier", above: 0) }
            let burst = required(fields, "mean_burst").flatMap { duration($0, "mean_burst", positive: true) }
            let calm = required(fields, "mean_calm").flatMap { duration($0, "mean_calm", positive: true) }
            guard let multiplier, let burst, let calm else { return nil }
            return .bursty(burstMultiplier: multiplier, meanBurst: burst, meanCalm: calm)
        default:
            guard let fields, let file = required(fields, "file"), let trace = trace(file) else { return nil }
            return .trace(times: trace.times, payloads: trace.payloads)
        }
    }

    /// A kind given as a plain name (only kinds without parameters) or as `{kind: NAME, ...parameters}`.
    func kindAndFields(_ node: Node, _ key: String, noun: String, kinds: [String], keys: [String: [String]])
        -> (String, Fields?)?
    {
        let expected = "expected one of: \(kinds.joined(separator: ", "))"
        if case .scalar = node {
            guard let kind = string(node, key) else { return nil }
            guard let parameters = keys[kind] else {
                error(node, "unknown \(noun) '\(kind)'; \(expected)")
                return nil
            }
            guard parameters.isEmpty else {
                error(
                    node,
                    "\(noun) '\(kind)' needs parameters: write {kind: \(kind), "
                        + parameters.map { "\($0): …" }.joined(separator: ", ") + "}")
                return nil
            }
            return (kind, nil)
        }
        guard case .mapping(let mapping) = node else {
            error(node, "expected a name or a mapping with 'kind' for '\(key)', got \(node.summary)")
            return nil
        }
        guard let kindNode = mapping["kind"] else {
            error(node, "missing required key 'kind' in \(noun); \(expected)")
            return nil
        }
        guard let kind = string(kindNode, "kind") else { return nil }
        guard let parameters = keys[kind] else {
            error(kindNode, "unknown \(noun) '\(kind)'; \(expected)")
            return nil
        }
        guard let fields = fields(node, "\(noun) '\(kind)'", keys: ["kind"] + parameters) else { return nil }
        return (kind, fields)
    }

    private func eventTemplate(_ node: Node) -> EventTemplate? {
        guard let fields = fields(node, "event", label: "event", keys: ["source", "detail-type", "detail"]) else {
            return nil
        }
        let source = required(fields, "source").flatMap { template($0, "source") }
        let detailType = required(fields, "detail-type").flatMap { template($0, "detail-type") }
        let detail = fields["detail"].map { template($0, "detail") } ?? .literal(.object(JSONObject()))
        guard let source, let detailType, let detail else { return nil }
        return EventTemplate(source: source, detailType: detailType, detail: detail)
    }

    private func writeTemplate(_ node: Node) -> WriteTemplate? {
        let keys = ["table", "keys", "key_distribution", "mix", "item_size", "attributes"]
        guard let fields = fields(node, "writes", label: "writes", keys: keys) else { return nil }
        let table = required(fields, "table").flatMap { name($0, "table") }
        let count = required(fields, "keys").flatMap { integer($0, "keys", 1...10_000_000) }
        let keyDistribution = fields["key_distribution"].map(keyDistribution) ?? .uniform
        var weights: (Double, Double, Double)? = (1, 0, 0)
        if let mixNode = fields["mix"] {
            weights = nil
            if let mix = self.fields(mixNode, "mix", label: "mix", keys: ["put", "update", "delete"]) {
                let put = mix["put"].map { number($0, "put", atLeast: 0) } ?? 0
                let update = mix["update"].map { number($0, "update", atLeast: 0) } ?? 0
                let delete = mix["delete"].map { number($0, "delete", atLeast: 0) } ?? 0
                if let put, let update, let delete {
                    if put + update + delete > 0 {
                        weights = (put, update, delete)
                    } else {
                        error(mixNode, "the weights of 'mix' must not all be 0")
                    }
                }
            }
        }
        let itemSize = fields["item_size"].map { distribution($0, "item_size", .size) } ?? .constant(200)
        let attributes = fields["attributes"].map { template($0, "attributes") }
        if case .some(.none) = attributes { return nil }
        guard let table, let count, let keyDistribution, let weights, let itemSize else { return nil }
        return WriteTemplate(
            table: table, keys: count, keyDistribution: keyDistribution, putWeight: weights.0,
            updateWeight: weights.1, deleteWeight: weights.2, itemSize: itemSize,
            attributes: attributes ?? nil)
    }

    /// `uniform` or `{zipf: s}` with s > 0.
    private func keyDistribution(_ node: Node) -> KeyDistribution? {
        if node.scalarText == "uniform" { return .uniform }
        if case .mapping = node {
            guard let fields = fields(node, "key_distribution", keys: ["zipf"]),
                let zipf = required(fields, "zipf")
            else { return nil }
            return number(zipf, "zipf", above: 0).map { .zipf(exponent: $0) }
        }
        error(node, "expected 'uniform' or {zipf: EXPONENT} for 'key_distribution', got \(node.summary)")
        return nil
    }
}
