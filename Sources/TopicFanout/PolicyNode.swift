import EventPatterns

// @unchecked Sendable: mutated only while `PolicyParser` builds it, immutable once the policy exists. A class so
// that evaluating a policy passes one reference per key instead of copying (and retaining) every array in it.
/// The conditions one policy key puts on the leaves found at that key.
///
/// The value conditions are EventPatterns' own operators: the key's value list (without `exists`) is compiled
/// as the EventBridge pattern `{"v": [...]}` and its conditions are evaluated leaf by leaf with
/// `Condition.matches(_:)`, the reference semantics of the rule matcher.
final class KeyCondition: @unchecked Sendable {
    /// The key's value conditions (everything but `exists`) as EventBridge match values, in policy order.
    var matchValues: [JSONValue] = []
    /// The value conditions compiled by EventPatterns (from the pattern `{"v": matchValues}`), ORed; empty
    /// when the key has only `exists` conditions.
    private(set) var conditions: [Condition] = []
    /// The pattern when it did not compile to a single field test (never seen; then `ReferenceMatcher` decides).
    private(set) var unusualPattern: EventPattern?

    /// Takes the value conditions from `{"v": matchValues}` compiled by EventPatterns.
    func use(_ pattern: EventPattern) {
        let compiled = Self.conditions(of: pattern)
        conditions = compiled ?? []
        unusualPattern = compiled == nil ? pattern : nil
    }
    /// Whether the list holds `{"exists": true}`.
    var existsTrue = false
    /// Whether the list holds `{"exists": false}`.
    var existsFalse = false
    /// The number of entries in the value list (operators count as entries), for the complexity rule.
    var entries = 0

    /// The ORed conditions of a one-field pattern without absence tests, or nil if it has another shape.
    private static func conditions(of pattern: EventPattern) -> [Condition]? {
        guard pattern.alternatives.count == 1, pattern.alternatives[0].tests.count == 1,
            !pattern.alternatives[0].tests[0].isAbsence
        else { return nil }
        return pattern.alternatives[0].tests[0].conditions
    }

    /// Whether the values at the key in the objects of `context` satisfy any entry of the list.
    /// - Parameter hasAttributes: whether the message has at least one visible attribute (always true for bodies).
    /// - Complexity: O(leaves at the key x conditions); no allocation.
    func matches(_ context: some Collection<JSONValue>, key: String, hasAttributes: Bool) -> Bool {
        var present = false
        for case .object(let object) in context {
            if let value = object[key], visit(value, present: &present) { return true }
        }
        return existsFalse && !present && hasAttributes
    }

    /// Appends the numbers this key's conditions compare values with (numeric range ends, exact numbers); false
    /// when a condition is of another kind (`exists` aside), whose outcome does not follow from those numbers.
    func collectNumericEndpoints(into values: inout [Double]) -> Bool {
        guard unusualPattern == nil else { return false }
        for condition in conditions {
            switch condition {
            case .numeric(let range):
                if let lower = range.lower { values.append(lower) }
                if let upper = range.upper { values.append(upper) }
            case .number(.value(let value)): values.append(value)
            case .exists: break
            default: return false
            }
        }
        return true
    }

    /// Walks a value (through arrays at any depth; objects are not leaves): true as soon as a leaf satisfies a
    /// value condition or `exists: true`; records whether a non-null, non-empty leaf was seen.
    private func visit(_ value: JSONValue, present: inout Bool) -> Bool {
        switch value {
        case .array(let elements):
            for element in elements where visit(element, present: &present) { return true }
            return false
        case .object:
            return false
        case .null:
            break
        case .string(let text):
            if !text.isEmpty { present = true }
        default:
            present = true
        }
        if existsTrue && present { return true }
        if let unusualPattern {
            return ReferenceMatcher.matches(unusualPattern, .object(JSONObject([(key: "v", value: value)])))
        }
        guard !conditions.isEmpty, let leaf = Leaf(value) else { return false }
        return conditions.contains { condition in
            // SNS reading of CIDR: an IPv4 block or address holds IPv4 addresses only (EventBridge's engine also
            // lets it match IPv6 addresses whose top 32 bits fall inside).
            switch condition {
            case .cidr(let range), .ipAddress(let range):
                if range.network.isV4, leaf.text.utf8.contains(UInt8(ascii: ":")) { return false }
            default: break
            }
            return condition.matches(leaf)
        }
    }
}

// @unchecked Sendable: mutated only while `PolicyParser` builds it, immutable once the policy exists.
/// One object level of a filter policy: keys ANDed with each other and with every `$or` group at this level.
final class PolicyNode: @unchecked Sendable {
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
        func multiply(_ value: Int) {
            total = Swift.min(total * Swift.min(value, Self.complexityClamp), Self.complexityClamp)
        }
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
        alternatives.isEmpty ? fields.count : pathKeySets().map(\.count).max() ?? 0
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
    func matches(_ context: some Collection<JSONValue>, hasAttributes: Bool) -> Bool {
        for (name, field) in fields {
            switch field {
            case .leaf(let condition):
                if !condition.matches(context, key: name, hasAttributes: hasAttributes) { return false }
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

    /// Appends the numbers the tests of key `name` at this level and in its `$or` branches compare values with
    /// (``KeyCondition/collectNumericEndpoints(into:)``); false when one of them is not numeric, or the key names a
    /// nested object here.
    func collectNumericEndpoints(of name: String, into values: inout [Double]) -> Bool {
        for (key, field) in fields where key == name {
            guard case .leaf(let condition) = field, condition.collectNumericEndpoints(into: &values) else {
                return false
            }
        }
        for group in alternatives {
            for branch in group where !branch.collectNumericEndpoints(of: name, into: &values) { return false }
        }
        return true
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
