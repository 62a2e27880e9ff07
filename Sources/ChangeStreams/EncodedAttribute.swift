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

    /// An encoding too long to keep inline, with its header.
    final class Spilled: Sendable {
        let header: Header
        let bytes: [UInt8]

        init(header: Header, bytes: [UInt8]) {
            self.header = header
            self.bytes = bytes
        }
    }

    /// The longest encoding kept inline. A workload reads small attributes at random from large sets, so they are
    /// kept in the value itself, 32 bytes in all: copying one is a plain copy, with no allocation to reach and no
    /// reference count to change (an atomic operation on a line that is likely not cached), and 4,096 of them
    /// take 128 KB, a quarter of one core's L2 cache.
    static let inlineCapacity = 17

    /// An inline encoding's header fields (the byte count is 0 when the encoding is spilled) and bytes.
    private let count: UInt8
    private let nameStart: UInt8
    private let nameLength: UInt8
    private let payloadStart: UInt8
    private let tag: ValueTag
    private let flags: UInt8
    private let valueSize: UInt8
    private let inline: InlineArray<17, UInt8>
    /// The encoding if it does not fit inline, else `nil`.
    private let spilled: Spilled?

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
        let header = Header(
            byteCount: UInt32(truncatingIfNeeded: length), valueSize: UInt32(truncatingIfNeeded: summary.size),
            nameLength: UInt32(truncatingIfNeeded: nameLength),
            payloadStart: UInt32(truncatingIfNeeded: length - payloadLength), flags: summary.flags,
            nameStart: UInt8(truncatingIfNeeded: prefix), tag: ValueTag(rawValue: bytes[prefix + nameLength]) ?? .null)
        var inline = InlineArray<17, UInt8>(repeating: 0)
        let fits = length <= Self.inlineCapacity && summary.size < 256 && summary.flags.rawValue < 256
        if fits {
            for index in bytes.indices { inline[index] = bytes[index] }
            spilled = nil
        } else {
            spilled = Spilled(header: header, bytes: bytes)
        }
        self.inline = inline
        count = fits ? UInt8(length) : 0
        nameStart = UInt8(truncatingIfNeeded: prefix)
        self.nameLength = UInt8(truncatingIfNeeded: nameLength)
        payloadStart = UInt8(truncatingIfNeeded: length - payloadLength)
        tag = header.tag
        flags = UInt8(truncatingIfNeeded: summary.flags.rawValue)
        valueSize = UInt8(truncatingIfNeeded: summary.size)
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
        if let spilled { return spilled.bytes.withUnsafeBufferPointer { body(spilled.header, $0) } }
        let header = Header(
            byteCount: UInt32(count), valueSize: UInt32(valueSize), nameLength: UInt32(nameLength),
            payloadStart: UInt32(payloadStart), flags: ItemFlags(rawValue: UInt32(flags)), nameStart: nameStart,
            tag: tag)
        let count = Int(count)
        return withUnsafeBytes(of: inline) { raw in
            body(header, UnsafeBufferPointer(start: raw.baseAddress?.assumingMemoryBound(to: UInt8.self), count: count))
        }
    }

    /// Whether the value is a string or a valid number: the values ``Table/update(_:setting:at:)`` writes from
    /// the encoded bytes.
    var isTextValue: Bool { withBytes { header, _ in (header.tag == .s || header.tag == .n) && header.flags.isEmpty } }

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
