/// The names of a table's key attributes: a partition key and an optional sort key.
public struct KeySchema: Sendable, Hashable {
    /// The partition (hash) key attribute name.
    public var partitionKey: String
    /// The sort (range) key attribute name, if the table has one.
    public var sortKey: String?

    /// Creates a key schema.
    public init(partitionKey: String, sortKey: String? = nil) {
        self.partitionKey = partitionKey
        self.sortKey = sortKey
    }
}

/// The primary key of one item: its partition key value and, for tables with a sort key, its sort key value.
///
/// Items with the same partition key form an item collection; a collection always lives in one partition.
///
/// A key is a reference to one immutable box holding its values and hashes, shared by every copy, and the hash the
/// table's index uses: copying a key (every record read as a ``StreamRecord`` takes one) is one reference-count
/// increment and a word instead of copying two enum values, and the table reads a key's values in place.
public struct ItemKey: Sendable, Hashable {
    /// The key's values, never changed once created.
    final class Storage: Sendable {
        // The fields a table's lookups read come first, so that they share the object's first cache line.
        /// The hash of the partition value that a table's item index uses (``ItemStore/hash(of:)``):
        /// ``ShortKeyValue/indexHash`` for a short value (two multiplications, where the stable FNV hash costs a
        /// multiplication a byte), else `partitionHash`. Never used for routing, so it need not be stable across
        /// versions; it must only be the same however a table computes it (from a key or from an encoded item).
        let partitionIndexHash: UInt64
        /// Whether `sort` is present (read without copying the optional value).
        let hasSort: Bool
        /// The partition value's encoding (``ItemEncoding``: its tag and payload) when it is a string, number or
        /// binary of at most 16 bytes (nearly every key): the payload zero-padded in two words, so that a table
        /// compares the key with an encoded item's key attribute in a few instructions (``matchesPartition(_:_:)``).
        let shortPartition: ShortKeyValue?
        let partitionHash: UInt64
        let partition: AttributeValue
        let sort: AttributeValue?

        init(partition: AttributeValue, sort: AttributeValue?) {
            self.partition = partition
            self.sort = sort
            hasSort = sort != nil
            partitionHash = StableHash.of(partition)
            shortPartition = ShortKeyValue(partition)
            partitionIndexHash = shortPartition?.indexHash ?? partitionHash
        }

        /// Whether the partition value is the encoded value of tag `tag` and payload `payload`, which has no short
        /// form (``ShortKeyValue``). Out of line: lookups compare short forms.
        @inline(never)
        func matchesLongPartition(_ tag: UInt8, _ payload: UnsafeBufferPointer<UInt8>) -> Bool {
            shortPartition == nil && (ItemEncoding.encodes(partition, tag, payload) ?? false)
        }
    }

    /// The shared values.
    let storage: Storage
    /// The hash the table's item index uses (``ItemStore/hash(of:)-(ItemKey.Storage)``), copied from the box into
    /// the key when the key is created, so that a lookup with a key reads no box: the index gives an id, and the
    /// key found is the stored one when the two keys share a box, a pointer comparison. A client's keys are
    /// scattered over memory, and reading one's box was the cache miss of nearly every update and delete.
    let indexHash: UInt64

    /// The partition key value (`S`, `N` or `B`).
    @inline(__always)
    public var partition: AttributeValue { storage.partition }
    /// The sort key value (`S`, `N` or `B`), or `nil` for a table without a sort key.
    @inline(__always)
    public var sort: AttributeValue? { storage.sort }
    /// A 64-bit hash of the partition key that is the same on every run and platform (FNV-1a over a type tag
    /// and the value's bytes, then the splitmix64 finaliser). Partitions own ranges of this hash. Computed once,
    /// when the key is created.
    @inline(__always)
    public var partitionHash: UInt64 { storage.partitionHash }

    /// Creates a key.
    /// - Complexity: O(length of the partition key); one allocation.
    public init(partition: AttributeValue, sort: AttributeValue? = nil) {
        storage = Storage(partition: partition, sort: sort)
        indexHash = ItemStore.hash(of: storage)
    }

    public static func == (lhs: ItemKey, rhs: ItemKey) -> Bool {
        let left = lhs.storage
        let right = rhs.storage
        if left === right { return true }
        guard lhs.indexHash == rhs.indexHash, left.partitionHash == right.partitionHash, left.hasSort == right.hasSort,
            Self.equal(left.partition, right.partition)
        else { return false }
        return !left.hasSort || left.sort == right.sort
    }

    /// Whether two key values are equal: strings (the usual keys) compared directly, other values through
    /// `AttributeValue`'s equality, which copies and destroys both values around the comparison.
    @inline(__always)
    static func equal(_ lhs: AttributeValue, _ rhs: AttributeValue) -> Bool {
        if case .s(let left) = lhs {
            if case .s(let right) = rhs { return left == right }
            return false
        }
        return lhs == rhs
    }

    /// Feeds the stable partition hash and the sort key to `hasher`.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(storage.partitionHash)
        if let sort = storage.sort { hasher.combine(sort) }
    }

    /// The key as an item holding just the key attributes, named by `schema`.
    public func attributes(_ schema: KeySchema) -> Item {
        var item = Item()
        item[schema.partitionKey] = partition
        if let sortName = schema.sortKey, let sort { item[sortName] = sort }
        return item
    }

    /// The size in bytes of the key values (without the attribute names).
    var valueSize: Int {
        partition.sizeInBytes + (sort?.sizeInBytes ?? 0)
    }
}

/// Stable, platform-independent hashing (never `hashValue`, which is seeded per process).
enum StableHash {
    static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    static let prime: UInt64 = 0x0000_0100_0000_01b3

    /// The FNV-1a hash of a key value, finalised with splitmix64 so that nearby keys spread over the range.
    static func of(_ value: AttributeValue) -> UInt64 {
        var hash = offsetBasis
        switch value {
        case .s(let text):
            hash = mix(hash, 1)
            hash = mix(hash, text)
        case .n(let text):
            hash = mix(hash, 2)
            hash = mix(hash, text)
        case .b(let bytes):
            hash = mix(hash, 3)
            for byte in bytes { hash = mix(hash, byte) }
        case .binarySize(let count):
            hash = mix(hash, 4)
            var remaining = UInt64(truncatingIfNeeded: count)
            for _ in 0..<8 {
                hash = mix(hash, UInt8(truncatingIfNeeded: remaining))
                remaining >>= 8
            }
        default:
            hash = mix(hash, 5)
            for byte in value.typeName.utf8 { hash = mix(hash, byte) }
        }
        return splitmix64(hash)
    }

    /// Mixes in the UTF-8 bytes of `text` (through its contiguous storage when it has one, as native and small
    /// strings do).
    @inline(__always)
    static func mix(_ hash: UInt64, _ text: String) -> UInt64 {
        let fast = text.utf8.withContiguousStorageIfAvailable { bytes in
            var hash = hash
            for byte in bytes { hash = mix(hash, byte) }
            return hash
        }
        if let fast { return fast }
        var hash = hash
        for byte in text.utf8 { hash = mix(hash, byte) }
        return hash
    }

    @inline(__always)
    static func mix(_ hash: UInt64, _ byte: UInt8) -> UInt64 {
        (hash ^ UInt64(byte)) &* prime
    }

    /// The splitmix64 finaliser: a bijection on 64-bit integers with good avalanche.
    @inline(__always)
    static func splitmix64(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9e37_79b9_7f4a_7c15
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}

/// A string, number or binary key value of at most 16 bytes as its encoding's tag, payload length and payload
/// (zero-padded to two words): 24 bytes, compared with an encoded value without touching the value itself.
struct ShortKeyValue: Sendable, Equatable {
    let tag: UInt8
    let count: UInt8
    let words: (UInt64, UInt64)

    /// The longest payload with a short form.
    static let maximumCount = 16

    /// The short form of `value`, or `nil` for another type or a longer payload.
    init?(_ value: AttributeValue) {
        let tag: ValueTag
        let payload: [UInt8]
        switch value {
        case .s(let text): (tag, payload) = (.s, Array(text.utf8))
        case .n(let text): (tag, payload) = (.n, Array(text.utf8))
        case .b(let bytes): (tag, payload) = (.b, bytes)
        case .binarySize(let count):
            tag = .binarySize
            payload = (0..<8).map { UInt8(truncatingIfNeeded: UInt64(truncatingIfNeeded: count) >> (8 * $0)) }
        default: return nil
        }
        guard let short = payload.withUnsafeBufferPointer({ Self(tag: tag.rawValue, payload: $0) }) else { return nil }
        self = short
    }

    /// The short form of the encoded value of tag `tag` (`S`, `N`, `B` or a size-only `B`) and payload
    /// `payload`, or `nil` for another tag or a longer payload: the same as ``init(_:)`` of the decoded value.
    @inline(__always)
    init?(tag: UInt8, payload: UnsafeBufferPointer<UInt8>) {
        guard tag >= ValueTag.s.rawValue, tag <= ValueTag.binarySize.rawValue, payload.count <= Self.maximumCount
        else { return nil }
        self.tag = tag
        count = UInt8(truncatingIfNeeded: payload.count)
        if let source = payload.baseAddress, payload.count > 0 {
            words = Self.words(of: UnsafeRawPointer(source), count: payload.count)
        } else {
            words = (0, 0)
        }
    }

    /// The `count` bytes (1 to 16) at `source` as two words, byte `i` in bits `8 i ..< 8 i + 8` of the pair, the
    /// rest zero: assembled in registers from at most three loads. (Copied into a zeroed pair and read back as
    /// words, a 4- to 7-byte payload was two 4-byte stores read by one 8-byte load, which waits for the stores to
    /// retire instead of being forwarded from them: a stall on every short key of 6 or 7 bytes.)
    /// - Complexity: O(1), no memory written.
    @inline(__always)
    static func words(of source: UnsafeRawPointer, count: Int) -> (UInt64, UInt64) {
        if count >= 8 {
            let low = UInt64(littleEndian: source.loadUnaligned(as: UInt64.self))
            if count == 8 { return (low, 0) }
            // The last eight bytes, shifted down so that byte 8 comes first: the bytes before it drop out.
            let last = UInt64(littleEndian: source.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self))
            return (low, last &>> UInt64(truncatingIfNeeded: (16 &- count) &* 8))
        }
        if count >= 4 {
            // The first four bytes and the last four, which overlap (equal bytes) below eight.
            let first = UInt64(UInt32(littleEndian: source.loadUnaligned(as: UInt32.self)))
            let last = UInt64(UInt32(littleEndian: source.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self)))
            return (first | last &<< UInt64(truncatingIfNeeded: (count &- 4) &* 8), 0)
        }
        // 1 to 3 bytes: the first, the middle and the last (some of them the same byte).
        let middle = count &>> 1
        let first = UInt64(source.load(as: UInt8.self))
        let second = UInt64(source.load(fromByteOffset: middle, as: UInt8.self))
        let last = UInt64(source.load(fromByteOffset: count &- 1, as: UInt8.self))
        return (
            first | second &<< UInt64(truncatingIfNeeded: middle &* 8)
                | last &<< UInt64(truncatingIfNeeded: (count &- 1) &* 8), 0
        )
    }

    /// The item index's hash of the value: splitmix64 over the first word mixed with the tag and length, then
    /// over the second word if there is one. About twenty instructions for any short value.
    @inline(__always)
    var indexHash: UInt64 {
        let lengthAndTag = (UInt64(count) << 8 | UInt64(tag)) &* 0x9E37_79B9_7F4A_7C15
        let hash = StableHash.splitmix64(words.0 ^ lengthAndTag)
        return count > 8 ? StableHash.splitmix64(hash ^ words.1) : hash
    }

    static func == (lhs: ShortKeyValue, rhs: ShortKeyValue) -> Bool {
        lhs.tag == rhs.tag && lhs.count == rhs.count && lhs.words.0 == rhs.words.0 && lhs.words.1 == rhs.words.1
    }
}
