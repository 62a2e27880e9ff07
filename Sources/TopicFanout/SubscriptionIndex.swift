import EventPatterns

/// The subscriptions of a topic indexed by their filter policies, so that matching a message costs far less than
/// checking every policy.
///
/// Each policy is translated into an EventBridge pattern that accepts a SUPERSET of what the policy accepts
/// (`indexPattern(for:)`); all those patterns are compiled into one EventPatterns `RuleMachine` per scope, whose
/// cost does not grow with the number of rules. The machine's candidates are then checked exactly with
/// `FilterPolicy.matches`. Subscriptions without a policy receive everything; the rare policies with no
/// indexable condition (only `exists: false`, say) are checked on every message.
final class SubscriptionIndex {
    private let attributeMachine = RuleMachine()
    private let bodyMachine = RuleMachine()
    /// One subscription slot, kept in one array so that checking a candidate touches one cache line.
    private struct Slot {
        /// The policy (nil: none, or removed).
        var policy: FilterPolicy?
        var active: Bool
        /// Whether the machine's answer is exact (the policy is one plain value condition indexed unchanged), so
        /// candidates need no verification.
        var exactInMachine: Bool
    }

    private var slots: [Slot] = []
    /// Active subscriptions without a policy, ascending.
    private var unfiltered: [Int] = []
    /// Active policies that the machine cannot pre-select, ascending.
    private var scanned: [Int] = []
    private var candidates: [Int] = []
    /// How many indexed policies use each (key path, match value); see `anchorScore`.
    var valueUses: [String: Int] = [:]
    /// The number of policies counted in `valueUses`.
    var indexedPolicies = 0
    private var merged: [Int] = []

    /// The number of active subscriptions whose policy is checked on every message.
    var scannedCount: Int { scanned.count }

    /// Registers subscription `id` (ids are dense and increasing: the next slot).
    /// - Complexity: O(policy size), plus the rule machine's insertion cost.
    func add(id: Int, policy: FilterPolicy?) {
        precondition(id == slots.count, "subscription ids are assigned in order")
        slots.append(Slot(policy: policy, active: true, exactInMachine: false))
        guard let policy else {
            unfiltered.append(id)
            return
        }
        guard let pattern = indexPattern(for: policy) else {
            scanned.append(id)
            return
        }
        switch policy.scope {
        case .messageAttributes: attributeMachine.add(pattern, id: id)
        case .messageBody: bodyMachine.add(pattern, id: id)
        }
        slots[id].exactInMachine = Self.isExactInMachine(policy)
    }

    /// Removes subscription `id`.
    /// - Complexity: O(subscriptions) for the plain lists, plus the rule machine's removal cost.
    func remove(id: Int) {
        guard id >= 0, id < slots.count, slots[id].active else { return }
        slots[id].active = false
        if let policy = slots[id].policy {
            switch policy.scope {
            case .messageAttributes: attributeMachine.remove(id: id)
            case .messageBody: bodyMachine.remove(id: id)
            }
        }
        slots[id].policy = nil
        unfiltered.removeAll { $0 == id }
        scanned.removeAll { $0 == id }
    }

    /// The ids of the subscriptions that receive the message, ascending, into `result` (cleared first).
    /// - Complexity: the rule machines' match cost plus O(candidates x policy size + unfiltered + scanned).
    func matches(_ view: MessageView, into result: inout [Int]) {
        result.removeAll(keepingCapacity: true)
        attributeMachine.matches(view.attributes, into: &candidates)
        verifyCandidates(view, into: &result)
        if let body = view.body {
            bodyMachine.matches(body, into: &candidates)
            let before = result.count
            verifyCandidates(view, into: &result)
            if before > 0 && result.count > before { Self.mergeTail(&result, from: before, scratch: &merged) }
        }
        if !scanned.isEmpty {
            let before = result.count
            for id in scanned where slots[id].policy?.matches(view) == true { result.append(id) }
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
        slots.indices.filter { id in slots[id].active && (slots[id].policy.map { $0.matches(view) } ?? true) }
    }

    /// Appends the machine's candidates that really match (ascending, as the machine returns them).
    private func verifyCandidates(_ view: MessageView, into result: inout [Int]) {
        for id in candidates {
            let slot = slots[id]
            guard slot.active, let policy = slot.policy else { continue }
            if slot.exactInMachine || policy.matches(view) { result.append(id) }
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
