#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An open-addressing hash map from (tag, byte string) to a dense Int32 value, built for lookups that must not
/// allocate: keys are looked up straight from a buffer.
///
/// Keys live in one byte arena. Entries are never removed (callers empty the value's posting list instead).
/// A class so that lookups from the rule machine read its arrays in place; properties skip runtime exclusivity
/// checks (single-threaded; `find` never overlaps `insert`).
/// - Complexity: lookup and insert O(key length) expected; load factor kept at most 1/2.
final class ByteTable {
    @exclusivity(unchecked) private var slots: [Int32] = Array(repeating: -1, count: 16)
    @exclusivity(unchecked) private var hashes: [UInt64] = []
    @exclusivity(unchecked) private var tags: [Int32] = []
    @exclusivity(unchecked) private var keyStarts: [Int32] = []
    @exclusivity(unchecked) private var keyLengths: [Int32] = []
    @exclusivity(unchecked) private(set) var values: [Int32] = []
    @exclusivity(unchecked) private var arena: [UInt8] = []

    var count: Int { values.count }

    /// Approximate heap bytes used.
    var memoryBytes: Int { slots.count * 4 + values.count * 24 + arena.count }

    @inline(__always) static func hash(_ tag: Int32, _ key: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325 ^ UInt64(UInt32(bitPattern: tag))
        for byte in key { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return hash ^ (hash >> 29)
    }

    /// The value stored for (tag, key), or nil.
    @inline(__always) func find(_ tag: Int32, _ key: UnsafeBufferPointer<UInt8>) -> Int32? {
        let hash = Self.hash(tag, key)
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        return arena.withUnsafeBufferPointer { arena -> Int32? in
            while true {
                let entry = Int(slots[slot])
                if entry < 0 { return nil }
                if hashes[entry] == hash, tags[entry] == tag, Int(keyLengths[entry]) == key.count {
                    let start = Int(keyStarts[entry])
                    if key.count == 0 || memcmp(arena.baseAddress! + start, key.baseAddress!, key.count) == 0 {
                        return values[entry]
                    }
                }
                slot = (slot + 1) & mask
            }
        }
    }

    /// The value for (tag, key) from an array key.
    func find(_ tag: Int32, _ key: [UInt8]) -> Int32? {
        key.withUnsafeBufferPointer { find(tag, $0) }
    }

    /// Stores `value` for a new (tag, key); the key must not be present.
    func insert(_ tag: Int32, _ key: [UInt8], value: Int32) {
        if (values.count + 1) * 2 > slots.count { grow() }
        let hash = key.withUnsafeBufferPointer { Self.hash(tag, $0) }
        hashes.append(hash)
        tags.append(tag)
        keyStarts.append(Int32(arena.count))
        keyLengths.append(Int32(key.count))
        arena.append(contentsOf: key)
        values.append(value)
        place(values.count - 1, hash: hash)
    }

    private func place(_ entry: Int, hash: UInt64) {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] >= 0 { slot = (slot + 1) & mask }
        slots[slot] = Int32(entry)
    }

    private func grow() {
        slots = Array(repeating: -1, count: slots.count * 2)
        for entry in 0..<values.count { place(entry, hash: hashes[entry]) }
    }
}
