import EventPatterns

/// The subscriptions of a topic indexed by their filter policies, so that matching a message costs far less than
/// checking every policy.
///
/// Each policy is expanded into its `$or` paths and each path contributes one condition, its anchor
/// (`anchorBranches(for:)`), which accepts a SUPERSET of what the path accepts. Every distinct anchor is added
/// ONCE to an EventPatterns `RuleMachine` per scope, under an anchor id, and the index keeps, per anchor, the
/// ascending ids of the subscriptions using it (its posting). A message's candidates are the postings of the
/// anchors the machine reports; they are then checked exactly by their compiled programs
/// (`PolicyProgramStore`). Thousands of subscriptions share a popular anchor (a tenant id, a region), so the
/// machine's work per message grows with the distinct anchors hit, not with the subscriptions behind them.
/// Subscriptions without a policy receive everything; the rare policies with no indexable condition (only
/// `exists: false`, say) are checked on every message.
///
/// Per-subscription state is kept in parallel arrays (struct of arrays): one flag byte and one program offset
/// in the hot path; the policy itself is kept only for the reference scan and the unindexed policies.
final class SubscriptionIndex {
    private let attributeMachine = RuleMachine()
    private let bodyMachine = RuleMachine()

    /// Bits of `flags`.
    private enum Flag {
        static let active: UInt8 = 1
        /// The machine's answer is exact (the policy is one plain value condition indexed unchanged): candidates
        /// need no verification.
        static let exact: UInt8 = 2
        /// The policy is indexed (it has a program and postings).
        static let indexed: UInt8 = 4
    }

    /// Per subscription id: `Flag` bits.
    private var flags: [UInt8] = []
    /// Per subscription id: the program's offset in `programs` (-1: none).
    private var programStart: [Int32] = []
    /// Per subscription id: the policy (nil: none, or removed).
    private var policies: [FilterPolicy?] = []
    let programs = PolicyProgramStore()

    /// Per anchor id: the ascending ids of the subscriptions using it.
    private var postings: [[Int32]] = []
    /// Per anchor id: its key in `anchorIDs` (the anchor pattern's JSON text with a scope tag).
    private var anchorKeys: [String] = []
    /// Live anchors by key.
    private var anchorIDs: [String: Int32] = [:]

    /// Active subscriptions without a policy, ascending.
    private var unfiltered: [Int] = []
    /// Active policies that the machine cannot pre-select, ascending.
    private var scanned: [Int] = []
    private var anchorHits: [Int] = []
    private var candidates: [Int32] = []
    /// How many indexed policies use each (key path, match value); see `anchorScore`.
    var valueUses: [String: Int] = [:]
    /// The number of policies counted in `valueUses`.
    var indexedPolicies = 0
    private var merged: [Int] = []

    /// The number of active subscriptions whose policy is checked on every message.
    var scannedCount: Int { scanned.count }
    /// The number of live distinct anchors (rules in the machines).
    var anchorCount: Int { anchorIDs.count }

    /// Registers subscription `id` (ids are dense and increasing: the next slot).
    /// - Complexity: O(policy size), plus the rule machine's insertion cost for anchors not seen before.
    func add(id: Int, policy: FilterPolicy?) {
        precondition(id == flags.count, "subscription ids are assigned in order")
        flags.append(Flag.active)
        programStart.append(-1)
        policies.append(policy)
        guard let policy else {
            unfiltered.append(id)
            return
        }
        guard let (paths, branches) = anchorBranches(for: policy) else {
            scanned.append(id)
            return
        }
        var anchors: [Int32] = []
        let tag = policy.scope == .messageBody ? "b" : "a"
        for branch in branches {
            let key = tag + branch.jsonText
            var anchor = anchorIDs[key]
            if anchor == nil {
                guard let pattern = try? EventPattern(json: branch) else { continue }
                anchor = Int32(postings.count)
                anchorIDs[key] = anchor
                postings.append([])
                anchorKeys.append(key)
                machine(policy.scope).add(pattern, id: Int(anchor!))
            }
            anchors.append(anchor!)
        }
        guard anchors.count == branches.count else {
            // An anchor EventPatterns would not compile (never seen): check the policy on every message instead.
            for anchor in anchors where postings[Int(anchor)].isEmpty { dropAnchor(anchor, scope: policy.scope) }
            scanned.append(id)
            return
        }
        for anchor in anchors { postings[Int(anchor)].append(Int32(id)) }
        programStart[id] = programs.compile(paths: paths, anchors: anchors, scope: policy.scope)
        flags[id] |= Flag.indexed | (Self.isExactInMachine(policy) ? Flag.exact : 0)
    }

    /// Removes subscription `id`.
    /// - Complexity: O(postings of its anchors + unfiltered + scanned), plus the machine's removal cost for
    ///   anchors left without subscriptions.
    func remove(id: Int) {
        guard id >= 0, id < flags.count, flags[id] & Flag.active != 0 else { return }
        if flags[id] & Flag.indexed != 0, let scope = policies[id]?.scope {
            for anchor in programs.anchors(at: programStart[id]) {
                postings[Int(anchor)].removeAll { $0 == Int32(id) }
                if postings[Int(anchor)].isEmpty { dropAnchor(anchor, scope: scope) }
            }
        }
        flags[id] = 0
        policies[id] = nil
        unfiltered.removeAll { $0 == id }
        scanned.removeAll { $0 == id }
    }

    /// Removes an anchor without subscriptions from its machine (its id is not reused).
    private func dropAnchor(_ anchor: Int32, scope: FilterPolicyScope) {
        machine(scope).remove(id: Int(anchor))
        anchorIDs[anchorKeys[Int(anchor)]] = nil
    }

    private func machine(_ scope: FilterPolicyScope) -> RuleMachine {
        scope == .messageBody ? bodyMachine : attributeMachine
    }

    /// The ids of the subscriptions that receive the message, ascending, into `result` (cleared first).
    /// - Complexity: the rule machines' match cost (which grows with the distinct anchors hit) plus
    ///   O(candidates x program terms + unfiltered + scanned).
    func matches(_ view: MessageView, into result: inout [Int]) {
        result.removeAll(keepingCapacity: true)
        programs.beginMessage()
        collectCandidates(attributeMachine, view.attributes)
        verifyCandidates(view, into: &result)
        if let body = view.body {
            collectCandidates(bodyMachine, body)
            let before = result.count
            verifyCandidates(view, into: &result)
            if before > 0 && result.count > before { Self.mergeTail(&result, from: before, scratch: &merged) }
        }
        if !scanned.isEmpty {
            let before = result.count
            for id in scanned where policies[id]?.matches(view) == true { result.append(id) }
            if before > 0 && result.count > before { Self.mergeTail(&result, from: before, scratch: &merged) }
        }
        if !unfiltered.isEmpty {
            let before = result.count
            result.append(contentsOf: unfiltered)
            if before > 0 { Self.mergeTail(&result, from: before, scratch: &merged) }
        }
    }

    /// The ids of the subscriptions that receive the message by checking every policy (the reference for tests).
    /// - Complexity: O(subscriptions x policy size).
    func scan(_ view: MessageView) -> [Int] {
        flags.indices.filter { id in
            flags[id] & Flag.active != 0 && (policies[id].map { $0.matches(view) } ?? true)
        }
    }

    /// The subscriptions behind the anchors the machine finds in `value`, ascending and unique, into `candidates`.
    private func collectCandidates(_ machine: RuleMachine, _ value: JSONValue) {
        machine.matches(value, into: &anchorHits)
        candidates.removeAll(keepingCapacity: true)
        for anchor in anchorHits { candidates.append(contentsOf: postings[anchor]) }
        guard anchorHits.count > 1, candidates.count > 1 else { return }
        candidates.sort()
        var write = 1
        for read in 1..<candidates.count where candidates[read] != candidates[write - 1] {
            candidates[write] = candidates[read]
            write += 1
        }
        candidates.removeLast(candidates.count - write)
    }

    /// Appends the candidates that really match (ascending, as collected).
    private func verifyCandidates(_ view: MessageView, into result: inout [Int]) {
        for candidate in candidates {
            let id = Int(candidate)
            let flag = flags[id]
            guard flag & Flag.active != 0 else { continue }
            if flag & Flag.exact != 0 || programs.matches(at: programStart[id], view) { result.append(id) }
        }
    }

    /// Merges the two ascending runs `values[..<split]` and `values[split...]` (disjoint) in place.
    private static func mergeTail(_ values: inout [Int], from split: Int, scratch: inout [Int]) {
        scratch.removeAll(keepingCapacity: true)
        var i = 0
        var j = split
        while i < split && j < values.count {
            if values[i] < values[j] { scratch.append(values[i]); i += 1 } else { scratch.append(values[j]); j += 1 }
        }
        scratch.append(contentsOf: values[i..<split])
        scratch.append(contentsOf: values[j...])
        swap(&values, &scratch)
    }
}
