/// A pool of values addressed by stable `Int32` ids, with a free list: removing never moves other values, and
/// ids are reused, so steady-state runs allocate nothing.
///
/// The values and the free list live in raw buffers owned by one private object, reached without copy-on-write
/// uniqueness checks or bounds checks: copies of a slab share its storage, which is fine as an architecture's
/// run owns its slabs and never copies them while in use (a copy-on-write array cost a uniqueness check per
/// mutation and a generic `popLast` per insert, about 3 % of a scenario run).
///
/// Invariant: `liveCount` equals the number of ids inserted and not yet removed; every freed id is a distinct
/// initialized slot, so the free list never outgrows the slots.
/// - Complexity: insert, remove and subscript O(1) amortized.
struct Slab<Element> {
    private final class Storage {
        @exclusivity(unchecked) var elements: UnsafeMutablePointer<Element>
        @exclusivity(unchecked) var free: UnsafeMutablePointer<Int32>
        @exclusivity(unchecked) var capacity: Int
        /// Initialized slots (ids 0..<count).
        @exclusivity(unchecked) var count = 0
        @exclusivity(unchecked) var freeCount = 0
        @exclusivity(unchecked) var liveCount = 0

        init(capacity: Int) {
            self.capacity = capacity
            elements = .allocate(capacity: capacity)
            free = .allocate(capacity: capacity)
        }

        deinit {
            elements.deinitialize(count: count)
            elements.deallocate()
            free.deallocate()
        }

        /// Doubles the room for slots and for the free list.
        func grow() {
            let grown = capacity * 2
            let newElements = UnsafeMutablePointer<Element>.allocate(capacity: grown)
            newElements.moveInitialize(from: elements, count: count)
            elements.deallocate()
            elements = newElements
            let newFree = UnsafeMutablePointer<Int32>.allocate(capacity: grown)
            newFree.update(from: free, count: freeCount)
            free.deallocate()
            free = newFree
            capacity = grown
        }
    }

    private let storage = Storage(capacity: 16)

    /// The number of ids inserted and not yet removed.
    var liveCount: Int { storage.liveCount }

    @inline(__always) mutating func insert(_ element: Element) -> Int32 {
        let storage = self.storage
        storage.liveCount += 1
        if storage.freeCount > 0 {
            storage.freeCount -= 1
            let id = storage.free[storage.freeCount]
            storage.elements[Int(id)] = element
            return id
        }
        if storage.count == storage.capacity { storage.grow() }
        (storage.elements + storage.count).initialize(to: element)
        storage.count += 1
        return Int32(storage.count - 1)
    }

    /// Inserts `element` by swapping it with the value a freed slot still holds (``remove(_:)`` keeps it), and
    /// returns that old value in `element` (empty `Element()` for a new slot): arrays handed back and forth this
    /// way keep their buffers.
    mutating func insert(swapping element: inout Element) -> Int32 where Element: RangeReplaceableCollection {
        let storage = self.storage
        if storage.freeCount > 0 {
            storage.liveCount += 1
            storage.freeCount -= 1
            let id = storage.free[storage.freeCount]
            swap(&element, &storage.elements[Int(id)])
            return id
        }
        let id = insert(element)
        element = Element()
        return id
    }

    /// Frees `id`; its slot keeps the old value until reused.
    @inline(__always) mutating func remove(_ id: Int32) {
        let storage = self.storage
        assert(id >= 0 && Int(id) < storage.count && storage.freeCount < storage.count, "removing a free id")
        storage.liveCount -= 1
        storage.free[storage.freeCount] = id
        storage.freeCount += 1
    }

    /// Reads and writes go to the value in place (a `get` returning a copy would retain, and so touch, a
    /// message's JSON event to read one of its fields).
    /// - Precondition: `id` was inserted (freed ids still hold their last value).
    subscript(id: Int32) -> Element {
        _read {
            assert(id >= 0 && Int(id) < storage.count, "slab id out of range")
            yield storage.elements[Int(id)]
        }
        nonmutating _modify {
            assert(id >= 0 && Int(id) < storage.count, "slab id out of range")
            yield &storage.elements[Int(id)]
        }
    }
}
