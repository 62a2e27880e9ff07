extension RuleMachine {
    /// What matching reads of texts with one ``JSONMemberLayout``: the listed members that lead to a field some
    /// rule names, with their trie nodes resolved once (``plan(for:)``). Valid while the machine's rules stay
    /// as they were when it was made; a stale plan makes ``matches(json:members:plan:into:)`` walk the text.
    public struct MemberPlan: Sendable {
        struct Step: Sendable {
            var member: Int32
            var node: Int32
            var depth: Int32
        }

        /// The members to visit, in document order: named ones that are not expanded (the leaves and
        /// subtrees a walk would visit), with their nodes and depths.
        let steps: [Step]
        let generation: Int

        /// The members whose values matching through this plan reads, in document order: while the plan is
        /// current (``RuleMachine/isCurrent(_:)``), the result for a text depends only on these values' texts.
        public var members: [Int32] { steps.map(\.member) }
    }

    /// Whether `plan` was made for the machine's rules as they are (no rule added or removed since).
    public func isCurrent(_ plan: MemberPlan) -> Bool { plan.generation == generation }

    /// Resolves which members of `layout`'s texts lead to named fields, and their trie nodes.
    /// - Complexity: O(members × depth).
    public func plan(for layout: JSONMemberLayout) -> MemberPlan {
        var nodes = [Int32?](repeating: nil, count: layout.count)
        var steps: [MemberPlan.Step] = []
        for (index, member) in layout.members.enumerated() {
            guard let parentNode = member.parent < 0 ? 0 : nodes[Int(member.parent)] else { continue }
            var key = member.key
            guard let node = key.withUTF8({ childNode(parentNode, $0) }) else { continue }
            nodes[index] = node
            if !member.expanded {
                steps.append(.init(member: Int32(index), node: node, depth: Int32(layout.depth(of: index))))
            }
        }
        return MemberPlan(steps: steps, generation: generation)
    }

    /// Which of `plan`'s members (in ``MemberPlan/members`` order) ``numericClass(of:plan:member:)`` can key:
    /// those whose field every rule tests with `numeric` ranges (or `exists`) only.
    public func numericallyClassed(_ plan: MemberPlan) -> [Bool] {
        plan.steps.map { step in
            let field = nodeField[Int(step.node)]
            return field >= 0 && numericEndpoints(field) != nil
        }
    }

    /// A class of the value `text` of `plan`'s member number `member` (in ``MemberPlan/members`` order; one that
    /// ``numericallyClassed(_:)`` marks) such that, while the plan is current, every value of a class gives the
    /// same match results as any other in its place: -1 for a number that is not exactly a double (no `numeric`
    /// condition matches it, indexed or verified), else the slot of the value among the distinct endpoints of
    /// every range any rule tests the field with (slot 2i + 1 is endpoint i itself, slot 2i the gap below it):
    /// each range, so each test of the field, holds all of a slot or none of it. Nil when `text` is not one JSON
    /// number, or the plan is stale (key such values by their texts). A match-outcome cache keyed by classes
    /// keeps hitting on events whose amounts or prices all differ: their outcomes depend only on these slots.
    /// - Complexity: O(size of `text` + log(ranges of the field)); the endpoints are gathered once per field
    ///   and rule change.
    public func numericClass(of text: UnsafeBufferPointer<UInt8>, plan: MemberPlan, member: Int) -> Int? {
        guard plan.generation == generation else { return nil }
        let field = nodeField[Int(plan.steps[member].node)]
        guard field >= 0, let endpoints = numericEndpoints(field) else { return nil }
        // Exactly one number, as the walk reads it (the walk rejects what this rejects).
        var reader = JSONReader(text)
        guard let range = try? reader.scanNumber(), range == 0..<text.count else { return nil }
        // As a number leaf is tested, indexed or verified: its double, only if the literal is exactly that double.
        let decimal = ShortDecimal(text)
        let value = NumberScanner.parse(text, decimal: decimal)
        guard NumberScanner.exactDouble(text, decimal: decimal, value: value) != nil else { return -1 }
        return NumericIndex.slot(of: value, among: endpoints)
    }

    /// The sorted distinct endpoints of the ranges of every live test of `field`, or nil when a test of it has a
    /// condition other than `numeric` and `exists` (whose outcome a range slot does not decide). Cached per field
    /// until the rules change.
    func numericEndpoints(_ field: Int32) -> [Double]? {
        if numericClassGeneration != generation || numericClassEndpoints.count != fields.count {
            numericClassEndpoints = Array(repeating: nil, count: fields.count)
            numericClassGeneration = generation
        }
        if let known = numericClassEndpoints[Int(field)] { return known }
        var values: [Double] = []
        var classable = true
        for predicate in predicates where predicate.field == field && predicate.references > 0 {
            for condition in predicate.test.conditions {
                switch condition {
                case .numeric(let range):
                    if let lower = range.lower { values.append(lower) }
                    if let upper = range.upper { values.append(upper) }
                case .exists: break
                default: classable = false
                }
            }
        }
        let result = classable && !values.isEmpty ? NumericClass.endpoints(values) : nil
        numericClassEndpoints[Int(field)] = .some(result)
        return result
    }

    /// Matches an event given as UTF-8 JSON text written with a member layout, going straight to the values of
    /// the members `plan` names (``plan(for:)``) through the text's member table: unnamed members are neither
    /// hashed nor skipped over. The result equals ``matches(json:into:)``'s for any text the layout describes
    /// (named values are read and checked exactly as a walk reads them; a walk checks unnamed values only for
    /// balanced brackets and terminated strings, which written text always has).
    /// - Throws: ``JSONSyntaxError`` when a named value is malformed.
    /// - Complexity: O(bytes of the named values) plus index hits and candidate verification.
    public func matches(
        json bytes: UnsafeBufferPointer<UInt8>, members table: JSONMemberTable, plan: MemberPlan,
        into result: inout [Int]
    ) throws(JSONSyntaxError) {
        guard plan.generation == generation else { return try matches(json: bytes, into: &result) }
        result.removeAll(keepingCapacity: true)
        beginEvent()
        var reader = JSONReader(bytes)
        for step in plan.steps {
            reader.position = table.start(Int(step.member))
            try visit(&reader, node: step.node, depth: Int(step.depth))
        }
        finishEvent(into: &result)
    }
}
