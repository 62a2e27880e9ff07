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
/// Invariants: `spans` describe the retained records in order; a record's images lie in one chunk, the old image
/// then the new; `chunks.first` is chunk number `firstChunk`, and every chunk before the one holding the oldest
/// retained record's images has been dropped. Memory is the retained images plus at most one chunk and one
/// spare.
struct ImageLog {
    /// Where one record's images are. A length is stored plus one, so that 0 means "no image" (an INSERT's old
    /// image, a REMOVE's new image), distinct from an empty item.
    struct Span {
        var chunk: Int
        var offset: UInt32
        var oldLength: UInt32
        var newLength: UInt32
    }

    /// The size of a chunk; an image pair larger than this gets a chunk of its own size.
    static let chunkSize = 1 << 16

    private var chunks: Deque<[UInt8]> = []
    /// The number of chunk `chunks.first`.
    private var firstChunk = 0
    /// The bytes written in the last chunk.
    private var used = 0
    /// A freed chunk kept for the next one needed, so that a steady stream allocates nothing.
    private var spare: [UInt8]? = nil
    private var spans: Deque<Span> = []

    /// The number of records whose images are held.
    var count: Int { spans.count }

    /// Reserves room for `count` more records.
    mutating func reserve(records count: Int) {
        spans.reserveCapacity(spans.count + count)
    }

    /// Appends the images of the next record: `old` then `new`, either absent.
    /// - Complexity: amortized O(size of the images); no allocation while chunks are recycled.
    @inline(__always)
    mutating func append(old: UnsafeBufferPointer<UInt8>?, new: UnsafeBufferPointer<UInt8>?) {
        let oldCount = old?.count ?? 0
        let total = oldCount + (new?.count ?? 0)
        if chunks.isEmpty || used + total > chunks[chunks.count - 1].count { startChunk(holding: total) }
        let offset = used
        if total > 0 {
            chunks[chunks.count - 1].withUnsafeMutableBufferPointer { chunk in
                let base = chunk.baseAddress.unsafelyUnwrapped + offset
                if let old, let source = old.baseAddress { copyBytes(to: base, from: source, count: old.count) }
                if let new, let source = new.baseAddress {
                    copyBytes(to: base + oldCount, from: source, count: new.count)
                }
            }
        }
        used += total
        spans.append(
            Span(
                chunk: firstChunk + chunks.count - 1, offset: UInt32(truncatingIfNeeded: offset),
                oldLength: old.map { UInt32(truncatingIfNeeded: $0.count + 1) } ?? 0,
                newLength: new.map { UInt32(truncatingIfNeeded: $0.count + 1) } ?? 0))
    }

    /// Starts a chunk that can hold `size` bytes, reusing the spare one if it is large enough.
    private mutating func startChunk(holding size: Int) {
        let capacity = max(Self.chunkSize, size)
        if let spare, spare.count >= capacity {
            chunks.append(spare)
            self.spare = nil
        } else {
            chunks.append([UInt8](repeating: 0, count: capacity))
        }
        used = 0
    }

    /// Drops the images of the `count` oldest records, freeing the chunks no retained record uses (the last
    /// chunk stays, to be filled on).
    /// - Complexity: O(`count` + chunks freed).
    mutating func removeFirst(_ count: Int) {
        guard count > 0 else { return }
        spans.removeFirst(count)
        let keepFrom = spans.first?.chunk ?? (firstChunk + chunks.count - 1)
        while firstChunk < keepFrom, chunks.count > 1 {
            let freed = chunks.removeFirst()
            if freed.count == Self.chunkSize { spare = freed }
            firstChunk += 1
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
        return chunks[span.chunk - firstChunk].withUnsafeBufferPointer { chunk in
            body(UnsafeBufferPointer(rebasing: chunk[start..<start + length - 1]))
        }
    }

    /// An image of the record at `offset` as a new item, or `nil` if the record has no such image.
    /// - Complexity: O(size of the image), one allocation.
    func item(_ image: Image, at offset: Int) -> Item? {
        withImage(image, at: offset) { bytes in bytes.map { Item(encoded: $0) } }
    }
}
