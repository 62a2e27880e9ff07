/// How a ``PackedRing`` packs its values: a smaller form that holds the common values exactly, and fails for the
/// rest.
protocol RingPacking {
    associatedtype Value: BitwiseCopyable
    associatedtype Packed: BitwiseCopyable
    /// `value` packed, or `nil` if a field does not fit.
    func pack(_ value: Value) -> Packed?
    /// The value `packed` holds (`pack(unpack(p)) == p`).
    func unpack(_ packed: Packed) -> Value
}

/// A first-in, first-out run of values kept packed (see ``RingPacking``) in a ``Ring`` while they fit, and, from the
/// first value that does not, in a ring of full values for the rest of its life: a shard's record entries and image
/// spans, whose fields rarely need their full width.
/// - Complexity: as ``Ring``; the one switch to full values is O(`count`).
struct PackedRing<Packing: RingPacking> {
    private var packed: Ring<Packing.Packed>
    private var full: Ring<Packing.Value>
    /// Whether the values are in `full` (for the rest of the ring's life).
    private(set) var isFull = false
    let packing: Packing

    /// An empty ring packing with `packing`, whose blocks come from and go back to `pool`.
    init(_ packing: Packing, pool: ChunkPool = ChunkPool(chunkSize: ringBlockBytes)) {
        self.packing = packing
        packed = Ring(pool: pool)
        full = Ring(pool: pool)
    }

    var count: Int { isFull ? full.count : packed.count }

    var isEmpty: Bool { count == 0 }

    var first: Packing.Value? { count > 0 ? self[0] : nil }

    /// The number of values the ring holds without taking another block.
    var capacity: Int { isFull ? full.capacity : packed.capacity }

    /// The number of blocks held.
    var blockCount: Int { packed.blockCount + full.blockCount }

    /// The value at `offset` from the front (`0 <= offset < count`).
    @inline(__always)
    subscript(offset: Int) -> Packing.Value {
        if _fastPath(!isFull) { return packing.unpack(packed[offset]) }
        return full[offset]
    }

    /// Calls `body` on the values at the offsets `range` (within `0..<count`) in order until it returns `false`,
    /// reading packed values a block's run at a time (see ``Ring/forEachRun(in:_:)``).
    /// - Complexity: O(`range.count`).
    @inline(__always)
    func forEach(in range: Range<Int>, _ body: (Packing.Value) -> Bool) {
        if _fastPath(!isFull) {
            packed.forEachRun(in: range) { run in
                for value in run where !body(packing.unpack(value)) { return false }
                return true
            }
        } else {
            full.forEachRun(in: range) { run in
                for value in run where !body(value) { return false }
                return true
            }
        }
    }

    /// The packed value at `offset` (`0 <= offset < count`), or `nil` once the values are full.
    @inline(__always)
    func packedValue(at offset: Int) -> Packing.Packed? {
        isFull ? nil : packed[offset]
    }

    /// Appends `value` at the back.
    /// - Complexity: amortized O(1).
    @inline(__always)
    mutating func append(_ value: Packing.Value) {
        if _fastPath(!isFull), let packedValue = packing.pack(value) {
            packed.append(packedValue)
        } else {
            appendFull(value)
        }
    }

    /// Appends to the full values, moving the packed ones there first.
    @inline(never)
    private mutating func appendFull(_ value: Packing.Value) {
        if !isFull {
            for offset in 0..<packed.count { full.append(self[offset]) }
            packed.removeFirst(packed.count)
            packed.recycle()
            isFull = true
        }
        full.append(value)
    }

    /// Drops the `dropped` first values (`0 <= dropped <= count`).
    @inline(__always)
    mutating func removeFirst(_ dropped: Int) {
        if _fastPath(!isFull) { packed.removeFirst(dropped) } else { full.removeFirst(dropped) }
    }

    /// Gives the blocks of an empty ring to the pool (see ``Ring/recycle()``).
    mutating func recycle() {
        packed.recycle()
        full.recycle()
    }
}

/// A ``RecordEntry`` packed into 16 bytes relative to its shard's opening sequence number and creation time: what a
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
            sizeAndEvent: UInt32(truncatingIfNeeded: high >> Self.timeBits) << 2
                | UInt32(truncatingIfNeeded: low >> 62))
    }
}

/// Record entries packed relative to a shard's opening sequence number and creation time (see ``PackedEntry``):
/// 16 bytes a record instead of 24 while a shard is open at most 4.9 hours and fewer than 2³¹ records are
/// written to the whole stream while it is open.
struct EntryPacking: RingPacking {
    /// The stream's next sequence number and the time when the shard was created (its records' are never
    /// smaller).
    let baseSequence: UInt64
    let baseTime: Int64

    @inline(__always)
    func pack(_ value: RecordEntry) -> PackedEntry? {
        PackedEntry(value, baseSequence: baseSequence, baseTime: baseTime)
    }

    @inline(__always)
    func unpack(_ packed: PackedEntry) -> RecordEntry {
        packed.unpacked(baseSequence: baseSequence, baseTime: baseTime)
    }
}

/// A shard's retained records, oldest first (see ``EntryPacking``).
typealias RecordRing = PackedRing<EntryPacking>

extension PackedRing where Packing == EntryPacking {
    /// An empty ring for a shard created at `baseTime` when the stream's next sequence number was `baseSequence`,
    /// whose blocks come from and go back to `pool`.
    init(baseSequence: UInt64, baseTime: Int64, pool: ChunkPool = ChunkPool(chunkSize: ringBlockBytes)) {
        self.init(EntryPacking(baseSequence: baseSequence, baseTime: baseTime), pool: pool)
    }

    /// The creation time of the entry at `offset` (`0 <= offset < count`), without unpacking the rest.
    @inline(__always)
    func time(at offset: Int) -> Int64 {
        if let entry = packedValue(at: offset) { return entry.time(baseTime: packing.baseTime) }
        return self[offset].time
    }
}
