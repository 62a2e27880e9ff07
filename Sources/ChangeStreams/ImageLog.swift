/// The encoded images (an item's attributes in the ``ItemEncoding`` byte format) of one shard's retained
/// records, copied into one run of bytes that is appended at the back and trimmed from the front, like the
/// shard's records.
///
/// A record's images are copies, not shared item versions: writing a record costs a copy of its images' bytes
/// (a few dozen bytes for small items) instead of keeping the table's item versions alive, so the table can
/// change an item in place whatever the view type, and trimming a record frees nothing but advances an offset.
/// A reader that wants the images as ``Item`` values gets fresh ones (``item(_:)``).
///
/// Invariants: `spans[spansStart...]` describe the retained records in order; their bytes are contiguous and
/// in the same order, the first starting at absolute position `base + bytesStart`. Absolute positions count
/// every byte ever appended, so a span's `start` never changes when the front is dropped. Both arrays are
/// compacted once their dropped front is at least half of them, so memory is at most about twice the retained
/// images, and every operation is amortized O(1) per byte.
struct ImageLog {
    /// Where one record's images are: `start` is the absolute position of its old image, the new image
    /// following it. A length is stored plus one, so that 0 means "no image" (an INSERT's old image, a REMOVE's
    /// new image), distinct from an empty item.
    struct Span {
        var start: Int
        var oldLength: UInt32
        var newLength: UInt32
    }

    private var bytes = ByteRun()
    private var bytesStart = 0
    /// The absolute position of `bytes[0]`.
    private var base = 0
    private var spans: [Span] = []
    private var spansStart = 0

    /// The number of records whose images are held.
    var count: Int { spans.count - spansStart }

    /// The number of image bytes held.
    var byteCount: Int { bytes.count - bytesStart }

    /// Reserves room for `count` more records of about `bytesPerRecord` image bytes each.
    mutating func reserve(records count: Int, bytesPerRecord: Int = 64) {
        spans.reserveCapacity(spans.count + count)
        bytes.reserve(bytes.count + count * bytesPerRecord)
    }

    /// Appends the images of the next record: `old` then `new`, either absent.
    /// - Complexity: amortized O(size of the images), no allocation once the arrays have grown.
    @inline(__always)
    mutating func append(old: UnsafeBufferPointer<UInt8>?, new: UnsafeBufferPointer<UInt8>?) {
        let start = base + bytes.count
        if let old { bytes.append(old) }
        if let new { bytes.append(new) }
        spans.append(
            Span(
                start: start, oldLength: old.map { UInt32(truncatingIfNeeded: $0.count + 1) } ?? 0,
                newLength: new.map { UInt32(truncatingIfNeeded: $0.count + 1) } ?? 0))
    }

    /// Drops the images of the `count` oldest records.
    /// - Complexity: amortized O(1) per record and byte dropped.
    mutating func removeFirst(_ count: Int) {
        guard count > 0 else { return }
        spansStart += count
        bytesStart = spansStart < spans.count ? spans[spansStart].start - base : bytes.count
        if spansStart * 2 >= spans.count {
            spans.removeFirst(spansStart)
            spansStart = 0
        }
        if bytesStart * 2 >= bytes.count {
            bytes.removeFirst(bytesStart)
            base += bytesStart
            bytesStart = 0
        }
    }

    /// Which image of a record.
    enum Image { case old, new }

    /// Calls `body` with the encoded bytes of an image of the record at `offset` (relative to the oldest held),
    /// or with `nil` if the record has no such image.
    @inline(__always)
    func withImage<R>(_ image: Image, at offset: Int, _ body: (UnsafeBufferPointer<UInt8>?) -> R) -> R {
        let span = spans[spansStart + offset]
        let length: Int
        var start = span.start - base
        switch image {
        case .old:
            length = Int(span.oldLength)
        case .new:
            length = Int(span.newLength)
            start += max(0, Int(span.oldLength) - 1)
        }
        guard length > 0 else { return body(nil) }
        return bytes.withBytes(start..<start + length - 1) { body($0) }
    }

    /// An image of the record at `offset` as a new item, or `nil` if the record has no such image.
    /// - Complexity: O(size of the image), one allocation.
    func item(_ image: Image, at offset: Int) -> Item? {
        withImage(image, at: offset) { bytes in bytes.map { Item(encoded: $0) } }
    }
}
