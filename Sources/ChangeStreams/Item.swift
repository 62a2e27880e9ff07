/// A table item (or a map value): named attribute values kept sorted by name, names unique.
///
/// The sorted array keeps small items cheap to copy, compare and hash, and makes every iteration order
/// deterministic. Items are values; copies share storage until one is changed.
public struct Item: Sendable, Hashable {
    public static func == (lhs: Item, rhs: Item) -> Bool {
        lhs.sizeInBytes == rhs.sizeInBytes && lhs.attributes == rhs.attributes
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(attributes)
    }

    /// One named value.
    public struct Attribute: Sendable, Hashable {
        /// The attribute name.
        public var name: String
        /// The attribute value.
        public var value: AttributeValue

        /// Creates a named value.
        public init(_ name: String, _ value: AttributeValue) {
            self.name = name
            self.value = value
        }
    }

    /// The attributes, sorted by name (byte order of the UTF-8 names), names unique.
    public private(set) var attributes: [Attribute]

    /// The item's size in bytes by DynamoDB's rules: for each attribute, the UTF-8 length of its name plus the
    /// size of its value (see ``AttributeValue/sizeInBytes``). Kept up to date by every change, so reading it
    /// costs O(1); equal items have equal sizes, so comparing it first makes most inequality checks O(1).
    public private(set) var sizeInBytes: Int

    /// Creates an empty item.
    public init() {
        attributes = []
        sizeInBytes = 0
    }

    /// Creates an item from named values; a later value for the same name wins.
    /// - Complexity: O(n log n) for n values.
    public init(_ values: [(String, AttributeValue)]) {
        attributes = []
        sizeInBytes = 0
        attributes.reserveCapacity(values.count)
        for (name, value) in values { self[name] = value }
    }

    /// Creates an item from attributes already sorted by UTF-8 name with unique names (checked in debug builds).
    /// - Complexity: O(n), no copy of the array.
    init(sortedAttributes: [Attribute]) {
        assert(zip(sortedAttributes, sortedAttributes.dropFirst()).allSatisfy { Self.less($0.name, $1.name) })
        attributes = sortedAttributes
        sizeInBytes = sortedAttributes.reduce(0) { $0 + $1.name.utf8.count + $1.value.sizeInBytes }
    }

    /// A new item equal to this one with attribute `name` set to `value`, or `nil` if it already has that value.
    ///
    /// Builds the new attribute array in one pass with one allocation, element by element (cheaper than a
    /// copy-on-write copy of the whole array followed by a change).
    /// - Complexity: O(n).
    func setting(_ name: String, to value: AttributeValue) -> Item? {
        let index = position(of: name)
        let present = index < attributes.count && attributes[index].name == name
        if present, attributes[index].value == value { return nil }
        var result: [Attribute] = []
        result.reserveCapacity(attributes.count + (present ? 0 : 1))
        var size = sizeInBytes + value.sizeInBytes
        for position in 0..<index { result.append(attributes[position]) }
        result.append(Attribute(name, value))
        if present {
            size -= attributes[index].value.sizeInBytes
        } else {
            size += name.utf8.count
        }
        for position in (present ? index + 1 : index)..<attributes.count { result.append(attributes[position]) }
        var item = Item()
        item.attributes = result
        item.sizeInBytes = size
        return item
    }

    /// The number of attributes.
    public var count: Int { attributes.count }

    /// Whether the item has no attributes.
    public var isEmpty: Bool { attributes.isEmpty }

    /// The attribute names in sorted order.
    public var names: [String] { attributes.map(\.name) }

    /// The value of the attribute `name`, or `nil`; setting `nil` removes the attribute.
    /// - Complexity: O(log n) to read, O(n) to insert or remove.
    public subscript(name: String) -> AttributeValue? {
        get {
            let index = position(of: name)
            guard index < attributes.count, attributes[index].name == name else { return nil }
            return attributes[index].value
        }
        set {
            let index = position(of: name)
            let present = index < attributes.count && attributes[index].name == name
            switch (present, newValue) {
            case (true, .some(let value)):
                sizeInBytes += value.sizeInBytes - attributes[index].value.sizeInBytes
                attributes[index].value = value
            case (true, .none):
                sizeInBytes -= name.utf8.count + attributes[index].value.sizeInBytes
                attributes.remove(at: index)
            case (false, .some(let value)):
                sizeInBytes += name.utf8.count + value.sizeInBytes
                attributes.insert(Attribute(name, value), at: index)
            case (false, .none): break
            }
        }
    }

    /// The index of the attribute named `name`, or else of the first attribute whose name is greater (UTF-8
    /// byte order). Small items are scanned with cheap equality tests before any ordering comparison.
    @inline(__always)
    private func position(of name: String) -> Int {
        if attributes.count <= 8 {
            for index in attributes.indices where attributes[index].name == name { return index }
            var index = 0
            while index < attributes.count, Self.less(attributes[index].name, name) { index += 1 }
            return index
        }
        var low = 0
        var high = attributes.count
        while low < high {
            let middle = (low + high) / 2
            if Self.less(attributes[middle].name, name) { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// UTF-8 byte order, which is DynamoDB's order for strings and independent of Unicode normalisation.
    static func less(_ lhs: String, _ rhs: String) -> Bool {
        lhs.utf8.lexicographicallyPrecedes(rhs.utf8)
    }

    /// A value with its sets sorted and de-duplicated (recursively), so equal sets compare equal.
    /// - Complexity: O(n log n) in the size of the value.
    public static func normalized(_ value: AttributeValue) -> AttributeValue {
        switch value {
        case .ss(let texts): .ss(Self.sortedUnique(texts))
        case .ns(let texts): .ns(Self.sortedUnique(texts))
        case .l(let values): .l(values.map(normalized))
        case .m(var item):
            .m(item.normalizingSets())
        default: value
        }
    }

    private mutating func normalizingSets() -> Item {
        for index in attributes.indices { attributes[index].value = Self.normalized(attributes[index].value) }
        return self
    }

    private static func sortedUnique(_ texts: [String]) -> [String] {
        var sorted = texts.sorted(by: less)
        var write = 0
        for read in sorted.indices where write == 0 || sorted[read] != sorted[write - 1] {
            sorted[write] = sorted[read]
            write += 1
        }
        sorted.removeLast(sorted.count - write)
        return sorted
    }
}

extension Item: ExpressibleByDictionaryLiteral {
    /// Creates an item from a literal such as `["pk": .s("a"), "n": .n("1")]`.
    public init(dictionaryLiteral elements: (String, AttributeValue)...) {
        self.init(elements)
    }
}
