import CacheHints

/// A growable array addressed by item id (``ItemStore``'s per-id entries), whose elements are read in place and
/// changed after a single uniqueness check.
///
/// `Array`'s mutable subscript is not inlined in the table's write paths: it calls out to make its buffer unique,
/// to check the index and to end the mutation, about 47 instructions a write. Here a mutable access is an index
/// check, one uniqueness check (a call into the runtime, about ten instructions) and a pointer: about fifteen.
/// Copies share the buffer until one of them changes an element (copy on write), so the value semantics of a
/// copied ``Table`` hold.
///
/// Invariants: the first `count` slots of `storage.base` are initialized, the rest are not; `count <= capacity`.
/// Memory is the capacity, which grows by doubling and never shrinks.
struct IDArray<Element> {
    /// The buffer: `capacity` slots of which the first `count` are initialized, deinitialized and freed with the
    /// object.
    final class Storage {
        let base: UnsafeMutablePointer<Element>
        let capacity: Int
        var count = 0

        /// Aligned to a cache line, so that elements whose size divides 64 bytes never straddle two lines.
        init(capacity: Int) {
            self.capacity = capacity
            let raw = UnsafeMutableRawPointer.allocate(
                byteCount: max(1, capacity) * MemoryLayout<Element>.stride,
                alignment: max(64, MemoryLayout<Element>.alignment))
            base = raw.bindMemory(to: Element.self, capacity: max(1, capacity))
        }

        deinit {
            base.deinitialize(count: count)
            UnsafeMutableRawPointer(base).deallocate()
        }
    }

    private var storage = Storage(capacity: 0)

    init() {}

    /// The number of elements.
    var count: Int { storage.count }

    /// The element at `index` (`0 <= index < count`), read through a pointer: a field read from it is not copied
    /// with the rest of the element, and an element passed as a `borrowing` argument is not copied at all. A
    /// change through the subscript makes the buffer unique first.
    /// - Complexity: O(1); a change O(`count`) if the buffer is shared and has to be copied.
    @inline(__always)
    subscript(index: Int) -> Element {
        unsafeAddress {
            precondition(UInt(bitPattern: index) < UInt(bitPattern: storage.count), "id out of range")
            return UnsafePointer(storage.base + index)
        }
        unsafeMutableAddress { uniquePointer(at: index) }
    }

    /// The indices of the elements, `0..<count`.
    var indices: Range<Int> { 0..<storage.count }

    /// Runs `body` on the element at `index` (`0 <= index < count`) in place, after making the buffer unique.
    /// - Complexity: O(1); O(`count`) if the buffer is shared and has to be copied.
    @inline(__always)
    mutating func modify<R>(_ index: Int, _ body: (inout Element) -> R) -> R {
        precondition(UInt(bitPattern: index) < UInt(bitPattern: storage.count), "id out of range")
        if !isKnownUniquelyReferenced(&storage) { reallocate(capacity: storage.capacity) }
        return body(&storage.base[index])
    }

    /// The address of the element at `index` (`0 <= index < count`), for reading it in place; valid until the
    /// array is next changed or copied.
    @inline(__always)
    func address(of index: Int) -> UnsafePointer<Element> {
        precondition(UInt(bitPattern: index) < UInt(bitPattern: storage.count), "id out of range")
        return UnsafePointer(storage.base + index)
    }

    /// Prefetches the cache line of the element at `index` (a hint: any index is harmless, nothing is read).
    @inline(__always)
    func prefetch(_ index: Int) {
        cache_hints_prefetch(storage.base + index)
    }

    /// A pointer to the element at `index` (`0 <= index < count`) for changing it in place, after making the
    /// buffer unique; valid until the array is next changed or copied.
    /// - Complexity: O(1); O(`count`) if the buffer is shared and has to be copied.
    @inline(__always)
    mutating func uniquePointer(at index: Int) -> UnsafeMutablePointer<Element> {
        precondition(UInt(bitPattern: index) < UInt(bitPattern: storage.count), "id out of range")
        if !isKnownUniquelyReferenced(&storage) { reallocate(capacity: storage.capacity) }
        return storage.base + index
    }

    /// Makes the buffer unique (copying it if a copy of the array shares it), so that ``uncheckedPointer(at:)`` may
    /// change elements until the array is next copied.
    /// - Complexity: O(1); O(`count`) if the buffer is shared and has to be copied.
    @inline(__always)
    mutating func makeUnique() {
        if !isKnownUniquelyReferenced(&storage) { reallocate(capacity: storage.capacity) }
    }

    /// A pointer to the element at `index` (`0 <= index < count`) for changing it in place, with no uniqueness
    /// check: the caller made the buffer unique with ``makeUnique()`` during its current exclusive access to the
    /// array (nothing can copy the array in between), or knows it unique otherwise (a table's ownership token, see
    /// ``Table/claimStorage()``). Valid until the array is next changed or copied. Debug
    /// builds check the uniqueness.
    /// - Complexity: O(1).
    @inline(__always)
    mutating func uncheckedPointer(at index: Int) -> UnsafeMutablePointer<Element> {
        precondition(UInt(bitPattern: index) < UInt(bitPattern: storage.count), "id out of range")
        assert(isKnownUniquelyReferenced(&storage), "the buffer was not made unique")
        return storage.base + index
    }

    /// Appends `element`.
    /// - Complexity: amortized O(1).
    mutating func append(_ element: Element) {
        if storage.count == storage.capacity || !isKnownUniquelyReferenced(&storage) {
            reallocate(capacity: max(16, storage.count * 2, storage.capacity))
        }
        (storage.base + storage.count).initialize(to: element)
        storage.count += 1
    }

    /// Removes the `removed` first elements (`0 <= removed <= count`), moving the rest to the front.
    /// - Complexity: O(`count`).
    mutating func removeFirst(_ removed: Int) {
        precondition(removed >= 0 && removed <= storage.count, "removal out of range")
        guard removed > 0 else { return }
        makeUnique()
        storage.base.deinitialize(count: removed)
        storage.base.moveInitialize(from: storage.base + removed, count: storage.count - removed)
        storage.count -= removed
    }

    /// Moves (or, if the buffer is shared, copies) the elements into a new buffer of `capacity` slots.
    private mutating func reallocate(capacity: Int) {
        let new = Storage(capacity: capacity)
        if isKnownUniquelyReferenced(&storage) {
            new.base.moveInitialize(from: storage.base, count: storage.count)
            new.count = storage.count
            storage.count = 0
        } else {
            new.base.initialize(from: storage.base, count: storage.count)
            new.count = storage.count
        }
        storage = new
    }
}
