/// The state of an architecture's components of one kind (functions, queues, buses, topics, consumers' metrics),
/// indexed by component id, in a buffer owned by one private object: element accesses skip the copy-on-write
/// uniqueness check an array makes on every mutation (`functions[index].busy += 1`, a few per routed copy).
///
/// Copies share their elements, like ``Slab``: an architecture's run owns its component arrays and never copies
/// them while in use; ``elements`` gives an independent array (for results). Components are appended while the
/// architecture is built, and never removed.
/// Invariant: elements `0..<count` are initialized.
/// - Complexity: subscript O(1); append O(1) amortized.
struct ComponentArray<Element>: RandomAccessCollection, MutableCollection {
    private final class Storage {
        @exclusivity(unchecked) var elements: UnsafeMutablePointer<Element>
        @exclusivity(unchecked) var capacity: Int
        @exclusivity(unchecked) var count = 0

        init(capacity: Int) {
            self.capacity = capacity
            elements = .allocate(capacity: capacity)
        }

        deinit {
            elements.deinitialize(count: count)
            elements.deallocate()
        }
    }

    private let storage = Storage(capacity: 4)

    init() {}

    var startIndex: Int { 0 }
    var endIndex: Int { storage.count }

    /// The component with id `index`.
    /// - Precondition: `0 <= index < count`.
    subscript(index: Int) -> Element {
        // Read in place: a getter copied the whole state (retaining every reference in it) to read one field.
        @inline(__always) _read {
            precondition(index >= 0 && index < storage.count, "component index out of range")
            yield storage.elements[index]
        }
        @inline(__always) nonmutating _modify {
            precondition(index >= 0 && index < storage.count, "component index out of range")
            yield &storage.elements[index]
        }
        @inline(__always) nonmutating set {
            precondition(index >= 0 && index < storage.count, "component index out of range")
            storage.elements[index] = newValue
        }
    }

    /// Adds a component; its id is the previous `count`.
    mutating func append(_ element: Element) {
        let storage = self.storage
        if storage.count == storage.capacity {
            let grown = UnsafeMutablePointer<Element>.allocate(capacity: storage.capacity * 2)
            grown.moveInitialize(from: storage.elements, count: storage.count)
            storage.elements.deallocate()
            storage.elements = grown
            storage.capacity *= 2
        }
        (storage.elements + storage.count).initialize(to: element)
        storage.count += 1
    }

    /// The elements, as an array of their own.
    var elements: [Element] { Array(self) }
}
