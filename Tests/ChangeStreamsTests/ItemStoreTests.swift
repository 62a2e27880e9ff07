import Testing

@testable import ChangeStreams

@Suite("Interned item ids")
struct ItemStoreTests {
    let second = StreamLimits.second
    let hour = 3_600 * StreamLimits.second

    @Test("a record keeps naming its key after the item is deleted and other keys reuse freed ids")
    func recordsKeepTheirKeys() throws {
        var table = try Table(
            TableConfiguration(keySchema: KeySchema(partitionKey: "pk"), streamViewType: .keysOnly))
        try table.put(["pk": .s("a")], at: 0)
        try table.delete(ItemKey(partition: .s("a")), at: 1)
        // Trim everything: the id of "a" is freed once no record names it.
        try table.advance(to: 25 * hour)
        #expect(table.retainedRecordCount == 0)
        try table.put(["pk": .s("b")], at: 25 * hour + 1)
        try table.put(["pk": .s("a")], at: 25 * hour + 2)
        try table.delete(ItemKey(partition: .s("b")), at: 25 * hour + 3)
        let shard = try #require(table.describeStream().shards.last?.id)
        let records = try table.getRecords(
            table.shardIterator(shard, .trimHorizon, at: 25 * hour + 4), at: 25 * hour + 4
        ).records
        #expect(records.map(\.keys.partition) == [.s("b"), .s("a"), .s("b")])
        #expect(records.map(\.eventName) == [.insert, .insert, .remove])
        #expect(table.item(ItemKey(partition: .s("a"))) == ["pk": .s("a")])
        #expect(table.item(ItemKey(partition: .s("b"))) == nil)
        #expect(table.itemCount == 1)
    }

    @Test("a deleted item's buffer becomes a spare only when nothing else holds it")
    func deletedBuffersBecomeSparesWhenUnshared() throws {
        var table = try Table(TableConfiguration(keySchema: KeySchema(partitionKey: "pk")))
        try table.put(["pk": .s("a"), "v": .n("1")], at: 0)
        try table.put(["pk": .s("b"), "v": .n("2")], at: 0)
        try table.delete(ItemKey(partition: .s("a")), at: 1)
        #expect(table.store.spareCount == 1)
        // A client's copy of the item shares its buffer: the buffer must not be reused under it.
        let held = try #require(table.item(ItemKey(partition: .s("b"))))
        try table.delete(ItemKey(partition: .s("b")), at: 2)
        #expect(table.store.spareCount == 1)
        // Puts of the deleted keys (their ids kept by their records) build in spares: the one spare is a's.
        let builder = ItemBuilder()
        for (index, name) in ["a", "b"].enumerated() {
            builder.append("pk", .s(name))
            builder.append("v", .n(String(index + 7)))
            try table.put(builder, at: 3)
            #expect(table.store.spareCount == 0)
        }
        #expect(held == ["pk": .s("b"), "v": .n("2")])
        #expect(table.item(ItemKey(partition: .s("a"))) == ["pk": .s("a"), "v": .n("7")])
        #expect(table.item(ItemKey(partition: .s("b"))) == ["pk": .s("b"), "v": .n("8")])
    }

    @Test("the short key kept in an id's entry follows the id's key through frees and reuse")
    func entriesKeepTheirKeysShortValue() {
        var store = ItemStore()
        let a = ItemKey(partition: .s("a"))
        let b = ItemKey(partition: .n("42"))
        let long = ItemKey(partition: .s(String(repeating: "x", count: 40)))
        let sorted = ItemKey(partition: .s("a"), sort: .s("s"))
        func found(_ key: ItemKey) -> Int32? {
            guard let short = key.storage.shortPartition else { return nil }
            return store.find(hash: ItemStore.hash(of: key), shortPartition: short)
        }
        let idA = store.intern(a)
        #expect(found(a) == idA)
        #expect(found(b) == nil)
        // The id of "a" is freed (no item, no record) and reused by "b": the entry now holds b's short value.
        store.retain(idA)
        store.release(idA)
        #expect(store.find(a) == nil)
        let idB = store.intern(b)
        #expect(idB == idA)
        #expect(found(b) == idB)
        #expect(found(a) == nil)
        // Keys without a short partition value, or with a sort value, are never found by it.
        let idLong = store.intern(long)
        #expect(long.storage.shortPartition == nil)
        #expect(store.find(long) == idLong)
        let idSorted = store.intern(sorted)
        #expect(store.find(sorted) == idSorted)
        #expect(store.find(hash: ItemStore.hash(of: sorted), shortPartition: ShortKeyValue(.s("a"))!) == nil)
    }

    @Test("a deleted item's buffer is reused for new items, unless a reader still holds the item")
    func deletedBuffersAreReusedOnlyWhenUnshared() throws {
        var table = try Table(
            TableConfiguration(keySchema: KeySchema(partitionKey: "pk"), streamViewType: .newAndOldImages))
        let builder = ItemBuilder()
        let a = ItemKey(partition: .s("a"))
        let b = ItemKey(partition: .s("b"))
        try table.put(["pk": .s("a"), "v": .n("1")], at: 0)
        try table.put(["pk": .s("b"), "v": .n("2")], at: 1)
        let held = try #require(table.item(b))
        try table.delete(a, at: 2)
        try table.delete(b, at: 3)
        // Both come back: "b" through a builder put, "a" through a one-attribute update.
        builder.append(EncodedAttribute("pk", .s("b")))
        builder.append(EncodedAttribute("v", .n("20")))
        try table.put(builder, at: 4)
        try table.update(a, setting: EncodedAttribute("v", .n("10")), at: 5)
        #expect(held == ["pk": .s("b"), "v": .n("2")])
        #expect(table.item(a) == ["pk": .s("a"), "v": .n("10")])
        #expect(table.item(b) == ["pk": .s("b"), "v": .n("20")])
        let shard = try #require(table.describeStream().shards.last?.id)
        let records = try table.getRecords(table.shardIterator(shard, .trimHorizon, at: 6), at: 6).records
        #expect(records.map(\.eventName) == [.insert, .insert, .remove, .remove, .insert, .insert])
        #expect(records[3].oldImage == ["pk": .s("b"), "v": .n("2")])
        #expect(records[4].newImage == ["pk": .s("b"), "v": .n("20")])
        #expect(records[5].newImage == ["pk": .s("a"), "v": .n("10")])
    }

    @Test("a lookup with an equal key in another box finds its id and keeps that box from then on")
    func equalKeysInOtherBoxesAreAdopted() {
        var store = ItemStore()
        let first = ItemKey(partition: .s("k"), sort: .n("1"))
        let id = store.intern(first)
        let other = ItemKey(partition: .s("k"), sort: .n("1"))
        #expect(store.findAdopting(other) == id)
        #expect(store.keys[Int(id)].storage === other.storage)
        #expect(store.findAdopting(first) == id)
        #expect(store.findAdopting(ItemKey(partition: .s("k"), sort: .n("2"))) == nil)
        #expect(store.find(other) == id)
    }

    @Test("ids are bounded by the items plus the retained records, and the index survives growth and deletion")
    func idsFollowTheWindow() throws {
        var table = try Table(
            TableConfiguration(
                keySchema: KeySchema(partitionKey: "pk", sortKey: "sk"), streamViewType: .newAndOldImages))
        var now: Int64 = 0
        for round in 0..<3 {
            for index in 0..<500 {
                now += second
                try table.put(["pk": .s("p\(index % 7)"), "sk": .n(String(index)), "r": .n(String(round))], at: now)
            }
            for index in stride(from: 0, to: 500, by: 2) {
                now += second
                try table.delete(ItemKey(partition: .s("p\(index % 7)"), sort: .n(String(index))), at: now)
            }
            now += 25 * hour
            try table.advance(to: now)
            #expect(table.retainedRecordCount == 0)
            #expect(table.itemCount == 250)
            #expect(table.store.keys.count <= 750)
            for index in 0..<500 {
                let item = table.item(ItemKey(partition: .s("p\(index % 7)"), sort: .n(String(index))))
                #expect((item != nil) == (index % 2 == 1))
            }
        }
    }
}

@Suite("Item fast paths")
struct ItemFastPathTests {
    @Test("setting one attribute equals the subscript, and reports a no-op as nil")
    func settingMatchesSubscript() {
        let base: Item = ["b": .n("10"), "d": .s("x"), "f": .bool(true)]
        for name in ["a", "b", "c", "d", "e", "f", "g", "é"] {
            for value: AttributeValue in [.n("10"), .s("x"), .bool(true), .n("123456789"), .null] {
                var expected = base
                expected[name] = value
                let result = base.setting(name, to: value)
                if expected == base {
                    #expect(result == nil)
                } else {
                    #expect(result == expected)
                    #expect(result?.sizeInBytes == expected.sizeInBytes)
                    #expect(result?.names == expected.names)
                }
            }
        }
    }

    @Test("an item from sorted attributes equals one built by name")
    func sortedAttributes() {
        let item = Item(sortedAttributes: [
            Item.Attribute("kind", .s("put")), Item.Attribute("pk", .s("item-7")),
            Item.Attribute("v", .n("4095")),
        ])
        let expected: Item = ["pk": .s("item-7"), "v": .n("4095"), "kind": .s("put")]
        #expect(item == expected)
        #expect(item.sizeInBytes == expected.sizeInBytes)
    }
}

/// Keys compare and hash by their values alone, whatever the stored form: an absent sort key differs from a
/// `NULL` one, and a string differs from a number with the same text.
@Suite("Item key equality")
struct ItemKeyEqualityTests {
    static let values: [AttributeValue?] = [nil, .null, .s("1"), .n("1"), .s("a"), .b([1]), .binarySize(1)]

    @Test("keys are equal exactly when their partition and sort values are, and equal keys hash alike")
    func equalityFollowsTheValues() {
        for partition in Self.values.compactMap({ $0 }) {
            for otherPartition in Self.values.compactMap({ $0 }) {
                for sort in Self.values {
                    for otherSort in Self.values {
                        let key = ItemKey(partition: partition, sort: sort)
                        let other = ItemKey(partition: otherPartition, sort: otherSort)
                        #expect(key.sort == sort)
                        #expect((key == other) == (partition == otherPartition && sort == otherSort))
                        if key == other { #expect(key.hashValue == other.hashValue) }
                    }
                }
            }
        }
    }
    @Test("a trim releases its ids in the trimmed table only, not in a copy sharing the store")
    func trimmingLeavesCopiesAlone() throws {
        var table = try Table(
            TableConfiguration(keySchema: KeySchema(partitionKey: "pk"), streamViewType: .newAndOldImages))
        let keys = (0..<4).map { ItemKey(partition: .s("k\($0)")) }
        for round in 0..<3 {
            for (index, key) in keys.enumerated() {
                try table.update(key, setting: "v", to: .n(String(round * 10 + index)), at: Int64(round))
            }
        }
        try table.delete(keys[0], at: 3)
        let copy = table
        let ids = keys.map { table.store.find($0)! }
        let before = ids.map { copy.store.references(of: $0) }
        #expect(before == [4, 4, 4, 4])
        // Every record is past the retention period: the trim drops them all, and frees the deleted key's id.
        try table.advance(to: 25 * hour)
        #expect(table.retainedRecordCount == 0)
        #expect(ids.dropFirst().map { table.store.references(of: $0) } == [1, 1, 1])
        #expect(table.store.find(keys[0]) == nil)
        // The copy still holds every record and reference.
        #expect(ids.map { copy.store.references(of: $0) } == before)
        #expect(copy.retainedRecordCount == 13)
        #expect(copy.store.find(keys[0]) == ids[0])
        let shard = try #require(copy.describeStream().shards.first?.id)
        let records = try copy.getRecords(copy.shardIterator(shard, .trimHorizon, at: 4), at: 4).records
        #expect(records.count == 13)
        #expect(records.last?.keys == keys[0] && records.last?.eventName == .remove)
    }
    @Test(
        "every write retains its record's id in its own table, not in a copy sharing the store",
        arguments: [
            StreamViewType.keysOnly, .newImage, .oldImage, .newAndOldImages,
        ])
    func recordsRetainInTheirOwnTable(view: StreamViewType) throws {
        var table = try Table(TableConfiguration(keySchema: KeySchema(partitionKey: "pk"), streamViewType: view))
        let keys = (0..<6).map { ItemKey(partition: .s("k\($0)")) }
        for (index, key) in keys.enumerated() {
            try table.update(key, setting: "v", to: .n(String(index)), at: 0)
        }
        let ids = keys.map { table.store.find($0)! }
        let builder = ItemBuilder()
        let value = EncodedAttribute("v", .n("77"))
        // Each kind of write, made on a copy: the original's references, records and items stay as they were.
        let writes: [(inout Table) throws -> Void] = [
            { table in
                builder.append(EncodedAttribute("pk", .s("k0")))
                builder.append(value)
                try table.put(builder, at: 1)
            },
            { table in try table.update(keys[1], setting: value, at: 1) },
            { table in try table.update(keys[2], setting: "v", to: .s("text"), at: 1) },
            { table in try table.delete(keys[3], at: 1) },
            { table in try table.put(["pk": .s("k4"), "w": .n("5")], at: 1) },
            { table in try table.update(keys[5], [.set("w", .n("6"))], at: 1) },
        ]
        for (index, write) in writes.enumerated() {
            let before = ids.map { table.store.references(of: $0) }
            let records = table.retainedRecordCount
            var copy = table
            try write(&copy)
            #expect(copy.retainedRecordCount == records + 1, "write \(index)")
            #expect(ids.map { table.store.references(of: $0) } == before, "write \(index)")
            #expect(table.retainedRecordCount == records)
            #expect(table.item(keys[index]) != nil)
            // The write's own table counts the record's reference.
            let expected = before[index] + (index == 3 ? 0 : 1)
            #expect(copy.store.references(of: ids[index]) == expected, "write \(index)")
        }
    }
}
