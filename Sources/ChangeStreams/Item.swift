/// A table item (or a map value): named attribute values kept sorted by name, names unique.
///
/// An item version is one buffer holding its attributes in the compact byte format of ``ItemEncoding`` (names
/// in UTF-8 byte order), with its count, DynamoDB size and a validation summary in the buffer's header. Copying an
/// item is one reference-count increment; equality is a byte comparison (DynamoDB compares strings by their
/// bytes, so `"é"` precomposed and decomposed are different values). Items are values with copy-on-write
/// storage: a change builds a new buffer with one allocation and leaves every copy of the old version intact,
/// except that a buffer nothing else references may be changed in place (``set(_:to:unlessNamed:maximumSize:)``).
/// Reading an attribute decodes just that attribute; ``attributes`` decodes them all.
public struct Item: @unchecked Sendable, Hashable {  // Sendable: a shared buffer is never written (copy on write).
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

    /// The encoded attributes, or `nil` for the empty item. Never changed once shared: only
    /// ``set(key:to:maximumSize:)`` (in Item+Setting.swift) writes into a buffer, and only when nothing else
    /// references it.
    var storage: ItemBuffer?

    private init(storage: ItemBuffer?) { self.storage = storage }

    /// Creates an empty item.
    public init() { storage = nil }

    /// Creates an item from named values; a later value for the same name wins.
    /// - Complexity: O(n log n) for n values.
    public init(_ values: [(String, AttributeValue)]) {
        let order = values.indices.sorted { left, right in
            let order = Self.compare(values[left].0, values[right].0)
            return order != 0 ? order < 0 : left < right
        }
        var attributes: [Attribute] = []
        attributes.reserveCapacity(values.count)
        for index in order {
            let (name, value) = values[index]
            if let last = attributes.last, Self.compare(last.name, name) == 0 {
                attributes[attributes.count - 1].value = value
            } else {
                attributes.append(Attribute(name, value))
            }
        }
        self.init(sortedAttributes: attributes)
    }

    /// Creates an item from attributes already sorted by UTF-8 name with unique names (checked in debug builds).
    /// - Complexity: O(size of the attributes), one allocation.
    init(sortedAttributes: [Attribute]) {
        assert(zip(sortedAttributes, sortedAttributes.dropFirst()).allSatisfy { Self.compare($0.name, $1.name) < 0 })
        var byteCount = 0
        var size = 0
        var flags: ItemFlags = []
        for attribute in sortedAttributes {
            let nameLength = attribute.name.utf8.count
            byteCount += ItemEncoding.prefixed(nameLength) + ItemEncoding.length(of: attribute.value)
            let summary = ItemEncoding.summary(of: attribute.value)
            size += nameLength + summary.size
            flags.formUnion(summary.flags)
        }
        self = Self.make(byteCount: byteCount, count: sortedAttributes.count, size: size, flags: flags) { writer in
            for attribute in sortedAttributes {
                writer.varint(attribute.name.utf8.count)
                writer.text(attribute.name)
                writer.value(attribute.value)
            }
        }
    }

    /// Creates an item from encoded attributes (a map value's payload), summarising them for the header.
    /// - Complexity: O(length of the bytes).
    init(encoded bytes: UnsafeBufferPointer<UInt8>) {
        var reader = ByteReader(bytes)
        var count = 0
        var size = 0
        var flags: ItemFlags = []
        while !reader.isAtEnd {
            let attribute = reader.attribute()
            count += 1
            size += attribute.name.count + ItemEncoding.size(tag: attribute.tag, payload: attribute.payload)
            switch ValueTag(rawValue: attribute.tag) {
            case .n:
                if !AttributeValue.isValidNumber(bytes: attribute.payload) { flags.insert(.invalidNumber) }
            case .l, .m, .ss, .ns: flags.insert(.nested)
            default: break
            }
        }
        self = Self.make(byteCount: bytes.count, count: count, size: size, flags: flags) { $0.bytes(bytes) }
    }

    /// An item of `byteCount` encoded bytes written by `write`, with the given header figures.
    @inline(__always)
    static func make(
        byteCount: Int, count: Int, size: Int, flags: ItemFlags, _ write: (inout ByteWriter) -> Void
    ) -> Item {
        var none: ItemBuffer? = nil
        return make(byteCount: byteCount, count: count, size: size, flags: flags, reusing: &none, write)
    }

    /// ``make(byteCount:count:size:flags:_:)``, built in `spare` (which becomes `nil`) if nothing else references
    /// it and it is large enough (no allocation), else in a new buffer.
    @inline(__always)
    static func make(
        byteCount: Int, count: Int, size: Int, flags: ItemFlags, reusing spare: inout ItemBuffer?,
        _ write: (inout ByteWriter) -> Void
    ) -> Item {
        guard byteCount > 0 else { return Item() }
        let buffer: ItemBuffer
        if isKnownUniquelyReferenced(&spare), spare.unsafelyUnwrapped.byteCapacity >= byteCount {
            buffer = spare.unsafelyUnwrapped
            spare = nil
            buffer.withUnsafeMutablePointerToHeader {
                $0.pointee.reset(byteCount: byteCount, sizeInBytes: size, count: count, flags: flags)
            }
        } else {
            buffer = ItemBuffer.make(byteCount: byteCount, count: count, size: size, flags: flags)
        }
        buffer.withUnsafeMutablePointerToElements { elements in
            var writer = ByteWriter(pointer: elements)
            write(&writer)
            assert(writer.pointer == elements + byteCount)
        }
        return Item(storage: buffer)
    }

    /// The item's size in bytes by DynamoDB's rules: for each attribute, the UTF-8 length of its name plus the
    /// size of its value (see ``AttributeValue/sizeInBytes``). Computed when the version is built; O(1).
    public var sizeInBytes: Int { storage?.fields.sizeInBytes ?? 0 }

    /// The number of attributes. O(1).
    public var count: Int { Int(storage?.fields.count ?? 0) }

    /// Whether the item has no attributes.
    public var isEmpty: Bool { storage == nil }

    /// The length of the encoded form in bytes.
    var byteCount: Int { storage?.fields.byteCount ?? 0 }

    /// What validation must look at (may over-approximate after ``setting(_:to:)``, never under-approximate).
    var flags: ItemFlags { storage?.fields.flags ?? [] }

    /// Calls `body` with the encoded attributes (empty for the empty item).
    @inline(__always)
    func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        // Read through `self` (borrowed), not bound to a local, which would cost a retain and a release.
        guard storage != nil else { return body(UnsafeBufferPointer(start: nil, count: 0)) }
        return storage.unsafelyUnwrapped.withUnsafeMutablePointers { header, elements in
            body(UnsafeBufferPointer(start: elements, count: header.pointee.byteCount))
        }
    }

    /// Calls `body` with the encoded attributes and ``sizeInBytes``.
    @inline(__always)
    func withBytesAndSize<R>(_ body: (UnsafeBufferPointer<UInt8>, Int) -> R) -> R {
        guard storage != nil else { return body(UnsafeBufferPointer(start: nil, count: 0), 0) }
        return storage.unsafelyUnwrapped.withUnsafeMutablePointers { header, elements in
            body(UnsafeBufferPointer(start: elements, count: header.pointee.byteCount), header.pointee.sizeInBytes)
        }
    }

    /// Calls `body` with the encoded attributes of `item`, or with `nil` if there is no item.
    @inline(__always)
    static func withBytes<R>(of item: Item?, _ body: (UnsafeBufferPointer<UInt8>?) -> R) -> R {
        guard let item else { return body(nil) }
        return item.withBytes { body($0) }
    }

    /// The attributes, sorted by name (byte order of the UTF-8 names), names unique, decoded.
    /// - Complexity: O(size of the item), allocates.
    public var attributes: [Attribute] {
        withBytes { bytes in
            var reader = ByteReader(bytes)
            var result: [Attribute] = []
            result.reserveCapacity(count)
            while !reader.isAtEnd {
                let attribute = reader.attribute()
                result.append(
                    Attribute(
                        ItemEncoding.text(attribute.name),
                        ItemEncoding.decode(tag: attribute.tag, payload: attribute.payload)))
            }
            return result
        }
    }

    /// The attribute names in sorted order.
    public var names: [String] {
        withBytes { bytes in
            var reader = ByteReader(bytes)
            var result: [String] = []
            while !reader.isAtEnd { result.append(ItemEncoding.text(reader.attribute().name)) }
            return result
        }
    }

    /// The value of the attribute `name`, or `nil`; setting `nil` removes the attribute.
    /// - Complexity: O(size of the item); setting builds a new version.
    public subscript(name: String) -> AttributeValue? {
        get {
            Self.withUTF8(name) { key in
                withBytes { bytes in
                    let place = Self.locate(key, in: bytes)
                    return place.found ? ItemEncoding.decode(tag: place.tag, payload: place.payload) : nil
                }
            }
        }
        set {
            if let newValue {
                if let changed = setting(name, to: newValue) { self = changed }
            } else {
                var attributes = attributes
                guard let index = attributes.firstIndex(where: { Self.compare($0.name, name) == 0 }) else { return }
                attributes.remove(at: index)
                self = Item(sortedAttributes: attributes)
            }
        }
    }

    /// Where the attribute named `key` is, or would be inserted: its byte range and, if found, its value.
    ///
    /// This is the inner loop of every put, update and attribute read. Entries whose name and payload have
    /// one-byte length prefixes (names and values under 128 bytes: nearly all of them) are walked through the raw
    /// pointer with no bounds or overflow checks (the bytes are an item's encoding, well formed by construction),
    /// and a name is compared with the key by its first byte before anything else; from the first entry with a
    /// longer prefix on, ``locateGeneral(_:in:from:)`` takes over.
    @inline(__always)
    static func locate(
        _ key: UnsafeBufferPointer<UInt8>, in bytes: UnsafeBufferPointer<UInt8>
    ) -> (found: Bool, start: Int, end: Int, tag: UInt8, payload: UnsafeBufferPointer<UInt8>) {
        let empty = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
        guard let base = bytes.baseAddress else { return (false, 0, 0, 0, empty) }
        guard let keyBase = key.baseAddress, key.count > 0 else { return locateGeneral(key, in: bytes, from: 0) }
        let end = bytes.count
        let keyFirst = keyBase[0]
        let keyCount = key.count
        var offset = 0
        while offset < end {
            let nameLength = Int(base[offset])
            if nameLength >= 0x80 { return locateGeneral(key, in: bytes, from: offset) }
            let nameStart = offset &+ 1
            let tagOffset = nameStart &+ nameLength
            let payloadLength = Int(base[tagOffset &+ 1])
            if payloadLength >= 0x80 { return locateGeneral(key, in: bytes, from: offset) }
            let next = tagOffset &+ 2 &+ payloadLength
            // Names are sorted: a smaller first byte means keep going, a larger one means the key is absent.
            if nameLength > 0 {
                let first = base[nameStart]
                if first < keyFirst {
                    offset = next
                    continue
                }
                if first > keyFirst { return (false, offset, offset, 0, empty) }
            }
            let name = UnsafeBufferPointer(start: base + nameStart, count: nameLength)
            if nameLength == keyCount, ItemEncoding.equal(name, key) {
                return (
                    true, offset, next, base[tagOffset],
                    UnsafeBufferPointer(start: base + tagOffset + 2, count: payloadLength)
                )
            }
            if ItemEncoding.compare(name, key) > 0 { return (false, offset, offset, 0, empty) }
            offset = next
        }
        return (false, end, end, 0, empty)
    }

    /// ``locate(_:in:)`` for any length prefixes, from the entry at `offset` on (the entries before it have names
    /// ordered before the key).
    static func locateGeneral(
        _ key: UnsafeBufferPointer<UInt8>, in bytes: UnsafeBufferPointer<UInt8>, from offset: Int
    ) -> (found: Bool, start: Int, end: Int, tag: UInt8, payload: UnsafeBufferPointer<UInt8>) {
        let empty = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
        guard let base = bytes.baseAddress else { return (false, 0, 0, 0, empty) }
        let end = bytes.count
        let keyFirst = key.first
        var offset = offset
        while offset < end {
            let start = offset
            let nameLength = Self.length(at: &offset, in: bytes)
            let nameStart = offset
            offset += nameLength
            let tag = base[offset]
            offset += 1
            let payloadLength = Self.length(at: &offset, in: bytes)
            let payloadStart = offset
            offset += payloadLength
            if nameLength > 0, let keyFirst {
                let first = base[nameStart]
                if first < keyFirst { continue }
                if first > keyFirst { return (false, start, start, 0, empty) }
            }
            let order = ItemEncoding.compare(UnsafeBufferPointer(start: base + nameStart, count: nameLength), key)
            if order == 0 {
                return (true, start, offset, tag, UnsafeBufferPointer(start: base + payloadStart, count: payloadLength))
            }
            if order > 0 { return (false, start, start, 0, empty) }
        }
        return (false, end, end, 0, empty)
    }

    /// The length prefix at `offset` in `bytes`, advancing `offset` past it: a one-byte prefix read directly,
    /// a longer one through ``ByteReader``.
    @inline(__always)
    private static func length(at offset: inout Int, in bytes: UnsafeBufferPointer<UInt8>) -> Int {
        let first = bytes[offset]
        if first < 0x80 {
            offset += 1
            return Int(first)
        }
        var reader = ByteReader(bytes)
        reader.offset = offset
        defer { offset = reader.offset }
        return reader.varint()
    }

    @inline(__always)
    static func withUTF8<R>(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if let result = text.utf8.withContiguousStorageIfAvailable(body) { return result }
        return Array(text.utf8).withUnsafeBufferPointer(body)
    }

    /// The order of names: UTF-8 byte order (DynamoDB's order for strings, independent of Unicode
    /// normalisation), as a negative, zero or positive number.
    static func compare(_ lhs: String, _ rhs: String) -> Int {
        withUTF8(lhs) { left in withUTF8(rhs) { right in ItemEncoding.compare(left, right) } }
    }

    /// UTF-8 byte order.
    static func less(_ lhs: String, _ rhs: String) -> Bool { compare(lhs, rhs) < 0 }

    public static func == (lhs: Item, rhs: Item) -> Bool {
        if lhs.storage === rhs.storage { return true }
        guard lhs.byteCount == rhs.byteCount else { return false }
        return lhs.withBytes { left in rhs.withBytes { right in ItemEncoding.equal(left, right) } }
    }

    public func hash(into hasher: inout Hasher) {
        withBytes { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }

    /// A value with its sets sorted and de-duplicated (recursively), so equal sets compare equal.
    /// - Complexity: O(n log n) in the size of the value.
    public static func normalized(_ value: AttributeValue) -> AttributeValue {
        switch value {
        case .ss(let texts): .ss(Self.sortedUnique(texts))
        case .ns(let texts): .ns(Self.sortedUnique(texts))
        case .l(let values): .l(values.map(normalized))
        case .m(let item): .m(Item(sortedAttributes: item.attributes.map { Attribute($0.name, normalized($0.value)) }))
        default: value
        }
    }

    private static func sortedUnique(_ texts: [String]) -> [String] {
        var sorted = texts.sorted(by: less)
        var write = 0
        for read in sorted.indices where write == 0 || compare(sorted[read], sorted[write - 1]) != 0 {
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

/// One item version's storage: the header, then `byteCount` encoded bytes (the allocation may be larger). Changed
/// only while a single `Item` references it (copy on write), so a shared buffer is never written and sharing it
/// between threads is safe.
final class ItemBuffer: ManagedBuffer<ItemBuffer.Header, UInt8> {
    struct Header {
        var byteCount: Int
        var sizeInBytes: Int
        var count: Int32
        var flags: ItemFlags
        /// The bytes the buffer can hold, found once when it is allocated (`ManagedBuffer.capacity` asks the
        /// allocator on every read).
        var capacity = 0

        /// Describes new contents, keeping the capacity.
        @inline(__always)
        mutating func reset(byteCount: Int, sizeInBytes: Int, count: Int, flags: ItemFlags) {
            self.byteCount = byteCount
            self.sizeInBytes = sizeInBytes
            self.count = Int32(truncatingIfNeeded: count)
            self.flags = flags
        }
    }

    @inline(__always)
    static func make(byteCount: Int, count: Int, size: Int, flags: ItemFlags) -> ItemBuffer {
        let buffer = create(minimumCapacity: byteCount) { buffer in
            Header(
                byteCount: byteCount, sizeInBytes: size, count: Int32(truncatingIfNeeded: count), flags: flags,
                capacity: buffer.capacity)
        }
        return unsafeDowncast(buffer, to: ItemBuffer.self)
    }

    /// The number of bytes the buffer can hold.
    @inline(__always)
    var byteCapacity: Int { withUnsafeMutablePointerToHeader { $0.pointee.capacity } }

    /// The header, read through a pointer (reading the `header` property would pay for a dynamic exclusivity
    /// check on every access).
    @inline(__always)
    var fields: Header { withUnsafeMutablePointerToHeader { $0.pointee } }
}
