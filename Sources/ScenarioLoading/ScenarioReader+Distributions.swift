import ArchitectureSpecs
import Stochastics
import Yams

/// Distributions: a latency profile name, a number or duration (a constant), or a one-key mapping naming a kind.
extension ScenarioReader {
    /// What a distribution's values measure.
    enum Quantity {
        /// Seconds: profile names and durations with units are accepted; values must not be negative.
        case seconds
        /// A non-negative plain number (bytes, counts).
        case size
        /// Any plain number (values generated into events).
        case value
    }

    /// The distribution kinds, in the order messages list them.
    static let distributionKinds = [
        "constant", "exponential", "uniform", "normal", "lognormal", "gamma", "weibull", "pareto", "empirical",
    ]

    /// Reads a distribution; nil after reporting a problem.
    func distribution(_ node: Node, _ key: String, _ quantity: Quantity = .seconds) -> Distribution? {
        switch node {
        case .scalar:
            let text = node.scalarText ?? ""
            if quantity == .seconds, let profile = LatencyProfiles.named(text) { return profile.distribution }
            if !node.isNull, let value = amount(text, quantity) {
                return make(node) { () throws(StochasticsError) in
                    try requireNonNegative(value, quantity, "constant value")
                    return try .makeConstant(value)
                }
            }
            let expected =
                quantity == .seconds
                ? "a number of seconds, a duration, a latency profile (\(LatencyProfiles.names.joined(separator: ", "))) "
                    + "or a mapping of one of: \(Self.distributionKinds.joined(separator: ", "))"
                : "a number or a mapping of one of: \(Self.distributionKinds.joined(separator: ", "))"
            if node.isPlainScalar, ScenarioReader.parseNumber(text) == nil, !text.isEmpty, text.first!.isLetter {
                error(node, "unknown distribution '\(text)' for '\(key)'; expected \(expected)")
            } else {
                error(node, "expected a distribution for '\(key)' (\(expected)), got \(node.summary)")
            }
            return nil
        case .mapping(let mapping):
            guard mapping.count == 1, let (kindNode, parameters) = mapping.first.map({ ($0.key, $0.value) }),
                let kind = kindNode.scalarText
            else {
                error(
                    node,
                    "a distribution mapping has exactly one key, the kind (one of: "
                        + "\(Self.distributionKinds.joined(separator: ", ")))")
                return nil
            }
            return distribution(kind: kind, kindNode: kindNode, parameters, quantity)
        default:
            error(node, "expected a distribution for '\(key)', got \(node.summary)")
            return nil
        }
    }

    /// A plain amount of the quantity, or nil.
    private func amount(_ text: String, _ quantity: Quantity) -> Double? {
        quantity == .seconds ? DurationText.seconds(text) : ScenarioReader.parseNumber(text)
    }

    /// Reads one parameter of the quantity.
    private func parameter(_ node: Node, _ key: String, _ quantity: Quantity) -> Double? {
        quantity == .seconds ? seconds(node, key) : number(node, key)
    }

    private func distribution(kind: String, kindNode: Node, _ parameters: Node, _ quantity: Quantity)
        -> Distribution?
    {
        switch kind {
        case "constant":
            guard let value = parameter(parameters, "constant", quantity) else { return nil }
            return make(parameters) { () throws(StochasticsError) in
                try requireNonNegative(value, quantity, "constant value")
                return try .makeConstant(value)
            }
        case "exponential":
            guard let values = parameterValues(parameters, kind, ["mean"], [], quantity) else { return nil }
            return make(parameters) { () throws(StochasticsError) in try .makeExponential(mean: values["mean"]!) }
        case "uniform":
            guard let values = parameterValues(parameters, kind, ["low", "high"], [], quantity) else { return nil }
            return make(parameters) { () throws(StochasticsError) in
                try requireNonNegative(values["low"]!, quantity, "uniform lower bound")
                return try .makeUniform(lower: values["low"]!, upper: values["high"]!)
            }
        case "normal":
            guard let values = parameterValues(parameters, kind, ["mean", "sd"], ["min", "max"], quantity) else {
                return nil
            }
            return make(parameters) { () throws(StochasticsError) in
                try .makeNormal(
                    mean: values["mean"]!, sd: values["sd"]!, lower: values["min"] ?? -.infinity,
                    upper: values["max"] ?? .infinity)
            }
        case "lognormal", "gamma":
            let forms =
                kind == "lognormal" ? [["median", "p99"], ["mean", "sd"]] : [["shape", "scale"], ["mean", "cs2"]]
            guard let fields = fields(parameters, kind, label: kind, keys: forms[0] + forms[1]) else { return nil }
            let present = Set(fields.present(forms[0] + forms[1]))
            guard let form = forms.first(where: { Set($0) == present }) else {
                error(
                    parameters,
                    "\(kind) needs either \(forms[0].joined(separator: " and ")) or "
                        + "\(forms[1].joined(separator: " and "))")
                return nil
            }
            guard let values = parameterValues(parameters, kind, form, [], quantity) else { return nil }
            return make(parameters) { () throws(StochasticsError) in
                switch form[0] {
                case "median": return try .makeLognormal(median: values["median"]!, p99: values["p99"]!)
                case "shape": return try .makeGamma(shape: values["shape"]!, scale: values["scale"]!)
                default:
                    return kind == "lognormal"
                        ? try .makeLognormal(mean: values["mean"]!, sd: values["sd"]!)
                        : try .makeGamma(mean: values["mean"]!, cs2: values["cs2"]!)
                }
            }
        case "weibull", "pareto":
            guard let values = parameterValues(parameters, kind, ["shape", "scale"], [], quantity) else { return nil }
            return make(parameters) { () throws(StochasticsError) in
                kind == "weibull"
                    ? try .makeWeibull(shape: values["shape"]!, scale: values["scale"]!)
                    : try .makePareto(shape: values["shape"]!, scale: values["scale"]!)
            }
        case "empirical":
            return empirical(parameters, quantity)
        default:
            error(
                kindNode,
                "unknown distribution '\(kind)'; expected one of: "
                    + Self.distributionKinds.joined(separator: ", "))
            return nil
        }
    }

    /// Reads a parameter mapping with required and optional keys; `shape`, `cs2` and `p` are plain numbers,
    /// the others are of the quantity.
    private func parameterValues(
        _ node: Node, _ kind: String, _ required: [String], _ optional: [String],
        _ quantity: Quantity
    ) -> [String: Double]? {
        guard let fields = fields(node, kind, label: kind, keys: required + optional) else { return nil }
        var values: [String: Double] = [:]
        var failed = false
        for key in required + optional {
            guard let valueNode = required.contains(key) ? self.required(fields, key) : fields[key] else {
                if required.contains(key) { failed = true }
                continue
            }
            let value = key == "shape" || key == "cs2" ? number(valueNode, key) : parameter(valueNode, key, quantity)
            if let value { values[key] = value } else { failed = true }
        }
        return failed ? nil : values
    }

    private func empirical(_ node: Node, _ quantity: Quantity) -> Distribution? {
        guard let fields = fields(node, "empirical", label: "empirical", keys: ["samples", "cdf"]),
            let form = exactlyOne(fields, ["samples", "cdf"]), let list = fields[form]
        else { return nil }
        var values: [Double] = [], cumulative: [Double] = []
        var failed = false
        for element in sequence(list, form) {
            if form == "samples" {
                if let value = parameter(element, "samples", quantity) { values.append(value) } else { failed = true }
                continue
            }
            let pair = sequence(element, "cdf")
            guard pair.count == 2 else {
                if case .sequence = element { error(element, "a CDF point is [value, probability]") }
                failed = true
                continue
            }
            if let value = parameter(pair[0], "cdf", quantity), let probability = number(pair[1], "cdf") {
                values.append(value)
                cumulative.append(probability)
            } else {
                failed = true
            }
        }
        guard !failed else { return nil }
        return make(list) { () throws(StochasticsError) in
            for value in values { try requireNonNegative(value, quantity, "empirical value") }
            return form == "samples"
                ? try .makeEmpirical(samples: values)
                : try .makeEmpirical(values: values, cumulative: cumulative)
        }
    }

    /// Runs a Stochastics factory, reporting its error at `node`.
    private func make(_ node: Node, _ factory: () throws(StochasticsError) -> Distribution) -> Distribution? {
        do {
            return try factory()
        } catch {
            self.error(node, error.message)
            return nil
        }
    }
}

/// Times and sizes cannot be negative.
private func requireNonNegative(_ value: Double, _ quantity: ScenarioReader.Quantity, _ what: String)
    throws(StochasticsError)
{
    if quantity != .value, value < 0 { throw StochasticsError("\(what) \(value) must not be negative") }
}
