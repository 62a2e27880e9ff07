/// The byte format of an ``Item``: one buffer per item version (copy on write).
///
/// An item is the concatenation of its attributes in UTF-8 byte order of their names, each encoded as
///
///     varint(name length) name-bytes  value
///
/// and a value as `tag varint(payload length) payload`, where the payload is the UTF-8 text of `S` and `N`
/// (numbers stay decimal text, compared as text), the bytes of `B`, the 8-byte little-endian count of a
/// size-only binary, nothing for `BOOL` (the tag carries the truth value) and `NULL`, the encoded elements of
/// `L`, the encoded attributes of `M`, and `varint(length) bytes` per element of `SS` and `NS`. Varints are
/// unsigned LEB128.
///
/// The format is canonical for a given ``Item`` value (the same attributes give the same bytes), so item
/// equality is byte equality and an item's hash is the hash of its bytes.
enum ValueTag: UInt8 {
    case s = 1, n, b, binarySize, boolFalse, boolTrue, null, l, m, ss, ns
}

/// What an encoded item contains, summarised when it is built so that validation can skip clean items.
struct ItemFlags: OptionSet {
    let rawValue: UInt32
    /// Some value is a list, map or set: validation has to look inside (and sets may need sorting).
    static let nested = ItemFlags(rawValue: 1)
    /// Some top-level number is not a valid DynamoDB number.
    static let invalidNumber = ItemFlags(rawValue: 2)
}

/// Copies `count` bytes from `source` to `target` (the ranges may overlap, as with `memmove`).
///
/// Up to 32 bytes (names, short values, small images) are copied inline with at most four unaligned 8-byte loads
/// and stores, all loads before any store (so overlapping ranges copy correctly): about ten instructions, where
/// a call to the C library's `memmove` costs twenty to thirty for the same bytes. Longer runs take one
/// `memmove`. (`UnsafeMutablePointer.update(from:count:)` copies element by element, about four instructions a
/// byte.)
@inline(__always)
func copyBytes(to target: UnsafeMutablePointer<UInt8>, from source: UnsafePointer<UInt8>, count: Int) {
    let to = UnsafeMutableRawPointer(target)
    let from = UnsafeRawPointer(source)
    if count > 32 {
        to.copyMemory(from: from, byteCount: count)
    } else if count >= 16 {
        // Two overlapping 16-byte halves cover 16 to 32 bytes.
        let a = from.loadUnaligned(as: UInt64.self)
        let b = from.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
        let c = from.loadUnaligned(fromByteOffset: count &- 16, as: UInt64.self)
        let d = from.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self)
        to.storeBytes(of: a, as: UInt64.self)
        to.storeBytes(of: b, toByteOffset: 8, as: UInt64.self)
        to.storeBytes(of: c, toByteOffset: count &- 16, as: UInt64.self)
        to.storeBytes(of: d, toByteOffset: count &- 8, as: UInt64.self)
    } else if count >= 8 {
        let a = from.loadUnaligned(as: UInt64.self)
        let b = from.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self)
        to.storeBytes(of: a, as: UInt64.self)
        to.storeBytes(of: b, toByteOffset: count &- 8, as: UInt64.self)
    } else if count >= 4 {
        let a = from.loadUnaligned(as: UInt32.self)
        let b = from.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self)
        to.storeBytes(of: a, as: UInt32.self)
        to.storeBytes(of: b, toByteOffset: count &- 4, as: UInt32.self)
    } else if count > 0 {
        // 1 to 3 bytes: the first, the middle and the last (some of them the same byte).
        let a = source[0]
        let b = source[count &>> 1]
        let c = source[count &- 1]
        target[0] = a
        target[count &>> 1] = b
        target[count &- 1] = c
    }
}

/// Writes encoded bytes through a raw pointer; the caller sized the buffer with ``ItemEncoding``'s lengths.
struct ByteWriter {
    var pointer: UnsafeMutablePointer<UInt8>

    @inline(__always)
    mutating func byte(_ value: UInt8) {
        pointer.initialize(to: value)
        pointer += 1
    }

    @inline(__always)
    mutating func varint(_ value: Int) {
        var rest = UInt(value)
        while rest >= 0x80 {
            byte(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        byte(UInt8(rest))
    }

    @inline(__always)
    mutating func bytes(_ source: UnsafeBufferPointer<UInt8>) {
        guard let base = source.baseAddress, !source.isEmpty else { return }
        copyBytes(to: pointer, from: base, count: source.count)
        pointer += source.count
    }

    @inline(__always)
    mutating func text(_ text: String) {
        if let done: Void = text.utf8.withContiguousStorageIfAvailable({ bytes($0) }) { return done }
        for unit in text.utf8 { byte(unit) }
    }

    /// Writes `value` as `tag varint(payload length) payload`.
    mutating func value(_ value: AttributeValue) {
        switch value {
        case .s(let text):
            byte(ValueTag.s.rawValue)
            varint(text.utf8.count)
            self.text(text)
        case .n(let text):
            byte(ValueTag.n.rawValue)
            varint(text.utf8.count)
            self.text(text)
        case .b(let data):
            byte(ValueTag.b.rawValue)
            varint(data.count)
            data.withUnsafeBufferPointer { bytes($0) }
        case .binarySize(let count):
            byte(ValueTag.binarySize.rawValue)
            varint(8)
            var rest = UInt64(bitPattern: Int64(count))
            for _ in 0..<8 {
                byte(UInt8(truncatingIfNeeded: rest))
                rest >>= 8
            }
        case .bool(let truth):
            byte(truth ? ValueTag.boolTrue.rawValue : ValueTag.boolFalse.rawValue)
            varint(0)
        case .null:
            byte(ValueTag.null.rawValue)
            varint(0)
        case .l(let values):
            byte(ValueTag.l.rawValue)
            varint(values.reduce(0) { $0 + ItemEncoding.length(of: $1) })
            for element in values { self.value(element) }
        case .m(let item):
            byte(ValueTag.m.rawValue)
            varint(item.byteCount)
            item.withBytes { bytes($0) }
        case .ss(let texts), .ns(let texts):
            byte(value.isStringSet ? ValueTag.ss.rawValue : ValueTag.ns.rawValue)
            varint(texts.reduce(0) { $0 + ItemEncoding.prefixed($1.utf8.count) })
            for element in texts {
                varint(element.utf8.count)
                text(element)
            }
        }
    }
}

/// Reads encoded bytes front to back.
struct ByteReader {
    let bytes: UnsafeBufferPointer<UInt8>
    var offset = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    @inline(__always) var isAtEnd: Bool { offset >= bytes.count }

    @inline(__always)
    mutating func byte() -> UInt8 {
        defer { offset += 1 }
        return bytes[offset]
    }

    @inline(__always)
    mutating func varint() -> Int {
        var result = 0
        var shift = 0
        while true {
            let next = byte()
            result |= Int(next & 0x7F) << shift
            if next < 0x80 { return result }
            shift += 7
        }
    }

    /// The next `count` bytes.
    @inline(__always)
    mutating func slice(_ count: Int) -> UnsafeBufferPointer<UInt8> {
        defer { offset += count }
        return UnsafeBufferPointer(rebasing: bytes[offset..<offset + count])
    }

    /// The next attribute: its name bytes, value tag and payload, and the offset where it began.
    @inline(__always)
    mutating func attribute() -> (
        start: Int, name: UnsafeBufferPointer<UInt8>, tag: UInt8, payload: UnsafeBufferPointer<UInt8>
    ) {
        let start = offset
        let name = slice(varint())
        let tag = byte()
        let payload = slice(varint())
        return (start, name, tag, payload)
    }

    /// The next value: its tag and payload.
    @inline(__always)
    mutating func value() -> (tag: UInt8, payload: UnsafeBufferPointer<UInt8>) {
        let tag = byte()
        return (tag, slice(varint()))
    }
}

/// Lengths, sizes and decoding of the item format.
enum ItemEncoding {
    /// The bytes of `varint(length)` plus `length`.
    @inline(__always)
    static func prefixed(_ length: Int) -> Int {
        // At most ten bytes of prefix for a length below 2⁶³: the sums cannot overflow.
        var bytes = 1
        var rest = UInt(length) >> 7
        while rest > 0 {
            bytes &+= 1
            rest >>= 7
        }
        return bytes &+ length
    }

    /// The encoded length of a value (tag, length prefix and payload).
    static func length(of value: AttributeValue) -> Int {
        switch value {
        case .s(let text), .n(let text): 1 + prefixed(text.utf8.count)
        case .b(let data): 1 + prefixed(data.count)
        case .binarySize: 1 + prefixed(8)
        case .bool, .null: 2
        case .l(let values): 1 + prefixed(values.reduce(0) { $0 + length(of: $1) })
        case .m(let item): 1 + prefixed(item.byteCount)
        case .ss(let texts), .ns(let texts): 1 + prefixed(texts.reduce(0) { $0 + prefixed($1.utf8.count) })
        }
    }

    /// A top-level value's DynamoDB size and flags, numbers read once.
    @inline(__always)
    static func summary(of value: AttributeValue) -> (size: Int, flags: ItemFlags) {
        switch value {
        case .s(let text): return (text.utf8.count, [])
        case .n(let text):
            let checked =
                text.utf8.withContiguousStorageIfAvailable { AttributeValue.checkedNumberSize(bytes: $0) }
                ?? Array(text.utf8).withUnsafeBufferPointer { AttributeValue.checkedNumberSize(bytes: $0) }
            if let checked { return (checked, []) }
            return (value.sizeInBytes, .invalidNumber)
        case .b, .binarySize, .bool, .null: return (value.sizeInBytes, [])
        case .l, .m, .ss, .ns: return (value.sizeInBytes, .nested)
        }
    }

    /// ``size(tag:payload:)`` with strings and numbers (the usual values) worked out inline.
    @inline(__always)
    static func scalarSize(tag: UInt8, payload: UnsafeBufferPointer<UInt8>) -> Int {
        if tag == ValueTag.n.rawValue { return AttributeValue.numberSize(bytes: payload) }
        if tag == ValueTag.s.rawValue { return payload.count }
        return size(tag: tag, payload: payload)
    }

    /// The DynamoDB size of an encoded value (see ``AttributeValue/sizeInBytes``).
    static func size(tag: UInt8, payload: UnsafeBufferPointer<UInt8>) -> Int {
        switch ValueTag(rawValue: tag) {
        case .s, .b: return payload.count
        case .n: return AttributeValue.numberSize(bytes: payload)
        case .binarySize: return max(0, Int(truncatingIfNeeded: loadInt64(payload)))
        case .boolFalse, .boolTrue, .null: return 1
        case .l:
            var reader = ByteReader(payload)
            var total = 3
            while !reader.isAtEnd {
                let element = reader.value()
                total += 1 + size(tag: element.tag, payload: element.payload)
            }
            return total
        case .m:
            var reader = ByteReader(payload)
            var total = 3
            while !reader.isAtEnd {
                let attribute = reader.attribute()
                total += 1 + attribute.name.count + size(tag: attribute.tag, payload: attribute.payload)
            }
            return total
        case .ss, .ns:
            var reader = ByteReader(payload)
            var total = 0
            while !reader.isAtEnd {
                let element = reader.slice(reader.varint())
                total += tag == ValueTag.ss.rawValue ? element.count : AttributeValue.numberSize(bytes: element)
            }
            return total
        case nil: return 0
        }
    }

    /// Whether the scalar `value` encodes as `tag` and `payload`; `nil` for nested values (compare encodings).
    @inline(__always)
    static func encodes(_ value: borrowing AttributeValue, _ tag: UInt8, _ payload: UnsafeBufferPointer<UInt8>) -> Bool?
    {
        switch value {
        case .s(let text):
            return tag == ValueTag.s.rawValue && Item.withUTF8(text) { equal($0, payload) }
        case .n(let text):
            return tag == ValueTag.n.rawValue && Item.withUTF8(text) { equal($0, payload) }
        case .b(let bytes):
            return tag == ValueTag.b.rawValue && bytes.withUnsafeBufferPointer { equal($0, payload) }
        case .binarySize(let count):
            return tag == ValueTag.binarySize.rawValue && loadInt64(payload) == Int64(count)
        case .bool(let truth):
            return tag == (truth ? ValueTag.boolTrue : ValueTag.boolFalse).rawValue
        case .null:
            return tag == ValueTag.null.rawValue
        case .l, .m, .ss, .ns:
            return nil
        }
    }

    static func loadInt64(_ payload: UnsafeBufferPointer<UInt8>) -> Int64 {
        var value: UInt64 = 0
        for index in stride(from: 7, through: 0, by: -1) { value = value << 8 | UInt64(payload[index]) }
        return Int64(bitPattern: value)
    }

    static func text(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        String(decoding: bytes, as: UTF8.self)
    }

    /// The value an encoded value stands for.
    static func decode(tag: UInt8, payload: UnsafeBufferPointer<UInt8>) -> AttributeValue {
        switch ValueTag(rawValue: tag) {
        case .s: return .s(text(payload))
        case .n: return .n(text(payload))
        case .b: return .b(Array(payload))
        case .binarySize: return .binarySize(Int(truncatingIfNeeded: loadInt64(payload)))
        case .boolFalse: return .bool(false)
        case .boolTrue: return .bool(true)
        case .null, nil: return .null
        case .l:
            var reader = ByteReader(payload)
            var values: [AttributeValue] = []
            while !reader.isAtEnd {
                let element = reader.value()
                values.append(decode(tag: element.tag, payload: element.payload))
            }
            return .l(values)
        case .m: return .m(Item(encoded: payload))
        case .ss, .ns:
            var reader = ByteReader(payload)
            var texts: [String] = []
            while !reader.isAtEnd { texts.append(text(reader.slice(reader.varint()))) }
            return tag == ValueTag.ss.rawValue ? .ss(texts) : .ns(texts)
        }
    }

    /// Whether two byte runs are equal, compared eight bytes at a time, the last word overlapping the one before
    /// it rather than finishing byte by byte: a run of 8 or more bytes costs one comparison a word and one more
    /// (a 31-byte item, the benchmark's, four instead of three and seven byte comparisons), a shorter one two
    /// overlapping 4-byte comparisons, or for 1 to 3 bytes the first, middle and last byte. Reads exactly the
    /// bytes of the runs.
    /// - Complexity: O(count).
    @inline(__always)
    static func equal(_ lhs: UnsafeBufferPointer<UInt8>, _ rhs: UnsafeBufferPointer<UInt8>) -> Bool {
        let count = lhs.count
        guard count == rhs.count else { return false }
        guard count > 0, let left = lhs.baseAddress, let right = rhs.baseAddress else { return true }
        let raw = (UnsafeRawPointer(left), UnsafeRawPointer(right))
        if count >= 8 {
            var offset = 0
            while offset &+ 8 < count {
                if raw.0.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                    != raw.1.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                {
                    return false
                }
                offset &+= 8
            }
            // The last eight bytes, overlapping bytes already compared when the count is not a multiple of 8.
            return raw.0.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self)
                == raw.1.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self)
        }
        if count >= 4 {
            return raw.0.loadUnaligned(as: UInt32.self) == raw.1.loadUnaligned(as: UInt32.self)
                && raw.0.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self)
                    == raw.1.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self)
        }
        // 1 to 3 bytes: the first, the middle and the last cover them all.
        return left[0] == right[0] && left[count &>> 1] == right[count &>> 1] && left[count &- 1] == right[count &- 1]
    }

    /// The order of attribute names: UTF-8 byte order, shorter first on a common prefix.
    @inline(__always)
    static func compare(_ lhs: UnsafeBufferPointer<UInt8>, _ rhs: UnsafeBufferPointer<UInt8>) -> Int {
        let common = min(lhs.count, rhs.count)
        var index = 0
        while index < common {
            if lhs[index] != rhs[index] { return Int(lhs[index]) - Int(rhs[index]) }
            index += 1
        }
        return lhs.count - rhs.count
    }
}

extension AttributeValue {
    var isStringSet: Bool {
        if case .ss = self { return true }
        return false
    }
}
