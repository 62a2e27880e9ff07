import Testing

@testable import ArchitectureModels

@Suite("Component arrays")
struct ComponentArrayTests {
    @Test func appendedComponentsKeepTheirIdsAndChangeInPlace() {
        var array = ComponentArray<[Int]>()
        for id in 0..<100 { array.append([id]) }  // grows past its first capacity several times
        #expect(array.count == 100 && array.indices == 0..<100)
        array[42].append(7)
        array[99] = [1, 2]
        #expect(array[42] == [42, 7] && array[99] == [1, 2] && array[0] == [0])
        #expect(array.map(\.count).reduce(0, +) == 102)
    }

    @Test func elementsAreAnIndependentArray() {
        var array = ComponentArray<Int>()
        array.append(1)
        array.append(2)
        var snapshot = array.elements
        array[0] = 10
        snapshot[1] = 20
        #expect(snapshot == [1, 20] && array.elements == [10, 2])
    }
}
