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
    // Stamp arrays as raw buffers: written for every index hit, so no copy-on-write uniqueness checks.
    @exclusivity(unchecked) var predicateStamp = ScratchBuffer<UInt32>()
    @exclusivity(unchecked) var conditionMark = ScratchBuffer<UInt32>()
    @exclusivity(unchecked) var fieldStamp = ScratchBuffer<UInt32>()
    @exclusivity(unchecked) var fieldHead = ScratchBuffer<Int32>()
    @exclusivity(unchecked) var candidates: [Int32] = []
    @exclusivity(unchecked) var lowered: [UInt8] = []
    @exclusivity(unchecked) var keyBuffer: [UInt8] = []

    deinit {
        predicateStamp.free()
        conditionMark.free()
        fieldStamp.free()
        fieldHead.free()
    }

    /// Starts a new event, sizing the stamp arrays to the machine.
    func begin(predicates: Int, conditions: Int, fields: Int) {
        if serial == UInt32.max {
            serial = 0
            predicateStamp.reset(0)
            fieldStamp.reset(0)
        }
        serial += 1
        predicateStamp.ensure(predicates, filling: 0)
        conditionMark.ensure(conditions, filling: 0)
        fieldStamp.ensure(fields, filling: 0)
        fieldHead.ensure(fields, filling: -1)
        // Only non-empty ones: an empty array's removeAll still costs a generic range replacement.
        if !leaves.isEmpty { leaves.removeAll(keepingCapacity: true) }
        if !arena.isEmpty { arena.removeAll(keepingCapacity: true) }
        if !steps.isEmpty { steps.removeAll(keepingCapacity: true) }
        if !membership.isEmpty { membership.removeAll(keepingCapacity: true) }
        if !candidates.isEmpty { candidates.removeAll(keepingCapacity: true) }
        arrayCount = 0
        hasMembership = false
    }

    /// A fresh mark for excluding anything-but conditions while one leaf is dispatched.
    func nextMark() -> UInt32 {
        if markSerial == UInt32.max {
            markSerial = 0
            conditionMark.reset(0)
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
        let hasSteps = !membership.isEmpty
        if hasSteps { hasMembership = true }
        leaves.append(
            EventLeaf(
                field: field, kind: kind, start: Int32(start), length: Int32(arena.count - start),
                membershipStart: Int32(steps.count), membershipCount: Int32(membership.count),
                next: fieldHead[fieldIndex]))
        if hasSteps { steps.append(contentsOf: membership) }
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

/// A growable raw buffer of trivial values, freed with its owner; indexing is unchecked in release builds.
struct ScratchBuffer<Element: BitwiseCopyable> {
    private(set) var base: UnsafeMutablePointer<Element>?
    private(set) var count = 0

    /// Grows to at least `minimum` elements, new ones set to `value`.
    mutating func ensure(_ minimum: Int, filling value: Element) {
        guard minimum > count else { return }
        let capacity = max(minimum, count * 2, 64)
        let grown = UnsafeMutablePointer<Element>.allocate(capacity: capacity)
        if let base {
            grown.update(from: base, count: count)
            base.deallocate()
        }
        (grown + count).initialize(repeating: value, count: capacity - count)
        base = grown
        count = capacity
    }

    mutating func reset(_ value: Element) {
        base?.update(repeating: value, count: count)
    }

    func free() { base?.deallocate() }

    @inline(__always) subscript(index: Int) -> Element {
        get { base.unsafelyUnwrapped[index] }
        nonmutating set { base.unsafelyUnwrapped[index] = newValue }
    }
}
