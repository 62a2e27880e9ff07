import EventPatterns

/// The conditions one policy key puts on the leaves found at that key.
struct KeyCondition: Sendable {
    /// The key's value conditions (everything but `exists`) as EventBridge match values, in policy order.
    var matchValues: [JSONValue] = []
    /// `{"v": matchValues}` compiled by EventPatterns; nil when the key has only `exists` conditions.
    var pattern: EventPattern?
    /// Whether the list holds `{"exists": true}`.
    var existsTrue = false
    /// Whether the list holds `{"exists": false}`.
    var existsFalse = false
    /// The number of entries in the value list (operators count as entries), for the complexity rule.
    var entries = 0

    /// Whether the leaves (already flattened, objects removed) satisfy any entry of the list.
    /// - Parameter hasAttributes: whether the message has at least one visible attribute (always true for bodies).
    func matches(_ leaves: [JSONValue], hasAttributes: Bool) -> Bool {
        if existsTrue || existsFalse {
            let present = leaves.contains { leaf in
                switch leaf {
                case .null: return false
                case .string(let text): return !text.isEmpty
                default: return true
                }
            }
            if existsTrue && present { return true }
            if existsFalse && !present && hasAttributes { return true }
        }
        guard let pattern, !leaves.isEmpty else { return false }
        let event = JSONValue.object(JSONObject([(key: "v", value: .array(leaves))]))
        return ReferenceMatcher.matches(pattern, event)
    }
}

/// One object level of a filter policy: keys ANDed with each other and with every `$or` group at this level.
struct PolicyNode: Sendable {
    /// A key of this level: a value list, or (MessageBody scope) a nested object.
    enum Field: Sendable {
        case leaf(KeyCondition)
        case nested(PolicyNode)
    }

    /// The keys, in policy order.
    var fields: [(name: String, field: Field)] = []
    /// `$or` groups at this level (one per object in valid JSON); each is an OR of sub-policies at the same depth.
    var alternatives: [[PolicyNode]] = []

    /// Complexity values are clamped here so that products cannot overflow.
    static let complexityClamp = 1_000_000

    /// The service's complexity: the product over this level's components of their sums, where a value list
    /// weighs entries x depth, a nested object weighs its own complexity and an `$or` weighs the sum of its
    /// branches. (The sum over all `$or` paths of the per-path products factorises into exactly this.)
    func complexity(depth: Int) -> Int {
        var total = 1
        func multiply(_ value: Int) { total = Swift.min(total * Swift.min(value, Self.complexityClamp), Self.complexityClamp) }
        for (_, field) in fields {
            switch field {
            case .leaf(let condition): multiply(condition.entries * depth)
            case .nested(let child): multiply(child.complexity(depth: depth + 1))
            }
        }
        for group in alternatives {
            var sum = 0
            for branch in group { sum = Swift.min(sum + branch.complexity(depth: depth), Self.complexityClamp) }
            multiply(sum)
        }
        return total
    }

    /// The largest number of distinct keys of this level on any `$or` path. Call only once the complexity is
    /// bounded (the number of paths is at most the complexity).
    func maximumPathKeys() -> Int {
        pathKeySets().map(\.count).max() ?? 0
    }

    private func pathKeySets() -> [Set<String>] {
        var sets: [Set<String>] = [Set(fields.map(\.name))]
        for group in alternatives {
            var next: [Set<String>] = []
            for base in sets {
                for branch in group {
                    for branchSet in branch.pathKeySets() { next.append(base.union(branchSet)) }
                }
            }
            sets = next
        }
        return sets
    }

    /// Whether the objects of `context` (the values at this level; several when arrays of objects were crossed)
    /// satisfy this level.
    func matches(_ context: [JSONValue], hasAttributes: Bool) -> Bool {
        for (name, field) in fields {
            switch field {
            case .leaf(let condition):
                var leaves: [JSONValue] = []
                for case .object(let object) in context {
                    if let value = object[name] { Self.collectLeaves(value, into: &leaves) }
                }
                if !condition.matches(leaves, hasAttributes: hasAttributes) { return false }
            case .nested(let child):
                var objects: [JSONValue] = []
                for case .object(let object) in context {
                    if let value = object[name] { Self.collectObjects(value, into: &objects) }
                }
                if !child.matches(objects, hasAttributes: hasAttributes) { return false }
            }
        }
        for group in alternatives where !group.contains(where: { $0.matches(context, hasAttributes: hasAttributes) }) {
            return false
        }
        return true
    }

    /// Appends the leaves (strings, numbers, booleans, null) of `value`, looking through arrays at any depth.
    static func collectLeaves(_ value: JSONValue, into leaves: inout [JSONValue]) {
        switch value {
        case .array(let elements): for element in elements { collectLeaves(element, into: &leaves) }
        case .object: break
        default: leaves.append(value)
        }
    }

    /// Appends the objects of `value`, looking through arrays at any depth.
    static func collectObjects(_ value: JSONValue, into objects: inout [JSONValue]) {
        switch value {
        case .array(let elements): for element in elements { collectObjects(element, into: &objects) }
        case .object: objects.append(value)
        default: break
        }
    }
}
