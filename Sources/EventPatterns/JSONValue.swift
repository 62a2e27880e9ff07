/// A parsed JSON document.
///
/// Objects keep their members in document order; a duplicate key keeps its first position and its last value
/// (the service's "last wins"). Numbers keep their literal text (see ``JSONNumber``).
public enum JSONValue: Hashable, Sendable {
    case null
    case bool(Bool)
    case number(JSONNumber)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)
}

/// A JSON object: ordered members with unique keys.
///
/// Invariant: no two members share a key. Lookup is a linear scan, which is the fastest choice for the small
/// objects events and patterns are made of.
public struct JSONObject: Hashable, Sendable {
    /// The members in document order.
    public private(set) var members: [(key: String, value: JSONValue)]

    /// Creates an empty object.
    public init() { members = [] }

    /// Creates an object from members; a later duplicate key replaces the earlier value in place.
    /// - Complexity: O(n²) key comparisons for n members; no copying when the keys are already unique (the
    ///   common case: generated events and parsed documents), which is checked first.
    public init(_ members: [(key: String, value: JSONValue)]) {
        if Self.keysAreUnique(members) {
            self.members = members
            return
        }
        self.members = []
        self.members.reserveCapacity(members.count)
        for member in members { self[member.key] = member.value }
    }

    /// Creates an object from members whose keys the caller knows to be unique (checked in debug builds), without
    /// the O(n²) check of ``init(_:)``: for generators whose keys come from a validated template.
    /// - Complexity: O(1), no copying.
    public init(uniqueMembers members: [(key: String, value: JSONValue)]) {
        assert(Self.keysAreUnique(members))
        self.members = members
    }

    static func keysAreUnique(_ members: [(key: String, value: JSONValue)]) -> Bool {
        var later = 1
        while later < members.count {
            for earlier in 0..<later where members[earlier].key == members[later].key { return false }
            later += 1
        }
        return true
    }

    /// The number of members.
    public var count: Int { members.count }

    /// Whether the object has no members.
    public var isEmpty: Bool { members.isEmpty }

    /// The value of `key`, or nil when absent. Setting nil removes the member.
    /// - Complexity: O(n) in the number of members.
    public subscript(key: String) -> JSONValue? {
        get {
            for member in members where member.key == key { return member.value }
            return nil
        }
        set {
            if let index = members.firstIndex(where: { $0.key == key }) {
                if let newValue { members[index].value = newValue } else { members.remove(at: index) }
            } else if let newValue {
                members.append((key: key, value: newValue))
            }
        }
    }

    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.members.count == rhs.members.count else { return false }
        for (left, right) in zip(lhs.members, rhs.members) where left.key != right.key || left.value != right.value {
            return false
        }
        return true
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(members.count)
        for member in members {
            hasher.combine(member.key)
            hasher.combine(member.value)
        }
    }
}

extension JSONValue {
    /// A short name of the value's JSON type, for error messages ("string", "number", "object", …).
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}
