import Testing

@testable import ArchitectureModels

@Suite("Slab")
struct SlabTests {
    /// An array inserted by swapping takes a freed slot and hands back the array that slot still held, buffer
    /// and all; a new slot hands back an empty array.
    @Test func insertingBySwappingHandsBackTheFreedSlotsValue() {
        var slab = Slab<[Int32]>()
        // Built at run time: an optimized build may keep a literal's buffer as a static object, which no
        // array owns uniquely (removing its elements then allocates).
        var batch: [Int32] = (1...3).map { Int32($0) }
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

    /// Ids stay stable while the slab grows past its first buffer, freed ids are reused last freed first, and
    /// values are read and changed in place.
    @Test func idsStayStableThroughGrowthAndFreedIdsAreReusedLastFirst() {
        var slab = Slab<String>()
        let ids = (0..<1_000).map { slab.insert("value \($0)") }
        #expect(ids == (0..<1_000).map(Int32.init) && slab.liveCount == 1_000)
        for id in ids where id % 2 == 1 { slab.remove(id) }
        #expect(slab.liveCount == 500)
        #expect(slab.insert("again") == 999 && slab.insert("and again") == 997)
        slab[998] += " changed"
        #expect(slab[998] == "value 998 changed" && slab[999] == "again" && slab[0] == "value 0")
        #expect(slab.liveCount == 502)
    }
}
