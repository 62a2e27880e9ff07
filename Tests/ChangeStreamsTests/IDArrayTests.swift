import Testing

@testable import ChangeStreams

@Suite("Arrays addressed by item id")
struct IDArrayTests {
    /// An object that counts how many of its kind are alive, to check that elements are released.
    final class Counted {
        nonisolated(unsafe) static var alive = 0
        let value: Int
        init(_ value: Int) {
            self.value = value
            Self.alive += 1
        }
        deinit { Self.alive -= 1 }
    }

    @Test("an id array holds what an array would, across growth, in-place changes and pointer writes")
    func matchesAnArray() {
        var array = IDArray<Int>()
        var model: [Int] = []
        var random: UInt64 = 5
        for step in 0..<2_000 {
            random = StableHash.splitmix64(random)
            if model.isEmpty || random % 3 == 0 {
                array.append(step)
                model.append(step)
            } else if random % 3 == 1 {
                let index = Int((random >> 8) % UInt64(model.count))
                array.modify(index) { $0 += 1_000 }
                model[index] += 1_000
            } else {
                let index = Int((random >> 8) % UInt64(model.count))
                array.uniquePointer(at: index).pointee = -step
                model[index] = -step
            }
            #expect(array.count == model.count)
        }
        for index in model.indices where array[index] != model[index] {
            Issue.record("index \(index): \(array[index]) instead of \(model[index])")
        }
    }

    @Test("copies of an id array change independently, whichever of them changes first")
    func copiesAreIndependent() {
        var original = IDArray<Int>()
        for value in 0..<40 { original.append(value) }
        var copy = original
        copy.modify(3) { $0 = 100 }
        #expect(original[3] == 3)
        #expect(copy[3] == 100)
        var third = copy
        original.uniquePointer(at: 5).pointee = 500
        third.append(40)
        #expect(copy[5] == 5)
        #expect(third[5] == 5)
        #expect(original[5] == 500)
        #expect(copy.count == 40)
        #expect(third.count == 41)
        #expect(third[3] == 100)
    }

    @Test("elements are released when replaced and when the last copy of an id array goes")
    func elementsAreReleased() {
        let before = Counted.alive
        do {
            var array = IDArray<Counted>()
            for value in 0..<50 { array.append(Counted(value)) }
            var copy = array
            copy.modify(0) { $0 = Counted(-1) }
            #expect(Counted.alive == before + 51)
            array.modify(1) { $0 = Counted(-2) }
            // The copy still holds element 1's old value; the original holds the new one.
            #expect(Counted.alive == before + 52)
            #expect(array[1].value == -2 && copy[1].value == 1)
            #expect(array[0].value == 0 && copy[0].value == -1)
        }
        #expect(Counted.alive == before)
    }
}
