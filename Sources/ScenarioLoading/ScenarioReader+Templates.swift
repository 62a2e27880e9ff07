import ArchitectureSpecs
import EventPatterns
import Stochastics
import Yams

/// Value templates: literals, generators (`choice`, `integer`, `decimal`, `distribution`, `sequence`, `uuid`,
/// `timestamp`, `array`, `object`, `literal`) and objects of templates.
extension ScenarioReader {
    /// Generator keys and the sibling keys each accepts.
    static let generators: [(key: String, siblings: [String])] = [
        ("choice", []), ("integer", []), ("decimal", ["digits"]), ("distribution", ["digits"]), ("sequence", []),
        ("uuid", []), ("timestamp", []), ("array", ["min", "max"]), ("object", []), ("literal", []),
    ]

    /// Reads a value template; nil after reporting a problem. Objects and arrays whose members are all literal
    /// collapse into one literal.
    func template(_ node: Node, _ key: String) -> ValueTemplate? {
        switch node {
        case .scalar:
            return json(node).map(ValueTemplate.literal)
        case .sequence(let sequence):
            var values: [JSONValue] = []
            var failed = false
            for element in sequence {
                switch template(element, key) {
                case .literal(let value)?: values.append(value)
                case nil: failed = true
                case _?:
                    error(
                        element,
                        "a sequence in a template holds literal values only; "
                            + "use {array: TEMPLATE, min: N, max: M} to generate arrays")
                    failed = true
                }
            }
            return failed ? nil : .literal(.array(values))
        case .mapping(let mapping):
            let keys = mapping.keys.compactMap(\.scalarText)
            if let generator = Self.generators.first(where: { keys.contains($0.key) }) {
                return self.generator(node, generator.key, siblings: generator.siblings)
            }
            return objectTemplate(node)
        case .alias:
            error(node, "unexpected alias")
            return nil
        }
    }

    /// A mapping of member templates, key order kept.
    private func objectTemplate(_ node: Node) -> ValueTemplate? {
        guard case .mapping(let mapping) = node else {
            error(node, "expected a mapping for 'object', got \(node.summary)")
            return nil
        }
        var members: [(key: String, value: ValueTemplate)] = []
        var failed = false
        for (keyNode, valueNode) in mapping {
            guard let memberKey = keyNode.scalarText else {
                error(keyNode, "object keys must be strings, got \(keyNode.summary)")
                failed = true
                continue
            }
            if let value = template(valueNode, memberKey) { members.append((memberKey, value)) } else { failed = true }
        }
        guard !failed else { return nil }
        var literals: [(key: String, value: JSONValue)] = []
        for member in members {
            guard case .literal(let value) = member.value else { return .object(members) }
            literals.append((member.key, value))
        }
        return .literal(.object(JSONObject(literals)))
    }

    /// The fraction of a generated number's distribution allowed beyond a finite double, in either tail:
    /// parameters whose 10⁻¹² or 1 − 10⁻¹² quantile is not finite are rejected.
    static let generatedTail = 1e-12

    /// The error for generated numbers that can overflow: JSON has no infinite numbers.
    static func overflow(_ problem: String) -> String {
        "\(problem), and a generated JSON number must be finite; use smaller parameters"
    }

    private func generator(_ node: Node, _ kind: String, siblings: [String]) -> ValueTemplate? {
        let context = "\(kind) generator (use {object: {...}} for an object with a '\(kind)' member)"
        guard let fields = fields(node, context, keys: [kind] + siblings), let value = fields[kind] else { return nil }
        switch kind {
        case "choice":
            return choice(value)
        case "integer":
            let limit = Self.integerLimit
            guard let (low, high) = bounds(value, kind, { integer($0, kind, -limit...limit) }) else { return nil }
            return .integer(lower: low, upper: high)
        case "decimal":
            guard let (low, high) = bounds(value, kind, { number($0, kind) }),
                let digits = fields["digits"].map({ integer($0, "digits", 0...15) }) ?? 2
            else { return nil }
            // Values are low + (high − low)·u: the span must be a finite double too.
            guard (high - low).isFinite else {
                error(value, Self.overflow("'decimal' [\(low), \(high)] spans more than a double holds"))
                return nil
            }
            return .decimal(lower: low, upper: high, digits: digits)
        case "distribution":
            guard let distribution = distribution(value, kind, .value),
                let digits = fields["digits"].map({ integer($0, "digits", 0...15) }) ?? 6
            else { return nil }
            let tails = distribution.tailQuantiles(Self.generatedTail)
            guard tails.lower.isFinite, tails.upper.isFinite else {
                error(value, Self.overflow("one value in 10¹² of this distribution overflows a double"))
                return nil
            }
            return .distributed(distribution, digits: digits)
        case "sequence":
            return string(value, kind).map { .sequence(prefix: $0) }
        case "uuid", "timestamp":
            guard let flag = bool(value, kind) else { return nil }
            guard flag else {
                error(value, "'\(kind)' generates a value only with 'true'; remove it or write {literal: …}")
                return nil
            }
            return kind == "uuid" ? .uuid : .timestamp
        case "array":
            guard let element = template(value, "array") else { return nil }
            let minimum = fields["min"].map { integer($0, "min", 0...10_000) } ?? 1
            guard let minimum else { return nil }
            let maximum = fields["max"].map { integer($0, "max", 0...10_000) } ?? minimum
            guard let maximum else { return nil }
            guard maximum >= minimum else {
                error(fields["max"] ?? node, "'max' (\(maximum)) must be at least 'min' (\(minimum))")
                return nil
            }
            return .array(element, minCount: minimum, maxCount: maximum)
        case "object":
            guard case .mapping = value else {
                error(value, "expected a mapping for 'object', got \(value.summary)")
                return nil
            }
            return objectTemplate(value)
        default:  // literal
            return json(value).map(ValueTemplate.literal)
        }
    }

    /// `[{value: T, weight: w}, ...]` with weights ≥ 0 (default 1) summing to more than 0.
    private func choice(_ node: Node) -> ValueTemplate? {
        let options = sequence(node, "choice")
        guard case .sequence = node else { return nil }
        guard !options.isEmpty else {
            error(node, "'choice' needs at least one option")
            return nil
        }
        var result: [(template: ValueTemplate, weight: Double)] = []
        var failed = false
        for option in options {
            guard let fields = fields(option, "choice option", keys: ["value", "weight"]),
                let valueNode = required(fields, "value")
            else {
                failed = true
                continue
            }
            let weight = fields["weight"].map { number($0, "weight", atLeast: 0) } ?? 1
            if let value = template(valueNode, "value"), let weight {
                result.append((value, weight))
            } else {
                failed = true
            }
        }
        guard !failed else { return nil }
        guard result.contains(where: { $0.weight > 0 }) else {
            error(node, "the weights of 'choice' must not all be 0")
            return nil
        }
        return .choice(result)
    }

    /// The largest magnitude of an `integer` bound: 2^53, so that every generated integer is exact in JSON
    /// consumers that read numbers as doubles and `upper - lower + 1` cannot overflow.
    static let integerLimit = 9_007_199_254_740_992

    /// `[low, high]` with low ≤ high, each read by `read`.
    private func bounds<T: Comparable>(_ node: Node, _ kind: String, _ read: (Node) -> T?) -> (T, T)? {
        let items = sequence(node, kind)
        guard case .sequence = node else { return nil }
        guard items.count == 2 else {
            error(node, "'\(kind)' takes [low, high], got \(items.count) value\(items.count == 1 ? "" : "s")")
            return nil
        }
        let low = read(items[0]), high = read(items[1])
        guard let low, let high else { return nil }
        guard low <= high else {
            error(
                node,
                "'\(kind)' bounds must satisfy low ≤ high, got [\(items[0].scalarText ?? ""), "
                    + "\(items[1].scalarText ?? "")]")
            return nil
        }
        return (low, high)
    }
}
