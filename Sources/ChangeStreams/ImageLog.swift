import CacheHints
import DequeModule

/// The encoded images (an item's attributes in the ``ItemEncoding`` byte format) of one shard's retained
/// records, copied into chunks of bytes that are filled at the back and freed from the front, like the shard's
/// records.
///
/// A record's images are copies, not shared item versions: writing a record costs a copy of its images' bytes
/// (a few dozen bytes for small items) instead of keeping the table's item versions alive, so the table can
/// change an item in place whatever the view type, and trimming records frees nothing but whole chunks. Chunks
/// are never compacted, so a byte is written once and never moved. A reader that wants the images as ``Item``
/// values gets fresh ones (``item(_:at:)``).
///
/// Chunks are raw memory owned by ``ImageChunk`` objects, written through pointers (no copy-on-write checks per
/// record), and chunks freed at the front go to a ``ChunkPool`` that the logs of one table share, so a steady
/// stream of records allocates, zeroes and faults in no memory, also when the chunks are freed by a closed
/// shard's log and reused by an open one's. A copy of a log shares its chunks; the
/// chunks' bytes never change once written, and a copy appends to the shared last chunk only while no other copy
/// has written past its own end (see ``ImageChunk/filled``), so copies never write over each other's images.
///
/// Invariants: `spans` describe the retained records in order; a record's images lie in one chunk, the old image
/// then the new; `chunks.first` is chunk number `firstChunk`, and every chunk before the one holding the oldest
/// retained record's images has been dropped. Memory is the retained images and one partly filled chunk (the
/// pool's chunks are bounded by the pool, see ``ChunkPool/limit``).
struct ImageLog {
    /// Where one record's images are: 16 bytes (8 while they fit ``SpanPacking``). A length is stored plus one, so that 0 means "no image" (an
    /// INSERT's old image, a REMOVE's new image), distinct from an empty item.
    struct Span {
        var chunk: UInt32
        var offset: UInt32
        var oldLength: UInt32
        var newLength: UInt32
    }

    /// The size of a chunk; an image pair larger than this gets a chunk of its own size.
    static let chunkSize = 1 << 16

    private var chunks: Deque<ImageChunk> = []
    /// The number of chunk `chunks.first`.
    private var firstChunk = 0
    /// The bytes this log wrote in its last chunk.
    private var used = 0
    /// The last chunk's memory, size, fill counter and number (copies of its fields, so that an append touches
    /// no object and no reference count), or `nil`, 0, a dummy counter and -1.
    private var tail: UnsafeMutablePointer<UInt8>? = nil
    private var tailCapacity = 0
    private var tailFill = ImageChunk.noFill
    private var tailNumber = -1
    /// Where freed chunks of the standard size go and new ones come from (shared with the other logs of a table).
    private let pool: ChunkPool
    private var spans: PackedRing<SpanPacking>

    /// An empty log that recycles its chunks through `pool` and its spans' ring blocks through `blockPool`.
    init(pool: ChunkPool = ChunkPool(), blockPool: ChunkPool = ChunkPool(chunkSize: ringBlockBytes)) {
        self.pool = pool
        spans = PackedRing(SpanPacking(), pool: blockPool)
    }

    /// The number of records whose images are held.
    var count: Int { spans.count }

    /// The number of chunks held (for tests of the memory bound).
    var chunkCount: Int { chunks.count }

    /// The number of ring blocks the spans hold.
    var spanBlockCount: Int { spans.blockCount }

    /// Whether the spans are kept at their full 16 bytes (after a record too large for ``SpanPacking``).
    var hasFullSpans: Bool { spans.isFull }

    /// Gives the last chunk and the span blocks of an emptied log (a deleted shard's) to the pool, unless a copy of
    /// the log shares them.
    mutating func recycle() {
        guard spans.count == 0 else { return }
        spans.recycle()
        if chunks.count == 1, var last = chunks.popLast() {
            firstChunk += 1
            tail = nil
            tailCapacity = 0
            tailFill = ImageChunk.noFill
            tailNumber = -1
            used = 0
            if last.capacity == Self.chunkSize, isKnownUniquelyReferenced(&last) { pool.recycle(last) }
        }
    }

    /// Appends the images of the next record: `old` then `new`, either absent.
    /// - Complexity: amortized O(size of the images); no allocation while chunks are recycled.
    @inline(__always)
    mutating func append(old: UnsafeBufferPointer<UInt8>?, new: UnsafeBufferPointer<UInt8>?) {
        if let old { stage(old: old, reserving: new?.count ?? 0) }
        commit(oldCount: old?.count, new: new)
    }

    /// Copies `old` to the back of the log without recording it, with room for `reserved` bytes after it: the old
    /// image of the record that ``commit(oldCount:new:)`` appends next. A writer stages the old version of an item
    /// before changing the item in place; if nothing changes, it does not commit, and the next record writes over
    /// the staged bytes.
    /// - Complexity: O(size of the image).
    @inline(__always)
    mutating func stage(old: UnsafeBufferPointer<UInt8>, reserving reserved: Int) {
        if !stageInPlace(old: old, reserving: reserved) {
            startChunk(holding: old.count + reserved)
            if let source = old.baseAddress { copyBytes(to: tail.unsafelyUnwrapped, from: source, count: old.count) }
        }
    }

    /// ``stage(old:reserving:)`` when the last chunk has room for `old` and `reserved` more bytes after the log's
    /// end and no copy of the log has written past that end: the bytes are copied through the chunk's pointer and
    /// the log itself does not change, so a caller needs no mutable (uniquely owned) access to it. Returns
    /// `false`, copying nothing, when a new chunk is needed.
    ///
    /// The staged bytes lie past every committed byte of every copy sharing the chunk (its fill counter equals
    /// this log's end), so they overwrite no record's images.
    /// - Complexity: O(size of the image).
    @inline(__always)
    func stageInPlace(old: UnsafeBufferPointer<UInt8>, reserving reserved: Int) -> Bool {
        // A copy of this log that wrote past this log's end owns the rest of the chunk.
        guard let tail, used &+ old.count &+ reserved <= tailCapacity, tailFill.pointee == used else { return false }
        if let source = old.baseAddress { copyBytes(to: tail + used, from: source, count: old.count) }
        return true
    }

    /// Appends the images of the next record: the `oldCount` bytes staged by ``stage(old:reserving:)`` as its
    /// old image (`nil`: no old image, nothing staged), then `new`.
    ///
    /// The common case (the images fit after the log's end in its last chunk, which no copy has written past) is
    /// a few dozen instructions with no call but the copy of a long new image; a new chunk is started out of line
    /// (``moveStaged(_:toChunkHolding:)``). Lengths and offsets are below 2³¹ (images are at most 400 KB, a chunk's
    /// offsets at most its size), so the arithmetic is unchecked.
    /// - Complexity: amortized O(size of the images).
    @inline(__always)
    mutating func commit(oldCount: Int?, new: UnsafeBufferPointer<UInt8>?) {
        let staged = oldCount ?? 0
        let newCount = new?.count ?? 0
        let total = staged &+ newCount
        if _slowPath(tail == nil || used &+ total > tailCapacity || tailFill.pointee != used) {
            moveStaged(staged, toChunkHolding: total)
        }
        let offset = used
        // A non-empty buffer has a base address.
        if newCount > 0, let source = new.unsafelyUnwrapped.baseAddress {
            copyBytes(to: tail.unsafelyUnwrapped + (offset &+ staged), from: source, count: newCount)
        }
        used = offset &+ total
        if total > 0 { tailFill.pointee = used }
        // The line four ahead of the end, for the writes to come: a recycled chunk was last written a retention
        // period ago and is out of the caches, and each new line otherwise stalls a write on its fetch (about
        // 1.1x records a second for both images of small items). Past the chunk's end a hint is harmless.
        cache_hints_prefetch_for_write(tail.unsafelyUnwrapped + (used &+ 256))
        spans.append(
            Span(
                chunk: UInt32(truncatingIfNeeded: tailNumber), offset: UInt32(truncatingIfNeeded: offset),
                oldLength: oldCount == nil ? 0 : UInt32(truncatingIfNeeded: staged &+ 1),
                newLength: new == nil ? 0 : UInt32(truncatingIfNeeded: newCount &+ 1)))
    }

    /// Starts a chunk that can hold `total` bytes and copies into it the `staged` bytes staged at the log's end in
    /// its current chunk (they also stay readable there: the log still holds that chunk). The rare path of
    /// ``commit(oldCount:new:)``, kept out of line so that the common one stays small enough to inline.
    @inline(never)
    private mutating func moveStaged(_ staged: Int, toChunkHolding total: Int) {
        let stagedBytes = tail.map { $0 + used }
        startChunk(holding: total)
        if let stagedBytes, staged > 0 { copyBytes(to: tail.unsafelyUnwrapped, from: stagedBytes, count: staged) }
    }

    /// Starts a chunk that can hold `size` bytes, from the pool if it is no larger than a standard chunk.
    private mutating func startChunk(holding size: Int) {
        let chunk = size <= Self.chunkSize ? pool.take() : ImageChunk(capacity: size)
        chunks.append(chunk)
        tail = chunk.base
        tailCapacity = chunk.capacity
        tailFill = chunk.filled
        tailNumber = firstChunk + chunks.count - 1
        used = 0
    }

    /// Drops the images of the `count` oldest records, freeing the chunks no retained record uses (the last
    /// chunk stays, to be filled on).
    /// - Complexity: O(`count` + chunks freed).
    mutating func removeFirst(_ count: Int) {
        guard count > 0 else { return }
        spans.removeFirst(count)
        let keepFrom = spans.first.map { Int($0.chunk) } ?? (firstChunk + chunks.count - 1)
        while firstChunk < keepFrom, chunks.count > 1 {
            var freed = chunks.removeFirst()
            firstChunk += 1
            // Only a chunk no copy of this log holds is reused: a copy may still read it.
            if freed.capacity == Self.chunkSize, isKnownUniquelyReferenced(&freed) { pool.recycle(freed) }
        }
    }

    /// Which image of a record.
    enum Image { case old, new }

    /// Calls `body` with the encoded bytes of an image of the record at `offset` (relative to the oldest held),
    /// or with `nil` if the record has no such image.
    @inline(__always)
    func withImage<R>(_ image: Image, at offset: Int, _ body: (UnsafeBufferPointer<UInt8>?) -> R) -> R {
        let span = spans[offset]
        let length: Int
        var start = Int(span.offset)
        switch image {
        case .old:
            length = Int(span.oldLength)
        case .new:
            length = Int(span.newLength)
            start += max(0, Int(span.oldLength) - 1)
        }
        guard length > 0 else { return body(nil) }
        let chunk = chunks[Int(span.chunk) - firstChunk]
        return withExtendedLifetime(chunk) {
            body(UnsafeBufferPointer(start: chunk.base + start, count: length - 1))
        }
    }

    /// An image of the record at `offset` as a new item, or `nil` if the record has no such image.
    /// - Complexity: O(size of the image), one allocation.
    func item(_ image: Image, at offset: Int) -> Item? {
        withImage(image, at: offset) { bytes in bytes.map { Item(encoded: $0) } }
    }
}

/// Image spans packed into 8 bytes: the chunk number (13 bits: the first 8,192 chunks of a log, 512 MB), the
/// offset in the chunk and the two lengths plus one (17 bits each: a record in a standard 64 KB chunk), instead of
/// 16 while they fit.
struct SpanPacking: RingPacking {
    @inline(__always)
    func pack(_ span: ImageLog.Span) -> UInt64? {
        let chunk = UInt64(span.chunk)
        let offset = UInt64(span.offset)
        let old = UInt64(span.oldLength)
        let new = UInt64(span.newLength)
        guard (chunk >> 13) | (offset >> 17) | (old >> 17) | (new >> 17) == 0 else { return nil }
        return chunk | offset << 13 | old << 30 | new << 47
    }

    @inline(__always)
    func unpack(_ packed: UInt64) -> ImageLog.Span {
        ImageLog.Span(
            chunk: UInt32(truncatingIfNeeded: packed & 0x1FFF),
            offset: UInt32(truncatingIfNeeded: packed >> 13 & 0x1_FFFF),
            oldLength: UInt32(truncatingIfNeeded: packed >> 30 & 0x1_FFFF),
            newLength: UInt32(truncatingIfNeeded: packed >> 47))
    }
}

/// One chunk of an ``ImageLog``: `capacity` bytes of raw memory after a fill counter, freed with the object.
final class ImageChunk {
    /// The chunk's memory; bytes below the fill are written and never change.
    let base: UnsafeMutablePointer<UInt8>
    /// The size of the chunk in bytes.
    let capacity: Int
    /// The bytes written so far by whichever log last wrote into the chunk, kept in the chunk's own memory so that
    /// a log reads and writes it through a pointer. A log whose own end differs has been overtaken by a copy
    /// sharing the chunk, and must start a chunk of its own.
    let filled: UnsafeMutablePointer<Int>
    private let memory: UnsafeMutableRawPointer

    /// A counter for a log without chunks (never written: a log with no chunk starts one before writing).
    nonisolated(unsafe) static let noFill: UnsafeMutablePointer<Int> = {
        let counter = UnsafeMutablePointer<Int>.allocate(capacity: 1)
        counter.initialize(to: 0)
        return counter
    }()

    init(capacity: Int) {
        self.capacity = capacity
        memory = .allocate(byteCount: MemoryLayout<Int>.stride + capacity, alignment: MemoryLayout<Int>.alignment)
        filled = memory.initializeMemory(as: Int.self, repeating: 0, count: 1)
        base = (memory + MemoryLayout<Int>.stride).bindMemory(to: UInt8.self, capacity: capacity)
    }

    deinit { memory.deallocate() }
}

/// Freed standard-size chunks of the image logs of one table (its shards', open and closed), reused before new
/// ones are allocated: the chunks freed as a day-old shard is trimmed take the images of the open shards, so
/// the table's image memory is allocated and faulted in once, not once a rollover period.
///
/// Invariants: every pooled chunk has the pool's size (``chunkSize``) and is referenced by no log or ring; at
/// most ``limit`` chunks are pooled. Logs of copies of a table share the pool (copies of a table live on one
/// thread: a table is not `Sendable`).
final class ChunkPool {
    /// The size of the pool's chunks in bytes: ``ImageLog/chunkSize`` for image logs, ``ringBlockBytes`` for rings.
    let chunkSize: Int

    /// An empty pool of chunks of `chunkSize` bytes.
    init(chunkSize: Int = ImageLog.chunkSize) {
        self.chunkSize = chunkSize
    }

    /// The pooled chunks.
    private var chunks: [ImageChunk] = []
    /// The most chunks pooled; a chunk recycled beyond it is freed. The owner sets it in proportion to the chunks
    /// its logs hold (``ChangeStream`` uses an eighth); 16 (1 MB) by default.
    var limit = 16 {
        didSet { if chunks.count > limit { chunks.removeLast(chunks.count - limit) } }
    }
    /// The chunks allocated by ``take()`` so far (for tests: a steady stream stops allocating).
    private(set) var allocated = 0

    /// The number of pooled chunks.
    var count: Int { chunks.count }

    /// A pooled chunk, emptied, or a new one of the standard size.
    /// - Complexity: O(1).
    func take() -> ImageChunk {
        if let chunk = chunks.popLast() {
            chunk.filled.pointee = 0
            return chunk
        }
        allocated += 1
        return ImageChunk(capacity: chunkSize)
    }

    /// Keeps `chunk` (of the standard size, held by no log) for reuse, unless ``limit`` chunks are pooled.
    /// - Complexity: O(1) amortized.
    func recycle(_ chunk: ImageChunk) {
        if chunks.count < limit { chunks.append(chunk) }
    }
}
