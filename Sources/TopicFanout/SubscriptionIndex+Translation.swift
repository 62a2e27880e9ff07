import EventPatterns

extension SubscriptionIndex {
    /// One conjunctive path of a policy: the conditions of the keys on it, each with its key path.
    typealias PolicyPath = [(keys: [String], condition: KeyCondition)]

    /// The policy's `$or` paths and the distinct anchor patterns of those paths (each a one-field EventBridge
    /// pattern accepting every message its path accepts, and possibly more), or nil when some path has no
    /// condition the rule machine can pre-select on.
    ///
    /// The policy is expanded into its `$or` paths (at most 150, the complexity limit). Each path contributes ONE
    /// of its conditions, its anchor: the one expected to accept the fewest messages (`anchorScore`). A single
    /// condition is always a superset of the path's conjunction, whatever arrays of objects the message holds,
    /// and it keeps the machine's work per message proportional to the anchors that match, instead of to every
    /// rule that merely shares a popular condition. `exists: false` never anchors; `exists: true` anchors as
    /// EventBridge's `exists: true`, which also accepts null and empty strings. Candidates are then checked
    /// exactly (`PolicyProgramStore`).
    func anchorBranches(for policy: FilterPolicy) -> (paths: [PolicyPath], branches: [JSONValue])? {
        let paths = Self.expand(policy.root, prefix: [])
        recordUses(paths)
        var branches: [JSONValue] = []
        for path in paths {
            guard let object = anchorPattern(path) else { return nil }
            if !branches.contains(object) { branches.append(object) }
        }
        guard !branches.isEmpty else { return nil }
        return (paths, branches)
    }

    /// The key under which a match value's popularity is counted.
    private static func useKey(_ keys: [String], _ value: JSONValue) -> String {
        keys.joined(separator: "\u{1}") + "\u{0}" + value.jsonText
    }

    /// Counts, once per policy, every (key path, match value) the policy uses.
    private func recordUses(_ paths: [PolicyPath]) {
        var seen = Set<String>()
        for path in paths {
            for (keys, condition) in path {
                for value in condition.matchValues where seen.insert(Self.useKey(keys, value)).inserted {
                    valueUses[Self.useKey(keys, value), default: 0] += 1
                }
            }
        }
        indexedPolicies += 1
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
    private func anchorPattern(_ path: PolicyPath) -> JSONValue? {
        var best: (keys: [String], values: [JSONValue], score: Double)?
        for (keys, condition) in path where !condition.existsFalse {
            // A key literally named "$or" would read as a disjunction to EventBridge: leave such policies unindexed.
            if keys.contains("$or") { return nil }
            let values: [JSONValue] =
                condition.existsTrue
                ? [.object(JSONObject([(key: "exists", value: .bool(true))]))]
                : condition.matchValues
            guard !values.isEmpty else { continue }
            let score = condition.existsTrue ? 0.95 : min(values.reduce(0) { $0 + anchorScore(keys, $1) }, 1)
            if best == nil || score < best!.score { best = (keys, values, score) }
        }
        guard let best else { return nil }
        var json = JSONValue.array(best.values.flatMap(Self.indexValues))
        for key in best.keys.reversed() { json = .object(JSONObject([(key: key, value: json)])) }
        return json
    }

    /// A guess of the share of messages a match value accepts, without seeing messages. Operators that accept
    /// most values by nature (`anything-but`, ranges) get fixed high scores. For the others (exact values,
    /// prefixes, suffixes, wildcards, CIDR blocks, ignore-case values) the guess is the share of subscriptions
    /// that use the same value at the same key: a value many subscribers filter on (a region, a tag, a common
    /// e-mail domain) is likely common in messages too, while a tenant id or a SKU family used by a handful of
    /// subscriptions is likely rare. The counts are taken as subscriptions arrive, so the first few hundred
    /// subscriptions of a topic get rougher guesses; a poor guess costs speed, never correctness.
    private func anchorScore(_ keys: [String], _ value: JSONValue) -> Double {
        if case .object(let object) = value, let (name, operand) = object.members.first {
            switch name {
            case "anything-but": return 0.9
            case "numeric":
                guard case .array(let terms) = operand, terms.count == 2, terms.first == .string("=") else {
                    return 0.3
                }
            default: break
            }
        }
        let uses = Double(valueUses[Self.useKey(keys, value)] ?? 1)
        return max(uses / Double(max(indexedPolicies, 1)), 1e-7)
    }

    /// The match values the machine indexes for one policy value. IPv4 blocks and addresses become string
    /// prefixes (EventPatterns scans CIDR conditions one by one but finds prefixes by hashing): every textual
    /// form of an address in the block starts with the block's whole octets, written with or without leading
    /// zeros, so the prefixes accept a superset. Filter policies match IPv4 blocks against IPv4 addresses only
    /// (see `KeyCondition`), so IPv6 texts need no prefix.
    static func indexValues(_ value: JSONValue) -> [JSONValue] {
        var address: Substring
        var mask = 32
        switch value {
        case .string(let text):
            address = Substring(text)
        case .object(let object):
            guard object.count == 1, case .string(let block)? = object["cidr"] else { return [value] }
            let parts = block.split(separator: "/")
            guard parts.count == 2, let bits = Int(parts[1]) else { return [value] }
            address = parts[0]
            mask = bits
        default:
            return [value]
        }
        let octets = address.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4, mask >= 8,
            octets.allSatisfy({ (1...3).contains($0.count) && $0.allSatisfy(\.isASCIIDigit) && Int($0)! <= 255 })
        else { return [value] }
        var prefixes = [""]
        for index in 0..<(mask / 8) {
            let digits = String(Int(octets[index])!)
            let forms = (digits.count...3).map { String(repeating: "0", count: $0 - digits.count) + digits }
            prefixes = prefixes.flatMap { head in forms.map { head + (index == 0 ? "" : ".") + $0 } }
        }
        return prefixes.map { .object(JSONObject([(key: "prefix", value: .string(mask / 8 < 4 ? $0 + "." : $0))])) }
    }

    /// Whether the policy is a single value condition (one key, possibly nested under single-key objects, no
    /// `$or`, no `exists`) whose match values the machine indexes unchanged: then the machine's answer is the
    /// policy's answer, because both evaluate the same EventPatterns conditions on the same leaves.
    static func isExactInMachine(_ policy: FilterPolicy) -> Bool {
        var node = policy.root
        while node.alternatives.isEmpty, node.fields.count == 1 {
            switch node.fields[0].field {
            case .nested(let child):
                node = child
            case .leaf(let condition):
                // CIDR blocks are excluded: filter policies read IPv4 blocks more narrowly than the machine.
                return !condition.existsTrue && !condition.existsFalse && condition.unusualPattern == nil
                    && condition.matchValues.allSatisfy { value in
                        if case .object(let object) = value, object["cidr"] != nil { return false }
                        return indexValues(value) == [value]
                    }
            }
        }
        return false
    }
}
