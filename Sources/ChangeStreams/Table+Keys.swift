/// Finding an item's id straight from its encoded key attributes, without building an ``ItemKey``.
extension Table {
    /// The id of the stored key that `item`'s key attributes equal, or `nil` if there is none (a new key, or key
    /// attributes missing or of a type keys cannot have: the caller's general path reports those).
    ///
    /// Hashes the key values' bytes exactly as ``ItemStore/hash(of:)`` hashes the key (the short form's hash for
    /// a short partition value, else the stable hash), so a found id is the one ``ItemStore/find(_:)`` would
    /// find; a found key was validated when it was interned.
    /// - Complexity: O(size of the item), no allocation.
    @inline(__always)
    func knownID(of item: Item) -> Int32? {
        item.withBytes { knownID(ofEncoded: $0) }
    }

    /// ``knownID(of:)`` of an item's encoded attributes.
    @inline(__always)
    func knownID(ofEncoded bytes: UnsafeBufferPointer<UInt8>) -> Int32? {
        keyNames.partition.withUnsafeBufferPointer { name -> Int32? in
            let partition = Item.locate(name, in: bytes)
            guard partition.found else { return nil }
            // A short partition value (nearly every key) is hashed and compared as two words.
            let short = ShortKeyValue(tag: partition.tag, payload: partition.payload)
            let partitionHash: UInt64
            if let short {
                partitionHash = short.indexHash
            } else {
                guard let hash = Self.keyHash(partition.tag, partition.payload) else { return nil }
                partitionHash = hash
            }
            @inline(__always)
            func matchesPartition(_ key: borrowing ItemKey) -> Bool {
                if let short { return key.storage.shortPartition == short }
                return key.storage.matchesLongPartition(partition.tag, partition.payload)
            }
            guard let sortName = keyNames.sort else {
                // A short value is compared with the copy in the id's entry, not with the key's box.
                if let short { return store.find(hash: partitionHash, shortPartition: short) }
                return store.find(hash: partitionHash) { key in !key.storage.hasSort && matchesPartition(key) }
            }
            return sortName.withUnsafeBufferPointer { sortName -> Int32? in
                let sort = Item.locate(sortName, in: bytes)
                guard sort.found, let sortHash = Self.keyHash(sort.tag, sort.payload) else { return nil }
                return store.find(hash: StableHash.splitmix64(partitionHash ^ sortHash)) { key in
                    guard key.storage.hasSort, let keySort = key.storage.sort else { return false }
                    return matchesPartition(key) && Self.matches(keySort, sort.tag, sort.payload)
                }
            }
        }
    }

    /// ``StableHash/of(_:)`` of an encoded key value (`S`, `N`, `B` or a size-only `B`), or `nil` for other types.
    /// The type codes the hash mixes in are the encoding's tags, and a size-only binary's payload is its count in
    /// little-endian bytes, as the hash reads it.
    @inline(__always)
    static func keyHash(_ tag: UInt8, _ payload: UnsafeBufferPointer<UInt8>) -> UInt64? {
        guard tag >= ValueTag.s.rawValue, tag <= ValueTag.binarySize.rawValue else { return nil }
        var hash = StableHash.mix(StableHash.offsetBasis, tag)
        // By index (the buffer's iterator is not inlined here, a call a byte), four bytes a step.
        if let base = payload.baseAddress {
            let count = payload.count
            var index = 0
            while index &+ 4 <= count {
                hash = StableHash.mix(StableHash.mix(hash, base[index]), base[index &+ 1])
                hash = StableHash.mix(StableHash.mix(hash, base[index &+ 2]), base[index &+ 3])
                index &+= 4
            }
            while index < count {
                hash = StableHash.mix(hash, base[index])
                index &+= 1
            }
        }
        return StableHash.splitmix64(hash)
    }

    /// Whether a key value equals an encoded value.
    @inline(__always)
    static func matches(_ value: borrowing AttributeValue, _ tag: UInt8, _ payload: UnsafeBufferPointer<UInt8>) -> Bool
    {
        ItemEncoding.encodes(value, tag, payload) ?? false
    }
}

/// The UTF-8 bytes of a table's key attribute names, for matching names inside encoded items.
struct KeyNames {
    let partition: [UInt8]
    let sort: [UInt8]?

    init(_ schema: KeySchema) {
        partition = Array(schema.partitionKey.utf8)
        sort = schema.sortKey.map { Array($0.utf8) }
    }

    /// Whether `name` is a key attribute's name.
    @inline(__always)
    func contains(_ name: UnsafeBufferPointer<UInt8>) -> Bool {
        if partition.withUnsafeBufferPointer({ ItemEncoding.equal($0, name) }) { return true }
        guard let sort else { return false }
        return sort.withUnsafeBufferPointer { ItemEncoding.equal($0, name) }
    }
}
