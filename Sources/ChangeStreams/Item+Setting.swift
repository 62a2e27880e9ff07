/// Setting one attribute: a new version built around the change (one allocation), or the version changed in
/// place while nothing else references it (no allocation).
extension Item {
    /// A new item equal to this one with attribute `name` set to `value`, or `nil` if it already has that value.
    ///
    /// Copies the bytes before and after the attribute around the new encoding: one allocation, no decoding.
    /// - Complexity: O(size of the item).
    func setting(_ name: String, to value: AttributeValue) -> Item? {
        if case .changed(let item) = setting(name, to: value, unlessNamed: nil, refusingInvalidNumbers: false) {
            return item
        }
        return nil
    }

    /// What ``setting(_:to:unlessNamed:refusingInvalidNumbers:)`` did.
    enum SettingOutcome {
        /// The attribute already had the value.
        case unchanged
        /// The new version.
        case changed(Item)
        /// The name is one of the forbidden (key) names; nothing was built.
        case forbiddenName
        /// The value is a number whose text is not a valid number, and such numbers were refused; nothing was
        /// built.
        case invalidNumber
    }

    /// An `S` or `N` value given as its text's UTF-8 bytes, with its DynamoDB size and flags worked out in one
    /// pass over the bytes. The bytes are borrowed: a `TextValue` lives inside the closure that lent them.
    struct TextValue {
        let tag: ValueTag
        let bytes: UnsafeBufferPointer<UInt8>
        /// The DynamoDB size of the value in bytes.
        let size: Int
        /// `.invalidNumber` for a number that is not valid (only when such numbers are not refused), else empty.
        let flags: ItemFlags

        /// A string, or a number already checked, of the given size.
        @inline(__always)
        init(tag: ValueTag, bytes: UnsafeBufferPointer<UInt8>, size: Int) {
            self.tag = tag
            self.bytes = bytes
            self.size = size
            flags = []
        }

        /// The value of `tag` (`.s` or `.n`) with text `bytes`, or `nil` for an invalid number when
        /// `refusingInvalidNumbers`.
        @inline(__always)
        init?(tag: ValueTag, bytes: UnsafeBufferPointer<UInt8>, refusingInvalidNumbers: Bool) {
            if tag == .n {
                if let size = AttributeValue.checkedNumberSize(bytes: bytes) {
                    self.size = size
                    flags = []
                } else if refusingInvalidNumbers {
                    return nil
                } else {
                    size = AttributeValue.numberSize(bytes: bytes)
                    flags = .invalidNumber
                }
            } else {
                size = bytes.count
                flags = []
            }
            self.tag = tag
            self.bytes = bytes
        }
    }

    /// An item of two attributes, `keyValue` named by the bytes `keyName` and the string or number `value` named
    /// by the bytes `name` (a different name), in name order: the item a one-attribute update creates in a table
    /// without a sort key, built in `spare` if that can take it.
    /// - Complexity: O(size of the attributes), at most one allocation.
    init(
        keyName: UnsafeBufferPointer<UInt8>, keyValue: AttributeValue, name: UnsafeBufferPointer<UInt8>,
        value: TextValue, reusing spare: inout ItemBuffer?
    ) {
        let keySummary = ItemEncoding.summary(of: keyValue)
        let keyLength = ItemEncoding.prefixed(keyName.count) + ItemEncoding.length(of: keyValue)
        let valueLength = ItemEncoding.prefixed(name.count) + 1 + ItemEncoding.prefixed(value.bytes.count)
        let keyFirst = ItemEncoding.compare(keyName, name) < 0
        let size = keyName.count + keySummary.size + name.count + value.size
        self = Self.make(
            byteCount: keyLength + valueLength, count: 2, size: size, flags: keySummary.flags.union(value.flags),
            reusing: &spare
        ) { writer in
            if !keyFirst { writer.attribute(name, value) }
            writer.varint(keyName.count)
            writer.bytes(keyName)
            writer.value(keyValue)
            if keyFirst { writer.attribute(name, value) }
        }
    }

    /// ``init(keyName:keyValue:name:value:reusing:)`` of a stored key's value given as its short form
    /// (``ShortKeyValue``, the copy in the key's item-id entry) and its size `keySize`: the same item, written
    /// without reading the key's values (a stored key is valid, so the value has no flags).
    /// - Complexity: O(size of the attributes), at most one allocation.
    init(
        keyName: UnsafeBufferPointer<UInt8>, shortKey: ShortKeyValue, keySize: Int, name: UnsafeBufferPointer<UInt8>,
        value: TextValue, reusing spare: inout ItemBuffer?
    ) {
        let count = Int(shortKey.count)
        let keyLength = ItemEncoding.prefixed(keyName.count) + 1 + ItemEncoding.prefixed(count)
        let valueLength = ItemEncoding.prefixed(name.count) + 1 + ItemEncoding.prefixed(value.bytes.count)
        let keyFirst = ItemEncoding.compare(keyName, name) < 0
        let size = keyName.count + keySize + name.count + value.size
        var payload = (UInt64(littleEndian: shortKey.words.0), UInt64(littleEndian: shortKey.words.1))
        self = withUnsafeBytes(of: &payload) { payload in
            Self.make(
                byteCount: keyLength + valueLength, count: 2, size: size, flags: value.flags, reusing: &spare
            ) { writer in
                if !keyFirst { writer.attribute(name, value) }
                writer.varint(keyName.count)
                writer.bytes(keyName)
                writer.byte(shortKey.tag)
                writer.varint(count)
                writer.bytes(payload.bindMemory(to: UInt8.self).extracting(..<count))
                if keyFirst { writer.attribute(name, value) }
            }
        }
    }

    /// The item with attribute `name` set to `value`, checked on the way: a name in `forbidden` (compared by
    /// bytes) is refused, and so is an invalid top-level number when `refusingInvalidNumbers` (the table's
    /// writes); otherwise an invalid number is stored and flagged, as ``init(_:)`` stores it, for validation to
    /// report. An unchanged scalar is recognised without building anything. Nested values must already be
    /// checked when they go into a table (see ``Table/checked(_:name:)``).
    /// - Complexity: O(size of the item), at most one allocation.
    func setting(
        _ name: String, to value: AttributeValue, unlessNamed forbidden: KeyNames?, refusingInvalidNumbers: Bool = true
    ) -> SettingOutcome {
        let tag: ValueTag
        switch value {
        case .s: tag = .s
        case .n: tag = .n
        default: return settingAnyValue(name, to: value, forbidden, refusingInvalidNumbers)
        }
        return Self.withNameAndText(name, value) { key, text -> SettingOutcome in
            if let forbidden, forbidden.contains(key) { return .forbiddenName }
            guard let text = TextValue(tag: tag, bytes: text, refusingInvalidNumbers: refusingInvalidNumbers) else {
                return .invalidNumber
            }
            return setting(key: key, to: text)
        }
    }

    /// Calls `body` with the UTF-8 bytes of `name` and of the text of `value`, an `S` or `N` value (empty for
    /// other values).
    @inline(__always)
    static func withNameAndText<R>(
        _ name: String, _ value: AttributeValue, _ body: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>) -> R
    ) -> R {
        withUTF8(name) { key in
            switch value {
            case .s(let text), .n(let text): withUTF8(text) { body(key, $0) }
            default: body(key, UnsafeBufferPointer(start: nil, count: 0))
            }
        }
    }

    /// The item with the attribute named by the bytes `key` set to `value` (no checks of the name): unchanged if
    /// it already has that value, else a new version.
    /// - Complexity: O(size of the item), at most one allocation.
    @inline(__always)
    func setting(key: UnsafeBufferPointer<UInt8>, to value: TextValue) -> SettingOutcome {
        withBytes { old -> SettingOutcome in
            let place = Self.locate(key, in: old)
            if place.found, place.tag == value.tag.rawValue, ItemEncoding.equal(place.payload, value.bytes) {
                return .unchanged
            }
            let entryLength = ItemEncoding.prefixed(key.count) + 1 + ItemEncoding.prefixed(value.bytes.count)
            var size = sizeInBytes + value.size
            size += place.found ? -ItemEncoding.scalarSize(tag: place.tag, payload: place.payload) : key.count
            return .changed(
                Self.make(
                    byteCount: old.count - (place.end - place.start) + entryLength,
                    count: count + (place.found ? 0 : 1), size: size, flags: flags.union(value.flags)
                ) { writer in
                    writer.bytes(UnsafeBufferPointer(rebasing: old[0..<place.start]))
                    writer.attribute(key, value)
                    writer.bytes(UnsafeBufferPointer(rebasing: old[place.end...]))
                })
        }
    }

    /// ``setting(_:to:unlessNamed:refusingInvalidNumbers:)`` for a value of any type.
    private func settingAnyValue(
        _ name: String, to value: AttributeValue, _ forbidden: KeyNames?, _ refusingInvalidNumbers: Bool
    ) -> SettingOutcome {
        Self.withUTF8(name) { key in
            if let forbidden, forbidden.contains(key) { return .forbiddenName }
            let summary = ItemEncoding.summary(of: value)
            if refusingInvalidNumbers, summary.flags.contains(.invalidNumber) { return .invalidNumber }
            return withBytes { old -> SettingOutcome in
                let place = Self.locate(key, in: old)
                if place.found, ItemEncoding.encodes(value, place.tag, place.payload) == true { return .unchanged }
                let entryLength = ItemEncoding.prefixed(key.count) + ItemEncoding.length(of: value)
                let removed = place.end - place.start
                var size = sizeInBytes + summary.size
                size += place.found ? -ItemEncoding.size(tag: place.tag, payload: place.payload) : key.count
                let item = Self.make(
                    byteCount: old.count - removed + entryLength, count: count + (place.found ? 0 : 1), size: size,
                    flags: flags.union(summary.flags)
                ) { writer in
                    writer.bytes(UnsafeBufferPointer(rebasing: old[0..<place.start]))
                    writer.varint(key.count)
                    writer.bytes(key)
                    writer.value(value)
                    writer.bytes(UnsafeBufferPointer(rebasing: old[place.end...]))
                }
                guard place.found, removed == entryLength, !summary.flags.isEmpty else { return .changed(item) }
                // A nested value: compare the encodings.
                let unchanged = item.withBytes { new in
                    ItemEncoding.equal(
                        UnsafeBufferPointer(rebasing: new[place.start..<place.end]),
                        UnsafeBufferPointer(rebasing: old[place.start..<place.end]))
                }
                return unchanged ? .unchanged : .changed(item)
            }
        }
    }

    /// Replaces this version's attributes with the checked, sorted encoded attributes `bytes`: `count` of them,
    /// of DynamoDB size `size`. Writes into the buffer in place when nothing else references it and it has room
    /// (no allocation); otherwise becomes a new version (one allocation).
    /// - Complexity: O(`bytes.count`).
    @inline(__always)
    mutating func replaceContents(with bytes: UnsafeBufferPointer<UInt8>, count: Int, size: Int) {
        if isKnownUniquelyReferenced(&storage), storage.unsafelyUnwrapped.byteCapacity >= bytes.count,
            let source = bytes.baseAddress
        {
            storage.unsafelyUnwrapped.withUnsafeMutablePointers { header, elements in
                copyBytes(to: elements, from: source, count: bytes.count)
                header.pointee.reset(byteCount: bytes.count, sizeInBytes: size, count: count, flags: [])
            }
            return
        }
        self = Self.make(byteCount: bytes.count, count: count, size: size, flags: []) { $0.bytes(bytes) }
    }

    /// What ``set(key:to:maximumSize:)`` did.
    enum InPlaceOutcome: Equatable {
        case unchanged, changed, forbiddenName, invalidNumber
        /// The new version would exceed the maximum size (its size); the item is unchanged.
        case tooLarge(Int)
    }

    /// Sets attribute `name` to `value` with the checks of ``setting(_:to:unlessNamed:refusingInvalidNumbers:)``
    /// and a size limit, in place where ``set(key:to:maximumSize:)`` can. On any refusal the item is left as it
    /// was.
    /// - Complexity: O(size of the item).
    mutating func set(
        _ name: String, to value: AttributeValue, unlessNamed forbidden: KeyNames, maximumSize: Int
    ) -> InPlaceOutcome {
        let tag: ValueTag
        switch value {
        case .s: tag = .s
        case .n: tag = .n
        default:
            return adopt(setting(name, to: value, unlessNamed: forbidden), maximumSize: maximumSize)
        }
        return Self.withNameAndText(name, value) { key, text -> InPlaceOutcome in
            if forbidden.contains(key) { return .forbiddenName }
            guard let text = TextValue(tag: tag, bytes: text, refusingInvalidNumbers: true) else {
                return .invalidNumber
            }
            return set(key: key, to: text, maximumSize: maximumSize)
        }
    }

    /// Sets the attribute named by the bytes `key` (no checks of the name) to `value`, changing this version's
    /// buffer in place when nothing else references it and a payload under 128 bytes replaces one that is too,
    /// within the buffer's allocated capacity (no allocation; the attributes after it move by the difference in
    /// length); otherwise it builds a new version as ``setting(key:to:)`` does. A new size above `maximumSize`
    /// leaves the item as it was.
    /// - Complexity: O(size of the item).
    @inline(__always)
    mutating func set(key: UnsafeBufferPointer<UInt8>, to value: TextValue, maximumSize: Int) -> InPlaceOutcome {
        if isKnownUniquelyReferenced(&storage), let outcome = overwrite(key, with: value, maximumSize) {
            return outcome
        }
        return adopt(setting(key: key, to: value), maximumSize: maximumSize)
    }

    /// Becomes the new version `outcome` built, unless its size exceeds `maximumSize`; says what happened.
    @inline(__always)
    private mutating func adopt(_ outcome: SettingOutcome, maximumSize: Int) -> InPlaceOutcome {
        switch outcome {
        case .unchanged: return .unchanged
        case .forbiddenName: return .forbiddenName
        case .invalidNumber: return .invalidNumber
        case .changed(let item):
            guard item.sizeInBytes <= maximumSize else { return .tooLarge(item.sizeInBytes) }
            self = item
            return .changed
        }
    }

    /// The in-place case of ``set(key:to:maximumSize:)``, or `nil` when it does not apply (the attribute absent,
    /// a payload of 128 bytes or more, or no room). The caller checked uniqueness.
    @inline(__always)
    private func overwrite(_ key: UnsafeBufferPointer<UInt8>, with value: TextValue, _ maximumSize: Int)
        -> InPlaceOutcome?
    {
        // The buffer is read through `self` (borrowed), not bound to a local (which would retain it).
        guard storage != nil else { return nil }
        let newValue = value.bytes
        return storage.unsafelyUnwrapped.withUnsafeMutablePointers { header, elements -> InPlaceOutcome? in
            let byteCount = header.pointee.byteCount
            let bytes = UnsafeBufferPointer(start: UnsafePointer(elements), count: byteCount)
            let place = Self.locate(key, in: bytes)
            guard place.found else { return nil }
            if place.tag == value.tag.rawValue, ItemEncoding.equal(place.payload, newValue) { return .unchanged }
            // One-byte length prefixes before and after, and room in the buffer for the new length.
            // Offsets, lengths and sizes are those of an item below 400 KB and a value below 128 bytes: the
            // arithmetic below cannot overflow and is unchecked.
            let delta = newValue.count &- place.payload.count
            guard place.payload.count < 0x80, newValue.count < 0x80,
                delta <= 0 || byteCount &+ delta <= header.pointee.capacity
            else { return nil }
            let oldSize = ItemEncoding.scalarSize(tag: place.tag, payload: place.payload)
            let size = header.pointee.sizeInBytes &- oldSize &+ value.size
            guard size <= maximumSize else { return .tooLarge(size) }
            if delta != 0 {
                // Shift the attributes after this one (overlapping ranges are handled by `update`).
                copyBytes(
                    to: elements + (place.end &+ delta), from: elements + place.end, count: byteCount &- place.end)
            }
            let tagOffset = place.start &+ ItemEncoding.prefixed(key.count)
            elements[tagOffset] = value.tag.rawValue
            elements[tagOffset &+ 1] = UInt8(truncatingIfNeeded: newValue.count)
            if let source = newValue.baseAddress {
                copyBytes(to: elements + (tagOffset &+ 2), from: source, count: newValue.count)
            }
            header.pointee.byteCount = byteCount &+ delta
            header.pointee.sizeInBytes = size
            if !value.flags.isEmpty { header.pointee.flags.formUnion(value.flags) }
            return .changed
        }
    }
}

extension ByteWriter {
    /// Writes a string or number attribute: `varint(name length) name tag varint(text length) text`.
    @inline(__always)
    mutating func attribute(_ name: UnsafeBufferPointer<UInt8>, _ value: Item.TextValue) {
        varint(name.count)
        bytes(name)
        byte(value.tag.rawValue)
        varint(value.bytes.count)
        bytes(value.bytes)
    }
}
