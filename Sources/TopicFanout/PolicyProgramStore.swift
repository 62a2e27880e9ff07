import EventPatterns

/// Filter policies compiled into flat integer programs over interned terms, for checking the index's candidates.
///
/// A policy is the OR of its `$or` paths and a path the AND of its (key path, `KeyCondition`) pairs, each key
/// evaluated on its own (the tree walk of `PolicyNode.matches` gives the same answer: nested keys look through
/// arrays of objects independently, so the context of a key depends only on its key path). Each distinct
/// (scope, key path, value list) is interned once as a term, so the thousands of policies that share
/// `"region": ["us-east-1", "eu-west-1"]` or `"priority": [{"exists": true}]` share one term, and a term's result
/// is memoised for the current message.
///
/// The programs live inside the index's postings (one posting per anchor, see `SubscriptionIndex`), so that the
/// candidates of an anchor are checked by reading one contiguous array front to back instead of jumping to a
/// per-subscription object. A posting is a sequence of records (all `Int32`):
/// `subscription id, programWords << 1 | exact, program…` where a program is `pathCount, (termCount, term ids…)…`
/// and `exact` means the anchor's answer is the policy's answer (no program is stored then). Records are in
/// ascending subscription id order.
///
/// Not thread-safe (the memo is per store).
final class PolicyProgramStore {
    /// One interned condition: where it looks and what it requires.
    private struct Term {
        var keys: [String]
        var condition: KeyCondition
        var body: Bool
    }

    private var termIDs: [String: Int32] = [:]
    private var terms: [Term] = []
    /// Per term: how many compiled paths use it (a popular term is almost always memoised already).
    private var termUses: [Int32] = []
    /// Per term: `serial << 1 | result` of its last evaluation (serial 0: never).
    @exclusivity(unchecked) private var memo: [UInt64] = []
    private var serial: UInt64 = 0
    private var objects: [JSONValue] = []
    private var nextObjects: [JSONValue] = []

    /// The number of distinct terms.
    var termCount: Int { terms.count }

    /// The posting record of subscription `id`: its program over its policy's paths, or none when `exact`.
    ///
    /// Within a path the terms are ordered by decreasing use: shared terms are evaluated once per message and
    /// are then a memo read, so a path is usually rejected before its rare terms (a particular price range, the
    /// anchor itself) need evaluating. The order does not change the answer (terms have no side effects).
    /// - Complexity: O(path entries) dictionary look-ups (each key serialises the term's value list).
    func record(id: Int, paths: [SubscriptionIndex.PolicyPath], scope: FilterPolicyScope, exact: Bool) -> [Int32] {
        guard !exact else { return [Int32(id), 1] }
        var program: [Int32] = [Int32(paths.count)]
        for path in paths {
            program.append(Int32(path.count))
            var ids = path.map { intern($0.keys, $0.condition, body: scope == .messageBody) }
            ids.sort { termUses[Int($0)] > termUses[Int($1)] }
            program.append(contentsOf: ids)
        }
        return [Int32(id), Int32(program.count) << 1] + program
    }

    /// Removes the record of subscription `id` from a posting (nothing happens when it has none).
    /// - Complexity: O(posting length).
    static func removeRecord(of id: Int, from posting: inout [Int32]) {
        var position = 0
        while position < posting.count {
            let end = position + 2 + Int(posting[position + 1] >> 1)
            if posting[position] == Int32(id) {
                posting.removeSubrange(position..<end)
                return
            }
            position = end
        }
    }

    /// Starts a new message: forgets every memoised result. O(1).
    func beginMessage() { serial += 1 }

    /// Appends to `result` the ids of the posting's subscriptions whose policy passes the message (ascending),
    /// with the same answer as `FilterPolicy.matches` given that the caller consults body-scope postings only
    /// for messages with a JSON-object body.
    /// - Complexity: O(posting length); each term is evaluated at most once per message.
    func verify(_ posting: [Int32], _ view: MessageView, into result: inout [Int]) {
        posting.withUnsafeBufferPointer { code in
            var position = 0
            while position < code.count {
                let info = code[position + 1]
                let end = position + 2 + Int(info >> 1)
                if info & 1 == 1 || matches(code, from: position + 2, view) { result.append(Int(code[position])) }
                position = end
            }
        }
    }

    /// Whether some path of the program starting at `start` has all its terms true.
    @inline(__always) private func matches(_ code: UnsafeBufferPointer<Int32>, from start: Int, _ view: MessageView)
        -> Bool
    {
        var position = start
        var paths = Int(code[position])
        position += 1
        while paths > 0 {
            let count = Int(code[position])
            var passed = true
            var index = position + 1
            let end = index + count
            while index < end {
                if !term(code[index], view) {
                    passed = false
                    break
                }
                index += 1
            }
            if passed { return true }
            position = end
            paths -= 1
        }
        return false
    }

    /// The memoised result of term `id` on the current message.
    @inline(__always) private func term(_ id: Int32, _ view: MessageView) -> Bool {
        let word = memo[Int(id)]
        if word >> 1 == serial { return word & 1 == 1 }
        let result = evaluate(terms[Int(id)], view)
        memo[Int(id)] = serial << 1 | (result ? 1 : 0)
        return result
    }

    /// Evaluates one term the way `PolicyNode.matches` evaluates the key at the end of its path.
    private func evaluate(_ term: Term, _ view: MessageView) -> Bool {
        let root: JSONValue
        if term.body {
            guard let body = view.body else { return false }
            root = body
        } else {
            root = view.attributes
        }
        let hasAttributes = term.body || view.attributeCount > 0
        if term.keys.count == 1 {
            return term.condition.matches(CollectionOfOne(root), key: term.keys[0], hasAttributes: hasAttributes)
        }
        objects.removeAll(keepingCapacity: true)
        objects.append(root)
        for key in term.keys.dropLast() {
            nextObjects.removeAll(keepingCapacity: true)
            for case .object(let object) in objects {
                if let value = object[key] { PolicyNode.collectObjects(value, into: &nextObjects) }
            }
            swap(&objects, &nextObjects)
        }
        return term.condition.matches(objects, key: term.keys[term.keys.count - 1], hasAttributes: hasAttributes)
    }

    /// The id of the term (scope, key path, condition), interning it on first use.
    private func intern(_ keys: [String], _ condition: KeyCondition, body: Bool) -> Int32 {
        var key = body ? "b" : "a"
        key += keys.joined(separator: "\u{1}")
        key += condition.existsTrue ? "\u{0}T" : "\u{0}"
        key += condition.existsFalse ? "F" : ""
        key += "\u{0}" + JSONValue.array(condition.matchValues).jsonText
        if let id = termIDs[key] {
            termUses[Int(id)] += 1
            return id
        }
        let id = Int32(terms.count)
        termUses.append(1)
        termIDs[key] = id
        terms.append(Term(keys: keys, condition: condition, body: body))
        memo.append(0)
        return id
    }
}
