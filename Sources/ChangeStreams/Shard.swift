/// One retained record in compact form: 24 bytes, no reference-counted fields (kept packed into 16 while it fits,
/// see ``RecordRing``).
///
/// The key is the item id (see ``ItemStore``); the images, when the shard carries them, are kept in the shard's
/// ``ImageLog``. ``Shard/appendRecord(at:keys:to:)`` turns it back into a ``StreamRecord``.
struct RecordEntry {
    /// The sequence number's raw value.
    var sequence: UInt64
    /// The creation time in nanoseconds.
    var time: Int64
    /// The item id of the record's key.
    var item: Int32
    /// `sizeBytes << 2 | event kind` (sizes are below 1 MB, so 30 bits are plenty).
    var sizeAndEvent: UInt32

    /// An entry from its fields as stored (`sizeAndEvent` as described there).
    @inline(__always)
    init(sequence: UInt64, time: Int64, item: Int32, sizeAndEvent: UInt32) {
        self.sequence = sequence
        self.time = time
        self.item = item
        self.sizeAndEvent = sizeAndEvent
    }

    @inline(__always)
    init(sequence: UInt64, time: Int64, item: Int32, sizeBytes: Int, eventName: EventName) {
        self.sequence = sequence
        self.time = time
        self.item = item
        let kind: UInt32
        switch eventName {
        case .insert: kind = 0
        case .modify: kind = 1
        case .remove: kind = 2
        }
        sizeAndEvent = UInt32(truncatingIfNeeded: sizeBytes) << 2 | kind
    }

    @inline(__always) var sizeBytes: Int { Int(sizeAndEvent >> 2) }

    @inline(__always) var eventName: EventName {
        switch sizeAndEvent & 3 {
        case 0: .insert
        case 1: .modify
        default: .remove
        }
    }
}

/// One shard: an append-only run of records in sequence-number order, trimmed from the front.
///
/// Records are addressed by absolute position: the first record ever appended is position 0, and
/// `trimmedCount` positions have been dropped from the front. Records are kept as ``RecordEntry`` values packed
/// into 16 bytes each (see ``RecordRing``) plus, when the view type at the shard's creation includes images, copies of their
/// images' encoded bytes in an ``ImageLog``. Memory is proportional to the records still held.
struct Shard {
    let id: ShardID
    let parentID: ShardID?
    let createdAt: Int64
    /// Whether records carry images (fixed at creation: a view type holds for a shard's whole life).
    let carriesImages: Bool
    /// When the shard stopped taking records, or `nil` while it is open.
    var closedAt: Int64?
    /// The retained records, oldest first; creation times never decrease.
    var entries: RecordRing
    /// The images of the retained records, record `i` of the log belonging to `entries[i]`; empty if the shard
    /// carries none.
    private(set) var images: ImageLog
    /// The creation time of the oldest retained record, or `Int64.max` while none is held, so that the trim
    /// before every append is one comparison when nothing is due.
    private(set) var oldestTime: Int64 = .max
    /// How many records were dropped from the front; the absolute position of `entries.first`.
    var trimmedCount = 0
    /// The first and last sequence numbers ever appended (kept after trimming, for descriptions).
    var firstSequence: SequenceNumber?
    var lastSequence: SequenceNumber?
    /// Set once the shard is closed and all its records are past the retention period.
    var isDeleted = false

    /// A shard created when the stream's next sequence number was `nextSequence`, whose image log, if it carries
    /// images, recycles its chunks through `pool`.
    init(
        id: ShardID, parentID: ShardID?, createdAt: Int64, nextSequence: UInt64 = 1, carriesImages: Bool,
        pool: ChunkPool = ChunkPool(), blockPool: ChunkPool = ChunkPool(chunkSize: ringBlockBytes)
    ) {
        self.id = id
        self.parentID = parentID
        self.createdAt = createdAt
        self.carriesImages = carriesImages
        entries = RecordRing(baseSequence: nextSequence, baseTime: createdAt, pool: blockPool)
        images = ImageLog(pool: pool, blockPool: blockPool)
    }

    /// The number of records held.
    var count: Int { entries.count }

    /// The absolute position just after the newest record.
    var endPosition: Int { trimmedCount + entries.count }

    /// Drops the records created at or before `cutoff` (releasing their ids in `store`), then appends `entry`
    /// with its images and retains its item id: one access to the shard for a write. The store's entries are
    /// unique: the writer claimed the table's storage before recording (see ``Table/claimStorage()`` and
    /// ``ItemStore/retainInUniqueEntries(_:)``).
    @inline(__always)
    mutating func append(
        _ entry: RecordEntry, trimmingThrough cutoff: Int64, releasing store: inout ItemStore,
        newImage: UnsafeBufferPointer<UInt8>?, oldImage: UnsafeBufferPointer<UInt8>?
    ) {
        trim(through: cutoff, releasing: &store)
        store.retainInUniqueEntries(entry.item)
        append(entry, newImage: newImage, oldImage: oldImage)
    }

    /// Appends a record with the encoded bytes of its images (ignored unless the shard carries images).
    /// - Complexity: amortized O(1 + size of the images), no allocation once the arrays have grown.
    @inline(__always)
    mutating func append(
        _ entry: RecordEntry, newImage: UnsafeBufferPointer<UInt8>?, oldImage: UnsafeBufferPointer<UInt8>?
    ) {
        if firstSequence == nil { firstSequence = SequenceNumber(rawValue: entry.sequence) }
        lastSequence = SequenceNumber(rawValue: entry.sequence)
        if oldestTime == .max { oldestTime = entry.time }
        entries.append(entry)
        if carriesImages { images.append(old: oldImage, new: newImage) }
    }

    /// Appends the record at `offset` (relative to the first retained record) to `buffer`, with its key looked
    /// up in `keys` and its images, if the shard carries them, decoded into new items.
    @inline(__always)
    func appendRecord(at offset: Int, keys: [ItemKey], to buffer: inout [StreamRecord]) {
        let entry = entries[offset]
        if carriesImages {
            buffer.append(
                StreamRecord(
                    eventName: entry.eventName, keys: keys[Int(entry.item)], newImage: images.item(.new, at: offset),
                    oldImage: images.item(.old, at: offset), sequenceNumber: SequenceNumber(rawValue: entry.sequence),
                    sizeBytes: entry.sizeBytes, approximateCreationTime: entry.time))
        } else {
            buffer.append(
                StreamRecord(
                    eventName: entry.eventName, keys: keys[Int(entry.item)], newImage: nil, oldImage: nil,
                    sequenceNumber: SequenceNumber(rawValue: entry.sequence), sizeBytes: entry.sizeBytes,
                    approximateCreationTime: entry.time))
        }
    }

    /// The header of the record at `offset` (relative to the first retained record).
    @inline(__always)
    func header(at offset: Int) -> StreamRecordHeader {
        Self.header(of: entries[offset])
    }

    /// Calls `body` on the headers of the records at the offsets `range` (relative to the first retained record)
    /// in order until it returns `false`, reading the entries a block's run at a time.
    @inline(__always)
    func forEachHeader(in range: Range<Int>, _ body: (StreamRecordHeader) -> Bool) {
        entries.forEach(in: range) { body(Self.header(of: $0)) }
    }

    @inline(__always)
    private static func header(of entry: RecordEntry) -> StreamRecordHeader {
        StreamRecordHeader(
            eventName: entry.eventName, sequenceNumber: SequenceNumber(rawValue: entry.sequence),
            sizeBytes: entry.sizeBytes, approximateCreationTime: entry.time)
    }

    /// Drops the records created at or before `cutoff`, releasing their item ids in `store`.
    /// - Complexity: O(dropped records).
    @inline(__always)
    mutating func trim(through cutoff: Int64, releasing store: inout ItemStore) {
        guard oldestTime <= cutoff else { return }
        dropRecords(through: cutoff, releasing: &store)
    }

    /// The body of ``trim(through:releasing:)`` once a record is due: out of line, so that the appends that trim
    /// first (usually nothing) stay small enough to be inlined into the writes.
    /// - Complexity: O(dropped records).
    @inline(never)
    private mutating func dropRecords(through cutoff: Int64, releasing store: inout ItemStore) {
        var dropped = 0
        // One uniqueness check of the store's entries for the whole run (nothing copies the store during the
        // trim), and the entries read a ring block's run at a time.
        store.makeEntriesUnique()
        entries.forEach(in: 0..<entries.count) { entry in
            guard entry.time <= cutoff else { return false }
            store.releaseInUniqueEntries(entry.item)
            dropped &+= 1
            return true
        }
        entries.removeFirst(dropped)
        if carriesImages { images.removeFirst(dropped) }
        trimmedCount += dropped
        oldestTime = entries.first?.time ?? .max
    }

    /// Drops the records created at or before `cutoff` (releasing their ids in `store`), then appends `entry`,
    /// whose old image is the `stagedOldCount` bytes staged with ``stageOldImage(_:reserving:)`` and whose new
    /// image is `newImage` (the shard carries images), and retains its item id. The store's entries are unique, as
    /// for ``append(_:trimmingThrough:releasing:newImage:oldImage:)``.
    @inline(__always)
    mutating func append(
        _ entry: RecordEntry, trimmingThrough cutoff: Int64, releasing store: inout ItemStore,
        newImage: UnsafeBufferPointer<UInt8>?, stagedOldCount: Int
    ) {
        trim(through: cutoff, releasing: &store)
        store.retainInUniqueEntries(entry.item)
        if firstSequence == nil { firstSequence = SequenceNumber(rawValue: entry.sequence) }
        lastSequence = SequenceNumber(rawValue: entry.sequence)
        if oldestTime == .max { oldestTime = entry.time }
        entries.append(entry)
        images.commit(oldCount: stagedOldCount, new: newImage)
    }

    /// Copies `old`, the version of an item about to change in place, to the back of the image log as the old
    /// image of the shard's next record (see ``ImageLog/stage(old:reserving:)``); the shard carries images.
    @inline(__always)
    mutating func stageOldImage(_ old: UnsafeBufferPointer<UInt8>, reserving reserved: Int) {
        images.stage(old: old, reserving: reserved)
    }

    /// ``stageOldImage(_:reserving:)`` without changing the shard, if the image log's last chunk has room (see
    /// ``ImageLog/stageInPlace(old:reserving:)``); `false`, with nothing copied, otherwise.
    @inline(__always)
    func stageOldImageInPlace(_ old: UnsafeBufferPointer<UInt8>, reserving reserved: Int) -> Bool {
        images.stageInPlace(old: old, reserving: reserved)
    }

    /// The number of ring blocks the shard holds (its records' and its image spans').
    var ringBlockCount: Int { entries.blockCount + images.spanBlockCount }

    /// Marks the shard deleted (it is closed and holds no record) and gives its memory to the pool.
    mutating func delete() {
        isDeleted = true
        entries.recycle()
        images.recycle()
    }

    /// The absolute position of the first record created after `cutoff`, that is, the logical trim horizon.
    /// - Complexity: O(log n).
    func horizon(after cutoff: Int64) -> Int {
        if entries.first.map({ $0.time > cutoff }) ?? true { return trimmedCount }
        var low = 0
        var high = entries.count
        while low < high {
            let middle = (low + high) / 2
            if entries.time(at: middle) <= cutoff { low = middle + 1 } else { high = middle }
        }
        return trimmedCount + low
    }

    /// The absolute position of the retained record with sequence number `sequence`, or `nil`.
    /// - Complexity: O(log n).
    func position(of sequence: SequenceNumber) -> Int? {
        var low = 0
        var high = entries.count
        while low < high {
            let middle = (low + high) / 2
            if entries[middle].sequence < sequence.rawValue { low = middle + 1 } else { high = middle }
        }
        guard low < entries.count, entries[low].sequence == sequence.rawValue else { return nil }
        return trimmedCount + low
    }
}
