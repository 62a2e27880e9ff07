import Testing

@testable import ChangeStreams

@Suite("Ring")
struct RingTests {
    /// Random appends, removals from the front and reservations, wrapping around and growing, checked element by
    /// element against an array after every step.
    @Test("a ring holds what an array would, across wrap-around, growth and reservations", arguments: [1, 2, 3])
    func matchesAnArray(seed: UInt64) {
        var ring = Ring<Int>()
        var model: [Int] = []
        var random = seed
        var next = 0
        for _ in 0..<3_000 {
            random = StableHash.splitmix64(random)
            switch random % 10 {
            case 0..<6:
                ring.append(next)
                model.append(next)
                next += 1
            case 6..<9:
                let dropped = Int((random >> 8) % UInt64(model.count + 1))
                ring.removeFirst(dropped)
                model.removeFirst(dropped)
            default:
                ring.reserveCapacity(model.count + Int((random >> 8) % 40))
            }
            #expect(ring.count == model.count)
            #expect(ring.first == model.first)
            #expect(ring.capacity >= ring.count)
            for offset in model.indices where ring[offset] != model[offset] {
                Issue.record("offset \(offset): \(ring[offset]) instead of \(model[offset])")
            }
        }
    }

    @Test("copies of a ring change independently: appending to one never changes the other")
    func copiesAreIndependent() {
        var ring = Ring<Int>()
        ring.reserveCapacity(8)
        for value in 0..<6 { ring.append(value) }
        var copy = ring
        // The copy drops its front and appends into slots that still hold the original's elements.
        copy.removeFirst(4)
        for value in 100..<106 { copy.append(value) }
        ring.append(6)
        #expect((0..<ring.count).map { ring[$0] } == Array(0...6))
        #expect((0..<copy.count).map { copy[$0] } == [4, 5] + Array(100..<106))
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
