/// One named attribute value encoded once, in the byte format items are stored in, to be written many times.
///
/// A client that writes the same names and values again and again (a workload drawing values from a fixed set,
/// a simulator's templates) encodes them once; then ``ItemBuilder/append(_:)-(EncodedAttribute)`` copies the bytes
/// into an item, and ``Table/update(_:setting:at:)`` sets a string or number attribute without converting a
/// `String`, validating a number or computing a size on every write. The outcome of every operation is the
/// same as with the name and value given separately (a test checks it), errors included.
public struct EncodedAttribute: Sendable, Hashable {
    /// The attribute's encoding and what is known about it, shared by copies (copying an encoded attribute is one
    /// reference-count increment, not three).
    final class Storage: Sendable {
        let name: String
        let value: AttributeValue
        /// `varint(name length) name tag varint(payload length) payload`, as in an item.
        let bytes: [UInt8]
        /// Where the name's bytes are in `bytes`.
        let nameRange: Range<Int>
        /// Where the value's payload (a string's or number's text) is in `bytes`.
        let payloadRange: Range<Int>
        /// The value's encoding tag.
        let tag: ValueTag
        /// The value's size by DynamoDB's rules (``AttributeValue/sizeInBytes``).
        let valueSize: Int
        /// The validation summary of the value.
        let flags: ItemFlags

        init(_ name: String, _ value: AttributeValue) {
            self.name = name
            self.value = value
            let nameLength = name.utf8.count
            let prefix = ItemEncoding.prefixed(nameLength) - nameLength
            let length = prefix + nameLength + ItemEncoding.length(of: value)
            bytes = [UInt8](unsafeUninitializedCapacity: length) { buffer, count in
                var writer = ByteWriter(pointer: buffer.baseAddress.unsafelyUnwrapped)
                writer.varint(nameLength)
                writer.text(name)
                writer.value(value)
                count = length
            }
            nameRange = prefix..<prefix + nameLength
            tag = ValueTag(rawValue: bytes[nameRange.upperBound]) ?? .null
            switch value {
            case .s(let text), .n(let text): payloadRange = length - text.utf8.count..<length
            default: payloadRange = length..<length
            }
            let summary = ItemEncoding.summary(of: value)
            valueSize = summary.size
            flags = summary.flags
        }
    }

    let storage: Storage

    /// Encodes `name` with `value`.
    /// - Complexity: O(size of the value).
    public init(_ name: String, _ value: AttributeValue) { storage = Storage(name, value) }

    /// The attribute name.
    public var name: String { storage.name }
    /// The attribute value.
    public var value: AttributeValue { storage.value }
    var bytes: [UInt8] { storage.bytes }
    var nameRange: Range<Int> { storage.nameRange }
    var valueSize: Int { storage.valueSize }
    var flags: ItemFlags { storage.flags }

    /// The encoded length in bytes.
    var byteCount: Int { storage.bytes.count }

    /// Whether the value is a string or a valid number: the values ``Table/update(_:setting:at:)`` writes from
    /// the encoded bytes.
    var isTextValue: Bool { (storage.tag == .s || storage.tag == .n) && storage.flags.isEmpty }

    /// Calls `body` with the name's bytes and the value as a ``Item/TextValue`` (only if ``isTextValue``).
    @inline(__always)
    func withText<R>(_ body: (UnsafeBufferPointer<UInt8>, Item.TextValue) -> R) -> R {
        let storage = storage
        return storage.bytes.withUnsafeBufferPointer { all in
            body(
                UnsafeBufferPointer(rebasing: all[storage.nameRange]),
                Item.TextValue(
                    tag: storage.tag, bytes: UnsafeBufferPointer(rebasing: all[storage.payloadRange]),
                    size: storage.valueSize))
        }
    }

    public static func == (lhs: EncodedAttribute, rhs: EncodedAttribute) -> Bool {
        lhs.storage === rhs.storage || lhs.storage.bytes == rhs.storage.bytes
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(storage.bytes) }
}
