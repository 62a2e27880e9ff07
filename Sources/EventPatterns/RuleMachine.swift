/// All rules of a bus compiled into one machine whose cost per event grows with the event, not the rule count.
///
/// Design (event-ruler and quamina's ideas, see docs/decisions/0003-rule-machine.md):
/// - field paths form a trie of key segments; the event walker skips every event member no rule names;
/// - each pattern alternative is a conjunction of field tests ("predicates", shared between rules when equal);
///   each alternative is *anchored* on its narrowest-looking predicate (selective kinds first, then the one
///   fewest other alternatives anchor on), and anchors are indexed: exact values in a hash table keyed by
///   (field, bytes), prefixes and suffixes by (field, bytes) at each distinct length, ASCII case-insensitive
///   values by their lowercase, wildcards by their literal head and/or tail, numeric ranges in a per-field
///   segment tree, `anything-but` by its exclusions;
/// - an alternative whose anchor the event hits becomes a candidate; its other predicates and `exists: false`
///   are then verified on the event's recorded leaves, and array consistency is checked only when the event
///   has arrays of objects on the named paths.
///
/// Stored properties are `@exclusivity(unchecked)`: the machine is single-threaded and no method holds a mutating
/// access to a property while another access to the same property starts (matching only reads the indexes and
/// writes the separate scratch object), so the runtime exclusivity checks — 15% of matching time — are dropped.
///
/// Not thread-safe: one machine per thread (matching reuses scratch buffers). Adding a pattern under an id that
/// already has patterns ORs it in; ``remove(id:)`` removes all patterns of the id.
public final class RuleMachine {
    // Field paths.
    let segments = ByteTable()
    @exclusivity(unchecked) var nodeField: [Int32] = [-1]
    @exclusivity(unchecked) var fieldIds: [String: Int32] = [:]
    @exclusivity(unchecked) var fields: [FieldIndex] = []
    /// The dotted path of each field id (absence tests compare paths with the positive fields of their rule).
    @exclusivity(unchecked) var fieldPaths: [String] = []

    // Predicates (shared positive field tests) and their registered conditions.
    @exclusivity(unchecked) var predicateIds: [FieldTest: Int32] = [:]
    @exclusivity(unchecked) var predicates: [Predicate] = []
    /// For each predicate, the alternatives counting it (it is indexed while non-empty).
    @exclusivity(unchecked) var predicateSubRules: [[Int32]] = []
    @exclusivity(unchecked) var freePredicates: [Int32] = []
    @exclusivity(unchecked) var conditionOwner: [Int32] = []
    @exclusivity(unchecked) var conditions: [Condition] = []
    @exclusivity(unchecked) var freeConditions: [Int32] = []

    // Alternatives ("sub-rules") and rules.
    @exclusivity(unchecked) var subRules: [SubRule] = []
    @exclusivity(unchecked) var freeSubRules: [Int32] = []
    @exclusivity(unchecked) var subRulesByRule: [Int: [Int32]] = [:]
    @exclusivity(unchecked) var absenceOnly: [Int32] = []

    // Indexes.
    let table = ByteTable()
    @exclusivity(unchecked) var postings: [[Int32]] = []
    @exclusivity(unchecked) var numberTable: [NumberSlot: Int32] = [:]
    @exclusivity(unchecked) var dirtyNumeric: Set<Int32> = []

    // Per-event scratch (reused; see RuleMachine+Matching.swift).
    let scratch = MatchScratch()
    /// Changes whenever rules are added or removed: a ``MemberPlan`` is valid for the generation it was made in.
    @exclusivity(unchecked) var generation = 0
    /// By field id, the endpoints ``numericClass(of:plan:member:)`` classes values by (nil inside: not
    /// classable; nil outside: not gathered yet), gathered in generation `numericClassGeneration`: an array, so
    /// that classing an event's amount is an index, not a hash lookup.
    @exclusivity(unchecked) var numericClassEndpoints: [[Double]??] = []
    @exclusivity(unchecked) var numericClassGeneration = -1

    /// Creates an empty machine.
    public init() {}

    /// The number of rule ids with at least one pattern.
    public var ruleCount: Int { subRulesByRule.count }

    /// Adds `pattern` under `id`; a second pattern under the same id is ORed with the first.
    /// - Complexity: O(size of the pattern's alternatives), plus a lazy rebuild of touched numeric indexes.
    public func add(_ pattern: EventPattern, id: Int) {
        generation += 1
        for alternative in pattern.alternatives {
            let subRule = addSubRule(alternative, ruleID: id)
            subRulesByRule[id, default: []].append(subRule)
        }
    }

    /// Removes every pattern of rule `id` (nothing happens when the id is unknown).
    public func remove(id: Int) {
        generation += 1
        guard let subRuleIDs = subRulesByRule.removeValue(forKey: id) else { return }
        for subRule in subRuleIDs { removeSubRule(subRule) }
    }

    /// Ids of all rules matching the event, ascending, each once. Events that are not objects match nothing.
    public func matches(_ event: JSONValue) -> [Int] {
        var result: [Int] = []
        matches(event, into: &result)
        return result
    }

    /// Approximate heap bytes held by the machine's rule structures (not counting per-event scratch).
    public var memoryBytes: Int {
        var total = segments.memoryBytes + table.memoryBytes + numberTable.count * 32 + postings.count * 32
        total += postings.reduce(0) { $0 + $1.count * 4 }
        total += predicates.count * 96 + conditions.count * 48 + subRules.count * 88 + subRulesByRule.count * 48
        total += fields.reduce(0) { $0 + $1.memoryBytes }
        for subRule in subRules { total += (subRule.positives.count + subRule.absences.count) * 4 }
        for predicate in predicates { total += predicate.path.utf8.count }
        total += predicateSubRules.reduce(0) { $0 + 32 + $1.count * 4 }
        return total
    }
}

/// A positive field test shared by every alternative that uses it.
struct Predicate {
    var test: FieldTest
    var field: Int32
    var path: String { test.path }
    /// All alternatives using it, eagerly or for verification.
    var references: Int32 = 0
    /// Registered condition ids while indexed.
    var conditionIDs: [Int32] = []
}

/// One alternative of a rule.
struct SubRule {
    var ruleID: Int
    /// Positive predicates, the indexed anchor(s) first (`eagerCount` of them: 1, or 0 for absence-only).
    var positives: [Int32]
    var eagerCount: Int32
    /// Fields that must hold no leaf (`exists: false`).
    var absences: [Int32]
}

/// Key of the exact-number tables: (field, kind) tag and the double's bits (minus zero folded to zero).
struct NumberSlot: Hashable {
    var tag: Int32
    var bits: UInt64
}

/// The per-field indexes.
final class FieldIndex {
    /// Distinct lengths (ascending) with use counts, per length-indexed kind.
    @exclusivity(unchecked) var lengths: [[Int32]] = Array(repeating: [], count: IndexKind.lengthKinds)
    @exclusivity(unchecked) var lengthCounts: [[Int32: Int32]] = Array(repeating: [:], count: IndexKind.lengthKinds)
    @exclusivity(unchecked) var kindCounts = [Int32](repeating: 0, count: IndexKind.count)
    @exclusivity(unchecked) var trueConditions: [Int32] = []
    @exclusivity(unchecked) var falseConditions: [Int32] = []
    @exclusivity(unchecked) var nullConditions: [Int32] = []
    @exclusivity(unchecked) var existsConditions: [Int32] = []
    @exclusivity(unchecked) var anythingButStrings: [Int32] = []
    @exclusivity(unchecked) var anythingButNumbers: [Int32] = []
    /// Conditions evaluated one by one on every leaf of the field.
    @exclusivity(unchecked) var linear: [Int32] = []
    @exclusivity(unchecked) var numeric = NumericIndex()

    /// Which indexes are non-empty (``FieldMask`` bits), so matching skips the rest without touching them.
    @exclusivity(unchecked) var mask: UInt32 = 0

    func refreshMask() {
        var mask: UInt32 = 0
        func set(_ bit: UInt32, _ condition: Bool) { if condition { mask |= bit } }
        set(FieldMask.exists, !existsConditions.isEmpty)
        set(FieldMask.linear, !linear.isEmpty)
        set(FieldMask.exact, kindCounts[IndexKind.exact] > 0)
        set(FieldMask.prefix, !lengths[IndexKind.prefix].isEmpty)
        set(FieldMask.suffix, !lengths[IndexKind.suffix].isEmpty)
        set(
            FieldMask.ignoreCase,
            kindCounts[IndexKind.equalsIgnoreCase] > 0 || !lengths[IndexKind.prefixIgnoreCase].isEmpty
                || !lengths[IndexKind.suffixIgnoreCase].isEmpty)
        set(
            FieldMask.wildcard,
            !lengths[IndexKind.wildcardHead].isEmpty || !lengths[IndexKind.wildcardTail].isEmpty
                || !lengths[IndexKind.wildcardBoth].isEmpty)
        set(FieldMask.anythingButStrings, !anythingButStrings.isEmpty)
        set(FieldMask.anythingButNumbers, !anythingButNumbers.isEmpty)
        set(FieldMask.literals, !trueConditions.isEmpty || !falseConditions.isEmpty || !nullConditions.isEmpty)
        set(FieldMask.exactNumber, kindCounts[IndexKind.exactNumber] > 0)
        set(FieldMask.numeric, !numeric.isEmpty)
        set(FieldMask.numberLiteral, kindCounts[IndexKind.numberLiteral] > 0)
        self.mask = mask
    }

    var memoryBytes: Int {
        var total = 200 + numeric.memoryBytes
        total += (trueConditions.count + falseConditions.count + nullConditions.count + existsConditions.count) * 4
        total += (anythingButStrings.count + anythingButNumbers.count + linear.count) * 4
        total += lengthCounts.reduce(0) { $0 + $1.count * 16 }
        return total
    }
}

/// The kinds of index entries; the table tag of an entry is `field << 4 | kind`.
enum IndexKind {
    // Length-indexed kinds come first.
    static let prefix = 0
    static let suffix = 1
    static let prefixIgnoreCase = 2
    static let suffixIgnoreCase = 3
    static let wildcardHead = 4
    static let wildcardTail = 5
    /// Wildcards with both a literal head and tail: key head + 0xFF + tail, length head << 16 | tail.
    static let wildcardBoth = 6
    static let lengthKinds = 7
    static let exact = 7
    static let equalsIgnoreCase = 8
    static let anythingButExclusion = 9
    static let numberLiteral = 10
    static let anythingButNumberLiteral = 11
    static let exactNumber = 12
    static let anythingButNumber = 13
    static let count = 14

    @inline(__always) static func tag(_ field: Int32, _ kind: Int) -> Int32 { field << 4 | Int32(kind) }
}

/// Bits of ``FieldIndex/mask``.
enum FieldMask {
    static let exists: UInt32 = 1 << 0
    static let linear: UInt32 = 1 << 1
    static let exact: UInt32 = 1 << 2
    static let prefix: UInt32 = 1 << 3
    static let suffix: UInt32 = 1 << 4
    static let ignoreCase: UInt32 = 1 << 5
    static let wildcard: UInt32 = 1 << 6
    static let anythingButStrings: UInt32 = 1 << 7
    static let anythingButNumbers: UInt32 = 1 << 8
    static let literals: UInt32 = 1 << 9
    static let exactNumber: UInt32 = 1 << 10
    static let numeric: UInt32 = 1 << 11
    static let numberLiteral: UInt32 = 1 << 12
}
