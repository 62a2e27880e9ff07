/// Builds items attribute by attribute in a reusable buffer: the cheap way to make many items.
///
/// Append the attributes (in UTF-8 name order for the fast path; any order works, and a later value for a name
/// wins), then call ``build()``, which returns the item and empties the builder for the next one. Each item
/// costs one allocation, of exactly its own size; the builder's buffer grows to the largest item and is kept.
/// A builder is a reference type used by one owner at a time.
public final class ItemBuilder {
    private var buffer: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var used = 0
    private var count = 0
    private var size = 0
    private var flags: ItemFlags = []
    private var sorted = true
    /// Where the last appended name's bytes are: their offset in the buffer and their count.
    private var lastNameStart = 0
    private var lastNameCount = 0

    /// Creates a builder whose buffer starts at `capacity` bytes.
    public init(capacity: Int = 256) {
        self.capacity = max(16, capacity)
        buffer = .allocate(capacity: self.capacity)
    }

    deinit { buffer.deallocate() }

    /// Appends the attribute `name` with `value`.
    /// - Complexity: O(size of the value), amortized; no allocation once the buffer is large enough.
    public func append(_ name: String, _ value: AttributeValue) {
        switch value {
        case .s(let text): append(name, text: text, tag: .s)
        case .n(let text): append(name, text: text, tag: .n)
        default: appendAnyValue(name, value)
        }
    }

    /// Appends an attribute encoded beforehand: one copy of its bytes.
    /// - Complexity: O(length of the encoding), amortized; no allocation once the buffer is large enough.
    @inline(__always)
    public func append(_ attribute: EncodedAttribute) {
        guard attribute.isInline else { return appendSpilled(attribute) }
        // The inline words are stored whole (three stores, no length-dependent copy); the bytes after the
        // encoding are scratch, written over by the next append.
        let fields = attribute.inlineFields
        if used &+ EncodedAttribute.inlineStoreSize > capacity { grow(to: used + EncodedAttribute.inlineStoreSize) }
        let start = used
        attribute.storeInline(to: buffer + start)
        // An inline encoding's name starts at byte 1, after its one-byte length.
        let nameLength = Int(buffer[start])
        used = start &+ fields.byteCount
        noteName(at: start &+ 1, count: nameLength)
        size &+= nameLength &+ fields.valueSize
        if !fields.flags.isEmpty { flags.formUnion(fields.flags) }
        count &+= 1
    }

    /// ``append(_:)-(EncodedAttribute)`` of an encoding too long to be kept inline.
    private func appendSpilled(_ attribute: EncodedAttribute) {
        attribute.withBytes { header, bytes in
            let length = Int(header.byteCount)
            if used + length > capacity { grow(to: used + length) }
            copyBytes(to: buffer + used, from: bytes.baseAddress.unsafelyUnwrapped, count: length)
            let nameStart = used + header.nameRange.lowerBound
            used += length
            noteName(at: nameStart, count: header.nameRange.count)
            size += header.nameRange.count + Int(header.valueSize)
            flags.formUnion(header.flags)
            count += 1
        }
    }

    /// Appends an `S` or `N` attribute: the name and text are written straight into the buffer (their UTF-8
    /// counts are known without reading them), and a number is then checked and sized from the written bytes.
    @inline(__always)
    private func append(_ name: String, text: String, tag: ValueTag) {
        let nameCount = name.utf8.count
        let textCount = text.utf8.count
        let needed = ItemEncoding.prefixed(nameCount) + 1 + ItemEncoding.prefixed(textCount)
        if used + needed > capacity { grow(to: used + needed) }
        var writer = ByteWriter(pointer: buffer + used)
        writer.varint(nameCount)
        let nameStart = writer.pointer - buffer
        writer.text(name)
        writer.byte(tag.rawValue)
        writer.varint(textCount)
        let textStart = writer.pointer
        writer.text(text)
        used = writer.pointer - buffer
        noteName(at: nameStart, count: nameCount)
        if tag == .n {
            let bytes = UnsafeBufferPointer(start: UnsafePointer(textStart), count: textCount)
            if let numberSize = AttributeValue.checkedNumberSize(bytes: bytes) {
                size += nameCount + numberSize
            } else {
                size += nameCount + AttributeValue.numberSize(bytes: bytes)
                flags.insert(.invalidNumber)
            }
        } else {
            size += nameCount + textCount
        }
        count += 1
    }

    /// Records that the name of `count` bytes at offset `start` was appended, noting whether the names are still
    /// in order.
    @inline(__always)
    private func noteName(at start: Int, count nameCount: Int) {
        // Names whose first bytes differ are ordered by them (UTF-8 byte order); the full comparison is for the rest.
        if count > 0, lastNameCount == 0 || nameCount == 0 || buffer[lastNameStart] >= buffer[start] {
            let order = ItemEncoding.compare(
                UnsafeBufferPointer(start: buffer + lastNameStart, count: lastNameCount),
                UnsafeBufferPointer(start: buffer + start, count: nameCount))
            if order >= 0 { sorted = false }
        }
        lastNameStart = start
        lastNameCount = nameCount
    }

    private func appendAnyValue(_ name: String, _ value: AttributeValue) {
        let nameLength = name.utf8.count
        let needed = ItemEncoding.prefixed(nameLength) + ItemEncoding.length(of: value)
        if used + needed > capacity { grow(to: used + needed) }
        var writer = ByteWriter(pointer: buffer + used)
        writer.varint(nameLength)
        let nameStart = writer.pointer - buffer
        writer.text(name)
        writer.value(value)
        used = writer.pointer - buffer
        noteName(at: nameStart, count: nameLength)
        let summary = ItemEncoding.summary(of: value)
        size += nameLength + summary.size
        flags.formUnion(summary.flags)
        count += 1
    }

    /// Whether the attributes appended so far make an item that needs no checking or sorting: names in order and
    /// unique, no nested value, no invalid number.
    var isPlain: Bool { sorted && flags.isEmpty && count > 0 }

    /// The encoded attributes appended so far, their number and the item's size, without building an item. The
    /// bytes are the builder's own buffer: valid until the builder is next changed (appended to, reset or built).
    @inline(__always)
    var contents: (bytes: UnsafeBufferPointer<UInt8>, count: Int, size: Int) {
        (UnsafeBufferPointer(start: UnsafePointer(buffer), count: used), count, size)
    }

    /// Empties the builder.
    func reset() {
        used = 0
        count = 0
        size = 0
        flags = []
        sorted = true
        lastNameStart = 0
        lastNameCount = 0
    }

    /// The item of the attributes appended since the last build; the builder is empty afterwards.
    /// - Complexity: O(size of the item); one allocation (plus a sort if the names came out of order).
    public func build() -> Item {
        var none: ItemBuffer? = nil
        return build(reusing: &none)
    }

    /// ``build()``, in `spare` if that can take the item (see ``Item/make(byteCount:count:size:flags:reusing:_:)``).
    func build(reusing spare: inout ItemBuffer?) -> Item {
        defer { reset() }
        let bytes = UnsafeBufferPointer(start: UnsafePointer(buffer), count: used)
        guard sorted else {
            // Out of order (or a repeated name): decode and let the general initializer sort.
            let pairs = Item(encoded: bytes).attributes.map { ($0.name, $0.value) }
            return Item(pairs)
        }
        return Item.make(byteCount: used, count: count, size: size, flags: flags, reusing: &spare) { $0.bytes(bytes) }
    }

    private func grow(to minimum: Int) {
        var newCapacity = capacity * 2
        while newCapacity < minimum { newCapacity *= 2 }
        let larger = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        larger.initialize(from: buffer, count: used)
        buffer.deallocate()
        buffer = larger
        capacity = newCapacity
    }
}
