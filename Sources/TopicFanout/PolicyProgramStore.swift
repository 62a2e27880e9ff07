import EventPatterns

/// Filter policies compiled into flat integer programs over interned terms, for checking the index's candidates.
///
/// A policy is the OR of its `$or` paths and a path the AND of its (key path, `KeyCondition`) pairs, each key
/// evaluated on its own (the tree walk of `PolicyNode.matches` gives the same answer: nested keys look through
/// arrays of objects independently, so the context of a key depends only on its key path). Each distinct
/// (scope, key path, value list) is interned once as a term, so the thousands of policies that share
/// `"region": ["us-east-1", "eu-west-1"]` or `"priority": [{"exists": true}]` share one term, and a term's result
/// is memoised for the current message: checking a candidate mostly reads a few integers from one contiguous
/// array and a few memo words, instead of walking a tree of objects spread over the heap.
///
/// Program layout in `code` (all `Int32`): `anchorCount, anchor ids…, pathCount, (termCount, term ids…)…`.
/// The anchor ids are the index's (kept here so that removal needs no second per-subscription allocation).
/// Code of removed subscriptions is not reclaimed (a few words each).
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
    /// Per term: `serial << 1 | result` of its last evaluation (serial 0: never).
    private var memo: [UInt64] = []
    private var serial: UInt64 = 0
    /// All programs, back to back (see the type's documentation).
    private var code: [Int32] = []
    private var objects: [JSONValue] = []
    private var nextObjects: [JSONValue] = []

    /// The number of distinct terms.
    var termCount: Int { terms.count }
    /// Approximate bytes held by programs and the memo (terms' conditions are shared with the policies).
    var memoryBytes: Int { code.count * 4 + memo.count * 8 + terms.count * 48 }

    /// Compiles a policy's paths and anchors; returns the program's start offset.
    /// - Complexity: O(path entries) dictionary look-ups (each key serialises the term's value list).
    func compile(paths: [SubscriptionIndex.PolicyPath], anchors: [Int32], scope: FilterPolicyScope) -> Int32 {
        let start = Int32(code.count)
        code.append(Int32(anchors.count))
        code.append(contentsOf: anchors)
        code.append(Int32(paths.count))
        for path in paths {
            code.append(Int32(path.count))
            for (keys, condition) in path { code.append(intern(keys, condition, body: scope == .messageBody)) }
        }
        return start
    }

    /// The anchor ids stored in the program at `start`.
    func anchors(at start: Int32) -> ArraySlice<Int32> {
        let begin = Int(start) + 1
        return code[begin..<begin + Int(code[Int(start)])]
    }

    /// Starts a new message: forgets every memoised result. O(1).
    func beginMessage() { serial += 1 }

    /// Whether the message passes the program at `start` (same answer as `FilterPolicy.matches`, given that the
    /// caller has already rejected body-scope programs for messages without a JSON-object body).
    /// - Complexity: O(terms of the program), each term evaluated at most once per message.
    func matches(at start: Int32, _ view: MessageView) -> Bool {
        var position = Int(start)
        position += 1 + Int(code[position])
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
        if let id = termIDs[key] { return id }
        let id = Int32(terms.count)
        termIDs[key] = id
        terms.append(Term(keys: keys, condition: condition, body: body))
        memo.append(0)
        return id
    }
}
