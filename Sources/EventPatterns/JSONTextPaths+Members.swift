extension JSONTextPaths {
    /// For each path, the member of `layout` whose value it finds in every text the layout describes, or -1 when
    /// it finds none in any of them; nil when the layout cannot tell for some path (an empty path, or a path
    /// that goes below a member whose value is not listed member by member). Keys compare as strings, as in
    /// ``ranges(inJSON:into:)``.
    /// - Complexity: O(paths × keys × members).
    public func slots(in layout: JSONMemberLayout) -> [Int32]? {
        var slots: [Int32] = []
        for path in paths {
            guard !path.isEmpty else { return nil }
            var parent: Int32 = -1
            var slot: Int32 = -1
            for (depth, key) in path.enumerated() {
                // The top-level object is listed member by member, and so is an expanded member's value.
                guard parent < 0 || layout.members[Int(parent)].expanded else { return nil }
                guard let member = layout.child(of: parent, key: key) else { break }
                if depth == path.count - 1 { slot = member } else { parent = member }
            }
            slots.append(slot)
        }
        return slots
    }

    /// The ranges of the paths' values in a text written with a member layout, read from its member `table`
    /// with the layout's ``slots(in:)``, into `ranges` (replaced): what ``ranges(inJSON:into:)`` finds in
    /// that text, without reading it. - Complexity: O(paths).
    public func ranges(members table: JSONMemberTable, slots: [Int32], into ranges: inout [Range<Int>?]) {
        if ranges.count != slots.count { ranges = Array(repeating: nil, count: slots.count) }
        for (index, slot) in slots.enumerated() {
            ranges[index] = slot < 0 ? nil : table.start(Int(slot))..<table.end(Int(slot))
        }
    }
}
