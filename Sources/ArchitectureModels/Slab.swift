/// A pool of values addressed by stable `Int32` ids, with a free list: removing never moves other values, and
/// ids are reused, so steady-state runs allocate nothing.
///
/// Invariant: `liveCount` equals the number of ids inserted and not yet removed.
/// - Complexity: insert, remove and subscript O(1) amortized.
struct Slab<Element> {
    private(set) var storage: [Element] = []
    private var free: [Int32] = []
    private(set) var liveCount = 0

    mutating func insert(_ element: Element) -> Int32 {
        liveCount += 1
        if let id = free.popLast() {
            storage[Int(id)] = element
            return id
        }
        storage.append(element)
        return Int32(storage.count - 1)
    }

    /// Inserts `element` by swapping it with the value a freed slot still holds (``remove(_:)`` keeps it), and
    /// returns that old value in `element` (empty `Element()` for a new slot): arrays handed back and forth this
    /// way keep their buffers.
    mutating func insert(swapping element: inout Element) -> Int32 where Element: RangeReplaceableCollection {
        liveCount += 1
        if let id = free.popLast() {
            swap(&element, &storage[Int(id)])
            return id
        }
        storage.append(element)
        element = Element()
        return Int32(storage.count - 1)
    }

    /// Frees `id`; its slot keeps the old value until reused.
    mutating func remove(_ id: Int32) {
        liveCount -= 1
        free.append(id)
    }

    /// Reads borrow the element in place (`_read`): a `get` returned a copy, so reading one field of a
    /// message retained and released its whole JSON event.
    subscript(id: Int32) -> Element {
        _read { yield storage[Int(id)] }
        _modify { yield &storage[Int(id)] }
    }
}
