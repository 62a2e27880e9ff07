/// Per-event working memory of a ``RuleMachine``, reused from event to event so matching does not allocate.
///
/// Properties are `@exclusivity(unchecked)` for the reason given on ``RuleMachine``.
/// Stamps avoid clearing: an entry is valid for the current event only when its stamp equals `serial`.
final class MatchScratch {
    @exclusivity(unchecked) var serial: UInt32 = 0
    @exclusivity(unchecked) var markSerial: UInt32 = 0
    @exclusivity(unchecked) var leaves: [EventLeaf] = []
    /// Bytes of the recorded leaves (string contents, number literals).
    @exclusivity(unchecked) var arena: [UInt8] = []
    /// Array memberships of the recorded leaves, ranges given by each leaf.
    @exclusivity(unchecked) var steps: [FlatEvent.ArrayStep] = []
    /// The membership of the value being walked.
    @exclusivity(unchecked) var membership: [FlatEvent.ArrayStep] = []
    @exclusivity(unchecked) var arrayCount: Int32 = 0
    @exclusivity(unchecked) var hasMembership = false
    @exclusivity(unchecked) var predicateStamp: [UInt32] = []
    @exclusivity(unchecked) var subRuleStamp: [UInt32] = []
    @exclusivity(unchecked) var subRuleCount: [Int32] = []
    @exclusivity(unchecked) var conditionMark: [UInt32] = []
    @exclusivity(unchecked) var fieldStamp: [UInt32] = []
    @exclusivity(unchecked) var fieldHead: [Int32] = []
    @exclusivity(unchecked) var candidates: [Int32] = []
    @exclusivity(unchecked) var lowered: [UInt8] = []
    @exclusivity(unchecked) var keyBuffer: [UInt8] = []

    /// Starts a new event, sizing the stamp arrays to the machine.
    func begin(predicates: Int, subRules: Int, conditions: Int, fields: Int) {
        if serial == UInt32.max {
            serial = 0
            for index in predicateStamp.indices { predicateStamp[index] = 0 }
            for index in subRuleStamp.indices { subRuleStamp[index] = 0 }
            for index in fieldStamp.indices { fieldStamp[index] = 0 }
        }
        serial += 1
        if predicateStamp.count < predicates { predicateStamp += repeatElement(0, count: predicates - predicateStamp.count) }
        if subRuleStamp.count < subRules {
            subRuleStamp += repeatElement(0, count: subRules - subRuleStamp.count)
            subRuleCount += repeatElement(0, count: subRules - subRuleCount.count)
        }
        if conditionMark.count < conditions { conditionMark += repeatElement(0, count: conditions - conditionMark.count) }
        if fieldStamp.count < fields {
            fieldStamp += repeatElement(0, count: fields - fieldStamp.count)
            fieldHead += repeatElement(-1, count: fields - fieldHead.count)
        }
        leaves.removeAll(keepingCapacity: true)
        arena.removeAll(keepingCapacity: true)
        steps.removeAll(keepingCapacity: true)
        membership.removeAll(keepingCapacity: true)
        candidates.removeAll(keepingCapacity: true)
        arrayCount = 0
        hasMembership = false
    }

    /// A fresh mark for excluding anything-but conditions while one leaf is dispatched.
    func nextMark() -> UInt32 {
        if markSerial == UInt32.max {
            markSerial = 0
            for index in conditionMark.indices { conditionMark[index] = 0 }
        }
        markSerial += 1
        return markSerial
    }

    /// Records a leaf of `field` whose bytes were just appended to the arena from `start`.
    func record(field: Int32, kind: Leaf.Kind, start: Int) {
        let index = Int32(leaves.count)
        let fieldIndex = Int(field)
        if fieldStamp[fieldIndex] != serial {
            fieldStamp[fieldIndex] = serial
            fieldHead[fieldIndex] = -1
        }
        if !membership.isEmpty { hasMembership = true }
        leaves.append(
            EventLeaf(
                field: field, kind: kind, start: Int32(start), length: Int32(arena.count - start),
                membershipStart: Int32(steps.count), membershipCount: Int32(membership.count),
                next: fieldHead[fieldIndex]))
        steps.append(contentsOf: membership)
        fieldHead[fieldIndex] = index
    }

    /// The first leaf of `field` in this event (follow `next`), or -1.
    @inline(__always) func firstLeaf(of field: Int32) -> Int32 {
        fieldStamp[Int(field)] == serial ? fieldHead[Int(field)] : -1
    }
}

/// One recorded event leaf: where its bytes are, its membership, and the next leaf of the same field.
struct EventLeaf {
    var field: Int32
    var kind: Leaf.Kind
    var start: Int32
    var length: Int32
    var membershipStart: Int32
    var membershipCount: Int32
    var next: Int32
    /// 0 not computed, 1 exact double in `number`, 2 not comparable.
    var numberState: UInt8 = 0
    var number: Double = 0
}
