extension RuleMachine {
    /// Whether a candidate alternative (all its indexed predicates hit) really matches: its other predicates hold,
    /// its absent fields are absent, and — when the event has arrays of objects on named paths — some choice of
    /// one leaf per predicate agrees on array membership, with each absent field holding no leaf that agrees with
    /// the leaves chosen for the fields that sort before it (event-ruler's order; see ``ReferenceMatcher``). An
    /// alternative that is its anchor alone (no other predicate, no absence) holds as soon as the anchor is hit:
    /// one leaf is always consistent with itself.
    func verify(_ id: Int32, arena: UnsafeBufferPointer<UInt8>) -> Bool {
        let subRule = subRules[Int(id)]
        if subRule.positives.count == Int(subRule.eagerCount) && subRule.absences.isEmpty { return true }
        if !scratch.hasMembership {
            for predicate in subRule.positives.dropFirst(Int(subRule.eagerCount))
            where !anyLeafSatisfies(predicate, arena: arena) {
                return false
            }
            return subRule.absences.allSatisfy { scratch.firstLeaf(of: $0) < 0 }
        }
        var choices: [[Int32]] = []
        for predicate in subRule.positives {
            var list: [Int32] = []
            var leaf = scratch.firstLeaf(of: predicates[Int(predicate)].field)
            while leaf >= 0 {
                if satisfies(predicate, leaf: Int(leaf), arena: arena) { list.append(leaf) }
                leaf = scratch.leaves[Int(leaf)].next
            }
            if list.isEmpty { return false }
            choices.append(list)
        }
        var chosen: [Int32] = []
        return search(choices, depth: 0, membership: [], chosen: &chosen, subRule: subRule)
    }

    private func anyLeafSatisfies(_ predicate: Int32, arena: UnsafeBufferPointer<UInt8>) -> Bool {
        var leaf = scratch.firstLeaf(of: predicates[Int(predicate)].field)
        while leaf >= 0 {
            if satisfies(predicate, leaf: Int(leaf), arena: arena) { return true }
            leaf = scratch.leaves[Int(leaf)].next
        }
        return false
    }

    private func satisfies(_ predicate: Int32, leaf: Int, arena: UnsafeBufferPointer<UInt8>) -> Bool {
        let view = view(leaf, arena: arena, needNumber: true)
        return predicates[Int(predicate)].test.conditions.contains { $0.matches(view) }
    }

    private func membership(of leaf: Int32) -> ArraySlice<FlatEvent.ArrayStep> {
        let record = scratch.leaves[Int(leaf)]
        let start = Int(record.membershipStart)
        return scratch.steps[start..<start + Int(record.membershipCount)]
    }

    private func search(
        _ choices: [[Int32]], depth: Int, membership current: [FlatEvent.ArrayStep], chosen: inout [Int32],
        subRule: SubRule
    ) -> Bool {
        if depth == choices.count { return absencesHold(subRule, chosen: chosen) }
        for leaf in choices[depth] {
            let steps = Array(membership(of: leaf))
            guard FlatEvent.consistent(steps, current) else { continue }
            chosen.append(leaf)
            defer { chosen.removeLast() }
            let next = FlatEvent.merged(current, steps)
            if search(choices, depth: depth + 1, membership: next, chosen: &chosen, subRule: subRule) { return true }
        }
        return false
    }

    /// Whether each absent field of the alternative holds no leaf agreeing with the leaves `chosen` (one per
    /// positive predicate, in `positives` order) for the fields whose paths sort before the absent field's.
    private func absencesHold(_ subRule: SubRule, chosen: [Int32]) -> Bool {
        for field in subRule.absences {
            let path = fieldPaths[Int(field)].utf16
            var before: [FlatEvent.ArrayStep] = []
            for (index, predicate) in subRule.positives.enumerated()
            where predicates[Int(predicate)].path.utf16.lexicographicallyPrecedes(path) {
                before = FlatEvent.merged(before, Array(membership(of: chosen[index])))
            }
            var leaf = scratch.firstLeaf(of: field)
            while leaf >= 0 {
                if FlatEvent.consistent(Array(membership(of: leaf)), before) { return false }
                leaf = scratch.leaves[Int(leaf)].next
            }
        }
        return true
    }
}
