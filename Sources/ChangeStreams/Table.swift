/// How a table is set up.
public struct TableConfiguration: Sendable, Hashable {
    /// The key attribute names.
    public var keySchema: KeySchema
    /// The number of partitions at creation; the hash space is cut into equal ranges.
    public var partitionCount: Int
    /// The stream view type if the stream is enabled at creation, or `nil` for a table without a stream.
    public var streamViewType: StreamViewType?
    /// How long a shard stays open before it closes and a child replaces it, in nanoseconds.
    public var shardRolloverInterval: Int64

    /// Creates a configuration.
    public init(
        keySchema: KeySchema, partitionCount: Int = 1, streamViewType: StreamViewType? = .newAndOldImages,
        shardRolloverInterval: Int64 = StreamLimits.defaultShardRollover
    ) {
        self.keySchema = keySchema
        self.partitionCount = partitionCount
        self.streamViewType = streamViewType
        self.shardRolloverInterval = shardRolloverInterval
    }
}

/// What a write did.
public struct WriteOutcome: Sendable, Hashable {
    /// The kind of change, or `nil` if the write changed nothing (and so produced no record).
    public var eventName: EventName? = nil
    /// The record's sequence number, or `nil` when no record was written (no change, or stream disabled).
    public var sequenceNumber: SequenceNumber? = nil
    /// The shard that took the record, or `nil` when no record was written.
    public var shard: ShardID? = nil
}

/// One attribute-level change of an update.
public enum AttributeChange: Sendable, Hashable {
    /// Sets an attribute to a value (adding it if absent).
    case set(String, AttributeValue)
    /// Removes an attribute (nothing if absent).
    case remove(String)
}

/// A table whose every change becomes exactly one record of its change stream, on the caller's simulated clock.
///
/// Items are kept by key; each item collection (items sharing a partition key) hashes with a stable hash to one
/// partition, and each partition has one open shard while the stream is enabled, so an item's records land in
/// one shard at a time, in the order of its modifications. Every operation takes the time `now` in simulated
/// nanoseconds; mutating operations require it never to decrease.
///
/// The table is a value type and deliberately not `Sendable`-bound to any thread: one simulation owns it.
public struct Table {
    /// The table's key attribute names.
    public let keySchema: KeySchema
    /// The UTF-8 length of the key attribute names, part of every record's size.
    let keyNameSize: Int
    /// The key attribute names' bytes.
    let keyNames: KeyNames
    /// The items by interned item id; records name items by the same ids.
    var store = ItemStore()
    var partitions: [Partition] = []
    var stream: ChangeStream
    /// The latest time seen by a mutating operation, in nanoseconds.
    public internal(set) var now: Int64
    /// A copy of the encoded bytes of the version an in-place change replaces, for the record's old image (used
    /// only while the view type includes old images); its storage is reused from write to write.
    var oldImageBytes = ByteRun()
    /// The table's ownership token: copies of the table share it exactly as they share the store's entries and the
    /// stream's shard array, so while it is uniquely referenced those two buffers are too (see
    /// ``claimStorage()``). Nothing else holds it, and the store and the stream are never copied apart from the
    /// table.
    private var owner = Ownership()

    /// The class of ``owner``: an object with no state, whose reference count says whether copies of the table
    /// share its buffers.
    final class Ownership {}

    /// One partition: a range of the partition-key hash space and its open shard.
    struct Partition {
        var lowerBound: UInt64
        var shard: ShardID?
        var rolloverAt: Int64 = .max
    }

    /// Creates an empty table at time `startTime`, enabling its stream if the configuration asks.
    /// - Throws: ``ChangeStreamError/invalidConfiguration(field:value:expected:)`` for a partition count outside
    ///   1...65,536 or a rollover interval that is not positive.
    public init(_ configuration: TableConfiguration, at startTime: Int64 = 0) throws(ChangeStreamError) {
        guard (1...65_536).contains(configuration.partitionCount) else {
            throw .invalidConfiguration(
                field: "partitionCount", value: String(configuration.partitionCount), expected: "1 to 65536")
        }
        guard configuration.shardRolloverInterval > 0 else {
            throw .invalidConfiguration(
                field: "shardRolloverInterval", value: String(configuration.shardRolloverInterval),
                expected: "a positive number of nanoseconds")
        }
        keySchema = configuration.keySchema
        keyNameSize = keySchema.partitionKey.utf8.count + (keySchema.sortKey?.utf8.count ?? 0)
        keyNames = KeyNames(keySchema)
        now = startTime
        stream = ChangeStream(retention: StreamLimits.retention, rollover: configuration.shardRolloverInterval)
        let width = UInt64.max / UInt64(configuration.partitionCount)
        for index in 0..<configuration.partitionCount {
            partitions.append(Partition(lowerBound: width * UInt64(index) + (index == 0 ? 0 : UInt64(index))))
        }
        if let view = configuration.streamViewType { try enableStream(viewType: view, at: startTime) }
    }

    /// The number of items in the table.
    public var itemCount: Int { store.count }

    /// The item with key `key`, or `nil`.
    /// - Complexity: O(1) on average.
    public func item(_ key: ItemKey) -> Item? { store.item(key) }

    /// Stores `item`, replacing any item with the same key (PutItem).
    ///
    /// Writes an INSERT record if the key was absent, a MODIFY record if the stored item differed, and nothing
    /// if the stored item was equal.
    /// - Throws: a key, number or size error for an invalid item; ``ChangeStreamError/timeWentBackwards(now:last:)``.
    /// - Complexity: O(size of the item), amortized.
    @discardableResult
    public mutating func put(_ item: Item, at now: Int64) throws(ChangeStreamError) -> WriteOutcome {
        try advanceClock(to: now)
        // An item with nested values or an invalid number takes the checking (and normalising) path.
        guard item.flags.isEmpty else { return try putChecking(item, at: now) }
        let id: Int32
        if let known = knownID(of: item) {
            // A stored key: valid by construction, no key to build.
            id = known
            try Self.checkSize(item)
        } else {
            let key = try extractKey(item)
            try Self.checkSize(item)
            id = store.intern(key)
        }
        return store(item, at: id, now: now)
    }

    /// Stores the item `builder` holds, replacing any item with the same key, and empties the builder: the same
    /// as `put(builder.build(), at: now)`, outcome and errors included, except that the stored version of a known
    /// key is overwritten in place when nothing else references it, so such a put allocates nothing.
    @discardableResult
    public mutating func put(_ builder: ItemBuilder, at now: Int64) throws(ChangeStreamError) -> WriteOutcome {
        try advanceClock(to: now)
        // The builder's bytes stay where they are until it is changed or reset (after the write).
        let contents = builder.contents
        guard builder.isPlain, let id = knownID(ofEncoded: contents.bytes) else {
            return try put(builder.build(), at: now)
        }
        guard store.hasItem(at: id) else { return try insert(builder, at: id, now: now) }
        defer { builder.reset() }
        guard contents.size <= StreamLimits.maximumItemSize else { throw .itemTooLarge(bytes: contents.size) }
        // The stored bytes through a pointer (a comparison inside a closure was not inlined: a call a put).
        if ItemEncoding.equal(store.itemBytes(at: id).bytes, contents.bytes) { return WriteOutcome() }
        // The put changes the item, so its record is written first, its images read in place (the new one from
        // the builder, the old one from the stored version, which the append leaves alone), and the stored version
        // is overwritten after: no old image to stage and no saved state to pass along.
        // The store's entries are unique (the clock's advance claimed the storage) for the record's reference and
        // the overwrite.
        let outcome = recordReplacement(of: id, newImage: contents.bytes, newSize: contents.size, at: now)
        store.modifyItemInUniqueEntries(at: id) {
            $0.replaceContents(with: contents.bytes, count: contents.count, size: contents.size)
        }
        return outcome
    }

    /// Records the MODIFY of the item stored under `id` into a version of encoded bytes `newImage` and size
    /// `newSize`, before the stored version changes: the old image is the stored version's bytes, read through a
    /// pointer (trimming releases other ids' references only, and the item keeps its own buffer and id alive).
    /// The same record as changing the version first and recording after.
    @inline(__always)
    mutating func recordReplacement(
        of id: Int32, newImage: UnsafeBufferPointer<UInt8>, newSize: Int, at now: Int64
    ) -> WriteOutcome {
        guard stream.viewType != nil, let place = openShard(for: id, at: now) else {
            return WriteOutcome(eventName: .modify)
        }
        let old = store.itemBytes(at: id)
        let sequence = stream.append(
            to: place.index, eventName: .modify, item: id, keySize: place.keySize, newImage: newImage,
            newSize: newSize, oldImage: old.bytes, oldSize: old.size, at: now, store: &store)
        return WriteOutcome(eventName: .modify, sequenceNumber: sequence, shard: place.shard)
    }

    /// The put of a builder's item under a known key without an item (deleted; a retained record keeps its id):
    /// an INSERT, built in a spare buffer if there is one. Out of line: the overwrite is the common put.
    @inline(never)
    private mutating func insert(_ builder: ItemBuilder, at id: Int32, now: Int64) throws(ChangeStreamError)
        -> WriteOutcome
    {
        let (byteCount, size) = (builder.contents.bytes.count, builder.contents.size)
        guard size <= StreamLimits.maximumItemSize else {
            builder.reset()
            throw .itemTooLarge(bytes: size)
        }
        var spare = store.takeSpare(holding: byteCount)
        store.insertInUniqueEntries(builder.build(reusing: &spare), at: id)
        return recordInsert(of: id, at: now)
    }

    /// ``put(_:at:)`` of an item that needs checking: its numbers checked and its sets normalised first.
    private mutating func putChecking(_ item: Item, at now: Int64) throws(ChangeStreamError) -> WriteOutcome {
        let id: Int32
        let newItem: Item
        if let known = knownID(of: item) {
            id = known
            newItem = try Self.checked(item)
        } else {
            let key = try extractKey(item)
            newItem = try Self.checked(item)
            id = store.intern(key)
        }
        return store(newItem, at: id, now: now)
    }

    /// Stores the checked `item` under `id` and records the change, if any.
    @inline(__always)
    private mutating func store(_ item: Item, at id: Int32, now: Int64) -> WriteOutcome {
        switch store.compare(item, at: id) {
        case .absent:
            store.insertInUniqueEntries(item, at: id)
            return record(.insert, item: id, newImage: item, oldImage: nil, at: now)
        case .equal:
            return WriteOutcome()
        case .different:
            // The old version moves out of the store (no copy), to the record or to its release.
            let oldItem = store.exchange(item, at: id)
            return record(.modify, item: id, newImage: item, oldImage: oldItem, at: now)
        }
    }

    /// Changes attributes of the item with key `key`, creating the item if absent (UpdateItem).
    ///
    /// Writes an INSERT record if the item was absent, a MODIFY record if an attribute changed, and nothing if
    /// every change left the item as it was.
    /// - Throws: a key, number or size error; ``ChangeStreamError/keyAttributeUpdate(_:)`` for a change of a key
    ///   attribute; ``ChangeStreamError/timeWentBackwards(now:last:)``.
    /// - Complexity: O(size of the item + changes × attributes).
    @discardableResult
    public mutating func update(
        _ key: ItemKey, _ changes: some Sequence<AttributeChange>, at now: Int64
    ) throws(ChangeStreamError) -> WriteOutcome {
        try advanceClock(to: now)
        try validate(key)
        let found = store.findAdopting(key)
        let oldItem = found.flatMap { store.item(at: $0) }
        var newItem = oldItem ?? key.attributes(keySchema)
        for change in changes {
            switch change {
            case .set(let name, let value):
                try checkNotKey(name)
                newItem[name] = try Self.checked(value, name: name)
            case .remove(let name):
                try checkNotKey(name)
                newItem[name] = nil
            }
        }
        let size = newItem.sizeInBytes
        guard size <= StreamLimits.maximumItemSize else { throw .itemTooLarge(bytes: size) }
        guard let oldItem, let id = found else {
            let id = found ?? store.intern(key)
            store.insertInUniqueEntries(newItem, at: id)
            return record(.insert, item: id, newImage: newItem, oldImage: nil, at: now)
        }
        if oldItem == newItem { return WriteOutcome() }
        store.replace(newItem, at: id)
        return record(.modify, item: id, newImage: newItem, oldImage: oldItem, at: now)
    }

    /// Sets one attribute of the item with key `key`; the same as `update(key, [.set(name, value)], at: now)`.
    ///
    /// The common single-attribute write takes a shorter path with the same outcome: it compares just the
    /// changed attribute, so a no-op costs no copy and a change needs no comparison of whole items.
    @discardableResult
    public mutating func update(
        _ key: ItemKey, setting name: String, to value: AttributeValue, at now: Int64
    ) throws(ChangeStreamError) -> WriteOutcome {
        let found = store.findAdopting(key)
        guard let id = found, store.hasItem(at: id) else {
            return try insertByUpdate(key, found, setting: name, to: value, at: now)
        }
        try advanceClock(to: now)
        // The key was found, so it equals a stored key, which was validated when it was interned.
        let tag: ValueTag
        switch value {
        case .s: tag = .s
        case .n: tag = .n
        case .l, .m, .ss, .ns:
            try checkNotKey(name)
            return try updateStored(id, name, to: Self.checked(value, name: name), at: now)
        default:
            return try updateStored(id, name, to: value, at: now)
        }
        // A string or number: checked, compared and written straight from its text's bytes.
        let result = Item.withNameAndText(name, value) { key, bytes -> Result<WriteOutcome, ChangeStreamError> in
            if keyNames.contains(key) { return .failure(.keyAttributeUpdate(name)) }
            guard let text = Item.TextValue(tag: tag, bytes: bytes, refusingInvalidNumbers: true) else {
                return .failure(Self.invalidNumber(name, value))
            }
            return updateInPlace(id, key, to: text, name, value, at: now)
        }
        return try result.get()
    }

    /// Sets the attribute `attribute` encodes in the item with key `key`; the same as
    /// `update(key, setting: attribute.name, to: attribute.value, at: now)`, outcome and errors included, but a
    /// string or valid number is written from its encoding, with nothing converted or checked again.
    @discardableResult
    public mutating func update(
        _ key: ItemKey, setting attribute: EncodedAttribute, at now: Int64
    ) throws(ChangeStreamError) -> WriteOutcome {
        try withUnsafePointer(to: key) { key throws(ChangeStreamError) in
            try withUnsafePointer(to: attribute) { attribute throws(ChangeStreamError) in
                try update(keyAt: key, settingAt: attribute, at: now)
            }
        }
    }

    /// ``update(_:setting:at:)-(ItemKey,EncodedAttribute,_)`` of the key at `key` and the attribute at `attribute`,
    /// both read in place: neither is copied (a copy is a reference-count increment and decrement, atomic writes to
    /// the key's box) unless the table keeps the key. The caller keeps both alive and unchanged during the call.
    mutating func update(
        keyAt key: UnsafePointer<ItemKey>, settingAt attribute: UnsafePointer<EncodedAttribute>, at now: Int64
    ) throws(ChangeStreamError) -> WriteOutcome {
        guard attribute.pointee.isTextValue else {
            return try update(key.pointee, setting: attribute.pointee.name, to: attribute.pointee.value, at: now)
        }
        let found = store.findAdopting(keyAt: key)
        guard let id = found, store.hasItem(at: id) else {
            return try insertByUpdate(keyAt: key, found, settingAt: attribute, at: now)
        }
        try advanceClock(to: now)
        // The old version is saved before the name is checked: saved bytes are scratch until a record commits them
        // (as for a write that changes nothing), so a refused name leaves no trace; saved outside the closure, the
        // closure and the in-place set are inlined here. The closure says what happened in a small enum; the record
        // is written and errors are built outside it.
        let saved = (stream.viewType?.includesOldImage ?? false) ? saveOldImage(of: id, at: now) : nil
        let outcome = attribute.pointee.withText { name, text -> Item.InPlaceOutcome in
            if keyNames.contains(name) { return .forbiddenName }
            return store.modifyItemInUniqueEntries(at: id) {
                $0.set(key: name, to: text, maximumSize: StreamLimits.maximumItemSize)
            }
        }
        switch outcome {
        case .changed: return recordModification(of: id, saved: saved, at: now)
        case .unchanged: return WriteOutcome()
        case .forbiddenName: throw .keyAttributeUpdate(attribute.pointee.name)
        case .invalidNumber: throw Self.invalidNumber(attribute.pointee.name, attribute.pointee.value)
        case .tooLarge(let bytes): throw .itemTooLarge(bytes: bytes)
        }
    }

    /// Sets the attribute named by the bytes `key` (not a key attribute) of the stored item `id` to the checked
    /// string or number `text`, in place (a record keeps a copy of the old version's bytes if its view type asks
    /// for them, not the version), and records the change; `name` and `value` are for errors.
    @inline(__always)
    private mutating func updateInPlace(
        _ id: Int32, _ key: UnsafeBufferPointer<UInt8>, to text: Item.TextValue, _ name: @autoclosure () -> String,
        _ value: @autoclosure () -> AttributeValue, at now: Int64
    ) -> Result<WriteOutcome, ChangeStreamError> {
        let saved = (stream.viewType?.includesOldImage ?? false) ? saveOldImage(of: id, at: now) : nil
        let outcome = store.modifyItemInUniqueEntries(at: id) {
            $0.set(key: key, to: text, maximumSize: StreamLimits.maximumItemSize)
        }
        return recordInPlace(outcome, id, saved: saved, name(), value(), at: now)
    }

    /// ``update(_:setting:to:at:)`` of an absent item (`found`: the key's id if a retained record keeps one): the
    /// same checks, in the same order, as the general update, and for a string or number in a table without a sort
    /// key the new item built in one step rather than attribute by attribute.
    private mutating func insertByUpdate(
        _ key: ItemKey, _ found: Int32?, setting name: String, to value: AttributeValue, at now: Int64
    ) throws(ChangeStreamError) -> WriteOutcome {
        let tag: ValueTag?
        switch value {
        case .s: tag = .s
        case .n: tag = .n
        default: tag = nil
        }
        guard let tag, keySchema.sortKey == nil else {
            return try update(key, CollectionOfOne(.set(name, value)), at: now)
        }
        try advanceClock(to: now)
        try validate(key)
        let built = Item.withNameAndText(name, value) { nameBytes, textBytes -> Result<Item, ChangeStreamError> in
            if keyNames.contains(nameBytes) { return .failure(.keyAttributeUpdate(name)) }
            guard let text = Item.TextValue(tag: tag, bytes: textBytes, refusingInvalidNumbers: true) else {
                return .failure(Self.invalidNumber(name, value))
            }
            return .success(buildKeyAndValue(key, nameBytes, text))
        }
        let item = try built.get()
        return try withUnsafePointer(to: key) { key throws(ChangeStreamError) in
            try insert(item, keyAt: key, found, at: now)
        }
    }

    /// ``insertByUpdate(_:_:setting:to:at:)`` for an attribute encoded beforehand (a string or valid number):
    /// the same checks in the same order, and the new item written from the encoding. The key and attribute are
    /// read in place (see ``update(keyAt:settingAt:at:)``).
    private mutating func insertByUpdate(
        keyAt key: UnsafePointer<ItemKey>, _ found: Int32?, settingAt attribute: UnsafePointer<EncodedAttribute>,
        at now: Int64
    ) throws(ChangeStreamError) -> WriteOutcome {
        guard keySchema.sortKey == nil else {
            return try update(
                key.pointee, CollectionOfOne(.set(attribute.pointee.name, attribute.pointee.value)), at: now)
        }
        try advanceClock(to: now)
        // A key found equals a stored key, valid since it was interned, whose short form (kept in its id's entry)
        // is the key attribute's encoding: the item is then written without reading the key's values, or its box
        // (deleted items' keys are out of the caches).
        let stored = found.flatMap { store.shortKey(of: $0) }
        if stored == nil { try validate(key.pointee) }
        let built = attribute.pointee.withText { name, text -> Item? in
            if keyNames.contains(name) { return nil }
            guard let stored else { return buildKeyAndValue(key.pointee, name, text) }
            var spare = store.takeSpare(holding: 64 + name.count + text.bytes.count)
            return keyNames.partition.withUnsafeBufferPointer { keyName in
                Item(
                    keyName: keyName, shortKey: stored.short, keySize: stored.keySize, name: name, value: text,
                    reusing: &spare)
            }
        }
        guard let built else { throw .keyAttributeUpdate(attribute.pointee.name) }
        return try insert(built, keyAt: key, found, at: now)
    }

    /// The item of the partition key `key` and the attribute `name` with `value`, in a spare buffer if there is
    /// one.
    @inline(__always)
    private mutating func buildKeyAndValue(
        _ key: ItemKey, _ name: UnsafeBufferPointer<UInt8>, _ value: Item.TextValue
    ) -> Item {
        var spare = store.takeSpare(holding: 64 + name.count + value.bytes.count)
        return keyNames.partition.withUnsafeBufferPointer { keyName in
            Item(keyName: keyName, keyValue: key.storage.partition, name: name, value: value, reusing: &spare)
        }
    }

    /// Stores the item a one-attribute update of an absent item built, under `found` or a new id for the key at
    /// `key` (read only then), and records the INSERT.
    @inline(__always)
    private mutating func insert(_ newItem: Item, keyAt key: UnsafePointer<ItemKey>, _ found: Int32?, at now: Int64)
        throws(ChangeStreamError) -> WriteOutcome
    {
        let size = newItem.sizeInBytes
        guard size <= StreamLimits.maximumItemSize else { throw .itemTooLarge(bytes: size) }
        let id = found ?? store.intern(key.pointee)
        store.insertInUniqueEntries(newItem, at: id)
        return recordInsert(of: id, at: now)
    }

    /// The one-attribute update of the stored item `id` for a value that is not a string or number (nested values
    /// already checked).
    private mutating func updateStored(
        _ id: Int32, _ name: String, to value: AttributeValue, at now: Int64
    ) throws(ChangeStreamError) -> WriteOutcome {
        // The stored version may change in place when nothing else holds it: a record keeps a copy of the old
        // version's bytes, not the version.
        let saved = (stream.viewType?.includesOldImage ?? false) ? saveOldImage(of: id, at: now) : nil
        let outcome = store.modifyItemInUniqueEntries(at: id) {
            $0.set(name, to: value, unlessNamed: keyNames, maximumSize: StreamLimits.maximumItemSize)
        }
        return try recordInPlace(outcome, id, saved: saved, name, value, at: now).get()
    }

    /// The error for a refused number: only a top-level `N` is refused by the one-attribute paths (nested values
    /// are checked before), so the value's text is what the error quotes.
    static func invalidNumber(_ name: String, _ value: AttributeValue) -> ChangeStreamError {
        if case .n(let text) = value { return .invalidNumber(attribute: name, text: text) }
        return .invalidNumber(attribute: name, text: String(describing: value))
    }

    /// Deletes the item with key `key` (DeleteItem); writes a REMOVE record, or nothing if the item was absent.
    /// - Throws: a key error; ``ChangeStreamError/timeWentBackwards(now:last:)``.
    @discardableResult
    public mutating func delete(_ key: ItemKey, at now: Int64) throws(ChangeStreamError) -> WriteOutcome {
        try withUnsafePointer(to: key) { key throws(ChangeStreamError) in try delete(keyAt: key, at: now) }
    }

    /// ``delete(_:at:)`` of the key at `key`, read in place: the key is not copied (a copy is a reference-count
    /// increment and decrement, atomic writes to the key's box) unless the table keeps it. The caller keeps the
    /// key alive and unchanged during the call.
    mutating func delete(keyAt key: UnsafePointer<ItemKey>, at now: Int64) throws(ChangeStreamError) -> WriteOutcome {
        try advanceClock(to: now)
        // A key found equals a stored key, which was validated when it was interned.
        guard let id = store.findAdopting(keyAt: key) else {
            try validate(key.pointee)
            return WriteOutcome()
        }
        guard store.hasItem(at: id) else { return WriteOutcome() }
        // Record first: the record's reference keeps the id (and its key) alive after the item is removed. The
        // record retains the id without a uniqueness check of the store's entries: the clock's advance claimed them.
        let outcome: WriteOutcome
        if stream.viewType?.includesOldImage ?? false {
            // The old image is read through a pointer (no copy of the version to make and drop).
            guard let place = openShard(for: id, at: now) else {
                store.removeInUniqueEntries(at: id)
                return WriteOutcome(eventName: .remove)
            }
            let old = store.itemBytes(at: id)
            let sequence = stream.append(
                to: place.index, eventName: .remove, item: id, keySize: place.keySize, newImage: nil, newSize: 0,
                oldImage: old.bytes, oldSize: old.size, at: now, store: &store)
            outcome = WriteOutcome(eventName: .remove, sequenceNumber: sequence, shard: place.shard)
        } else {
            outcome = record(.remove, item: id, newImage: nil, oldImage: nil, at: now)
        }
        store.removeInUniqueEntries(at: id)
        return outcome
    }

    /// Routes one change to its partition's open shard (rolling the shard over if due) and appends the record,
    /// which names the item by its id `item`.
    @inline(__always)
    mutating func record(
        _ eventName: EventName, item: Int32, newImage: Item?, oldImage: Item?, at now: Int64
    ) -> WriteOutcome {
        guard let view = stream.viewType, let place = openShard(for: item, at: now) else {
            return WriteOutcome(eventName: eventName)
        }
        let sequence: SequenceNumber
        if view == .keysOnly {
            // No image to carry: the bytes path, with no item copies to make and drop.
            sequence = stream.append(
                to: place.index, eventName: eventName, item: item, keySize: place.keySize, newImage: nil, newSize: 0,
                oldImage: nil, oldSize: 0, at: now, store: &store)
        } else {
            sequence = stream.append(
                to: place.index, eventName: eventName, item: item, keySize: place.keySize, newImage: newImage,
                oldImage: oldImage, at: now, store: &store)
        }
        return WriteOutcome(eventName: eventName, sequenceNumber: sequence, shard: place.shard)
    }

    /// Records the INSERT of the item just stored under `id`, the same record as `record(.insert, item: id,
    /// newImage: stored item, oldImage: nil, at: now)`, with the new image read through a pointer to the stored
    /// version (no retain and release of it): the buffer stays put while the append trims other records, and the
    /// item keeps its id alive.
    @inline(__always)
    mutating func recordInsert(of id: Int32, at now: Int64) -> WriteOutcome {
        guard stream.viewType != nil, let place = openShard(for: id, at: now) else {
            return WriteOutcome(eventName: .insert)
        }
        let new = store.itemBytes(at: id)
        let sequence = stream.append(
            to: place.index, eventName: .insert, item: id, keySize: place.keySize, newImage: new.bytes,
            newSize: new.size, oldImage: nil, oldSize: 0, at: now, store: &store)
        return WriteOutcome(eventName: .insert, sequenceNumber: sequence, shard: place.shard)
    }

    /// The open shard that takes the next record of item `item` (rolling its partition's shard over if due), and
    /// the size of the item's key attributes, or `nil` if the stream is disabled.
    @inline(__always)
    mutating func openShard(for item: Int32, at now: Int64) -> (index: Int, shard: ShardID, keySize: Int)? {
        let routing = partition(of: item)
        let partition = routing.partition
        if now >= partitions[partition].rolloverAt { rollOver(partition, at: now) }
        // An open shard is never deleted, so its index follows from its number. The partition is in range (the
        // subscript above checked it, and a rollover adds or removes no partition): read without a second check.
        guard let shard = partitions.withUnsafeBufferPointer({ $0[partition].shard }) else { return nil }
        let index = shard.rawValue &- stream.firstShardNumber
        return (index, shard, keyNameSize &+ routing.keySize)
    }

    /// The index of the partition holding item `item`'s key, and the size of the key's values: cached in the
    /// store after the id's first record, so that a record costs no search of the partitions.
    @inline(__always)
    mutating func partition(of item: Int32) -> (partition: Int, keySize: Int) {
        let route = store.route(of: item)
        if route.partition >= 0 { return (route.partition, route.keySize) }
        let partition = partitionIndex(for: route.partitionHash)
        store.setPartition(partition, of: item)
        return (partition, route.keySize)
    }

    /// The index of the partition whose hash range holds `hash`.
    /// - Complexity: O(log partitions).
    @inline(__always)
    func partitionIndex(for hash: UInt64) -> Int {
        // Through a pointer: the search stays within the array, so no bounds check per step.
        partitions.withUnsafeBufferPointer { partitions in
            var low = 0
            var high = partitions.count
            while high - low > 1 {
                let middle = (low &+ high) >> 1
                if partitions[middle].lowerBound <= hash { low = middle } else { high = middle }
            }
            return low
        }
    }

    /// Moves the clock to `time` and claims the table's storage (``claimStorage()``): every mutating operation
    /// starts here, before it changes an item or records.
    /// - Throws: ``ChangeStreamError/timeWentBackwards(now:last:)`` if `time` is before ``now``.
    @inline(__always)
    mutating func advanceClock(to time: Int64) throws(ChangeStreamError) {
        guard time >= now else { throw .timeWentBackwards(now: time, last: now) }
        now = time
        claimStorage()
    }

    /// Makes the store's entries and the stream's shard array this table's own, with one uniqueness check of the
    /// ownership token (``owner``) when they already are: afterwards, until the table is next copied, a write
    /// changes entries and shards through unchecked pointers (``ItemStore/retainInUniqueEntries(_:)``,
    /// ``ItemStore/modifyItemInUniqueEntries(at:_:)``, ``IDArray/uncheckedPointer(at:)``), one check a write instead
    /// of one for each buffer. Debug builds assert the buffers' uniqueness at each unchecked change.
    /// - Complexity: O(1); O(ids + shards) for the first write after a copy of the table.
    @inline(__always)
    mutating func claimStorage() {
        if !isKnownUniquelyReferenced(&owner) { claimStorageOfCopy() }
    }

    /// ``claimStorage()`` after a copy: a token of this table's own, and the buffers copied if they are shared.
    @inline(never)
    private mutating func claimStorageOfCopy() {
        owner = Ownership()
        store.makeEntriesUnique()
        stream.makeShardsUnique()
    }
}
