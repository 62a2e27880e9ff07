import CacheHints

/// A software pipeline of cache prefetches for a writer that knows its keys a few writes ahead: a table's lookup
/// is a chain of dependent loads (the key's box, an index slot, the id's entry and key, the item's buffer), each a
/// cache miss once the table outgrows the caches, so a write of a large table waits for four or five misses in
/// turn. Fed the key of the write ``depth`` writes ahead before every write, the pipeline issues each link's
/// prefetch one write before the next link needs it, so the misses of later writes overlap the current one.
///
/// Hints only: prefetching changes no state and never faults, so a key that turns out to be new, or an item
/// written, deleted or moved in between, costs a wasted prefetch, never a wrong result. Each stage reads only
/// what the previous stage brought in (a slot, an entry), always in bounds.
///
/// Not for small tables: with the items in the caches the pipeline is about 40 instructions a write for nothing
/// (see ``worthwhile(items:)``).
struct WritePrefetcher {
    /// The number of writes between feeding a key and writing it: the key given before write `i` is written by
    /// write `i + depth`.
    static let depth = 3

    /// Whether prefetching pays for a table of about `items` items: when their boxes, entries, index and buffers
    /// (about 200 bytes an item) outgrow a core's 512 KB second-level cache.
    static func worthwhile(items: Int) -> Bool { items > 4_096 }

    /// The box of the key fed one call ago, prefetched then; not retained (a retain would write to the box and
    /// wait for it): the caller keeps the key alive until it is written.
    private var box: Unmanaged<ItemKey.Storage>?
    /// The index hash of the key fed two calls ago, whose slot was prefetched one call ago.
    private var hash: UInt64?
    /// The id found for the key fed three calls ago, whose entry and key were prefetched one call ago.
    private var id: Int32?

    /// Advances the pipeline by one write: prefetches the item buffer of the key fed three calls ago (written next),
    /// the entry of the one fed two calls ago, the index slot of the one fed one call ago, and the box of `key`.
    /// The key is passed by address and its reference read as bits: a copy of the key would retain its box, which
    /// is the line being prefetched, and wait for it.
    /// - Precondition: `key` points to an initialized key that stays alive until it has been written (the caller
    ///   holds it, as a workload holds its keys).
    /// - Complexity: O(1) on average.
    @inline(__always)
    mutating func feed(_ key: UnsafePointer<ItemKey>, table: borrowing Table) {
        if let id { table.store.prefetchItem(at: id) }
        id = hash.flatMap { table.store.prefetchEntry(hash: $0) }
        hash = box.map { $0._withUnsafeGuaranteedRef { ItemStore.hash(of: $0) } }
        if let hash { table.store.prefetchSlot(hash: hash) }
        let bits = UnsafeRawPointer(key).load(as: UnsafeRawPointer.self)
        cache_hints_prefetch(bits)
        box = Unmanaged.fromOpaque(bits)
    }
}
