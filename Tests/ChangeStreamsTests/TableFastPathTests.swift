import ChangeStreams
import Testing

@Suite("Table write paths without key building")
struct TableFastPathTests {
    static let keyValues: [AttributeValue] = [.s("k"), .n("-12.5"), .b([0, 1, 2]), .binarySize(7)]

    @Test(
        "a put of a stored key finds that key's item, for every key type, with and without a sort key",
        arguments: keyValues.indices, [false, true])
    func putFindsStoredKeys(index: Int, withSortKey: Bool) throws {
        let value = Self.keyValues[index]
        let schema = KeySchema(partitionKey: "pk", sortKey: withSortKey ? "sk" : nil)
        var table = try Table(TableConfiguration(keySchema: schema, partitionCount: 4))
        let sort: AttributeValue? = withSortKey ? Self.keyValues[(index + 1) % Self.keyValues.count] : nil
        let key = ItemKey(partition: value, sort: sort)
        var first: Item = ["pk": value, "a": .n("1")]
        if let sort { first["sk"] = sort }
        var second = first
        second["a"] = .n("2")
        #expect(try table.put(first, at: 1).eventName == .insert)
        #expect(try table.put(first, at: 2).sequenceNumber == nil)
        #expect(try table.put(second, at: 3).eventName == .modify)
        // Another item whose key differs only in the sort key (or another partition key) is a new item.
        var other = first
        if let sort { other["sk"] = sort == .s("x") ? .s("y") : .s("x") } else { other["pk"] = .s("other") }
        #expect(try table.put(other, at: 4).eventName == .insert)
        #expect(table.itemCount == 2)
        #expect(table.item(key) == second)
        let records = try readEverything(table, at: 5)
        #expect(records.count == 3)
        #expect(records.filter { $0.keys == key }.map(\.eventName) == [.insert, .modify])
    }

    @Test("one-attribute updates of a stored item refuse what the general update refuses, with the same errors")
    func oneAttributeUpdatesCheckLikeTheGeneralPath() throws {
        var table = try makeTable()
        try table.put(["pk": .s("a"), "n": .n("1")], at: 0)
        let cases: [(String, AttributeValue)] = [("pk", .s("b")), ("n", .n("1x")), ("m", .l([.n("--")]))]
        for (name, value) in cases {
            var fast: ChangeStreamError?
            var general: ChangeStreamError?
            do { try table.update(key("a"), setting: name, to: value, at: 1) } catch { fast = error }
            do { try table.update(key("a"), [.set(name, value)], at: 1) } catch { general = error }
            #expect(fast != nil)
            #expect(fast == general)
        }
        #expect(table.item(key("a")) == ["pk": .s("a"), "n": .n("1")])
    }

    @Test("setting a nested value records a change once; setting it again records nothing")
    func nestedValuesThroughTheFastPath() throws {
        var table = try makeTable()
        try table.put(["pk": .s("a")], at: 0)
        let value = AttributeValue.m(["tags": .ss(["b", "a", "b"]), "n": .l([.n("1")])])
        #expect(try table.update(key("a"), setting: "doc", to: value, at: 1).eventName == .modify)
        #expect(try table.update(key("a"), setting: "doc", to: value, at: 2).sequenceNumber == nil)
        // Sets are stored sorted and de-duplicated.
        #expect(table.item(key("a"))?["doc"] == .m(["tags": .ss(["a", "b"]), "n": .l([.n("1")])]))
        #expect(try table.update(key("a"), setting: "flag", to: .bool(true), at: 3).eventName == .modify)
        #expect(try table.update(key("a"), setting: "flag", to: .bool(true), at: 4).sequenceNumber == nil)
        #expect(try table.update(key("a"), setting: "flag", to: .bool(false), at: 5).eventName == .modify)
    }

    @Test("the item builder makes the items the literals make, in any order, and can be reused")
    func itemBuilderMatchesLiterals() {
        let builder = ItemBuilder(capacity: 16)
        builder.append("a", .n("1"))
        builder.append("b", .s(String(repeating: "x", count: 100)))
        builder.append("c", .l([.null]))
        #expect(builder.build() == ["a": .n("1"), "b": .s(String(repeating: "x", count: 100)), "c": .l([.null])])
        builder.append("z", .null)
        builder.append("a", .bool(true))
        builder.append("z", .n("9"))
        let unordered = builder.build()
        #expect(unordered == ["a": .bool(true), "z": .n("9")])
        #expect(unordered.names == ["a", "z"])
        #expect(unordered.sizeInBytes == 1 + 1 + 1 + 2)
        #expect(builder.build() == Item())
    }
}
