import EventPatterns
import Foundation

extension SubscriptionIndex {
    /// One conjunctive path of a policy: the conditions of the keys on it, each with its key path.
    typealias PolicyPath = [(keys: [String], condition: KeyCondition)]

    /// An EventBridge pattern accepting every message the policy accepts (and possibly more), or nil when the
    /// policy has no condition the rule machine can pre-select on.
    ///
    /// The policy is expanded into its `$or` paths (at most 150, the complexity limit). Each path contributes ONE
    /// of its conditions, its anchor: the one with the smallest estimated match probability
    /// (`estimatedSelectivity`). A single condition is always a superset of the path's conjunction, whatever
    /// arrays of objects the message holds, and it keeps the machine's per-message work proportional to the
    /// rules whose anchor matches instead of to every rule that merely shares a broad condition (a numeric
    /// range, an `anything-but`). `exists: false` never anchors; `exists: true` anchors as EventBridge's
    /// `exists: true`, which also accepts null and empty strings. The candidates are then checked exactly.
    static func indexPattern(for policy: FilterPolicy) -> EventPattern? {
        var branches: [JSONValue] = []
        for path in expand(policy.root, prefix: []) {
            guard let object = anchorPattern(path) else { return nil }
            if !branches.contains(object) { branches.append(object) }
        }
        guard !branches.isEmpty else { return nil }
        let json = branches.count == 1 ? branches[0] : .object(JSONObject([(key: "$or", value: .array(branches))]))
        return try? EventPattern(json: json)
    }

    /// The conjunctive paths of a policy node; `prefix` is the key path of the node.
    static func expand(_ node: PolicyNode, prefix: [String]) -> [PolicyPath] {
        var paths: [PolicyPath] = [[]]
        for (name, field) in node.fields {
            switch field {
            case .leaf(let condition):
                for index in paths.indices { paths[index].append((prefix + [name], condition)) }
            case .nested(let child):
                let childPaths = expand(child, prefix: prefix + [name])
                paths = paths.flatMap { base in childPaths.map { base + $0 } }
            }
        }
        for group in node.alternatives {
            let options = group.flatMap { expand($0, prefix: prefix) }
            paths = paths.flatMap { base in options.map { base + $0 } }
        }
        return paths
    }

    /// The one-field pattern object of a path's anchor, or nil when nothing on the path can anchor.
    private static func anchorPattern(_ path: PolicyPath) -> JSONValue? {
        var best: (keys: [String], values: [JSONValue], score: Double)?
        for (keys, condition) in path where !condition.existsFalse {
            // A key literally named "$or" would read as a disjunction to EventBridge: leave such policies unindexed.
            if keys.contains("$or") { return nil }
            let values: [JSONValue] = condition.existsTrue
                ? [.object(JSONObject([(key: "exists", value: .bool(true))]))]
                : condition.matchValues
            guard !values.isEmpty else { continue }
            let score = condition.existsTrue ? 0.95 : min(values.reduce(0) { $0 + estimatedSelectivity($1) }, 1)
            if best == nil || score < best!.score { best = (keys, values, score) }
        }
        guard let best else { return nil }
        var json = JSONValue.array(best.values)
        for key in best.keys.reversed() { json = .object(JSONObject([(key: key, value: json)])) }
        return json
    }

    /// A static guess of the share of messages a match value accepts, without data: exact values are assumed
    /// to come from a large domain; prefixes, suffixes and wildcards halve per literal byte; a CIDR block halves
    /// per two mask bits; ranges and `anything-but` are broad.
    static func estimatedSelectivity(_ value: JSONValue) -> Double {
        guard case .object(let object) = value, let (name, operand) = object.members.first else {
            return 0.001
        }
        func literalBytes(_ operand: JSONValue) -> Int {
            guard case .string(let text) = operand else { return 0 }
            return text.utf8.filter { $0 != UInt8(ascii: "*") }.count
        }
        switch name {
        case "equals-ignore-case": return 0.001
        case "prefix", "suffix", "wildcard": return max(pow(0.5, Double(literalBytes(operand))), 0.001)
        case "cidr":
            guard case .string(let block) = operand, let mask = block.split(separator: "/").last.flatMap({ Int($0) })
            else { return 0.5 }
            return max(pow(0.5, Double(mask) / 2), 0.0001)
        case "numeric":
            guard case .array(let terms) = operand else { return 0.5 }
            return terms.count == 4 ? 0.2 : (terms.first == .string("=") ? 0.001 : 0.4)
        default: return 0.9
        }
    }
}
