public import EventPatterns

/// Where a subscription's filter policy looks: the message attributes (the default) or the JSON body.
public enum FilterPolicyScope: String, Sendable, Equatable, CaseIterable {
    case messageAttributes = "MessageAttributes"
    case messageBody = "MessageBody"
}

/// A validated SNS subscription filter policy.
///
/// Semantics (see `docs/decisions/0004-topic-fanout.md`): keys are ANDed, the entries of one key's value list
/// are ORed, `$or` ORs sub-policies; a key's value list is matched against every leaf found at that key (array
/// elements one by one, arrays of objects crossed when the policy nests deeper); one matching leaf is enough.
/// The value operators (exact strings and numbers, numeric ranges, prefix, suffix, equals-ignore-case, wildcard,
/// anything-but, cidr) are EventPatterns' own: each key's value list is compiled once into an `EventPattern`
/// and its conditions are evaluated leaf by leaf, so there is one implementation of each operator in the project.
/// SNS-specific rules are applied here: `exists: true` needs a non-null, non-empty leaf; `exists: false` needs
/// no such leaf and, in attribute scope, at least one attribute on the message; a missing key never matches a
/// value condition (anything-but included); Binary attributes are invisible; a body that is not a JSON object
/// matches nothing.
public struct FilterPolicy: Sendable {
    /// The scope the policy applies to.
    public let scope: FilterPolicyScope
    /// The service's complexity measure (sum over `$or` paths of the product of value-list weights); at most 150.
    public let complexity: Int
    /// The policy tree.
    let root: PolicyNode

    /// The largest accepted policy text, bytes.
    public static let maximumSize = 256 * 1024
    /// The largest number of keys on one `$or` path (top-level keys only in MessageBody scope).
    public static let maximumKeys = 5
    /// The largest accepted complexity.
    public static let maximumComplexity = 150

    /// Validates a policy given as JSON text.
    /// - Throws: `TopicFanoutError` (`.invalidPolicy`) naming the path of the first problem.
    /// - Complexity: O(size of the policy).
    public init(text: String, scope: FilterPolicyScope = .messageAttributes) throws(TopicFanoutError) {
        guard text.utf8.count <= FilterPolicy.maximumSize else {
            throw .policy("policy", "the policy is \(text.utf8.count) bytes, more than the 256 KB (262144-byte) limit")
        }
        let json: JSONValue
        do {
            json = try JSONParser.parse(text)
        } catch {
            throw .policy("policy", "the policy is not valid JSON: \(error)")
        }
        try self.init(checkedSize: json, scope: scope)
    }

    /// Validates a parsed policy.
    /// - Throws: `TopicFanoutError` (`.invalidPolicy`) naming the path of the first problem.
    public init(json: JSONValue, scope: FilterPolicyScope = .messageAttributes) throws(TopicFanoutError) {
        let size = json.jsonText.utf8.count
        guard size <= FilterPolicy.maximumSize else {
            throw .policy("policy", "the policy is \(size) bytes, more than the 256 KB (262144-byte) limit")
        }
        try self.init(checkedSize: json, scope: scope)
    }

    /// Validates a parsed policy whose text size was already checked.
    private init(checkedSize json: JSONValue, scope: FilterPolicyScope) throws(TopicFanoutError) {
        var parser = PolicyParser(scope: scope)
        root = try parser.parseRoot(json)
        complexity = root.complexity(depth: 1)
        guard complexity <= FilterPolicy.maximumComplexity else {
            throw .policy(
                "policy",
                "the policy's complexity is \(complexity.complexityText), more than the limit "
                    + "of 150 (per value list, entries x nesting depth; multiplied along each $or path, "
                    + "summed over paths)"
            )
        }
        let keys = root.maximumPathKeys()
        guard keys <= FilterPolicy.maximumKeys else {
            throw .policy("policy", "the policy has \(keys) keys on one path, more than the limit of 5")
        }
        self.scope = scope
    }

    /// The sorted distinct numbers the policy compares message attribute `name`'s value with (the ends of its
    /// numeric ranges and its exact numbers), when every test of that attribute uses only those conditions and
    /// `exists`: then two valid `Number` values that are both equal to the same endpoint, or both between the
    /// same two neighbouring endpoints, pass or fail the policy together (with the other attributes equal). Empty
    /// when the policy does not test the attribute's value at all; nil when it tests it some other way (strings,
    /// prefixes, anything-but…) or the policy reads the message body.
    /// - Complexity: O(policy size).
    public func numericEndpoints(ofAttribute name: String) -> [Double]? {
        guard scope == .messageAttributes else { return nil }
        var values: [Double] = []
        guard root.collectNumericEndpoints(of: name, into: &values) else { return nil }
        return NumericClass.endpoints(values)
    }

    /// Whether the message passes the policy in its scope.
    /// - Complexity: O(policy size x values at the policy's keys); allocates only when crossing nested objects.
    public func matches(_ message: MessageView) -> Bool {
        switch scope {
        case .messageAttributes:
            return root.matches(CollectionOfOne(message.attributes), hasAttributes: message.attributeCount > 0)
        case .messageBody:
            guard let body = message.body else { return false }
            return root.matches(CollectionOfOne(body), hasAttributes: true)
        }
    }
}

extension Int {
    /// Complexity values are clamped while computing; print the clamp as "more than 1000000".
    var complexityText: String {
        self >= PolicyNode.complexityClamp ? "more than \(PolicyNode.complexityClamp)" : "\(self)"
    }
}
