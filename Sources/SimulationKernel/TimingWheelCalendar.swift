/// An event calendar for simulations whose events are mostly planned a little ahead of a clock that moves in
/// small steps: a timing wheel of buckets `2^bucketShift` ns wide, each an unsorted list, over a span of
/// `bucketCount` buckets ahead of the current one, with a binary heap for the entries planned beyond the span.
///
/// An insert puts the entry in its bucket's list (O(1): no comparisons); when the current bucket runs out, the
/// next non-empty one (found in a bitmap, 64 buckets a word) is sorted into a small array, and pops take from its
/// end. A pop therefore costs a compare with the overflow heap's root and, once per bucket, the sort of a few
/// entries, where a binary heap of a thousand entries sinks an entry through ten levels, choosing between two
/// children at each (the choice mispredicted about half the time). A scenario plans its copies tens to hundreds of
/// milliseconds ahead while the clock moves by microseconds, the case the wheel is for (docs/decisions/0002).
///
/// Order: strictly by (time, sequence), as every calendar; `TimingWheelCalendarTests` compare pops with a sorted
/// model and with ``BufferHeapCalendar`` on interleavings with ties, far-future entries and negative times.
///
/// Invariants (`cursor` is an absolute bucket number, `time >> bucketShift`):
/// - `current` holds entries whose bucket is at most `cursor`, sorted with the earliest last;
/// - the lists hold entries whose bucket lies in `cursor + 1 ..< cursor + bucketCount`, each in the list of its
///   bucket modulo `bucketCount`, with its bit set in `bitmap`;
/// - when `current` is empty, so are the lists (a pop that empties it moves the next bucket in at once), so the
///   wheel's earliest entry is always `current`'s last;
/// - the overflow heap holds the rest, in any bucket: pops compare its root with `current`'s last.
///
/// Copies of a calendar share their storage: a simulation owns its calendar and never copies it while running.
/// - Complexity: insert O(1) (O(log n) into the overflow heap, for entries beyond the span); popFirst O(1)
///   amortized plus, per bucket moved in, O(k²) for its k entries and O(gap / 64) for the empty buckets skipped.
public struct TimingWheelCalendar<Payload>: EventCalendar {
    @usableFromInline final class Storage {
        @usableFromInline let bucketShift: Int
        @usableFromInline let bucketMask: Int
        /// The current bucket's entries (and any inserted earlier than it), the earliest at `currentCount - 1`.
        @usableFromInline @exclusivity(unchecked) var current: UnsafeMutablePointer<CalendarEntry<Payload>>
        @usableFromInline @exclusivity(unchecked) var currentCount = 0
        @usableFromInline @exclusivity(unchecked) var currentCapacity = 64
        /// The absolute number of the current bucket.
        @usableFromInline @exclusivity(unchecked) var cursor: SimTime = 0
        /// A list node: an entry and the next node of its list (-1 at the end), or of the free list (then the
        /// entry is not initialized). In one struct, so that following a list reads one line a node: `next` sits
        /// in the entry's tail padding (32 bytes for the scenarios' events).
        @usableFromInline struct Node {
            @usableFromInline var entry: CalendarEntry<Payload>
            @usableFromInline var next: Int32
        }
        @usableFromInline @exclusivity(unchecked) var nodes: UnsafeMutablePointer<Node>
        @usableFromInline @exclusivity(unchecked) var nodeCapacity = 256
        /// Nodes ever used (`0 ..< usedNodes`); freed ones are chained from `freeNode`.
        @usableFromInline @exclusivity(unchecked) var usedNodes = 0
        @usableFromInline @exclusivity(unchecked) var freeNode: Int32 = -1
        /// Entries in the lists.
        @usableFromInline @exclusivity(unchecked) var listed = 0
        /// First node of each bucket's list, -1 when empty.
        @usableFromInline let heads: UnsafeMutablePointer<Int32>
        /// Bit `b % 64` of word `b / 64`: bucket `b`'s list is not empty.
        @usableFromInline let bitmap: UnsafeMutablePointer<UInt64>
        @usableFromInline let bitmapWords: Int
        /// Entries planned beyond the span when inserted.
        @usableFromInline @exclusivity(unchecked) var overflow = BufferHeapCalendar<Payload>()

        init(bucketShift: Int, bucketCount: Int) {
            self.bucketShift = bucketShift
            bucketMask = bucketCount - 1
            bitmapWords = bucketCount / 64
            current = .allocate(capacity: currentCapacity)
            nodes = .allocate(capacity: nodeCapacity)
            heads = .allocate(capacity: bucketCount)
            heads.initialize(repeating: -1, count: bucketCount)
            bitmap = .allocate(capacity: bitmapWords)
            bitmap.initialize(repeating: 0, count: bitmapWords)
        }

        deinit {
            current.deinitialize(count: currentCount)
            current.deallocate()
            for bucket in 0...bucketMask {
                var node = heads[bucket]
                while node >= 0 {
                    entry(of: Int(node)).deinitialize(count: 1)
                    node = nodes[Int(node)].next
                }
            }
            nodes.deallocate()
            heads.deallocate()
            bitmap.deallocate()
        }

        /// Inserts into `current`, keeping it sorted with the earliest last. - Complexity: O(later entries).
        @inlinable @inline(__always) func insertCurrent(_ entry: CalendarEntry<Payload>) {
            if currentCount == currentCapacity { growCurrent() }
            var index = currentCount
            while index > 0, current[index &- 1].precedes(entry) {
                (current + index).moveInitialize(from: current + (index &- 1), count: 1)
                index &-= 1
            }
            (current + index).initialize(to: entry)
            currentCount &+= 1
        }

        /// Adds `entry` to the list of absolute bucket `bucket`.
        @inlinable @inline(__always) func push(_ entry: CalendarEntry<Payload>, bucket: SimTime) {
            let node: Int
            if freeNode >= 0 {
                node = Int(freeNode)
                freeNode = nodes[node].next
            } else {
                if usedNodes == nodeCapacity { growNodes() }
                node = usedNodes
                usedNodes &+= 1
            }
            let slot = Int(truncatingIfNeeded: bucket) & bucketMask
            self.entry(of: node).initialize(to: entry)
            nodes[node].next = heads[slot]
            heads[slot] = Int32(truncatingIfNeeded: node)
            bitmap[slot &>> 6] |= 1 &<< UInt64(slot & 63)
            listed &+= 1
        }

        /// Moves the next non-empty bucket's list into the empty `current`, sorted, and makes it the current bucket.
        /// - Precondition: `current` is empty and `listed > 0`.
        /// Inlinable so that it is specialized for the payload (generic, it asked the runtime for metadata per entry).
        @inlinable @inline(never) func advance() {
            let start = Int(truncatingIfNeeded: cursor &+ 1) & bucketMask
            let slot = occupiedSlot(from: start)
            cursor &+= 1 &+ SimTime((slot &- start) & bucketMask)
            bitmap[slot &>> 6] &= ~(1 &<< UInt64(slot & 63))
            var node = Int(heads[slot])
            heads[slot] = -1
            while node >= 0 {
                let next = Int(nodes[node].next)
                insertCurrent(entry(of: node).move())
                nodes[node].next = freeNode
                freeNode = Int32(truncatingIfNeeded: node)
                listed &-= 1
                node = next
            }
        }

        /// The first slot at or after `start`, in circular order, whose list is not empty.
        /// - Precondition: `listed > 0`. - Complexity: O(slots skipped / 64).
        @inlinable @inline(__always) func occupiedSlot(from start: Int) -> Int {
            var word = start &>> 6
            var bits = bitmap[word] & (~0 &<< UInt64(start & 63))
            while bits == 0 {
                word = word &+ 1 == bitmapWords ? 0 : word &+ 1
                bits = bitmap[word]
            }
            return word &<< 6 | bits.trailingZeroBitCount
        }

        @usableFromInline func growCurrent() {
            let grown = UnsafeMutablePointer<CalendarEntry<Payload>>.allocate(capacity: currentCapacity * 2)
            grown.moveInitialize(from: current, count: currentCount)
            current.deallocate()
            current = grown
            currentCapacity *= 2
        }

        @usableFromInline func growNodes() {
            let grown = UnsafeMutablePointer<Node>.allocate(capacity: nodeCapacity * 2)
            // Live nodes are scattered among freed ones: copy the bits, only live entries are ever read.
            UnsafeMutableRawPointer(grown).copyMemory(from: nodes, byteCount: usedNodes * MemoryLayout<Node>.stride)
            nodes.deallocate()
            nodes = grown
            nodeCapacity *= 2
        }

        /// Node `node`'s entry, in place.
        @inlinable @inline(__always) func entry(of node: Int) -> UnsafeMutablePointer<CalendarEntry<Payload>> {
            UnsafeMutableRawPointer(nodes + node).assumingMemoryBound(to: CalendarEntry<Payload>.self)
        }
    }

    @usableFromInline let storage: Storage

    /// A wheel of `bucketCount` buckets of `2^bucketShift` ns. The defaults (1,024 buckets of about 1.05 ms, about
    /// 1.07 s ahead) suit the scenarios: a few copies a bucket at a flash sale's peak, latencies beyond the span are
    /// rare, and the bucket heads take 4 KB. With 4,096 buckets of 262 µs a scenario ran 0.5 % more instructions
    /// and 11 % more last-level misses (cachegrind, 512 KB last level), and 3.5 % slower (eight pairs); 512 buckets
    /// of 2.1 ms were about even with 1,024.
    /// - Precondition: `bucketCount` is a power of two, at least 64; `bucketShift` in 0 ..< 48.
    public init(bucketShift: Int = 20, bucketCount: Int = 1_024) {
        precondition(bucketCount >= 64 && bucketCount & (bucketCount - 1) == 0, "bucketCount: a power of two ≥ 64")
        precondition((0..<48).contains(bucketShift), "bucketShift out of range")
        storage = Storage(bucketShift: bucketShift, bucketCount: bucketCount)
    }

    @inlinable public var count: Int { storage.currentCount + storage.listed + storage.overflow.count }

    @inlinable public var firstTime: SimTime? { firstKey?.time }

    /// The earliest entry's time and sequence, or nil when empty. - Complexity: O(1).
    @inlinable public var firstKey: (time: SimTime, sequence: UInt64)? {
        let storage = self.storage
        guard storage.currentCount > 0 else { return storage.overflow.firstKey }
        let wheel = storage.current[storage.currentCount &- 1]
        if let overflow = storage.overflow.firstKey,
            overflow.time < wheel.time || (overflow.time == wheel.time && overflow.sequence < wheel.sequence)
        {
            return overflow
        }
        return (wheel.time, wheel.sequence)
    }

    public mutating func reserveCapacity(_ capacity: Int) {
        while storage.nodeCapacity < capacity { storage.growNodes() }
    }

    /// Removes every entry for which `shouldRemove` is true and returns them, in no particular order; the others
    /// keep their order. - Complexity: O(n log n) for n entries (the overflow heap is rebuilt), plus the buckets.
    public mutating func removeAll(where shouldRemove: (CalendarEntry<Payload>) -> Bool) -> [CalendarEntry<Payload>] {
        let storage = self.storage
        var removed: [CalendarEntry<Payload>] = []
        // The current bucket, compacted in place (order kept).
        var kept = 0
        for index in 0..<storage.currentCount {
            let entry = (storage.current + index).move()
            if shouldRemove(entry) {
                removed.append(entry)
            } else {
                (storage.current + kept).initialize(to: entry)
                kept += 1
            }
        }
        storage.currentCount = kept
        // The lists: unlink and free the nodes removed, clear the bits of lists left empty.
        for slot in 0...storage.bucketMask where storage.heads[slot] >= 0 {
            var previous: Int32 = -1
            var node = storage.heads[slot]
            while node >= 0 {
                let next = storage.nodes[Int(node)].next
                if shouldRemove(storage.entry(of: Int(node)).pointee) {
                    removed.append(storage.entry(of: Int(node)).move())
                    if previous >= 0 { storage.nodes[Int(previous)].next = next } else { storage.heads[slot] = next }
                    storage.nodes[Int(node)].next = storage.freeNode
                    storage.freeNode = node
                    storage.listed -= 1
                } else {
                    previous = node
                }
                node = next
            }
            if storage.heads[slot] < 0 { storage.bitmap[slot >> 6] &= ~(1 << UInt64(slot & 63)) }
        }
        // The overflow heap, emptied and refilled with what stays.
        var staying: [CalendarEntry<Payload>] = []
        while let entry = storage.overflow.popFirst() {
            if shouldRemove(entry) { removed.append(entry) } else { staying.append(entry) }
        }
        for entry in staying { storage.overflow.insert(entry) }
        // The invariant: an empty current bucket means empty lists.
        if storage.currentCount == 0, storage.listed > 0 { storage.advance() }
        return removed
    }

    @inlinable @inline(__always)
    public mutating func insert(_ entry: CalendarEntry<Payload>) {
        let storage = self.storage
        let bucket = entry.time >> SimTime(storage.bucketShift)
        guard storage.currentCount > 0 else {
            // Empty wheel (the lists are empty too): the entry's bucket becomes the current one.
            storage.cursor = bucket
            storage.insertCurrent(entry)
            return
        }
        let ahead = bucket &- storage.cursor
        if ahead <= 0 {
            storage.insertCurrent(entry)
        } else if ahead <= SimTime(storage.bucketMask) {
            storage.push(entry, bucket: bucket)
        } else {
            storage.overflow.insert(entry)
        }
    }

    @inlinable @inline(__always)
    public mutating func popFirst() -> CalendarEntry<Payload>? {
        let storage = self.storage
        guard storage.currentCount > 0 else { return storage.overflow.popFirst() }
        let last = storage.currentCount &- 1
        if let overflow = storage.overflow.firstKey {
            let wheel = storage.current[last]
            if overflow.time < wheel.time || (overflow.time == wheel.time && overflow.sequence < wheel.sequence) {
                return storage.overflow.popFirst()
            }
        }
        let first = (storage.current + last).move()
        storage.currentCount = last
        if last == 0, storage.listed > 0 { storage.advance() }
        return first
    }
}
