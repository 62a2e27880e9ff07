import EventPatterns

extension SubscriptionIndex {
    /// One conjunctive path of a policy: the conditions of the keys on it, each with its key path.
    typealias PolicyPath = [(keys: [String], condition: KeyCondition)]

    /// An EventBridge pattern accepting every message the policy accepts (and possibly more), or nil when the
    /// policy has no condition the rule machine can pre-select on.
    ///
    /// The policy is expanded into its `$or` paths (at most 150, the complexity limit). On each path every
    /// top-level key keeps its condition, and of each top-level nested object one leaf condition is kept: two
    /// leaves under one top-level key could come from different elements of an array of objects, which
    /// EventBridge's array-consistent matching would reject although SNS accepts it, so keeping one is the safe
    /// choice. `exists: false` conditions are dropped (dropping a conjunct only widens the pattern) and
    /// `exists: true` becomes EventBridge's `exists: true`, which also accepts null and empty strings.
    static func indexPattern(for policy: FilterPolicy) -> EventPattern? {
        var branches: [JSONValue] = []
        var seen = Set<String>()
        for path in expand(policy.root, prefix: []) {
            guard let object = pathPattern(path) else { return nil }
            if seen.insert(object.jsonText).inserted { branches.append(object) }
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

    /// The pattern object for one path, or nil when nothing on it can be indexed.
    private static func pathPattern(_ path: PolicyPath) -> JSONValue? {
        var chosen: [(keys: [String], values: [JSONValue])] = []
        var nestedTopKeys = Set<String>()
        for (keys, condition) in path where !condition.existsFalse {
            // A key literally named "$or" would read as a disjunction to EventBridge: leave such policies unindexed.
            if keys.contains("$or") { return nil }
            if keys.count > 1 {
                guard nestedTopKeys.insert(keys[0]).inserted else { continue }
            } else if chosen.contains(where: { $0.keys == keys }) {
                continue
            }
            let values: [JSONValue] = condition.existsTrue
                ? [.object(JSONObject([(key: "exists", value: .bool(true))]))]
                : condition.matchValues
            guard !values.isEmpty else { continue }
            chosen.append((keys, values))
        }
        guard !chosen.isEmpty else { return nil }
        return build(chosen[...], depth: 0)
    }

    /// Builds a nested pattern object from key paths that share no leaf.
    private static func build(_ entries: ArraySlice<(keys: [String], values: [JSONValue])>, depth: Int) -> JSONValue {
        var members: [(key: String, value: JSONValue)] = []
        var groups: [String: [(keys: [String], values: [JSONValue])]] = [:]
        var order: [String] = []
        for entry in entries {
            let key = entry.keys[depth]
            if entry.keys.count == depth + 1 {
                members.append((key, .array(entry.values)))
            } else {
                if groups[key] == nil { order.append(key) }
                groups[key, default: []].append(entry)
            }
        }
        for key in order where !members.contains(where: { $0.key == key }) {
            members.append((key, build(groups[key, default: []][...], depth: depth + 1)))
        }
        return .object(JSONObject(members))
    }
}
