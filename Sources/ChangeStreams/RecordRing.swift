/// A ``RecordEntry`` packed into 16 bytes relative to its shard's first sequence number and creation time: what a
/// shard keeps for each retained record while the values fit.
///
/// Layout: the low word holds the sequence number's offset (31 bits), the item id (31 bits) and the event kind
/// (2 bits); the high word the creation time's offset in nanoseconds (44 bits, about 4.9 hours: a default shard
/// takes records for 4 hours) and the size in bytes (20 bits: a record is below 1 MB).
struct PackedEntry {
    var low: UInt64
    var high: UInt64

    static let sequenceBits: UInt64 = 31
    static let timeBits: UInt64 = 44

    /// `entry` packed relative to `baseSequence` and `baseTime`, or `nil` if a field does not fit.
    @inline(__always)
    init?(_ entry: RecordEntry, baseSequence: UInt64, baseTime: Int64) {
        // Offsets below the bases wrap around to large values, and a negative item id to a large one: one test
        // of the bits above each field's width covers every case.
        let sequence = entry.sequence &- baseSequence
        let time = UInt64(bitPattern: entry.time &- baseTime)
        let item = UInt64(UInt32(bitPattern: entry.item))
        let size = UInt64(entry.sizeAndEvent >> 2)
        guard
            (sequence >> Self.sequenceBits) | (time >> Self.timeBits) | (item >> 31) | (size >> (64 - Self.timeBits))
                == 0
        else { return nil }
        low = sequence | item << Self.sequenceBits | UInt64(entry.sizeAndEvent & 3) << 62
        high = time | size << Self.timeBits
    }

    /// The creation time, given the base the entry was packed against.
    @inline(__always)
    func time(baseTime: Int64) -> Int64 {
        baseTime &+ Int64(bitPattern: high & (1 << Self.timeBits &- 1))
    }

    /// The entry, given the bases it was packed against.
    @inline(__always)
    func unpacked(baseSequence: UInt64, baseTime: Int64) -> RecordEntry {
        RecordEntry(
            sequence: baseSequence &+ (low & (1 << Self.sequenceBits &- 1)), time: time(baseTime: baseTime),
            item: Int32(truncatingIfNeeded: (low >> Self.sequenceBits) & (1 << 31 &- 1)),
            sizeAndEvent: UInt32(truncatingIfNeeded: high >> Self.timeBits) << 2 | UInt32(truncatingIfNeeded: low >> 62)
        )
    }
}

/// A shard's retained records, oldest first: a ``Ring`` of 16-byte ``PackedEntry`` values (24-byte ``RecordEntry``
/// values before), or, from the first record whose fields do not fit (a shard open for more than 4.9 hours, or more
/// than 2³¹ records written to the whole stream while it is open), a ring of full entries for the rest of its life.
///
/// Memory is 16 bytes a record (the ring's capacity) in the common case: a third less memory to fault in, write
/// and read back per record than full entries.
/// - Complexity: as ``Ring``; the one switch to full entries is O(`count`).
struct RecordRing {
    private var packed = Ring<PackedEntry>()
    private var full = Ring<RecordEntry>()
    /// Whether the records are in `full` (for the rest of the ring's life).
    private(set) var isFull = false
    /// The sequence number and time the packed entries are relative to: the stream's next sequence number and
    /// the time when the shard was created (its records' are never smaller).
    private let baseSequence: UInt64
    private let baseTime: Int64

    /// An empty ring for a shard created at `baseTime` when the stream's next sequence number was `baseSequence`.
    init(baseSequence: UInt64, baseTime: Int64) {
        self.baseSequence = baseSequence
        self.baseTime = baseTime
    }

    var count: Int { isFull ? full.count : packed.count }

    var isEmpty: Bool { count == 0 }

    var first: RecordEntry? { count > 0 ? self[0] : nil }

    /// The number of records the ring holds without growing.
    var capacity: Int { isFull ? full.capacity : packed.capacity }

    /// The entry at `offset` from the front (`0 <= offset < count`).
    @inline(__always)
    subscript(offset: Int) -> RecordEntry {
        if _fastPath(!isFull) { return packed[offset].unpacked(baseSequence: baseSequence, baseTime: baseTime) }
        return full[offset]
    }

    /// The creation time of the entry at `offset` (`0 <= offset < count`), without unpacking the rest.
    @inline(__always)
    func time(at offset: Int) -> Int64 {
        if _fastPath(!isFull) { return packed[offset].time(baseTime: baseTime) }
        return full[offset].time
    }

    /// Appends `entry` at the back.
    /// - Complexity: amortized O(1).
    @inline(__always)
    mutating func append(_ entry: RecordEntry) {
        if _fastPath(!isFull), let entry = PackedEntry(entry, baseSequence: baseSequence, baseTime: baseTime) {
            packed.append(entry)
        } else {
            appendFull(entry)
        }
    }

    /// Appends to the full entries, moving the packed ones there first.
    @inline(never)
    private mutating func appendFull(_ entry: RecordEntry) {
        if !isFull {
            full.reserveCapacity(max(packed.capacity, packed.count + 1))
            for offset in 0..<packed.count { full.append(self[offset]) }
            packed = Ring()
            isFull = true
        }
        full.append(entry)
    }

    /// Drops the `dropped` first entries (`0 <= dropped <= count`).
    @inline(__always)
    mutating func removeFirst(_ dropped: Int) {
        if _fastPath(!isFull) { packed.removeFirst(dropped) } else { full.removeFirst(dropped) }
    }

    /// Makes room for `minimumCapacity` entries in all.
    mutating func reserveCapacity(_ minimumCapacity: Int) {
        if isFull { full.reserveCapacity(minimumCapacity) } else { packed.reserveCapacity(minimumCapacity) }
    }
}
