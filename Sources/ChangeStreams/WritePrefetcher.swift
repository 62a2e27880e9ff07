import CacheHints

/// A software pipeline of cache prefetches for a writer that knows its keys a few writes ahead: a table's lookup
/// is a chain of dependent loads (an index slot, the id's entry, the item's buffer), each a cache miss once the
/// table outgrows the caches, and an L1 miss even for a small table whose lines the stream's appends keep
/// evicting, so a write waits for three misses in turn. Fed the key of the write ``depth`` writes ahead before
/// every write, the pipeline issues each link's prefetch one write before the next link needs it, so the misses
/// of later writes overlap the current one. The first link needs no load: a key carries its index hash
/// (``ItemKey/indexHash``), so the key's box is never read.
///
/// Hints only: prefetching changes no state and never faults, so a key that turns out to be new, or an item
/// written, deleted or moved in between, costs a wasted prefetch, never a wrong result. Each stage reads only
/// what the previous stage brought in (a slot, an entry), always in bounds.
struct WritePrefetcher {
    /// The number of writes between feeding a key and writing it: the key given before write `i` is written by
    /// write `i + depth`.
    static let depth = 3

    /// Whether prefetching pays for a table of about `items` items: when their entries, index and buffers (about
    /// 200 bytes an item with the writer's keys and pools) outgrow a core's 512 KB second-level cache. With 1,000
    /// items, 30 alternating pairs with and without it gave a median ratio of 1.00 (the misses are first-level
    /// ones that out-of-order execution mostly hides, and the pipeline costs about 25 instructions a write).
    static func worthwhile(items: Int) -> Bool { items > 4_096 }

    /// The index hash of the key fed one call ago, whose slot was prefetched then.
    private var hash: UInt64?
    /// The id found for the key fed two calls ago, whose entry was prefetched one call ago.
    private var id: Int32?

    /// Advances the pipeline by one write: prefetches the item buffer of the key fed two calls ago (written after
    /// the next write), the entry of the one fed one call ago and the index slot of `key`. About 25 instructions.
    /// - Precondition: `key` points to an initialized key (read in place: a copy would retain its box).
    /// - Complexity: O(1) on average.
    @inline(__always)
    mutating func feed(_ key: UnsafePointer<ItemKey>, table: borrowing Table) {
        if let id { table.store.prefetchItem(at: id) }
        id = hash.flatMap { table.store.prefetchEntry(hash: $0) }
        let next = key.pointee.indexHash
        table.store.prefetchSlot(hash: next)
        hash = next
    }
}
