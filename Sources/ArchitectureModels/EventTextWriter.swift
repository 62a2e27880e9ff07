import Stochastics

/// Storage reused for writing one event's JSON text after another (``EventTextWriter``): kept by an
/// ``EventFactory`` so that building an event allocates only the finished text.
final class EventTextStorage {
    fileprivate(set) var base: UnsafeMutablePointer<UInt8>
    fileprivate(set) var capacity: Int
    /// Where each op of the factory's program wrote its prefix in the current text (``CompiledTemplate/run``),
    /// from which the member table is made.
    let starts: UnsafeMutablePointer<Int32>

    /// - Parameters:
    ///   - capacity: initial bytes (grows as needed).
    ///   - ops: the ops of the program written with it.
    init(capacity: Int = 1_024, ops: Int = 0) {
        self.capacity = Swift.max(capacity, 64)
        base = .allocate(capacity: self.capacity)
        starts = .allocate(capacity: Swift.max(1, ops))
        starts.initialize(repeating: 0, count: Swift.max(1, ops))
    }

    deinit {
        base.deallocate()
        starts.deallocate()
    }
}

/// Appends compact JSON text to an ``EventTextStorage``'s buffer: bounds-checked appends of bytes, with
/// growth, and no reference counting or uniqueness checks per append (an event takes about fifty).
///
/// Use: `var writer = EventTextWriter(storage)`, append, then ``finish()``, which returns the text as an array
/// (the event's one allocation) and hands any grown buffer back to the storage. The caller keeps the storage
/// alive while the writer is used.
struct EventTextWriter {
    /// Unowned: a writer lives inside one event's writing, while its storage's owner keeps the storage (no
    /// reference counting per event).
    private unowned(unsafe) let storage: EventTextStorage
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

    /// How many bytes past its end ``appendShort(_:count:)`` may read from its source and write (then
    /// overwrite or ignore) in the buffer.
    static var overrun: Int { 16 }

    /// Appends `count` bytes from `source` by 16-byte words: no call, where `memmove` for the few bytes of a key
    /// or a literal cost more than the copy.
    /// - Precondition: `source` can be read up to ``overrun`` bytes past `count` (a padded byte pool).
    /// - Complexity: O(count).
    @inline(__always) mutating func appendShort(_ source: UnsafePointer<UInt8>, count bytes: Int) {
        reserve(bytes &+ Self.overrun)
        let target = UnsafeMutableRawPointer(base + count)
        let from = UnsafeRawPointer(source)
        var offset = 0
        repeat {
            let word = from.loadUnaligned(fromByteOffset: offset, as: SIMD16<UInt8>.self)
            target.storeBytes(of: word, toByteOffset: offset, as: SIMD16<UInt8>.self)
            offset &+= 16
        } while offset < bytes
        count &+= bytes
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

    /// Appends a member table after the text: for each entry, in order, its op's prefix start (in `starts`)
    /// plus its delta, as a little-endian `UInt16`, unaligned.
    /// - Precondition: every value fits in a `UInt16` (the text is at most `JSONMemberLayout.maximumTextCount`).
    /// - Complexity: O(entries).
    mutating func appendTable(_ entries: UnsafeBufferPointer<CompiledTemplate.TableEntry>, starts: UnsafePointer<Int32>)
    {
        reserve(2 &* entries.count)
        let raw = UnsafeMutableRawPointer(base + count)
        var offset = 0
        for entry in entries {
            let value = starts[Int(entry.op)] &+ entry.delta
            raw.storeBytes(of: UInt16(truncatingIfNeeded: value).littleEndian, toByteOffset: offset, as: UInt16.self)
            offset &+= 2
        }
        count &+= offset
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
