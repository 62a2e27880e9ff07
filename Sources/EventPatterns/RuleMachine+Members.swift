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
