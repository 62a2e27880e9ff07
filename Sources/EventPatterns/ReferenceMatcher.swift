/// The brute-force matcher: the plain statement of the semantics, kept to check ``RuleMachine`` against.
///
/// For each alternative of the pattern it searches every combination of event leaves, one per positive field
/// test, for one whose array memberships agree. An `exists: false` test then requires that no leaf at its path
/// agrees with the leaves chosen for the positive tests whose paths sort *before* its own: event-ruler walks a
/// rule's fields in sorted order and checks an absence against the array memberships gathered so far, so a later
/// field does not constrain it (`{"a": {"c": [{"exists": false}], "z": ["x"]}}` does not match
/// `{"a": [{"z": "x"}, {"c": "y"}]}`, while with `b` in place of `z` it does). Exponential in the worst case; use
/// it for tests, never in the simulator.
public enum ReferenceMatcher {
    /// Whether `event` matches `pattern`. Events that are not JSON objects never match.
    public static func matches(_ pattern: EventPattern, _ event: JSONValue) -> Bool {
        let flat = FlatEvent(event)
        guard case .object = event else { return false }
        return pattern.alternatives.contains { matches($0, flat) }
    }

    package static func matches(_ alternative: SubPattern, _ flat: FlatEvent) -> Bool {
        let positives = alternative.tests.filter { !$0.isAbsence }
        let absences = alternative.tests.filter(\.isAbsence).map { absence in
            (test: absence, after: positives.count { $0.path.utf16.lexicographicallyPrecedes(absence.path.utf16) })
        }
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
        absences: [(test: FieldTest, after: Int)], flat: FlatEvent
    ) -> Bool {
        for absence in absences where absence.after == depth {
            if flat.entries.contains(where: {
                $0.path == absence.test.path && FlatEvent.consistent($0.membership, membership)
            }) {
                return false
            }
        }
        if depth == candidates.count { return true }
        for entry in candidates[depth] where FlatEvent.consistent(entry.membership, membership) {
            let next = FlatEvent.merged(membership, entry.membership)
            if search(candidates, depth + 1, next, absences: absences, flat: flat) { return true }
        }
        return false
    }
}
