import Testing

@testable import ChangeStreams

/// A table's writes change its store's entries and its shards through unchecked pointers once its ownership token
/// is found unique (``Table/claimStorage()``): copies of a table must still keep their own records, shards and
/// items, whichever copy writes first and however the writes alternate.
@Suite("Table ownership")
struct TableOwnershipTests {
    static let keys = (0..<5).map { ItemKey(partition: .s("k\($0)")) }

    /// Write number `step` of the workload on `table`, at `step` hours (so shards roll over, and records are
    /// trimmed and shards deleted after a day): each kind of write, an advance now and then, and one split.
    static func write(_ step: Int, on table: inout Table, builder: ItemBuilder) throws {
        let key = keys[step % keys.count]
        let time = Int64(step) * hour
        switch step % 5 {
        case 0:
            builder.append(EncodedAttribute("pk", key.partition))
            builder.append(EncodedAttribute("v", .n(String(step))))
            try table.put(builder, at: time)
        case 1: try table.update(key, setting: EncodedAttribute("v", .n(String(step % 3))), at: time)
        case 2: try table.update(key, setting: "w", to: .s("t\(step)"), at: time)
        case 3: try table.delete(key, at: time)
        default: try table.put(["pk": key.partition, "x": .n(String(step))], at: time)
        }
        if step % 11 == 10 { try table.advance(to: time) }
        if step == 20 { try table.splitPartition(0, at: time) }
    }

    @Test(
        "copies of a table written alternately keep their own records, shards and items",
        arguments: [StreamViewType.keysOnly, .newImage, .oldImage, .newAndOldImages])
    func copiesWrittenAlternately(view: StreamViewType) throws {
        let builder = ItemBuilder()
        var tables = [try makeTable(view, partitions: 2)]
        var histories: [[Int]] = [[]]
        for step in 0..<80 {
            // Now and then a copy of one of the tables, which both go on writing.
            if step % 7 == 3 {
                tables.append(tables[step % tables.count])
                histories.append(histories[step % histories.count])
            }
            let target = (step * 5) % tables.count
            try Self.write(step, on: &tables[target], builder: builder)
            histories[target].append(step)
        }
        // Each table holds what a table given only its own writes holds.
        let end = 80 * hour
        for (index, history) in histories.enumerated() {
            var replayed = try makeTable(view, partitions: 2)
            for step in history { try Self.write(step, on: &replayed, builder: builder) }
            #expect(tables[index].retainedRecordCount == replayed.retainedRecordCount, "table \(index)")
            #expect(tables[index].describeStream() == replayed.describeStream(), "table \(index)")
            #expect(try readEverything(tables[index], at: end) == readEverything(replayed, at: end), "table \(index)")
            for key in Self.keys {
                #expect(tables[index].item(key) == replayed.item(key), "table \(index), \(key)")
            }
        }
    }

    @Test(
        "a delete and an insert on a copy leave the original's items and references alone",
        arguments: [StreamViewType.keysOnly, .newAndOldImages])
    func deleteAndInsertOnACopy(view: StreamViewType) throws {
        var table = try makeTable(view)
        let kept = key("kept")
        let added = key("added")
        try table.update(kept, setting: "v", to: .n("1"), at: 0)
        let id = try #require(table.store.find(kept))
        #expect(table.store.references(of: id) == 2)
        var copy = table
        try copy.delete(kept, at: 1)
        try copy.update(added, setting: EncodedAttribute("v", .n("2")), at: 1)
        #expect(copy.item(kept) == nil && copy.item(added) != nil)
        #expect(copy.store.references(of: id) == 2)
        #expect(table.item(kept) == ["pk": .s("kept"), "v": .n("1")])
        #expect(table.item(added) == nil && table.itemCount == 1)
        #expect(table.store.references(of: id) == 2)
        // And the other way round: the original's writes leave the copy alone.
        try table.delete(kept, at: 2)
        #expect(copy.item(added) != nil && copy.itemCount == 1)
        #expect(copy.store.references(of: id) == 2)
    }

    @Test("an id array drops elements from its front, in its own buffer only")
    func idArrayRemovesFromTheFront() {
        var array = IDArray<String>()
        for value in 0..<20 { array.append(String(value)) }
        let copy = array
        array.removeFirst(3)
        array[0] += "!"
        #expect(array.count == 17)
        #expect((array.indices).map { array[$0] } == ["3!"] + (4..<20).map(String.init))
        #expect(copy.count == 20)
        #expect(copy.indices.map { copy[$0] } == (0..<20).map(String.init))
        array.removeFirst(17)
        #expect(array.count == 0)
    }
}
