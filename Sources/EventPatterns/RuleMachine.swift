/// All rules of a bus compiled into one machine (placeholder: brute force until the compiled machine lands).
public final class RuleMachine {
    private var rules: [(id: Int, pattern: EventPattern)] = []

    public init() {}

    public var ruleCount: Int { Set(rules.map(\.id)).count }

    public func add(_ pattern: EventPattern, id: Int) { rules.append((id, pattern)) }

    public func remove(id: Int) { rules.removeAll { $0.id == id } }

    public func matches(_ event: JSONValue) -> [Int] {
        var result: [Int] = []
        matches(event, into: &result)
        return result
    }

    public func matches(_ event: JSONValue, into result: inout [Int]) {
        result.removeAll(keepingCapacity: true)
        result = Array(Set(rules.filter { ReferenceMatcher.matches($0.pattern, event) }.map(\.id))).sorted()
    }
}
