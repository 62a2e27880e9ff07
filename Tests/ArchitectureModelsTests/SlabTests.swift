import Testing

@testable import ArchitectureModels

@Suite("Slab")
struct SlabTests {
    /// An array inserted by swapping takes a freed slot and hands back the array that slot still held, buffer
    /// and all; a new slot hands back an empty array.
    @Test func insertingBySwappingHandsBackTheFreedSlotsValue() {
        var slab = Slab<[Int32]>()
        var batch: [Int32] = [1, 2, 3]
        let first = slab.insert(swapping: &batch)
        #expect(batch.isEmpty && slab[first] == [1, 2, 3] && slab.liveCount == 1)
        slab.remove(first)
        #expect(slab.liveCount == 0)
        batch = [7]
        let reused = slab.insert(swapping: &batch)
        #expect(reused == first && slab[reused] == [7] && batch == [1, 2, 3])
        let buffer = batch.withUnsafeBufferPointer { $0.baseAddress }
        batch.removeAll(keepingCapacity: true)
        batch.append(9)
        #expect(batch.withUnsafeBufferPointer { $0.baseAddress } == buffer)
        let second = slab.insert(swapping: &batch)
        #expect(second != first && slab[second] == [9] && batch.isEmpty && slab.liveCount == 2)
    }
}
