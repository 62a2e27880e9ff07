import Testing

@testable import ChangeStreams

@Suite("Ring")
struct RingTests {
    /// Random appends in bursts, removals from the front and copies, across many blocks, checked element by element
    /// against an array after every step; the blocks held never exceed what the elements need plus one.
    @Test("a ring holds what an array would, across blocks, removals and copies", arguments: [1, 2, 3])
    func matchesAnArray(seed: UInt64) {
        let pool = ChunkPool(chunkSize: ringBlockBytes)
        pool.limit = 4
        var ring = Ring<Int>(pool: pool)
        var copy: Ring<Int>? = nil
        var copyModel: [Int] = []
        let perBlock = Ring<Int>.blockCapacity
        var model: [Int] = []
        var random = seed
        var next = 0
        for _ in 0..<400 {
            random = StableHash.splitmix64(random)
            switch random % 10 {
            case 0..<6:
                for _ in 0..<Int((random >> 8) % UInt64(perBlock / 2)) {
                    ring.append(next)
                    model.append(next)
                    next += 1
                }
            case 6..<9:
                let dropped = Int((random >> 8) % UInt64(model.count + 1))
                ring.removeFirst(dropped)
                model.removeFirst(dropped)
            default:
                // A copy held for a while, which must keep its elements while the ring appends after them and drops
                // its front. Once the copy is gone, the next removal gives back the blocks the ring moved past
                // while they were shared.
                if copy == nil {
                    copy = ring
                    copyModel = model
                } else {
                    copy = nil
                    ring.removeFirst(0)
                }
            }
            #expect(ring.count == model.count)
            #expect(ring.first == model.first)
            #expect(ring.capacity >= ring.count)
            if copy == nil { #expect(ring.blockCount <= (model.count + perBlock - 1) / perBlock + 1) }
            for offset in stride(from: 0, to: model.count, by: 97) where ring[offset] != model[offset] {
                Issue.record("offset \(offset): \(ring[offset]) instead of \(model[offset])")
            }
            if let last = model.last, ring[model.count - 1] != last { Issue.record("last: \(ring[model.count - 1])") }
            // Runs of a range read what the subscript reads, in order, and stop when told.
            let lower = model.isEmpty ? 0 : Int(random >> 20) % model.count
            let upper = lower + (model.count - lower) / 2 + 1
            var read: [Int] = []
            if lower < model.count {
                ring.forEachRun(in: lower..<min(upper, model.count)) { run in
                    read += run
                    return read.count < perBlock / 2
                }
                let whole = min(upper, model.count) - lower
                let stopped = read.count >= perBlock / 2 && read.count < whole
                #expect(read == Array(model[lower..<(lower + read.count)]))
                #expect(stopped || read.count == whole)
            }
            if let copy {
                #expect(copy.count == copyModel.count)
                for offset in stride(from: 0, to: copyModel.count, by: 31) where copy[offset] != copyModel[offset] {
                    Issue.record("copy offset \(offset): \(copy[offset]) instead of \(copyModel[offset])")
                }
            }
        }
    }

    @Test("copies of a ring change independently: appending to one never changes the other")
    func copiesAreIndependent() {
        var ring = Ring<Int>()
        for value in 0..<6 { ring.append(value) }
        var copy = ring
        // The copy drops its front and appends into slots that still hold the original's elements.
        copy.removeFirst(4)
        for value in 100..<106 { copy.append(value) }
        ring.append(6)
        #expect((0..<ring.count).map { ring[$0] } == Array(0...6))
        #expect((0..<copy.count).map { copy[$0] } == [4, 5] + Array(100..<106))
    }

    /// Two copies that both append: each keeps its own elements, whichever appends first and however often.
    @Test("copies that both append keep their own elements")
    func copiesAppendingInTurnKeepTheirElements() {
        var ring = Ring<Int>()
        let perBlock = Ring<Int>.blockCapacity
        for value in 0..<(perBlock - 3) { ring.append(value) }
        var copy = ring
        var ringModel = Array(0..<(perBlock - 3))
        var copyModel = ringModel
        for round in 0..<8 {
            // Alternating which one appends first, across the block's end.
            for step in 0..<2 {
                if (round + step).isMultiple(of: 2) {
                    ring.append(1_000 * round + step)
                    ringModel.append(1_000 * round + step)
                } else {
                    copy.append(-1_000 * round - step)
                    copyModel.append(-1_000 * round - step)
                }
            }
        }
        #expect((0..<ring.count).map { ring[$0] } == ringModel)
        #expect((0..<copy.count).map { copy[$0] } == copyModel)
    }

    @Test("blocks freed at the front of one ring take the elements of another ring sharing the pool")
    func ringsSharingAPoolReuseBlocks() {
        let pool = ChunkPool(chunkSize: ringBlockBytes)
        var old = Ring<Int>(pool: pool)
        var new = Ring<Int>(pool: pool)
        let perBlock = Ring<Int>.blockCapacity
        for value in 0..<(10 * perBlock) { old.append(value) }
        let allocated = pool.allocated
        old.removeFirst(old.count)
        old.recycle()
        #expect(old.blockCount == 0)
        #expect(pool.count == allocated)
        for value in 0..<(10 * perBlock) { new.append(value) }
        #expect(pool.allocated == allocated)
        #expect(new[5 * perBlock + 3] == 5 * perBlock + 3)
    }

    @Test("an emptied ring starts over and keeps its buffer")
    func emptiedRingKeepsItsBuffer() {
        var ring = Ring<Int>()
        for value in 0..<20 { ring.append(value) }
        let capacity = ring.capacity
        ring.removeFirst(20)
        #expect(ring.isEmpty)
        #expect(ring.first == nil)
        for value in 0..<capacity { ring.append(value) }
        #expect(ring.capacity == capacity)
        #expect(ring[capacity - 1] == capacity - 1)
    }
}
