/// The brute-force matcher: the plain statement of the semantics, kept to check ``RuleMachine`` against.
///
/// For each alternative of the pattern it searches every combination of event leaves, one per positive field
/// test, for one whose array memberships agree; `exists: false` tests then require that no leaf at their path
/// agrees with that combination. Exponential in the worst case; use it for tests, never in the simulator.
public enum ReferenceMatcher {
    /// Whether `event` matches `pattern`. Events that are not JSON objects never match.
    public static func matches(_ pattern: EventPattern, _ event: JSONValue) -> Bool {
        let flat = FlatEvent(event)
        guard case .object = event else { return false }
        return pattern.alternatives.contains { matches($0, flat) }
    }

    package static func matches(_ alternative: SubPattern, _ flat: FlatEvent) -> Bool {
        let positives = alternative.tests.filter { !$0.isAbsence }
        let absences = alternative.tests.filter(\.isAbsence)
        let candidates = positives.map { test in
            flat.entries.filter { entry in
                entry.path == test.path && test.conditions.contains { $0.matches(entry.leaf) }
            }
        }
        if candidates.contains(where: \.isEmpty) { return false }
        return search(candidates, 0, [], absences: absences, flat: flat)
    }

    private static func search(
        _ candidates: [[FlatEvent.Entry]], _ depth: Int, _ membership: [FlatEvent.ArrayStep],
        absences: [FieldTest], flat: FlatEvent
    ) -> Bool {
        if depth == candidates.count {
            return absences.allSatisfy { test in
                !flat.entries.contains { $0.path == test.path && FlatEvent.consistent($0.membership, membership) }
            }
        }
        for entry in candidates[depth] where FlatEvent.consistent(entry.membership, membership) {
            let next = FlatEvent.merged(membership, entry.membership)
            if search(candidates, depth + 1, next, absences: absences, flat: flat) { return true }
        }
        return false
    }
}
