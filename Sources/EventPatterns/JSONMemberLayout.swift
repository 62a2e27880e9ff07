/// The object members that every JSON text written from one template has, in document order, so that a writer
/// can record where each member's value lies (a *member table*) and readers can go straight to the values they
/// need instead of scanning keys: ``RuleMachine/plan(for:)`` and ``JSONTextPaths/slots(in:)``.
///
/// Invariants (the writer's promise for every text described by the layout):
/// - the text is one JSON object whose members, keys unique, are exactly the members listed with parent -1, in
///   that order;
/// - a member marked `expanded` has an object value whose members, keys unique, are exactly those listed with it
///   as parent, in that order; other members' values are any JSON value;
/// - members are listed in pre-order (a member, then its children, then its next sibling), which is the order
///   of their values in the text.
///
/// A class, immutable: producers and readers share one instance.
public final class JSONMemberLayout: Sendable {
    /// One member: its parent's index in ``members`` (-1 for the top-level object), its key as decoded text,
    /// and whether its value is an object listed member by member.
    public struct Member: Sendable, Equatable {
        public var parent: Int32
        public var key: String
        public var expanded: Bool

        public init(parent: Int32, key: String, expanded: Bool = false) {
            self.parent = parent
            self.key = key
            self.expanded = expanded
        }
    }

    /// The members in pre-order.
    public let members: [Member]

    /// - Precondition: every parent is an earlier, expanded member.
    public init(_ members: [Member]) {
        for (index, member) in members.enumerated() {
            precondition(
                member.parent < 0 || (Int(member.parent) < index && members[Int(member.parent)].expanded),
                "a member's parent must be an earlier expanded member")
        }
        self.members = members
    }

    /// The number of members, and so of (start, end) pairs in a member table.
    public var count: Int { members.count }

    /// The bytes of a member table for this layout: two `UInt16`s per member.
    public var tableBytes: Int { members.count * 4 }

    /// The longest text a member table can describe (its offsets are `UInt16`s), bytes.
    public static let maximumTextCount = Int(UInt16.max)

    /// The nesting depth of member `index`: 1 for a member of the top-level object.
    func depth(of index: Int) -> Int {
        var depth = 1
        var parent = members[index].parent
        while parent >= 0 {
            depth += 1
            parent = members[Int(parent)].parent
        }
        return depth
    }

    /// The member with this key among the children of `parent` (-1: the top-level object), if listed.
    func child(of parent: Int32, key: String) -> Int32? {
        members.indices.first { members[$0].parent == parent && members[$0].key == key }.map(Int32.init)
    }
}

/// One text's member table: for each member of its ``JSONMemberLayout``, the byte offsets in the text where
/// its value starts and ends (exclusive), as little-endian `UInt16` pairs, read without alignment requirements
/// (so only texts of at most ``JSONMemberLayout/maximumTextCount`` bytes have one; four bytes a member keep
/// events small, as every event is written, shared and freed through the caches).
public struct JSONMemberTable {
    public let base: UnsafeRawPointer

    /// - Parameter base: the first byte of the table (two `UInt16`s per member of the layout).
    public init(_ base: UnsafeRawPointer) { self.base = base }

    /// Where member `index`'s value starts in the text.
    @inline(__always) public func start(_ index: Int) -> Int {
        Int(UInt16(littleEndian: base.loadUnaligned(fromByteOffset: index &* 4, as: UInt16.self)))
    }

    /// Where member `index`'s value ends in the text (exclusive).
    @inline(__always) public func end(_ index: Int) -> Int {
        Int(UInt16(littleEndian: base.loadUnaligned(fromByteOffset: index &* 4 &+ 2, as: UInt16.self)))
    }
}
