import EventPatterns

/// The subscriptions of a topic indexed by their filter policies, so that matching a message costs far less than
/// checking every policy.
///
/// Each policy is expanded into its `$or` paths and each path contributes one condition, its anchor
/// (`anchorBranches(for:)`), which accepts a SUPERSET of what the path accepts. Every distinct anchor is added
/// ONCE to an EventPatterns `RuleMachine` per scope, under an anchor id, and the index keeps, per anchor, the
/// subscriptions using it in ascending id order, each with its policy compiled to a small program (the anchor's
/// posting, see `PolicyProgramStore`). A message's candidates are the postings of the anchors the machine
/// reports, checked exactly by reading each posting front to back. Many subscriptions share an anchor (a tenant
/// id, a SKU family), so the machine's work per message grows with the distinct anchors hit, not with the
/// subscriptions behind them.
/// Subscriptions without a policy receive everything; the rare policies with no indexable condition (only
/// `exists: false`, say) are checked on every message.
///
/// Matching touches no per-subscription object: per-subscription state (flags, policy, anchors) is kept in
/// parallel arrays used only when subscribing, unsubscribing, by the reference scan and for unindexed policies.
/// A policy with several `$or` paths anchored differently has its record in each of those postings; a message
/// hitting several of them yields the subscription once (results are sorted and deduplicated).
final class SubscriptionIndex {
    private let attributeMachine = RuleMachine()
    private let bodyMachine = RuleMachine()

    /// Bits of `flags`.
    private enum Flag {
        static let active: UInt8 = 1
        /// The policy is indexed (it has postings and anchors).
        static let indexed: UInt8 = 2
    }

    /// Per subscription id: `Flag` bits.
    private var flags: [UInt8] = []
    /// Per subscription id: the offset of its anchor list in `anchorLists` (-1: none).
    private var anchorStart: [Int32] = []
    /// Anchor lists of indexed subscriptions, back to back: `count, anchor ids…`.
    private var anchorLists: [Int32] = []
    /// Per subscription id: the policy (nil: none, or removed).
    private var policies: [FilterPolicy?] = []
    let programs = PolicyProgramStore()

    /// Per anchor id: the records of the subscriptions using it, ascending ids (layout: `PolicyProgramStore`).
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
        anchorStart.append(-1)
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
        let record = programs.record(
            id: id, paths: paths, scope: policy.scope, exact: Self.isExactInMachine(policy))
        for anchor in anchors { postings[Int(anchor)].append(contentsOf: record) }
        anchorStart[id] = Int32(anchorLists.count)
        anchorLists.append(Int32(anchors.count))
        anchorLists.append(contentsOf: anchors)
        flags[id] |= Flag.indexed
    }

    /// Removes subscription `id`.
    /// - Complexity: O(postings of its anchors + unfiltered + scanned), plus the machine's removal cost for
    ///   anchors left without subscriptions.
    func remove(id: Int) {
        guard id >= 0, id < flags.count, flags[id] & Flag.active != 0 else { return }
        if flags[id] & Flag.indexed != 0, let scope = policies[id]?.scope {
            let start = Int(anchorStart[id])
            for anchor in anchorLists[start + 1..<start + 1 + Int(anchorLists[start])] {
                PolicyProgramStore.removeRecord(of: id, from: &postings[Int(anchor)])
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
        collectMatches(attributeMachine, view.attributes, view, into: &result)
        if let body = view.body {
            let before = result.count
            collectMatches(bodyMachine, body, view, into: &result)
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

    /// Appends the subscriptions behind the anchors the machine finds in `value` whose policies pass the message,
    /// ascending and unique.
    private func collectMatches(
        _ machine: RuleMachine, _ value: JSONValue, _ view: MessageView, into result: inout [Int]
    ) {
        machine.matches(value, into: &anchorHits)
        let before = result.count
        for anchor in anchorHits { programs.verify(postings[anchor], view, into: &result) }
        guard anchorHits.count > 1, result.count - before > 1 else { return }
        result[before...].sort()
        var write = before + 1
        for read in (before + 1)..<result.count where result[read] != result[write - 1] {
            result[write] = result[read]
            write += 1
        }
        result.removeLast(result.count - write)
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
