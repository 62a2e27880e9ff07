import CacheHints

/// The size of a ring's blocks in bytes: a page, so that a ring holding a few records holds little memory.
let ringBlockBytes = 4_096

/// A first-in, first-out run of plain values (no reference-counted fields) in blocks of ``ringBlockBytes`` from a
/// ``ChunkPool``: appended at the back, dropped from the front, read by offset from the front. The records of a shard
/// and the spans of its images live in rings.
///
/// Blocks come from the pool the ring was made with and go back to it as the front is dropped, so the shards of a
/// table pass memory to each other block by block as the oldest records are trimmed and new ones written: a
/// steady stream faults in no new memory, and a ring never copies its elements to grow. Reading is a shift, a
/// mask and two loads. The block list is shared by copies of the ring; a copy appends in place while no other
/// has written past its end, and copies the list first otherwise (``Blocks/end``); dropping from the front of a
/// shared list only moves the ring's start.
///
/// Invariants: the elements are the `count` slots from `head` on, slot `s` in block `s >> shift` at `s & mask`;
/// `head < blockCapacity` whenever the list is not shared; blocks exist for the slots up to `head + count` and at
/// most one more. Memory is the blocks holding elements: at most a block more than the elements need.
struct Ring<Element: BitwiseCopyable> {
    /// The blocks, in order, and their memory's addresses (the owners keep the memory alive). Accessed without
    /// dynamic exclusivity checks (a `swift_beginAccess` call on every read and append otherwise): a ring is
    /// changed only through its own mutating methods, which never overlap.
    final class Blocks {
        @exclusivity(unchecked) var owners: [ImageChunk] = []
        @exclusivity(unchecked) var pointers: [UnsafeMutablePointer<Element>] = []
        /// The end slot (`head + count`) of the ring that appended last. A ring whose own end differs shares the
        /// list with a copy that has written past that end, and copies the list before it appends: the check that
        /// replaces a uniqueness check (a runtime call) on every append.
        @exclusivity(unchecked) var end = 0
    }

    private var blocks = Blocks()
    /// The slot of the first element.
    private var head = 0
    /// The number of elements.
    private(set) var count = 0
    /// Where blocks come from and go back to (a new pool of its own if none is given); its chunks hold a block.
    private let pool: ChunkPool

    /// log2 of the elements a block holds: the largest power of two that fits a chunk.
    private static var shift: Int {
        let fitting = ringBlockBytes / MemoryLayout<Element>.stride
        return Int.bitWidth - 1 - fitting.leadingZeroBitCount
    }

    /// The number of elements a block holds.
    static var blockCapacity: Int { 1 << shift }

    /// An empty ring drawing its blocks from `pool`, whose chunks must hold a block (``ringBlockBytes``).
    init(pool: ChunkPool = ChunkPool(chunkSize: ringBlockBytes)) {
        precondition(pool.chunkSize >= Self.blockCapacity * MemoryLayout<Element>.stride, "pool chunks too small")
        self.pool = pool
    }

    var isEmpty: Bool { count == 0 }

    /// The first element, or `nil` if the ring is empty.
    var first: Element? { count > 0 ? self[0] : nil }

    /// The number of elements the ring holds without taking another block.
    var capacity: Int { blocks.pointers.count << Self.shift - head }

    /// The number of blocks held.
    var blockCount: Int { blocks.pointers.count }

    /// The element at `offset` from the front (`0 <= offset < count`).
    /// - Complexity: O(1).
    @inline(__always)
    subscript(offset: Int) -> Element {
        precondition(offset >= 0 && offset < count, "ring offset out of range")
        let slot = head &+ offset
        return blocks.pointers[slot >> Self.shift][slot & (Self.blockCapacity &- 1)]
    }

    /// Calls `body` on the elements at the offsets `range` (within `0..<count`) in order, a block's run at a time,
    /// until `body` returns `false`: a reader's loop over one buffer at a time, instead of a block lookup (a shift,
    /// a bounds check and two loads) for every element.
    /// - Complexity: O(`range.count`).
    @inline(__always)
    func forEachRun(in range: Range<Int>, _ body: (UnsafeBufferPointer<Element>) -> Bool) {
        precondition(range.lowerBound >= 0 && range.upperBound <= count, "ring range out of range")
        var slot = head &+ range.lowerBound
        let end = head &+ range.upperBound
        blocks.pointers.withUnsafeBufferPointer { pointers in
            while slot < end {
                let block = slot >> Self.shift
                let runEnd = Swift.min(end, (block &+ 1) << Self.shift)
                let start = pointers[block] + (slot & (Self.blockCapacity &- 1))
                if !body(UnsafeBufferPointer(start: start, count: runEnd &- slot)) { return }
                slot = runEnd
            }
        }
    }

    /// Appends `element` at the back.
    /// - Complexity: O(1); O(`count`) when a copy sharing the block list has appended past this ring's end.
    @inline(__always)
    mutating func append(_ element: Element) {
        let slot = head &+ count
        if slot >> Self.shift == blocks.pointers.count || blocks.end != slot { makeRoom() }
        // The slot's block exists (``makeRoom()`` added it if needed), so its pointer is read without the array's
        // bounds check.
        let block = blocks.pointers.withUnsafeBufferPointer { $0[slot >> Self.shift] }
        let address = block + (slot & (Self.blockCapacity &- 1))
        address.initialize(to: element)
        // The line four ahead, for the appends to come: a pooled block is out of the caches (see
        // ``ImageLog/commit(oldCount:new:)``). Past the block's end a hint is harmless.
        cache_hints_prefetch_for_write(UnsafeMutableRawPointer(address) + 256)
        count &+= 1
        blocks.end = slot &+ 1
    }

    /// Copies the block list if it is shared, then adds a block if the next slot has none.
    @inline(never)
    private mutating func makeRoom() {
        // A copy sharing the list may append at this ring's end only while no other has written past it; adding a
        // block to a shared list is harmless (the others read only their own slots).
        if blocks.end != head + count { copyBlocks() }
        if (head + count) >> Self.shift == blocks.pointers.count { addBlock() }
    }

    /// Adds a block from the pool at the back of the (unshared) list.
    private mutating func addBlock() {
        let chunk = pool.take()
        blocks.owners.append(chunk)
        blocks.pointers.append(UnsafeMutableRawPointer(chunk.base).bindMemory(to: Element.self, capacity: 1))
    }

    /// Replaces the shared block list by a copy of the elements in blocks of this ring's own, from slot 0.
    private mutating func copyBlocks() {
        let old = blocks
        let oldHead = head
        blocks = Blocks()
        head = 0
        for offset in 0..<count {
            if offset >> Self.shift == blocks.pointers.count { addBlock() }
            let slot = oldHead + offset
            let element = old.pointers[slot >> Self.shift][slot & (Self.blockCapacity - 1)]
            (blocks.pointers[offset >> Self.shift] + (offset & (Self.blockCapacity - 1))).initialize(to: element)
        }
        blocks.end = count
    }

    /// Drops the `dropped` first elements (`0 <= dropped <= count`), giving the blocks left empty to the pool
    /// (unless a copy of the ring shares them); an emptied ring starts over at slot 0 of a block it keeps.
    /// - Complexity: O(1 + blocks freed).
    @inline(__always)
    mutating func removeFirst(_ dropped: Int) {
        precondition(dropped >= 0 && dropped <= count, "ring removal out of range")
        count -= dropped
        head += dropped
        if count == 0 || head >= Self.blockCapacity { releaseFrontBlocks() }
    }

    /// Gives the blocks before the one holding the first element (all but one if there is none) to the pool, if
    /// the list is not shared.
    private mutating func releaseFrontBlocks() {
        guard isKnownUniquelyReferenced(&blocks) else { return }
        let freed = count == 0 ? max(0, blocks.pointers.count - 1) : head >> Self.shift
        // The list is not shared, so no copy of the ring holds its blocks.
        for index in 0..<freed { pool.recycle(blocks.owners[index]) }
        blocks.owners.removeFirst(freed)
        blocks.pointers.removeFirst(freed)
        head = count == 0 ? 0 : head - freed << Self.shift
        // The list is this ring's alone: its end is this ring's.
        blocks.end = head + count
    }

    /// Gives every block of an empty ring to the pool (a deleted shard's), unless a copy of the ring shares them.
    mutating func recycle() {
        guard count == 0, isKnownUniquelyReferenced(&blocks) else { return }
        for owner in blocks.owners { pool.recycle(owner) }
        blocks = Blocks()
        head = 0
    }
}
