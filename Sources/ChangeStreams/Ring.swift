/// A first-in, first-out run of plain values (no reference-counted fields) in one circular buffer: appended at
/// the back, dropped from the front, read by offset from the front. The records of a shard and the spans of its
/// images live in rings.
///
/// It does what `Deque` does for these uses with less work per operation: an append is a uniqueness check, a
/// compare and a store, a read is an add, a compare and a load (`Deque` computes slots through calls that are
/// not inlined in the table's write path, about 60 instructions a record in all). The buffer is shared by copies
/// of the ring and copied before a copy appends (copy on write); dropping from the front changes only the
/// ring's own start and count, so it never writes to the buffer.
///
/// Invariants: `0 <= head < max(1, storage.capacity)`, `count <= storage.capacity`; the elements are the `count`
/// slots from `head` on, wrapping at the capacity. Memory is the capacity, which grows by doubling and never
/// shrinks (a shard's records are trimmed and appended at the same rate).
struct Ring<Element: BitwiseCopyable> {
    /// The buffer: `capacity` slots of raw memory, freed with the object.
    final class Storage {
        let base: UnsafeMutablePointer<Element>
        let capacity: Int

        init(capacity: Int) {
            self.capacity = capacity
            base = .allocate(capacity: max(1, capacity))
        }

        deinit { base.deallocate() }
    }

    private var storage = Storage(capacity: 0)
    /// The slot of the first element.
    private var head = 0
    /// The number of elements.
    private(set) var count = 0

    init() {}

    var isEmpty: Bool { count == 0 }

    /// The first element, or `nil` if the ring is empty.
    var first: Element? { count > 0 ? self[0] : nil }

    /// The number of elements the buffer holds without growing.
    var capacity: Int { storage.capacity }

    /// The element at `offset` from the front (`0 <= offset < count`).
    /// - Complexity: O(1).
    @inline(__always)
    subscript(offset: Int) -> Element {
        precondition(offset >= 0 && offset < count, "ring offset out of range")
        var slot = head &+ offset
        if slot >= storage.capacity { slot &-= storage.capacity }
        return storage.base[slot]
    }

    /// Appends `element` at the back.
    /// - Complexity: amortized O(1); O(`count`) when the buffer grows or is shared.
    @inline(__always)
    mutating func append(_ element: Element) {
        if count == storage.capacity || !isKnownUniquelyReferenced(&storage) {
            reallocate(capacity: max(16, count + 1, storage.capacity * 2))
        }
        var slot = head &+ count
        if slot >= storage.capacity { slot &-= storage.capacity }
        (storage.base + slot).initialize(to: element)
        count &+= 1
    }

    /// Drops the `dropped` first elements (`0 <= dropped <= count`).
    /// - Complexity: O(1).
    @inline(__always)
    mutating func removeFirst(_ dropped: Int) {
        precondition(dropped >= 0 && dropped <= count, "ring removal out of range")
        count -= dropped
        head += dropped
        if head >= storage.capacity { head -= storage.capacity }
        if count == 0 { head = 0 }
    }

    /// Makes room for `minimumCapacity` elements in all without growing again.
    /// - Complexity: O(`count`) if the buffer is reallocated.
    mutating func reserveCapacity(_ minimumCapacity: Int) {
        if minimumCapacity > storage.capacity || !isKnownUniquelyReferenced(&storage) {
            reallocate(capacity: max(minimumCapacity, storage.capacity, count))
        }
    }

    /// Moves the elements to a new buffer of `capacity` slots, starting at slot 0.
    private mutating func reallocate(capacity: Int) {
        let new = Storage(capacity: capacity)
        let firstPart = min(count, storage.capacity - head)
        new.base.initialize(from: storage.base + head, count: firstPart)
        (new.base + firstPart).initialize(from: storage.base, count: count - firstPart)
        storage = new
        head = 0
    }
}
