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
/// A key is a reference to one immutable box holding its values and hash, shared by every copy: copying a key
/// (every write takes one, and so does every record read as a ``StreamRecord``) is one reference-count increment
/// instead of copying two enum values, and the table reads a key's values in place.
public struct ItemKey: Sendable, Hashable {
    /// The key's values, never changed once created.
    final class Storage: Sendable {
        let partition: AttributeValue
        let sort: AttributeValue?
        /// Whether `sort` is present (read without copying the optional value).
        let hasSort: Bool
        let partitionHash: UInt64

        init(partition: AttributeValue, sort: AttributeValue?) {
            self.partition = partition
            self.sort = sort
            hasSort = sort != nil
            partitionHash = StableHash.of(partition)
        }
    }

    /// The shared values.
    let storage: Storage

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
    }

    public static func == (lhs: ItemKey, rhs: ItemKey) -> Bool {
        let left = lhs.storage
        let right = rhs.storage
        if left === right { return true }
        guard left.partitionHash == right.partitionHash, left.hasSort == right.hasSort,
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
