/// An event flattened into leaves addressed by dotted path, each with its array membership.
///
/// Array membership follows event-ruler: every array that holds objects or arrays gets an id in document order,
/// and a leaf records (array id, element index) for each such array it lies inside. Two leaves can be matched
/// together only when they agree on every array they share ("array consistency").
package struct FlatEvent {
    package struct Entry {
        package var path: String
        package var leaf: Leaf
        /// (array id, element index) pairs, ascending by array id.
        package var membership: [ArrayStep]
    }

    package struct ArrayStep: Equatable {
        package var array: Int32
        package var index: Int32
    }

    package private(set) var entries: [Entry] = []
    private var arrayCount: Int32 = 0

    /// Flattens every leaf of `event` (which should be an object; other values give no entries).
    package init(_ event: JSONValue) {
        guard case .object(let object) = event else { return }
        var membership: [ArrayStep] = []
        flatten(object: object, prefix: "", membership: &membership)
    }

    private mutating func flatten(object: JSONObject, prefix: String, membership: inout [ArrayStep]) {
        for (key, value) in object.members {
            add(value, path: prefix.isEmpty ? key : prefix + "." + key, membership: &membership)
        }
    }

    private mutating func add(_ value: JSONValue, path: String, membership: inout [ArrayStep]) {
        switch value {
        case .object(let object): flatten(object: object, prefix: path, membership: &membership)
        case .array(let elements):
            let id = arrayCount
            arrayCount += 1
            for (index, element) in elements.enumerated() {
                switch element {
                case .object, .array:
                    membership.append(ArrayStep(array: id, index: Int32(index)))
                    add(element, path: path, membership: &membership)
                    membership.removeLast()
                default: add(element, path: path, membership: &membership)
                }
            }
        default:
            if let leaf = Leaf(value) { entries.append(Entry(path: path, leaf: leaf, membership: membership)) }
        }
    }

    /// Whether two memberships agree on every array they share.
    /// - Complexity: O(a + b) (both are sorted by array id).
    package static func consistent(_ left: [ArrayStep], _ right: [ArrayStep]) -> Bool {
        var i = 0
        var j = 0
        while i < left.count && j < right.count {
            if left[i].array == right[j].array {
                if left[i].index != right[j].index { return false }
                i += 1
                j += 1
            } else if left[i].array < right[j].array {
                i += 1
            } else {
                j += 1
            }
        }
        return true
    }

    /// The union of two consistent memberships, sorted by array id.
    package static func merged(_ left: [ArrayStep], _ right: [ArrayStep]) -> [ArrayStep] {
        if left.isEmpty { return right }
        if right.isEmpty { return left }
        var result: [ArrayStep] = []
        var i = 0
        var j = 0
        while i < left.count || j < right.count {
            if j == right.count || (i < left.count && left[i].array < right[j].array) {
                result.append(left[i]); i += 1
            } else if i == left.count || right[j].array < left[i].array {
                result.append(right[j]); j += 1
            } else {
                result.append(left[i]); i += 1; j += 1
            }
        }
        return result
    }
}
