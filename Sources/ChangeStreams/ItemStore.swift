/// The table's items, addressed by interned integer item ids.
///
/// Every key the table holds an item for, or that a retained stream record names, has one id: a small integer
/// that indexes the arrays below. Records store the id instead of the key (4 bytes instead of about 50, and no
/// reference counting), and the table finds an item with one probe of an open-addressed index keyed by the
/// key's stable hash instead of a `Dictionary` lookup with SipHash.
///
/// Invariants:
/// * `references[id]` is 1 if `items[id]` holds an item, plus the number of retained records naming `id`.
/// * An id is live (in `index`, with its key in `keys[id]`) exactly while `references[id] > 0`; at 0 it is
///   dropped from the index and put on the free list, so the number of ids is at most the number of items plus
///   the number of retained records, and memory follows the retention window, not everything ever written.
/// * While an id is live its key never changes, so a record read later still names the key it was written for.
struct ItemStore {
    /// The key of each id (a placeholder for free ids).
    private(set) var keys: [ItemKey] = []
    /// The item stored under each id, or `nil` (absent, deleted, or a free id).
    private(set) var items: [Item?] = []
    /// The stable hash of each id's key (``hash(of:)``), kept for probing and rehashing.
    private var hashes: [UInt64] = []
    /// See the invariants above.
    private var references: [Int32] = []
    /// Ids whose references dropped to 0, reused before new ones are allocated.
    private var free: [Int32] = []
    /// Open addressing with linear probing: `id + 1` per slot, 0 for an empty slot. The capacity is a power of
    /// two and at least twice the number of live ids, so probes are short.
    private var slots: [Int32] = Array(repeating: 0, count: 64)
    private var liveIDs = 0
    /// The number of items stored.
    private(set) var count = 0

    private static let placeholder = ItemKey(partition: .null)

    /// The hash the index uses: the key's stable partition hash, mixed with the sort key's when there is one.
    @inline(__always)
    static func hash(of key: ItemKey) -> UInt64 {
        guard let sort = key.sort else { return key.partitionHash }
        return StableHash.splitmix64(key.partitionHash ^ StableHash.of(sort))
    }

    /// The live id of `key`, or `nil`.
    /// - Complexity: O(1) on average (one probe sequence, one key comparison per hash match).
    @inline(__always)
    func find(_ key: ItemKey) -> Int32? {
        find(key, hash: Self.hash(of: key))
    }

    @inline(__always)
    func find(_ key: ItemKey, hash: UInt64) -> Int32? {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let entry = slots[slot]
            if entry == 0 { return nil }
            let id = Int(entry - 1)
            if hashes[id] == hash, keys[id] == key { return entry - 1 }
            slot = (slot + 1) & mask
        }
    }

    /// The item with key `key`, or `nil`.
    func item(_ key: ItemKey) -> Item? {
        find(key).flatMap { items[Int($0)] }
    }

    /// The live id of `key`, interning the key (with no references yet) if it has none.
    /// - Complexity: amortized O(1).
    mutating func intern(_ key: ItemKey) -> Int32 {
        let hash = Self.hash(of: key)
        if let id = find(key, hash: hash) { return id }
        if (liveIDs + 1) * 2 > slots.count { grow() }
        let id: Int32
        if let reused = free.popLast() {
            id = reused
            keys[Int(id)] = key
            hashes[Int(id)] = hash
        } else {
            id = Int32(keys.count)
            keys.append(key)
            items.append(nil)
            hashes.append(hash)
            references.append(0)
        }
        liveIDs += 1
        insertSlot(id, hash: hash)
        return id
    }

    /// Stores `item` under `id`, which must have none; counts as one reference.
    @inline(__always)
    mutating func insert(_ item: Item, at id: Int32) {
        items[Int(id)] = item
        references[Int(id)] += 1
        count += 1
    }

    /// Replaces the item stored under `id` (which must hold one).
    @inline(__always)
    mutating func replace(_ item: Item, at id: Int32) {
        items[Int(id)] = item
    }

    /// Removes the item stored under `id` (which must hold one) and drops its reference.
    mutating func remove(at id: Int32) {
        items[Int(id)] = nil
        count -= 1
        release(id)
    }

    /// Counts one more retained record naming `id`.
    @inline(__always)
    mutating func retain(_ id: Int32) {
        references[Int(id)] += 1
    }

    /// Drops one reference to `id`, freeing the id when none is left.
    @inline(__always)
    mutating func release(_ id: Int32) {
        references[Int(id)] -= 1
        if references[Int(id)] == 0 { free(id) }
    }

    private mutating func free(_ id: Int32) {
        removeSlot(id)
        keys[Int(id)] = Self.placeholder
        items[Int(id)] = nil
        free.append(id)
        liveIDs -= 1
    }

    private mutating func insertSlot(_ id: Int32, hash: UInt64) {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] != 0 { slot = (slot + 1) & mask }
        slots[slot] = id + 1
    }

    /// Removes `id` from the index by backward-shift deletion (no tombstones, so probes stay short).
    private mutating func removeSlot(_ id: Int32) {
        let mask = slots.count - 1
        var hole = Int(truncatingIfNeeded: hashes[Int(id)]) & mask
        while slots[hole] != id + 1 { hole = (hole + 1) & mask }
        var next = (hole + 1) & mask
        while slots[next] != 0 {
            let home = Int(truncatingIfNeeded: hashes[Int(slots[next] - 1)]) & mask
            // Move the entry back into the hole unless its home lies cyclically in (hole, next].
            if (next - home) & mask >= (next - hole) & mask {
                slots[hole] = slots[next]
                hole = next
            }
            next = (next + 1) & mask
        }
        slots[hole] = 0
    }

    private mutating func grow() {
        let old = slots
        slots = Array(repeating: 0, count: old.count * 2)
        for entry in old where entry != 0 { insertSlot(entry - 1, hash: hashes[Int(entry - 1)]) }
    }
}
