/// The `numeric` conditions of one field, answering "which ranges contain x" in O(log n + matches).
///
/// Ranges are kept in a list; a segment tree over the elementary slots between distinct endpoints is rebuilt
/// lazily after changes. Slot 2i+1 is the endpoint value vᵢ itself, slot 2i the open gap below it, slot 2m the gap
/// above the last endpoint; each range is stored at the O(log n) tree nodes that cover its slots.
struct NumericIndex {
    private(set) var ranges: [(range: NumericRange, id: Int32)] = []
    private var endpoints: [Double] = []
    /// The segment tree in compressed rows: node n holds `treeIDs[treeStarts[n]..<treeStarts[n + 1]]`.
    private var treeStarts: [Int32] = []
    private var treeIDs: [Int32] = []
    private var slotCount = 0
    private var dirty = false

    var isEmpty: Bool { ranges.isEmpty }

    var memoryBytes: Int { ranges.count * 48 + endpoints.count * 8 + treeStarts.count * 4 + treeIDs.count * 4 }

    mutating func add(_ range: NumericRange, id: Int32) {
        ranges.append((range, id))
        dirty = true
    }

    mutating func remove(id: Int32, range: NumericRange) {
        if let index = ranges.firstIndex(where: { $0.id == id && $0.range == range }) {
            ranges.remove(at: index)
            dirty = true
        }
    }

    /// Rebuilds the tree after changes; must run before ``forEachContaining(_:_:)``.
    mutating func rebuildIfNeeded() {
        if dirty { rebuild() }
    }

    /// Calls `body` with the id of every range containing `value` (call ``rebuildIfNeeded()`` after changes).
    @inline(__always) func forEachContaining(_ value: Double, _ body: (Int32) -> Void) {
        guard slotCount > 0 else { return }
        let slot = slotOf(value)
        var node = 1
        var low = 0
        var high = slotCount - 1
        while true {
            for index in Int(treeStarts[node])..<Int(treeStarts[node + 1]) { body(treeIDs[index]) }
            if low == high { return }
            let middle = (low + high) / 2
            if slot <= middle {
                node = node * 2
                high = middle
            } else {
                node = node * 2 + 1
                low = middle + 1
            }
        }
    }

    private func slotOf(_ value: Double) -> Int { Self.slot(of: value, among: endpoints) }

    /// The elementary slot of `value` among sorted distinct `endpoints`: 2i + 1 for endpoint i itself, 2i for the
    /// open gap below it, 2n above the last. Values of one slot lie in exactly the same ranges whose ends are
    /// among the endpoints. - Complexity: O(log n).
    static func slot(of value: Double, among endpoints: [Double]) -> Int {
        var low = 0
        var high = endpoints.count
        while low < high {
            let middle = (low + high) / 2
            if endpoints[middle] < value { low = middle + 1 } else { high = middle }
        }
        if low < endpoints.count && endpoints[low] == value { return 2 * low + 1 }
        return 2 * low
    }

    private mutating func rebuild() {
        dirty = false
        var values: [Double] = []
        for (range, _) in ranges {
            if let lower = range.lower { values.append(lower) }
            if let upper = range.upper { values.append(upper) }
        }
        endpoints = NumericClass.endpoints(values)
        slotCount = ranges.isEmpty ? 0 : 2 * endpoints.count + 1
        var tree = [[Int32]](repeating: [], count: max(1, 4 * slotCount))
        for (range, id) in ranges {
            let first = range.lower.map { 2 * index($0) + (range.lowerInclusive ? 1 : 2) } ?? 0
            let last = range.upper.map { 2 * index($0) + (range.upperInclusive ? 1 : 0) } ?? slotCount - 1
            if first <= last { Self.insert(id, first, last, into: &tree, node: 1, low: 0, high: slotCount - 1) }
        }
        treeStarts = [0]
        treeStarts.reserveCapacity(tree.count + 1)
        treeIDs = []
        for ids in tree {
            treeIDs += ids
            treeStarts.append(Int32(treeIDs.count))
        }
    }

    private func index(_ value: Double) -> Int {
        var low = 0
        var high = endpoints.count - 1
        while low < high {
            let middle = (low + high) / 2
            if endpoints[middle] < value { low = middle + 1 } else { high = middle }
        }
        return low
    }

    private static func insert(
        _ id: Int32, _ first: Int, _ last: Int, into tree: inout [[Int32]], node: Int, low: Int, high: Int
    ) {
        if first <= low && high <= last {
            tree[node].append(id)
            return
        }
        let middle = (low + high) / 2
        if first <= middle { insert(id, first, last, into: &tree, node: node * 2, low: low, high: middle) }
        if last > middle { insert(id, first, last, into: &tree, node: node * 2 + 1, low: middle + 1, high: high) }
    }
}

/// Numeric classes of values for match-outcome caches outside this module (a topic's attribute filters).
package enum NumericClass {
    /// `values` sorted, each once: the endpoints slots are taken among. - Complexity: O(n log n).
    package static func endpoints(_ values: [Double]) -> [Double] {
        var endpoints: [Double] = []
        for value in values.sorted() where endpoints.last != value { endpoints.append(value) }
        return endpoints
    }

    /// The slot (`NumericIndex.slot(of:among:)`) of the number `text` spells, when `text` is exactly one JSON
    /// number literal that is exactly a double (its shortest form, as `JSONNumber.exactDouble`) of magnitude at
    /// most `limit`; nil otherwise (a string, a longer literal, one out of range, anything else). Used to key match
    /// outcomes by what numeric tests can tell apart: values of one slot lie in the same ranges and equal the same
    /// endpoints.
    /// - Complexity: O(size of `text` + log(endpoints)).
    package static func slot(
        ofNumber text: UnsafeBufferPointer<UInt8>, among endpoints: [Double], limit: Double
    ) -> Int? {
        var reader = JSONReader(text)
        guard let range = try? reader.scanNumber(), range == 0..<text.count,
            let value = NumberScanner.exactDouble(text), abs(value) <= limit
        else { return nil }
        return NumericIndex.slot(of: value, among: endpoints)
    }
}
