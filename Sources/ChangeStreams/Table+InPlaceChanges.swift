/// Recording an item changed in place: the old version's bytes are saved before the change (staged in the
/// image log of the shard the record goes to, when they are wanted), and the record is written after it.
extension Table {
    /// Where ``saveOldImage(of:at:)`` put the old version of an item changed in place.
    struct SavedOldImage {
        /// The old version's size (``Item/sizeInBytes``) and encoded length.
        var size: Int
        var byteCount: Int
        /// The open shard whose image log holds the staged bytes, or `nil` if they are in ``oldImageBytes``.
        var staged: (index: Int, shard: ShardID, keySize: Int)?
    }

    /// Saves the encoded bytes of the item stored under `id` (which must hold one) before it changes in place:
    /// staged in the image log of the open shard its record will go to, or, if that shard is due to roll over
    /// (a write that changes nothing must not roll it over), copied to ``oldImageBytes``.
    ///
    /// The common case (the id's partition known, no rollover due, room in the log's last chunk) is a short
    /// body that changes nothing but bytes past the log's end, small enough to be inlined into the update;
    /// everything else is ``saveOldImageSlowly(of:at:)``, out of line.
    @inline(__always)
    mutating func saveOldImage(of id: Int32, at now: Int64) -> SavedOldImage {
        let old = store.itemBytes(at: id)
        let route = store.route(of: id)
        // A cached partition index (forgotten whenever the partitions change), checked against the array anyway.
        if route.partition >= 0, route.partition < partitions.count {
            let place = partitions.withUnsafeBufferPointer { $0[route.partition] }
            if now < place.rolloverAt, let shard = place.shard {
                let index = shard.rawValue &- stream.firstShardNumber
                if stream.stageOldImageInPlace(old.bytes, inShard: index) {
                    return SavedOldImage(
                        size: old.size, byteCount: old.bytes.count,
                        staged: (index, shard, keyNameSize &+ route.keySize))
                }
            }
        }
        return saveOldImageSlowly(of: id, at: now)
    }

    /// ``saveOldImage(of:at:)`` in every case: the partition looked up and cached if it is not known yet, a chunk
    /// started if the log's last one lacks room, the bytes copied aside if a rollover is due.
    @inline(never)
    mutating func saveOldImageSlowly(of id: Int32, at now: Int64) -> SavedOldImage {
        // The bytes are read through a pointer: the stored version does not change before they are copied.
        let old = store.itemBytes(at: id)
        let routing = partition(of: id)
        let partition = routing.partition
        if now < partitions[partition].rolloverAt, let shard = partitions[partition].shard {
            let index = shard.rawValue &- stream.firstShardNumber
            stream.stageOldImage(old.bytes, inShard: index)
            return SavedOldImage(
                size: old.size, byteCount: old.bytes.count, staged: (index, shard, keyNameSize + routing.keySize))
        }
        oldImageBytes.removeAll()
        oldImageBytes.append(old.bytes)
        return SavedOldImage(size: old.size, byteCount: old.bytes.count, staged: nil)
    }

    /// Records an in-place one-attribute change of item `id`, or the error it met. `saved` is where
    /// ``saveOldImage(of:at:)`` saved the old version, or `nil` if the view type keeps no old image.
    @inline(__always)
    mutating func recordInPlace(
        _ outcome: Item.InPlaceOutcome, _ id: Int32, saved: SavedOldImage?, _ name: @autoclosure () -> String,
        _ value: @autoclosure () -> AttributeValue, at now: Int64
    ) -> Result<WriteOutcome, ChangeStreamError> {
        switch outcome {
        case .unchanged: .success(WriteOutcome())
        case .changed: .success(recordModification(of: id, saved: saved, at: now))
        case .forbiddenName: .failure(.keyAttributeUpdate(name()))
        case .invalidNumber: .failure(Self.invalidNumber(name(), value()))
        case .tooLarge(let bytes): .failure(.itemTooLarge(bytes: bytes))
        }
    }

    /// Records the MODIFY of item `id` changed in place: its new image is the stored version, its old image the
    /// bytes `saved` describes, if any.
    @inline(__always)
    mutating func recordModification(of id: Int32, saved: SavedOldImage?, at now: Int64) -> WriteOutcome {
        guard let view = stream.viewType, view != .keysOnly else {
            return record(.modify, item: id, newImage: nil, oldImage: nil, at: now)
        }
        // The new image is read through a pointer: the stored version's buffer stays put while the append trims
        // other records (the item holds a reference to its id).
        let new = view.includesNewImage ? store.itemBytes(at: id) : nil
        if let saved, let place = saved.staged {
            // No rollover was due when the old image was staged, and the clock has not moved since.
            let sequence = stream.appendModification(
                to: place.index, item: id, keySize: place.keySize, newImage: new?.bytes, newSize: new?.size ?? 0,
                stagedOldCount: saved.byteCount, oldSize: saved.size, at: now, store: &store)
            return WriteOutcome(eventName: .modify, sequenceNumber: sequence, shard: place.shard)
        }
        guard let place = openShard(for: id, at: now) else { return WriteOutcome(eventName: .modify) }
        let sequence = stream.append(
            to: place.index, eventName: .modify, item: id, keySize: place.keySize, newImage: new?.bytes,
            newSize: new?.size ?? 0, oldImage: saved == nil ? nil : oldImageBytes.unsafeBytes,
            oldSize: saved?.size ?? 0, at: now, store: &store)
        return WriteOutcome(eventName: .modify, sequenceNumber: sequence, shard: place.shard)
    }
}
