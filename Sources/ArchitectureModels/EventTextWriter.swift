import Stochastics

/// Storage reused for writing one event's JSON text after another (``EventTextWriter``): kept by an
/// ``EventFactory`` so that building an event allocates only the finished text.
final class EventTextStorage {
    fileprivate(set) var base: UnsafeMutablePointer<UInt8>
    fileprivate(set) var capacity: Int
    /// Room for one event's member table (two `UInt32`s per member of the factory's layout), filled while the
    /// text is written and appended after it.
    let offsets: UnsafeMutablePointer<UInt32>

    /// - Parameters:
    ///   - capacity: initial bytes (grows as needed).
    ///   - members: the members of the member tables written with it.
    init(capacity: Int = 1_024, members: Int = 0) {
        self.capacity = Swift.max(capacity, 64)
        base = .allocate(capacity: self.capacity)
        offsets = .allocate(capacity: Swift.max(1, 2 * members))
        offsets.initialize(repeating: 0, count: Swift.max(1, 2 * members))
    }

    deinit {
        base.deallocate()
        offsets.deallocate()
    }
}

/// Appends compact JSON text to an ``EventTextStorage``'s buffer: bounds-checked appends of bytes, with
/// growth, and no reference counting or uniqueness checks per append (an event takes about fifty).
///
/// Use: `var writer = EventTextWriter(storage)`, append, then ``finish()``, which returns the text as an array
/// (the event's one allocation) and hands any grown buffer back to the storage.
struct EventTextWriter {
    private let storage: EventTextStorage
    private var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    /// Bytes written so far.
    private(set) var count = 0

    init(_ storage: EventTextStorage) {
        self.storage = storage
        base = storage.base
        capacity = storage.capacity
    }

    /// Makes room for `extra` more bytes. - Complexity: amortized O(1) per byte.
    @inline(__always) mutating func reserve(_ extra: Int) {
        if count + extra > capacity { grow(to: count + extra) }
    }

    private mutating func grow(to needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        grown.update(from: base, count: count)
        base.deallocate()
        base = grown
        capacity = newCapacity
        storage.base = grown
        storage.capacity = newCapacity
    }

    @inline(__always) mutating func append(_ byte: UInt8) {
        reserve(1)
        base[count] = byte
        count += 1
    }

    @inline(__always) mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { append($0) }
    }

    @inline(__always) mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        reserve(bytes.count)
        if let source = bytes.baseAddress { (base + count).update(from: source, count: bytes.count) }
        count += bytes.count
    }

    /// Appends `value` as ``DecimalFormat/string(_:digits:)`` spells it.
    @inline(__always) mutating func appendNumber(_ value: Double, digits: Int) {
        reserve(DecimalFormat.maximumWrittenBytes)
        count += DecimalFormat.write(value, digits: digits, to: base + count)
    }

    /// Appends `value` as ``DecimalFormat/string(_:)`` spells it.
    @inline(__always) mutating func appendNumber(_ value: Int) {
        reserve(DecimalFormat.maximumWrittenBytes)
        count += DecimalFormat.write(value, to: base + count)
    }

    /// Appends `count` values as little-endian `UInt16`s, unaligned (a member table after the text).
    /// - Precondition: every value fits in a `UInt16` (the text is at most `JSONMemberLayout.maximumTextCount`).
    mutating func appendTable(_ values: UnsafePointer<UInt32>, count: Int) {
        reserve(2 &* count)
        let raw = UnsafeMutableRawPointer(base + self.count)
        for index in 0..<count {
            raw.storeBytes(
                of: UInt16(truncatingIfNeeded: values[index]).littleEndian, toByteOffset: 2 &* index, as: UInt16.self)
        }
        self.count += 2 &* count
    }

    /// Gives `count` bytes of room at the end to `body`, which writes exactly `count` bytes there.
    @inline(__always) mutating func appendUninitialized(_ count: Int, _ body: (UnsafeMutablePointer<UInt8>) -> Void) {
        reserve(count)
        body(base + self.count)
        self.count += count
    }

    /// The text written, as its own array; the writer is empty afterwards.
    mutating func finish() -> [UInt8] {
        let text = [UInt8](UnsafeBufferPointer(start: base, count: count))
        count = 0
        return text
    }
}
