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
    /// kept in the value itself, 32 bytes in all (three words of bytes and the spilled reference): copying one is
    /// four word moves, with no allocation to reach and no reference count to change (an atomic operation on a
    /// line that is likely not cached), and 4,096 of them take 128 KB, a quarter of one core's L2 cache.
    static let inlineCapacity = 22

    /// An inline encoding: its bytes from byte 0 of `word0` on (little-endian, so byte `i` of the encoding is
    /// byte `i % 8` of word `i / 8`), and in the last two bytes of `word2` the metadata ``meta`` reads. All zero
    /// when the encoding is spilled. Kept in plain words, so that a copy is four moves (an array of 17 bytes and
    /// seven byte fields were copied by an outlined function, byte by byte).
    private let word0: UInt64
    private let word1: UInt64
    private let word2: UInt64
    /// The encoding if it does not fit inline, else `nil`.
    private let spilled: Spilled?

    /// The metadata of an inline encoding, in bits of the top 16 bits of `word2`: the byte count (bits 0–4),
    /// the validation flags (5–6), and the value's size (``AttributeValue/sizeInBytes``, bits 7–11) and tag
    /// (12–15). An inline encoding has one-byte length prefixes, so its name starts at byte 1 (byte 0 is its
    /// length) and a string's or number's payload at `3 + name length`.
    private struct Meta {
        let raw: UInt16

        @inline(__always) var byteCount: Int { Int(raw & 0x1F) }
        @inline(__always) var flags: UInt8 { UInt8(truncatingIfNeeded: (raw >> 5) & 3) }
        @inline(__always) var valueSize: Int { Int((raw >> 7) & 0x1F) }
        @inline(__always) var tag: UInt8 { UInt8(truncatingIfNeeded: raw >> 12) }
        /// The tag of a string or number (``isTextValue``): `.n` or `.s`, without the failable conversion from a raw
        /// value (a call where it was not inlined).
        @inline(__always) var textTag: ValueTag { tag == ValueTag.n.rawValue ? .n : .s }

        init(raw: UInt16) { self.raw = raw }

        /// The metadata of an encoding, or `nil` if one of the fields does not fit its bits.
        init?(byteCount: Int, flags: ItemFlags, valueSize: Int, tag: ValueTag) {
            guard byteCount < 32, flags.rawValue < 4, valueSize < 32 else { return nil }
            raw = UInt16(byteCount) | UInt16(flags.rawValue) << 5 | UInt16(valueSize) << 7 | UInt16(tag.rawValue) << 12
        }
    }

    @inline(__always) private var meta: Meta { Meta(raw: UInt16(truncatingIfNeeded: word2 >> 48)) }

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
        // Inline encodings have one-byte length prefixes (their lengths are below 128), as ``withText(_:)`` assumes.
        if length <= Self.inlineCapacity,
            let meta = Meta(byteCount: length, flags: summary.flags, valueSize: summary.size, tag: header.tag)
        {
            var words: (UInt64, UInt64, UInt64) = (0, 0, 0)
            withUnsafeMutableBytes(of: &words) { raw in
                for index in bytes.indices { raw[index] = bytes[index] }
                raw.storeBytes(of: meta.raw.littleEndian, toByteOffset: 22, as: UInt16.self)
            }
            word0 = UInt64(littleEndian: words.0)
            word1 = UInt64(littleEndian: words.1)
            word2 = UInt64(littleEndian: words.2)
            spilled = nil
        } else {
            word0 = 0
            word1 = 0
            word2 = 0
            spilled = Spilled(header: header, bytes: bytes)
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
        if let spilled { return spilled.bytes.withUnsafeBufferPointer { body(spilled.header, $0) } }
        let meta = meta
        return withInlineBytes { base in
            let nameLength = Int(base[0])
            let payloadStart =
                meta.tag == ValueTag.s.rawValue || meta.tag == ValueTag.n.rawValue
                ? 3 + nameLength : meta.byteCount
            let header = Header(
                byteCount: UInt32(meta.byteCount), valueSize: UInt32(meta.valueSize), nameLength: UInt32(nameLength),
                payloadStart: UInt32(payloadStart), flags: ItemFlags(rawValue: UInt32(meta.flags)), nameStart: 1,
                tag: ValueTag(rawValue: meta.tag) ?? .null)
            return body(header, UnsafeBufferPointer(start: base, count: meta.byteCount))
        }
    }

    /// Calls `body` with a pointer to a copy of the inline words on the stack (an inline encoding only).
    @inline(__always)
    private func withInlineBytes<R>(_ body: (UnsafePointer<UInt8>) -> R) -> R {
        let words = (word0.littleEndian, word1.littleEndian, word2.littleEndian)
        return withUnsafeBytes(of: words) { raw in
            body(raw.baseAddress.unsafelyUnwrapped.assumingMemoryBound(to: UInt8.self))
        }
    }

    /// Whether the value is a string or a valid number: the values ``Table/update(_:setting:at:)`` writes from
    /// the encoded bytes. Read from the metadata for an inline encoding, without the bytes.
    @inline(__always)
    var isTextValue: Bool {
        if let spilled {
            return (spilled.header.tag == .s || spilled.header.tag == .n) && spilled.header.flags.isEmpty
        }
        let meta = meta
        return (meta.tag == ValueTag.s.rawValue || meta.tag == ValueTag.n.rawValue) && meta.flags == 0
    }

    /// Calls `body` with the name's bytes and the value as a ``Item/TextValue`` (only if ``isTextValue``).
    ///
    /// An inline encoding is read through one copy of its words on the stack, its name at byte 1 and its payload
    /// after the name, the tag and the payload's one-byte length (no header to build, no range checks).
    @inline(__always)
    func withText<R>(_ body: (UnsafeBufferPointer<UInt8>, Item.TextValue) -> R) -> R {
        if let spilled {
            return spilled.bytes.withUnsafeBufferPointer { all in
                let header = spilled.header
                let base = all.baseAddress.unsafelyUnwrapped
                return body(
                    UnsafeBufferPointer(start: base + Int(header.nameStart), count: Int(header.nameLength)),
                    Item.TextValue(
                        tag: header.tag,
                        bytes: UnsafeBufferPointer(
                            start: base + Int(header.payloadStart), count: all.count - Int(header.payloadStart)),
                        size: Int(header.valueSize)))
            }
        }
        let meta = meta
        return withInlineBytes { base in
            let nameLength = Int(base[0])
            let payloadStart = 3 &+ nameLength
            return body(
                UnsafeBufferPointer(start: base + 1, count: nameLength),
                Item.TextValue(
                    tag: meta.textTag,
                    bytes: UnsafeBufferPointer(start: base + payloadStart, count: meta.byteCount &- payloadStart),
                    size: meta.valueSize))
        }
    }

    /// Whether the encoding is kept inline (see ``inlineCapacity``), so that ``storeInline(to:)`` applies.
    @inline(__always)
    var isInline: Bool { spilled == nil }

    /// What ``ItemBuilder`` adds up per attribute, for an inline encoding: its length, the value's size and the
    /// validation flags. The name's length is the encoding's first byte, read where the encoding is stored.
    @inline(__always)
    var inlineFields: (byteCount: Int, valueSize: Int, flags: ItemFlags) {
        let meta = meta
        return (meta.byteCount, meta.valueSize, ItemFlags(rawValue: UInt32(meta.flags)))
    }

    /// Stores the three inline words (24 bytes: the encoding, then scratch) at `target`, which must have room for
    /// 24 bytes; only for an inline encoding. Three unaligned stores, instead of a copy of a variable length.
    @inline(__always)
    func storeInline(to target: UnsafeMutablePointer<UInt8>) {
        let raw = UnsafeMutableRawPointer(target)
        raw.storeBytes(of: word0.littleEndian, as: UInt64.self)
        raw.storeBytes(of: word1.littleEndian, toByteOffset: 8, as: UInt64.self)
        raw.storeBytes(of: word2.littleEndian, toByteOffset: 16, as: UInt64.self)
    }

    /// The bytes ``storeInline(to:)`` writes.
    static let inlineStoreSize = 24

    public static func == (lhs: EncodedAttribute, rhs: EncodedAttribute) -> Bool {
        lhs.withBytes { _, left in rhs.withBytes { _, right in ItemEncoding.equal(left, right) } }
    }

    public func hash(into hasher: inout Hasher) {
        withBytes { _, bytes in hasher.combine(bytes: UnsafeRawBufferPointer(bytes)) }
    }
}
