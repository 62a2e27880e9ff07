import CacheHints

/// The table's items, addressed by interned integer item ids.
///
/// Every key the table holds an item for, or that a retained stream record names, has one id: a small integer
/// that indexes the arrays below. Records store the id instead of the key (4 bytes instead of about 50, and no
/// reference counting), and the table finds an item with one probe of an open-addressed index keyed by the
/// key's stable hash instead of a `Dictionary` lookup with SipHash.
///
/// Invariants:
/// * `entries[id].references` is 1 if `entries[id].item` holds an item, plus the number of retained records
///   naming `id`.
/// * An id is live (in `slots`, with its key in `keys[id]`) exactly while its references are above 0; at 0 it is
///   dropped from the index and put on the free list, so the number of ids is at most the number of items plus
///   the number of retained records, and memory follows the retention window, not everything ever written.
/// * While an id is live its key never changes, so a record read later still names the key it was written for.
struct ItemStore {
    /// What the store keeps per id, together so that one cache line serves a write: 64 bytes, one line each (the
    /// entries' buffer is aligned to a cache line), the key's short partition value included so that a put finds
    /// its id without reading the key's box (a cache miss on a fourth of a put's samples when it did).
    struct Entry {
        /// The low 32 bits of the index hash of the id's key (``ItemStore/hash(of:)``), for deletion and
        /// rehashing: a slot holds the high 32 bits, and slot positions use only low bits.
        var hashLow: UInt32
        /// See the invariants above.
        var references: Int32
        /// The size in bytes of the key's values (without names), part of every record's size.
        var keySize: Int32
        /// The index of the table partition whose hash range holds `partitionHash`, or -1 if not known yet: a
        /// cache of ``Table/partitionIndex(for:)`` (a binary search a record), filled on the id's first record
        /// and forgotten for every id when the partitions change (``forgetPartitions()``).
        var partition: Int32 = -1
        /// The key's stable partition hash (``ItemKey/partitionHash``), which routes its records.
        var partitionHash: UInt64
        /// The item stored under the id, or the empty item if there is none (absent, deleted, or a free id): a
        /// table's items always have their key attributes, so the empty item is never stored. Not an optional,
        /// so that the stored item can be read in place (unwrapping an optional copies the item: a retain and a
        /// release).
        var item: Item
        /// The key's ``ItemKey/Storage/shortPartition`` if the key has no sort value, else `nil`: what
        /// ``find(hash:shortPartition:)`` compares (a placeholder's for a free id, which no slot names).
        var shortPartition: ShortKeyValue? = nil
    }

    /// The key of each id (a placeholder for free ids). Apart from `entries` because reads need only keys.
    private(set) var keys: [ItemKey] = []
    /// The entries by id, changed in place through ``IDArray/modify(_:_:)``.
    private var entries = IDArray<Entry>()
    /// Ids whose references dropped to 0, reused before new ones are allocated.
    private var free: [Int32] = []
    /// Open addressing with linear probing. A slot holds the high 32 bits of the key's hash above `id + 1`
    /// (0 for an empty slot), so a probe rejects other keys without touching their entries. The capacity is a
    /// power of two and at least twice the number of live ids, so probes are short.
    private var slots: [UInt64] = Array(repeating: 0, count: 64)
    private var liveIDs = 0
    /// The number of items stored.
    private(set) var count = 0
    /// Buffers of removed items that nothing else referenced, reused by the next items built (see
    /// ``takeSpare(holding:)``), so that deleting and re-creating items allocates and frees nothing. At most
    /// ``maximumSpares`` of them, each of at most ``maximumSpareCapacity`` bytes.
    private var spares: [ItemBuffer] = []

    /// The most buffers ``spares`` keeps, and the largest buffer it keeps, in bytes: at most 32 KB in all.
    static let maximumSpares = 64
    static let maximumSpareCapacity = 512

    private static let placeholder = ItemKey(partition: .null)
    private static let tagMask: UInt64 = 0xFFFF_FFFF_0000_0000

    /// The hash the index uses: the key's partition index hash (``ItemKey/Storage/partitionIndexHash``), mixed
    /// with the sort key's stable hash when there is one.
    @inline(__always)
    static func hash(of key: ItemKey) -> UInt64 { key.indexHash }

    /// ``hash(of:)-(ItemKey)`` of a key's box.
    @inline(__always)
    static func hash(of storage: ItemKey.Storage) -> UInt64 {
        guard storage.hasSort, let sort = storage.sort else { return storage.partitionIndexHash }
        return StableHash.splitmix64(storage.partitionIndexHash ^ StableHash.of(sort))
    }

    /// The live id of `key`, or `nil`.
    /// - Complexity: O(1) on average (one probe sequence, one key comparison per tag match).
    @inline(__always)
    func find(_ key: ItemKey) -> Int32? {
        find(key, hash: Self.hash(of: key))
    }

    @inline(__always)
    func find(_ key: ItemKey, hash: UInt64) -> Int32? {
        find(hash: hash) { $0 == key }
    }

    /// ``find(_:)``, and when the stored key equals `key` but is another box, the store keeps `key`'s box from
    /// then on (the two are equal and immutable), so that the next lookup with it is one pointer comparison
    /// instead of a comparison of values. Writers that reuse their keys (a workload's fixed set of items) pay
    /// the value comparison once per key.
    @inline(__always)
    mutating func findAdopting(_ key: ItemKey) -> Int32? {
        // The boxes are compared here first (inline), so a key already adopted costs one pointer comparison.
        guard let id = find(hash: Self.hash(of: key), where: { $0.storage === key.storage || $0 == key }) else {
            return nil
        }
        if keys[Int(id)].storage !== key.storage { keys[Int(id)] = key }
        return id
    }

    /// ``findAdopting(_:)`` of the key at `key`, read in place: the key is not copied (a copy is a reference-count
    /// increment and decrement, atomic writes to the key's box) unless the store adopts it. The caller keeps the
    /// key alive and unchanged during the call.
    @inline(__always)
    mutating func findAdopting(keyAt key: UnsafePointer<ItemKey>) -> Int32? {
        // The box's address and the key's hash, read without a copy and without reading the box.
        let box = Unmanaged.passUnretained(key.pointee.storage).toOpaque()
        let hash = key.pointee.indexHash
        // Whether the key found is in another box (equal by value): the match says so, so the found key is not
        // read again (a bounds-checked load and a comparison) to decide whether to adopt the caller's box.
        var otherBox = false
        guard
            let id = find(
                hash: hash,
                where: { stored in
                    if Unmanaged.passUnretained(stored.storage).toOpaque() == box { return true }
                    guard stored == key.pointee else { return false }
                    otherBox = true
                    return true
                })
        else { return nil }
        if otherBox { keys[Int(id)] = key.pointee }
        return id
    }

    /// The live id whose index hash is `hash` and whose key satisfies `matches`, or `nil`.
    @inline(__always)
    func find(hash: UInt64, where matches: (borrowing ItemKey) -> Bool) -> Int32? {
        // Ids in slots are live, so their keys are in range.
        keys.withUnsafeBufferPointer { keys in probe(hash: hash) { matches(keys[$0]) } }
    }

    /// The first id in the probe sequence of `hash` whose slot's tag matches and for which `matches` holds, or
    /// `nil` at the first empty slot.
    @inline(__always)
    private func probe(hash: UInt64, _ matches: (Int) -> Bool) -> Int32? {
        // Through a pointer: slots are masked into range, so no bounds checks.
        slots.withUnsafeBufferPointer { slots in
            let mask = slots.count - 1
            let tag = hash & Self.tagMask
            var slot = Int(truncatingIfNeeded: hash) & mask
            while true {
                let value = slots[slot]
                if value == 0 { return nil }
                if value & Self.tagMask == tag {
                    let id = Int(truncatingIfNeeded: value & 0xFFFF_FFFF) - 1
                    if matches(id) { return Int32(truncatingIfNeeded: id) }
                }
                slot = (slot &+ 1) & mask
            }
        }
    }

    /// The live id whose key has no sort value and the short partition value `short`, whose index hash `hash`
    /// is (``ShortKeyValue/indexHash``), or `nil`: the same id as ``find(hash:where:)`` with a comparison of the
    /// keys' boxes, found with the copy of the short value in the id's entry, which the write reads next anyway.
    /// - Complexity: O(1) on average (one probe sequence, one comparison of two words per tag match).
    @inline(__always)
    func find(hash: UInt64, shortPartition short: ShortKeyValue) -> Int32? {
        probe(hash: hash) { id in
            guard let stored = entries.address(of: id).pointee.shortPartition else { return false }
            return stored == short
        }
    }

    // MARK: Prefetching (see ``WritePrefetcher``): hints only, no state changes, no bounds traps.

    /// Prefetches the index slot where a lookup of index hash `hash` starts.
    /// - Complexity: O(1): no memory is read except the slot array's address.
    @inline(__always)
    func prefetchSlot(hash: UInt64) {
        slots.withUnsafeBufferPointer { slots in
            cache_hints_prefetch(
                slots.baseAddress.unsafelyUnwrapped + (Int(truncatingIfNeeded: hash) & (slots.count - 1)))
        }
    }

    /// The first live id in the probe sequence of `hash` whose slot tag matches (the id a lookup of a stored key
    /// with that hash finds, unless two keys share 32 hash bits), with its key and entry prefetched; `nil` if the
    /// probe meets an empty slot first. Reads the slots (which ``prefetchSlot(hash:)`` brought in).
    /// - Complexity: O(probe length).
    @inline(__always)
    func prefetchEntry(hash: UInt64) -> Int32? {
        // The first tag match: the key itself is not compared.
        guard let id = probe(hash: hash, { _ in true }) else { return nil }
        keys.withUnsafeBufferPointer { cache_hints_prefetch($0.baseAddress.unsafelyUnwrapped + Int(id)) }
        entries.prefetch(Int(id))
        return id
    }

    /// Prefetches the first two cache lines of the item buffer stored under `id` (its header and first bytes),
    /// reading the entry (which ``prefetchEntry(hash:)`` brought in); a lookup compares the key's box by address
    /// only, so the box is not prefetched. Does nothing for an id out of range (ids found earlier may have been
    /// freed since; they stay in range).
    /// - Complexity: O(1).
    @inline(__always)
    func prefetchItem(at id: Int32) {
        let index = Int(id)
        guard index >= 0, index < entries.count else { return }
        // The references' bits, read without retaining the objects: a retain would write to them and wait for
        // the very lines being prefetched.
        let buffer = UnsafeRawPointer(entries.address(of: index)).load(
            fromByteOffset: Self.itemOffset, as: UInt.self)
        if buffer != 0, let pointer = UnsafeRawPointer(bitPattern: buffer) {
            cache_hints_prefetch(pointer)
            cache_hints_prefetch(pointer + 64)
        }
    }

    /// The byte offset of ``Entry/item`` in an entry: an item is one optional reference, so its bits there are
    /// the buffer's address or 0.
    private static let itemOffset = MemoryLayout<Entry>.offset(of: \Entry.item)!

    /// The partition hash, cached partition index (-1 if not known) and key size of a live id.
    @inline(__always)
    func route(of id: Int32) -> (partitionHash: UInt64, partition: Int, keySize: Int) {
        (entries[Int(id)].partitionHash, Int(entries[Int(id)].partition), Int(entries[Int(id)].keySize))
    }

    /// The short form of the partition value of the live id `id`'s key and the size of the key's values, or `nil`
    /// if the key has a sort value or a partition value without a short form.
    @inline(__always)
    func shortKey(of id: Int32) -> (short: ShortKeyValue, keySize: Int)? {
        let entry = entries.address(of: Int(id))
        guard let short = entry.pointee.shortPartition else { return nil }
        return (short, Int(entry.pointee.keySize))
    }

    /// Caches `partition` as the partition of the live id `id` (see ``Entry/partition``).
    @inline(__always)
    mutating func setPartition(_ partition: Int, of id: Int32) {
        entries.modify(Int(id)) { $0.partition = Int32(truncatingIfNeeded: partition) }
    }

    /// Forgets every cached partition index: the table's partitions changed.
    /// - Complexity: O(ids).
    mutating func forgetPartitions() {
        for index in 0..<entries.count { entries.modify(index) { $0.partition = -1 } }
    }

    /// The item stored under `id`, or `nil`.
    @inline(__always)
    func item(at id: Int32) -> Item? {
        let item = entries[Int(id)].item
        return item.isEmpty ? nil : item
    }

    /// Calls `body` with the encoded bytes and the size (``Item/sizeInBytes``) of the item stored under `id`,
    /// which must hold one, reading it in place (no reference-count traffic).
    @inline(__always)
    func withItemBytes<R>(at id: Int32, _ body: (UnsafeBufferPointer<UInt8>, Int) -> R) -> R {
        entries[Int(id)].item.withBytesAndSize(body)
    }

    /// The encoded bytes and the size (``Item/sizeInBytes``) of the item stored under `id`, which must hold one.
    /// The pointer stays valid until that item is changed or removed: the store holds the item's buffer, and a
    /// buffer's elements never move.
    @inline(__always)
    func itemBytes(at id: Int32) -> (bytes: UnsafeBufferPointer<UInt8>, size: Int) {
        withItemBytes(at: id) { ($0, $1) }
    }

    /// The item with key `key`, or `nil`.
    func item(_ key: ItemKey) -> Item? {
        find(key).flatMap { item(at: $0) }
    }

    /// The live id of `key`, interning the key (with no references yet) if it has none.
    /// - Complexity: amortized O(1).
    mutating func intern(_ key: ItemKey) -> Int32 {
        let hash = Self.hash(of: key)
        if let id = find(key, hash: hash) { return id }
        if (liveIDs + 1) * 2 > slots.count { grow() }
        let id: Int32
        let keySize = Int32(truncatingIfNeeded: key.valueSize)
        let short = key.storage.hasSort ? nil : key.storage.shortPartition
        if let reused = free.popLast() {
            id = reused
            keys[Int(id)] = key
            entries.modify(Int(id)) { entry in
                entry.hashLow = UInt32(truncatingIfNeeded: hash)
                entry.keySize = keySize
                entry.partitionHash = key.partitionHash
                entry.partition = -1
                entry.shortPartition = short
            }
        } else {
            id = Int32(keys.count)
            keys.append(key)
            entries.append(
                Entry(
                    hashLow: UInt32(truncatingIfNeeded: hash), references: 0, keySize: keySize,
                    partitionHash: key.partitionHash, item: Item(), shortPartition: short))
        }
        liveIDs += 1
        insertSlot(id, hash: hash)
        return id
    }

    /// Stores `item` under `id`, which must have none; counts as one reference.
    @inline(__always)
    mutating func insert(_ item: Item, at id: Int32) {
        makeEntriesUnique()
        insertInUniqueEntries(item, at: id)
    }

    /// ``insert(_:at:)`` without the entries' uniqueness check, on the condition of ``retainInUniqueEntries(_:)``
    /// (a write, after the table claimed its storage).
    @inline(__always)
    mutating func insertInUniqueEntries(_ item: Item, at id: Int32) {
        let entry = entries.uncheckedPointer(at: Int(id))
        entry.pointee.item = item
        entry.pointee.references += 1
        count += 1
    }

    /// Runs `body` on the item stored under `id` (which must hold one) in place, so that a version nothing else
    /// references can be changed without a copy.
    @inline(__always)
    mutating func modifyItem<R>(at id: Int32, _ body: (inout Item) -> R) -> R {
        // Through a pointer rather than a nested closure, so that `body` is inlined where it is written.
        body(&entries.uniquePointer(at: Int(id)).pointee.item)
    }

    /// Whether an item is stored under `id`.
    @inline(__always)
    func hasItem(at id: Int32) -> Bool { !entries[Int(id)].item.isEmpty }

    /// How an item compares with the one stored under an id.
    enum Comparison { case absent, equal, different }

    /// Compares `item` with the item stored under `id`, reading the stored one in place (no copy).
    @inline(__always)
    func compare(_ item: Item, at id: Int32) -> Comparison {
        let stored = entries[Int(id)].item
        if stored.isEmpty { return .absent }
        return stored == item ? .equal : .different
    }

    /// Stores `item` under `id` (which must hold one) and returns the item it replaces, moved out of the store.
    @inline(__always)
    mutating func exchange(_ item: Item, at id: Int32) -> Item {
        var item = item
        entries.modify(Int(id)) { swap(&item, &$0.item) }
        return item
    }

    /// Replaces the item stored under `id` (which must hold one).
    @inline(__always)
    mutating func replace(_ item: Item, at id: Int32) {
        entries.modify(Int(id)) { $0.item = item }
    }

    /// Removes the item stored under `id` (which must hold one) and drops its reference. The item's buffer is
    /// kept as a spare if nothing else references it.
    mutating func remove(at id: Int32) {
        makeEntriesUnique()
        removeInUniqueEntries(at: id)
    }

    /// ``remove(at:)`` without the entries' uniqueness check, on the condition of ``retainInUniqueEntries(_:)``
    /// (a delete, after the table claimed its storage).
    mutating func removeInUniqueEntries(at id: Int32) {
        var removed = Item()
        swap(&removed, &entries.uncheckedPointer(at: Int(id)).pointee.item)
        count -= 1
        releaseInUniqueEntries(id)
        // The buffer moved out of the item, not copied (a retain and a release of a line the delete just read).
        guard spares.count < Self.maximumSpares, var buffer = removed.storage.take() else { return }
        if isKnownUniquelyReferenced(&buffer), buffer.byteCapacity <= Self.maximumSpareCapacity {
            spares.append(buffer)
        }
    }

    /// The number of spare buffers kept (see ``remove(at:)``).
    var spareCount: Int { spares.count }

    /// A spare buffer for ``Item/make(byteCount:count:size:flags:reusing:_:)`` to build an item of `byteCount`
    /// encoded bytes in, or `nil`.
    @inline(__always)
    mutating func takeSpare(holding byteCount: Int) -> ItemBuffer? {
        guard byteCount <= Self.maximumSpareCapacity else { return nil }
        return spares.popLast()
    }

    /// Counts one more retained record naming `id`.
    @inline(__always)
    mutating func retain(_ id: Int32) {
        entries.modify(Int(id)) { $0.references += 1 }
    }

    /// Drops one reference to `id`, freeing the id when none is left.
    @inline(__always)
    mutating func release(_ id: Int32) {
        let left = entries.modify(Int(id)) { entry in
            entry.references -= 1
            return entry.references
        }
        if left == 0 { free(id) }
    }

    /// Makes the entries this store's own (copying them if a copy of the store shares them), for
    /// ``releaseInUniqueEntries(_:)``: one uniqueness check for a run of releases instead of one each.
    /// - Complexity: O(1); O(ids) if the entries are shared.
    @inline(__always)
    mutating func makeEntriesUnique() { entries.makeUnique() }

    /// ``release(_:)`` without the entries' uniqueness check: the caller called ``makeEntriesUnique()`` during its
    /// current exclusive access to the store (a trim releases the ids of a run of records under one check).
    @inline(__always)
    mutating func releaseInUniqueEntries(_ id: Int32) {
        let entry = entries.uncheckedPointer(at: Int(id))
        entry.pointee.references -= 1
        // Freeing changes the entries in place (no reallocation), so they stay unique for the next release.
        if entry.pointee.references == 0 { free(id) }
    }

    /// ``retain(_:)`` without the entries' uniqueness check: the caller changed the entries (an item stored, changed
    /// or removed), called ``makeEntriesUnique()`` during its current exclusive access to the store, or claimed the
    /// table's storage (``Table/claimStorage()``), as every write does before it records.
    @inline(__always)
    mutating func retainInUniqueEntries(_ id: Int32) {
        entries.uncheckedPointer(at: Int(id)).pointee.references += 1
    }

    /// ``modifyItem(at:_:)`` without the entries' uniqueness check, on the condition of
    /// ``retainInUniqueEntries(_:)``.
    @inline(__always)
    mutating func modifyItemInUniqueEntries<R>(at id: Int32, _ body: (inout Item) -> R) -> R {
        body(&entries.uncheckedPointer(at: Int(id)).pointee.item)
    }

    /// The number of references to `id` (see the invariants), for tests.
    func references(of id: Int32) -> Int { Int(entries[Int(id)].references) }

    private mutating func free(_ id: Int32) {
        removeSlot(id)
        keys[Int(id)] = Self.placeholder
        entries.modify(Int(id)) { $0.item = Item() }
        free.append(id)
        liveIDs -= 1
    }

    private mutating func insertSlot(_ id: Int32, hash: UInt64) {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] != 0 { slot = (slot + 1) & mask }
        slots[slot] = hash & Self.tagMask | UInt64(id + 1)
    }

    @inline(__always)
    private static func slotID(_ value: UInt64) -> Int { Int(truncatingIfNeeded: value & 0xFFFF_FFFF) - 1 }

    /// Removes `id` from the index by backward-shift deletion (no tombstones, so probes stay short).
    private mutating func removeSlot(_ id: Int32) {
        let mask = slots.count - 1
        // Slot positions are below 2^32, so the low 32 bits of a hash give its home slot.
        var hole = Int(entries[Int(id)].hashLow) & mask
        while Self.slotID(slots[hole]) != Int(id) { hole = (hole + 1) & mask }
        var next = (hole + 1) & mask
        while slots[next] != 0 {
            let home = Int(entries[Self.slotID(slots[next])].hashLow) & mask
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
        for value in old where value != 0 {
            let id = Self.slotID(value)
            insertSlot(Int32(id), hash: value & Self.tagMask | UInt64(entries[id].hashLow))
        }
    }
}
