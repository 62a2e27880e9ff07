/// An open-addressing hash map from (tag, byte string) to a dense Int32 value, built for lookups that must not
/// allocate or retain: keys are looked up straight from a buffer, and storage is raw memory owned by the table.
///
/// Keys live in one byte arena. Entries are never removed (callers empty the value's posting list instead).
/// Properties skip runtime exclusivity checks: single-threaded, and `find` never overlaps `insert`.
/// - Complexity: lookup and insert O(key length) expected; load factor kept at most 1/2.
final class ByteTable {
    /// One entry's metadata, packed so a probe touches one cache line.
    private struct Entry {
        var hash: UInt64
        var tag: Int32
        var keyStart: Int32
        var keyLength: Int32
        var value: Int32
    }

    /// Slots hold the entry's upper 32 hash bits above its index, so most mismatches are rejected without touching
    /// the entry; `emptySlot` marks a free slot.
    @exclusivity(unchecked) private var slots: UnsafeMutablePointer<UInt64>
    @exclusivity(unchecked) private var slotMask: Int
    /// A one-hash bit filter, 4 bits per slot (kept in cache where the slots are not): most lookups of absent
    /// keys — the common case when matching — end here.
    @exclusivity(unchecked) private var filter: UnsafeMutablePointer<UInt64>
    @exclusivity(unchecked) private var filterMask: Int
    @exclusivity(unchecked) private var entries = ScratchBuffer<Entry>()
    @exclusivity(unchecked) private var arena = ScratchBuffer<UInt8>()
    @exclusivity(unchecked) private var arenaCount = 0
    @exclusivity(unchecked) private(set) var count = 0

    init() {
        slotMask = 15
        slots = .allocate(capacity: 16)
        slots.initialize(repeating: Self.emptySlot, count: 16)
        filterMask = 63
        filter = .allocate(capacity: 1)
        filter.initialize(to: 0)
    }

    deinit {
        slots.deallocate()
        filter.deallocate()
        entries.free()
        arena.free()
    }

    private static let emptySlot = UInt64.max

    /// Approximate heap bytes used.
    var memoryBytes: Int {
        (slotMask + 1) * 8 + (filterMask + 1) / 8 + entries.count * MemoryLayout<Entry>.stride + arena.count
    }

    /// FNV-1a over the key, seeded with the tag; `seed`, `mix` and `finish` let callers hash while scanning.
    @inline(__always) static func hash(_ tag: Int32, _ key: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash = seed(tag)
        for byte in key { hash = mix(hash, byte) }
        return finish(hash)
    }

    @inline(__always) static func seed(_ tag: Int32) -> UInt64 {
        0xcbf2_9ce4_8422_2325 ^ UInt64(UInt32(bitPattern: tag))
    }

    @inline(__always) static func mix(_ hash: UInt64, _ byte: UInt8) -> UInt64 {
        (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
    }

    @inline(__always) static func finish(_ hash: UInt64) -> UInt64 { hash ^ (hash >> 29) }

    /// The value stored for (tag, key), or nil.
    @inline(__always) func find(_ tag: Int32, _ key: UnsafeBufferPointer<UInt8>) -> Int32? {
        find(tag, key, hash: Self.hash(tag, key))
    }

    /// The value stored for (tag, key) whose ``hash(_:_:)`` the caller already computed.
    @inline(__always) func find(_ tag: Int32, _ key: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Int32? {
        let bit = Int(truncatingIfNeeded: hash >> 40) & filterMask
        guard filter[bit >> 6] & (1 << UInt64(bit & 63)) != 0 else { return nil }
        var slot = Int(truncatingIfNeeded: hash) & slotMask
        let fingerprint = hash >> 32
        while true {
            let content = slots[slot]
            if content == Self.emptySlot { return nil }
            if content >> 32 == fingerprint {
                let entry = entries[Int(truncatingIfNeeded: content & 0xFFFF_FFFF)]
                if entry.hash == hash, entry.tag == tag, Int(entry.keyLength) == key.count,
                    equal(Int(entry.keyStart), key)
                {
                    return entry.value
                }
            }
            slot = (slot &+ 1) & slotMask
        }
    }

    @inline(__always) private func equal(_ start: Int, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let arenaBase = arena.base, let keyBase = key.baseAddress else { return key.isEmpty }
        let stored = arenaBase + start
        for index in 0..<key.count where stored[index] != keyBase[index] { return false }
        return true
    }

    /// The value for (tag, key) from an array key.
    func find(_ tag: Int32, _ key: [UInt8]) -> Int32? {
        key.withUnsafeBufferPointer { find(tag, $0) }
    }

    /// Stores `value` for a new (tag, key); the key must not be present.
    func insert(_ tag: Int32, _ key: [UInt8], value: Int32) {
        if (count + 1) * 2 > slotMask + 1 { grow() }
        let hash = key.withUnsafeBufferPointer { Self.hash(tag, $0) }
        arena.ensure(arenaCount + key.count, filling: 0)
        for (offset, byte) in key.enumerated() { arena[arenaCount + offset] = byte }
        entries.ensure(count + 1, filling: Entry(hash: 0, tag: 0, keyStart: 0, keyLength: 0, value: 0))
        entries[count] = Entry(
            hash: hash, tag: tag, keyStart: Int32(arenaCount), keyLength: Int32(key.count), value: value)
        arenaCount += key.count
        place(count, hash: hash)
        count += 1
    }

    private func place(_ index: Int, hash: UInt64) {
        var slot = Int(truncatingIfNeeded: hash) & slotMask
        while slots[slot] != Self.emptySlot { slot = (slot &+ 1) & slotMask }
        slots[slot] = (hash >> 32) << 32 | UInt64(UInt32(index))
        let bit = Int(truncatingIfNeeded: hash >> 40) & filterMask
        filter[bit >> 6] |= 1 << UInt64(bit & 63)
    }

    private func grow() {
        let capacity = (slotMask + 1) * 2
        slots.deallocate()
        slots = .allocate(capacity: capacity)
        slots.initialize(repeating: Self.emptySlot, count: capacity)
        slotMask = capacity - 1
        filter.deallocate()
        let filterWords = max(1, capacity * 4 / 64)
        filter = .allocate(capacity: filterWords)
        filter.initialize(repeating: 0, count: filterWords)
        filterMask = filterWords * 64 - 1
        for index in 0..<count { place(index, hash: entries[index].hash) }
    }
}
