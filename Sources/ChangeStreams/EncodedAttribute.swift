/// One named attribute value encoded once, in the byte format items are stored in, to be written many times.
///
/// A client that writes the same names and values again and again (a workload drawing values from a fixed set,
/// a simulator's templates) encodes them once; then ``ItemBuilder/append(_:)-(EncodedAttribute)`` copies the bytes
/// into an item, and ``Table/update(_:setting:at:)`` sets a string or number attribute without converting a
/// `String`, validating a number or computing a size on every write. The outcome of every operation is the
/// same as with the name and value given separately (a test checks it), errors included.
public struct EncodedAttribute: Sendable, Hashable {
    /// What is known about an encoding.
    struct Header: Sendable {
        /// The encoded length.
        var byteCount: UInt32
        /// The value's size by DynamoDB's rules (``AttributeValue/sizeInBytes``).
        var valueSize: UInt32
        /// The UTF-8 length of the name.
        var nameLength: UInt32
        /// Where the value's payload (a string's or number's text) starts; it runs to the end.
        var payloadStart: UInt32
        /// The validation summary of the value.
        var flags: ItemFlags
        /// Where the name starts (after its length prefix).
        var nameStart: UInt8
        /// The value's encoding tag.
        var tag: ValueTag

        var nameRange: Range<Int> { Int(nameStart)..<Int(nameStart) + Int(nameLength) }
        var payloadRange: Range<Int> { Int(payloadStart)..<Int(byteCount) }
    }

    /// The longest encoding kept inline. A workload reads small attributes at random from large sets, so they are
    /// kept in the value itself: copying one is a 64-byte copy, with no allocation to reach and no reference count
    /// to change (an atomic operation on a line that is likely not cached).
    static let inlineCapacity = 32

    let header: Header
    /// `varint(name length) name tag varint(payload length) payload`, as in an item, if it fits.
    private let inline: InlineArray<32, UInt8>
    /// The encoding if it does not fit inline, else `nil`.
    private let spilled: [UInt8]?

    /// Encodes `name` with `value`.
    /// - Complexity: O(size of the value).
    public init(_ name: String, _ value: AttributeValue) {
        let nameLength = name.utf8.count
        let prefix = ItemEncoding.prefixed(nameLength) - nameLength
        let length = prefix + nameLength + ItemEncoding.length(of: value)
        let summary = ItemEncoding.summary(of: value)
        let payloadLength: Int
        switch value {
        case .s(let text), .n(let text): payloadLength = text.utf8.count
        default: payloadLength = 0
        }
        let bytes = [UInt8](unsafeUninitializedCapacity: length) { buffer, count in
            var writer = ByteWriter(pointer: buffer.baseAddress.unsafelyUnwrapped)
            writer.varint(nameLength)
            writer.text(name)
            writer.value(value)
            count = length
        }
        header = Header(
            byteCount: UInt32(truncatingIfNeeded: length), valueSize: UInt32(truncatingIfNeeded: summary.size),
            nameLength: UInt32(truncatingIfNeeded: nameLength),
            payloadStart: UInt32(truncatingIfNeeded: length - payloadLength), flags: summary.flags,
            nameStart: UInt8(truncatingIfNeeded: prefix), tag: ValueTag(rawValue: bytes[prefix + nameLength]) ?? .null)
        if length <= Self.inlineCapacity {
            var inline = InlineArray<32, UInt8>(repeating: 0)
            for index in bytes.indices { inline[index] = bytes[index] }
            self.inline = inline
            spilled = nil
        } else {
            inline = InlineArray(repeating: 0)
            spilled = bytes
        }
    }

    /// The attribute name.
    public var name: String { withBytes { ItemEncoding.text(UnsafeBufferPointer(rebasing: $1[$0.nameRange])) } }

    /// The attribute value.
    public var value: AttributeValue {
        withBytes { header, bytes in
            var reader = ByteReader(bytes)
            return ItemEncoding.decode(tag: header.tag.rawValue, payload: reader.attribute().payload)
        }
    }

    /// Calls `body` with the header and the encoded bytes.
    @inline(__always)
    func withBytes<R>(_ body: (Header, UnsafeBufferPointer<UInt8>) -> R) -> R {
        let count = Int(header.byteCount)
        if let spilled { return spilled.withUnsafeBufferPointer { body(header, $0) } }
        return withUnsafeBytes(of: inline) { raw in
            body(header, UnsafeBufferPointer(start: raw.baseAddress?.assumingMemoryBound(to: UInt8.self), count: count))
        }
    }

    /// Whether the value is a string or a valid number: the values ``Table/update(_:setting:at:)`` writes from
    /// the encoded bytes.
    var isTextValue: Bool { (header.tag == .s || header.tag == .n) && header.flags.isEmpty }

    /// Calls `body` with the name's bytes and the value as a ``Item/TextValue`` (only if ``isTextValue``).
    @inline(__always)
    func withText<R>(_ body: (UnsafeBufferPointer<UInt8>, Item.TextValue) -> R) -> R {
        withBytes { header, all in
            body(
                UnsafeBufferPointer(rebasing: all[header.nameRange]),
                Item.TextValue(
                    tag: header.tag, bytes: UnsafeBufferPointer(rebasing: all[header.payloadRange]),
                    size: Int(header.valueSize)))
        }
    }

    public static func == (lhs: EncodedAttribute, rhs: EncodedAttribute) -> Bool {
        lhs.withBytes { _, left in rhs.withBytes { _, right in ItemEncoding.equal(left, right) } }
    }

    public func hash(into hasher: inout Hasher) {
        withBytes { _, bytes in hasher.combine(bytes: UnsafeRawBufferPointer(bytes)) }
    }
}
