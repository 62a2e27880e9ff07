/// The stream side of a table: the shard registry, sequence numbers and retention.
///
/// Shards live in an ``IDArray`` indexed by `shard number - firstShardNumber` (read in place, so reading a field
/// or borrowing a shard does not copy it, and changed by a record without a uniqueness check of its own: the
/// table's ownership token stands for it, see ``Table/claimStorage()``); deleted shards are dropped from the
/// front, so memory follows the shards and records inside the retention window. Shards are few (one per
/// partition per rollover period), so dropping from the front of the array is cheap.
struct ChangeStream {
    /// The view type while the stream is enabled, `nil` while disabled.
    var viewType: StreamViewType?
    /// The view type of the last enabling, kept for descriptions after disabling.
    var lastViewType: StreamViewType?
    var shards = IDArray<Shard>()
    var firstShardNumber = 1
    var nextShardNumber = 1
    var nextSequence: UInt64 = 1
    let retention: Int64
    let rollover: Int64
    /// The image chunks and the ring blocks (records, image spans) freed by the shards as they are trimmed or
    /// deleted, reused by the open ones (see ``ChunkPool``); each pool at most an eighth of what the shards hold,
    /// set at every ``trimAll(at:releasing:)``.
    let chunkPool = ChunkPool()
    let blockPool = ChunkPool(chunkSize: ringBlockBytes)

    init(retention: Int64, rollover: Int64) {
        self.retention = retention
        self.rollover = rollover
    }

    /// Makes the shard array this stream's own (copying it if a copy of the stream shares it), so that records
    /// may change shards through ``IDArray/uncheckedPointer(at:)`` until the stream is next copied.
    /// - Complexity: O(1); O(shards) if the array is shared.
    mutating func makeShardsUnique() { shards.makeUnique() }

    /// The deque index of a live shard, or `nil` if it never existed or was deleted.
    @inline(__always)
    func index(of id: ShardID) -> Int? {
        let index = id.rawValue - firstShardNumber
        guard index >= 0, index < shards.count, !shards[index].isDeleted else { return nil }
        return index
    }

    /// Looks a shard up for reading, telling a deleted shard (trimmed) from one that never existed.
    func lookup(_ id: ShardID) throws(ChangeStreamError) -> Int {
        if let index = index(of: id) { return index }
        if id.rawValue >= 1, id.rawValue < nextShardNumber {
            throw .trimmedDataAccess(shard: id, detail: "the whole shard")
        }
        throw .shardNotFound(id)
    }

    /// Opens a new shard and returns its identifier. Its records and images take blocks and chunks from the pools
    /// as they come, so nothing is reserved up front and nothing is copied to grow.
    mutating func openShard(parent: ShardID?, at time: Int64) -> ShardID {
        let id = ShardID(rawValue: nextShardNumber)
        nextShardNumber += 1
        let shard = Shard(
            id: id, parentID: parent, createdAt: time, nextSequence: nextSequence,
            carriesImages: (viewType ?? .keysOnly) != .keysOnly, pool: chunkPool, blockPool: blockPool)
        shards.append(shard)
        return id
    }

    mutating func closeShard(_ id: ShardID, at time: Int64) {
        guard let index = index(of: id) else { return }
        shards[index].closedAt = time
    }

    /// Appends a record to an open shard, allocating its sequence number, trimming the shard's front (releasing
    /// the trimmed records' item ids in `store`) and retaining `item` for the new record. The images the view
    /// type asks for are copied into the shard; `keySize` is the key attributes' size. The shard array and `store`'s
    /// entries are unique: the write claimed the table's storage (``Table/claimStorage()``) before recording.
    /// - Complexity: amortized O(1 + size of the images); no allocation once the shard's arrays have grown.
    @inline(__always)
    mutating func append(
        to shardIndex: Int, eventName: EventName, item: Int32, keySize: Int, newImage: Item?, oldImage: Item?,
        at now: Int64, store: inout ItemStore
    ) -> SequenceNumber {
        let view = viewType ?? .keysOnly
        let carriedNew = view.includesNewImage ? newImage : nil
        let carriedOld = view.includesOldImage ? oldImage : nil
        let size = keySize &+ (carriedNew?.sizeInBytes ?? 0) &+ (carriedOld?.sizeInBytes ?? 0)
        let sequence = nextSequence
        nextSequence &+= 1
        let entry = RecordEntry(sequence: sequence, time: now, item: item, sizeBytes: size, eventName: eventName)
        let cutoff = now - retention
        Item.withBytes(of: carriedNew) { new in
            Item.withBytes(of: carriedOld) { old in
                shards.uncheckedPointer(at: shardIndex).pointee.append(
                    entry, trimmingThrough: cutoff, releasing: &store, newImage: new, oldImage: old)
            }
        }
        return SequenceNumber(rawValue: sequence)
    }

    /// ``append(to:eventName:item:keySize:newImage:oldImage:at:store:)`` with the images given as encoded bytes
    /// and their sizes (``Item/sizeInBytes``), for writes that keep no ``Item`` of a version.
    @inline(__always)
    mutating func append(
        to shardIndex: Int, eventName: EventName, item: Int32, keySize: Int,
        newImage: UnsafeBufferPointer<UInt8>?, newSize: Int, oldImage: UnsafeBufferPointer<UInt8>?, oldSize: Int,
        at now: Int64, store: inout ItemStore
    ) -> SequenceNumber {
        let view = viewType ?? .keysOnly
        let carriedNew = view.includesNewImage ? newImage : nil
        let carriedOld = view.includesOldImage ? oldImage : nil
        let size = keySize &+ (carriedNew == nil ? 0 : newSize) &+ (carriedOld == nil ? 0 : oldSize)
        let sequence = nextSequence
        nextSequence &+= 1
        shards.uncheckedPointer(at: shardIndex).pointee.append(
            RecordEntry(sequence: sequence, time: now, item: item, sizeBytes: size, eventName: eventName),
            trimmingThrough: now - retention, releasing: &store, newImage: carriedNew, oldImage: carriedOld)
        return SequenceNumber(rawValue: sequence)
    }

    /// Copies `old`, the version of an item about to change in place, to the image log of the open shard at
    /// `shardIndex`, as the old image of the shard's next record; only while the view type includes old images.
    @inline(__always)
    mutating func stageOldImage(_ old: UnsafeBufferPointer<UInt8>, inShard shardIndex: Int) {
        // Room for a new image a little larger than the old one: an in-place change rarely grows an item more.
        let reserved = old.count + 64
        // Usually the bytes go into the last chunk through its pointer: read access to the shard, in place (no copy
        // of the shard, no uniqueness check of the shard array).
        if !shards[shardIndex].stageOldImageInPlace(old, reserving: reserved) {
            shards[shardIndex].stageOldImage(old, reserving: reserved)
        }
    }

    /// ``stageOldImage(_:inShard:)`` when it needs no change to the shard (the log's last chunk has room, see
    /// ``ImageLog/stageInPlace(old:reserving:)``); `false`, with nothing copied, otherwise.
    @inline(__always)
    func stageOldImageInPlace(_ old: UnsafeBufferPointer<UInt8>, inShard shardIndex: Int) -> Bool {
        shards[shardIndex].stageOldImageInPlace(old, reserving: old.count + 64)
    }

    /// ``append(to:eventName:item:keySize:newImage:newSize:oldImage:oldSize:at:store:)`` of a MODIFY whose old
    /// image, of `stagedOldCount` bytes and size `oldSize`, was staged with ``stageOldImage(_:inShard:)``.
    @inline(__always)
    mutating func appendModification(
        to shardIndex: Int, item: Int32, keySize: Int, newImage: UnsafeBufferPointer<UInt8>?, newSize: Int,
        stagedOldCount: Int, oldSize: Int, at now: Int64, store: inout ItemStore
    ) -> SequenceNumber {
        let carriedNew = (viewType ?? .keysOnly).includesNewImage ? newImage : nil
        let size = keySize &+ (carriedNew == nil ? 0 : newSize) &+ oldSize
        let sequence = nextSequence
        nextSequence &+= 1
        shards.uncheckedPointer(at: shardIndex).pointee.append(
            RecordEntry(sequence: sequence, time: now, item: item, sizeBytes: size, eventName: .modify),
            trimmingThrough: now - retention, releasing: &store, newImage: carriedNew, stagedOldCount: stagedOldCount)
        return SequenceNumber(rawValue: sequence)
    }

    /// Trims every shard to the retention window and deletes closed shards that hold nothing readable; bounds the
    /// chunk pool by an eighth of the chunks still held (at least 16).
    /// - Complexity: O(shards + trimmed records).
    mutating func trimAll(at now: Int64, releasing store: inout ItemStore) {
        let cutoff = now - retention
        var chunksHeld = 0
        var blocksHeld = 0
        for index in shards.indices where !shards[index].isDeleted {
            shards[index].trim(through: cutoff, releasing: &store)
            if let closedAt = shards[index].closedAt, closedAt <= cutoff, shards[index].entries.isEmpty {
                shards[index].delete()
            }
            chunksHeld += shards[index].images.chunkCount
            blocksHeld += shards[index].ringBlockCount
        }
        chunkPool.limit = max(16, chunksHeld / 8)
        blockPool.limit = max(16, blocksHeld / 8)
        var deleted = 0
        while deleted < shards.count, shards[deleted].isDeleted { deleted += 1 }
        if deleted > 0 {
            shards.removeFirst(deleted)
            firstShardNumber += deleted
        }
    }

    /// The number of records held in memory (trimmed physically, not just logically).
    var retainedRecordCount: Int {
        var count = 0
        for index in shards.indices { count += shards[index].count }
        return count
    }
}
