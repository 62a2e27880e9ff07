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

    @Test("an invalid number set through the subscript is kept, flagged, and refused by the table")
    func invalidNumbersSetOnItemsAreRefusedByTheTable() throws {
        var item: Item = ["pk": .s("a")]
        item["n"] = .n("1x")
        #expect(item["n"] == .n("1x"))
        item["n"] = .n("2y")
        #expect(item["n"] == .n("2y"))
        var table = try makeTable()
        #expect(throws: ChangeStreamError.invalidNumber(attribute: "n", text: "2y")) { try table.put(item, at: 0) }
        #expect(table.itemCount == 0)
    }

    @Test("key names compare by bytes in both update paths")
    func keyNamesCompareByBytes() throws {
        let schema = KeySchema(partitionKey: "\u{E9}")
        var table = try Table(TableConfiguration(keySchema: schema))
        let key = ItemKey(partition: .s("k"))
        try table.put(["\u{E9}": .s("k")], at: 0)
        // The decomposed spelling is another attribute, in the fast path and in the general one.
        #expect(try table.update(key, setting: "e\u{301}", to: .n("1"), at: 1).eventName == .modify)
        #expect(try table.update(key, [.set("e\u{301}", .n("2"))], at: 2).eventName == .modify)
        #expect(throws: ChangeStreamError.keyAttributeUpdate("\u{E9}")) {
            try table.update(key, setting: "\u{E9}", to: .s("j"), at: 3)
        }
        #expect(throws: ChangeStreamError.keyAttributeUpdate("\u{E9}")) {
            try table.update(key, [.set("\u{E9}", .s("j"))], at: 3)
        }
    }

    @Test("a stored key of one type is not found for an equal-looking key of another type")
    func keyTypesStayApart() throws {
        var table = try makeTable()
        try table.put(["pk": .n("1"), "a": .null], at: 0)
        #expect(try table.put(["pk": .s("1"), "a": .null], at: 1).eventName == .insert)
        #expect(try table.put(["pk": .b([0x31]), "a": .null], at: 2).eventName == .insert)
        #expect(try table.put(["pk": .n("1"), "a": .bool(true)], at: 3).eventName == .modify)
        #expect(table.itemCount == 3)
        #expect(throws: ChangeStreamError.invalidKeyType(attribute: "pk", type: "BOOL")) {
            try table.put(["pk": .bool(true)], at: 4)
        }
    }

    @Test("updates change a version in place only when nothing else holds it", arguments: StreamViewType.allCases)
    func inPlaceUpdatesKeepSharedVersions(view: StreamViewType) throws {
        var table = try makeTable(view)
        try table.put(["pk": .s("a"), "s": .s("abc"), "n": .n("12")], at: 0)
        let held = table.item(key("a"))
        // Same encoded length (in place when unshared), a tag change of the same length, a longer value.
        try table.update(key("a"), setting: "s", to: .s("xyz"), at: 1)
        try table.update(key("a"), setting: "n", to: .s("34"), at: 2)
        try table.update(key("a"), setting: "n", to: .n("5678"), at: 3)
        try table.update(key("a"), setting: "s", to: .s("uvw"), at: 4)
        let expected: Item = ["pk": .s("a"), "s": .s("uvw"), "n": .n("5678")]
        #expect(table.item(key("a")) == expected)
        #expect(table.item(key("a"))?.sizeInBytes == expected.sizeInBytes)
        #expect(table.item(key("a"))?.hashValue == expected.hashValue)
        // The copy taken before the updates still reads as it was.
        #expect(held == ["pk": .s("a"), "s": .s("abc"), "n": .n("12")])
        #expect(held?.sizeInBytes == 2 + 1 + 1 + 3 + 1 + 2)
        let records = try readEverything(table, at: 5)
        #expect(records.map(\.eventName) == [.insert, .modify, .modify, .modify, .modify])
        if view == .newAndOldImages {
            #expect(records[1].oldImage?["s"] == .s("abc"))
            #expect(records[1].newImage?["s"] == .s("xyz"))
            #expect(records[4].oldImage?["s"] == .s("xyz"))
        }
    }

    @Test("values that grow and shrink in place keep every other attribute intact")
    func valuesGrowAndShrinkInPlace() throws {
        var table = try makeTable(.keysOnly)
        try table.put(["pk": .s("a"), "m": .n("1"), "z": .s("tail")], at: 0)
        let values: [AttributeValue] = [
            .s("12"), .n("1"), .s("123456"), .n("7"), .s(""), .s("x"), .s(String(repeating: "y", count: 127)),
            .n("3"), .s(String(repeating: "w", count: 128)), .n("1234"),
        ]
        var time: Int64 = 1
        for value in values {
            try table.update(key("a"), setting: "m", to: value, at: time)
            time += 1
            let expected: Item = ["pk": .s("a"), "m": value, "z": .s("tail")]
            #expect(table.item(key("a")) == expected)
            #expect(table.item(key("a"))?.sizeInBytes == expected.sizeInBytes)
            #expect(table.item(key("a"))?.attributes == expected.attributes)
        }
    }

    @Test(
        "old images staged before an in-place change are right after no-op and refused writes, across chunk ends",
        arguments: [StreamViewType.oldImage, .newAndOldImages])
    func stagedOldImages(view: StreamViewType) throws {
        var table = try makeTable(view)
        let builder = ItemBuilder()
        // Items of about 20 KB fill a 64 KB chunk of the image log every few records, so that staged images meet
        // chunk ends; the value `m` grows by up to 120 bytes at a time, more than the room staged for it.
        let filler = String(repeating: "f", count: 20_000)
        var expected: Item = ["pk": .s("a"), "big": .s(filler), "m": .n("1")]
        try table.put(expected, at: 0)
        var oldImages: [Item] = []
        var newImages: [Item] = []
        var time: Int64 = 1
        for round in 0..<24 {
            let value: AttributeValue = round % 3 == 0 ? .s(String(repeating: "g", count: 120)) : .n(String(round))
            // A no-op write and a refused write stage the old image and record nothing.
            try table.update(key("a"), setting: "m", to: expected["m"]!, at: time)
            #expect(throws: ChangeStreamError.self) {
                try table.update(key("a"), setting: "m", to: .n("1x"), at: time)
            }
            let before = expected
            if round % 2 == 0 {
                try table.update(key("a"), setting: "m", to: value, at: time)
                expected["m"] = value
            } else {
                builder.append("big", .s(filler))
                builder.append("m", value)
                builder.append("pk", .s("a"))
                try table.put(builder, at: time)
                expected = ["pk": .s("a"), "big": .s(filler), "m": value]
            }
            if before != expected {
                oldImages.append(before)
                newImages.append(expected)
            }
            time += 1
        }
        let records = try readEverything(table, at: time).dropFirst()
        #expect(records.count == oldImages.count)
        #expect(records.map(\.oldImage) == oldImages.map(Optional.some))
        let expectedNew: [Item?] = view == .oldImage ? newImages.map { _ in nil } : newImages
        #expect(records.map(\.newImage) == expectedNew)
    }

    @Test("a write that changes nothing does not roll a due shard over; the next change does")
    func noOpWritesDoNotRollOver() throws {
        var table = try makeTable(.newAndOldImages, rollover: hour)
        try table.put(["pk": .s("a"), "m": .n("1")], at: 0)
        try table.update(key("a"), setting: "m", to: .n("1"), at: 2 * hour)
        #expect(table.describeStream().shards.count == 1)
        try table.update(key("a"), setting: "m", to: .n("2"), at: 2 * hour + 1)
        let shards = table.describeStream().shards
        #expect(shards.count == 2)
        let records = try readEverything(table, at: 2 * hour + 2)
        #expect(records.map(\.eventName) == [.insert, .modify])
        #expect(records.last?.oldImage == ["pk": .s("a"), "m": .n("1")])
        #expect(records.last?.newImage == ["pk": .s("a"), "m": .n("2")])
    }

    @Test("images kept by older shards survive updates after the stream changes to keys only")
    func imagesSurviveAViewChange() throws {
        var table = try makeTable(.newImage)
        try table.put(["pk": .s("a"), "v": .s("one")], at: 0)
        try table.disableStream(at: 1)
        try table.update(key("a"), setting: "v", to: .s("two"), at: 2)
        try table.enableStream(viewType: .keysOnly, at: 3)
        try table.update(key("a"), setting: "v", to: .s("six"), at: 4)
        try table.update(key("a"), setting: "v", to: .s("ten"), at: 5)
        let records = try readEverything(table, at: 6)
        #expect(records.count == 3)
        #expect(records.first?.newImage == ["pk": .s("a"), "v": .s("one")])
        #expect(records.dropFirst().allSatisfy { $0.newImage == nil })
        #expect(table.item(key("a")) == ["pk": .s("a"), "v": .s("ten")])
    }

    @Test("long names and values (multi-byte length prefixes) are found, set and compared", arguments: [127, 128, 300])
    func longNamesAndValues(length: Int) throws {
        let longName = String(repeating: "n", count: length)
        var item: Item = ["a": .null, longName: .s(String(repeating: "v", count: length)), "z": .n("1")]
        #expect(item[longName] == .s(String(repeating: "v", count: length)))
        #expect(item["z"] == .n("1"))
        #expect(item["n"] == nil)
        item["z"] = .s(String(repeating: "w", count: length))
        item[longName] = .n("2")
        #expect(item == ["a": .null, longName: .n("2"), "z": .s(String(repeating: "w", count: length))])
        var table = try makeTable(.keysOnly)
        try table.put(["pk": .s("k"), longName: .s("x")], at: 0)
        for (step, size) in [length, 1, length + 1].enumerated() {
            let value = AttributeValue.s(String(repeating: "y", count: size))
            try table.update(key("k"), setting: longName, to: value, at: Int64(step + 1))
            #expect(table.item(key("k")) == ["pk": .s("k"), longName: value])
        }
    }

    @Test("an update that would make the item too large changes nothing, in place or not")
    func tooLargeUpdatesChangeNothing() throws {
        var table = try makeTable(.keysOnly)
        let big = String(repeating: "x", count: 300_000)
        try table.put(["pk": .s("a"), "s": .s(big), "t": .s("small")], at: 0)
        let large = String(repeating: "y", count: 150_000)
        #expect(throws: ChangeStreamError.self) { try table.update(key("a"), setting: "t", to: .s(large), at: 1) }
        let same = String(repeating: "z", count: 300_000)
        #expect(try table.update(key("a"), setting: "s", to: .s(same), at: 2).eventName == .modify)
        #expect(table.item(key("a")) == ["pk": .s("a"), "s": .s(same), "t": .s("small")])
    }

    @Test("puts report key errors before number and size errors, for new and stored keys alike")
    func putErrorsComeInOrder() throws {
        var table = try makeTable()
        let large = AttributeValue.s(String(repeating: "x", count: StreamLimits.maximumItemSize))
        #expect(throws: ChangeStreamError.missingKeyAttribute("pk")) { try table.put(["n": .n("1x")], at: 0) }
        #expect(throws: ChangeStreamError.missingKeyAttribute("pk")) { try table.put(["big": large], at: 0) }
        #expect(throws: ChangeStreamError.emptyKeyValue(attribute: "pk")) {
            try table.put(["pk": .s(""), "n": .n("1x")], at: 0)
        }
        for time: Int64 in [1, 3] {  // a new key, then a stored one
            #expect(throws: ChangeStreamError.invalidNumber(attribute: "n", text: "1x")) {
                try table.put(["pk": .s("a"), "n": .n("1x"), "l": .l([.n("1")])], at: time)
            }
            #expect(throws: ChangeStreamError.invalidNumber(attribute: "n", text: "1x")) {
                try table.put(["pk": .s("a"), "n": .n("1x")], at: time)
            }
            #expect(throws: ChangeStreamError.itemTooLarge(bytes: 2 + 1 + 1 + StreamLimits.maximumItemSize)) {
                try table.put(["pk": .s("a"), "s": large], at: time)
            }
            if time == 1 { try table.put(["pk": .s("a")], at: 2) }
        }
        #expect(table.item(key("a")) == ["pk": .s("a")])
        #expect(try readEverything(table, at: 4).count == 1)
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
        // Out of order with nested values.
        builder.append("m", .m(["z": .l([.n("1")]), "a": .ss(["x"])]))
        builder.append("b", .l([.m(["k": .null])]))
        #expect(builder.build() == ["b": .l([.m(["k": .null])]), "m": .m(["a": .ss(["x"]), "z": .l([.n("1")])])])
    }

    @Test(
        "a builder put records the stored version as its old image, also when its append trims and copies a shared store",
        arguments: StreamViewType.allCases)
    func builderPutRecordsBeforeOverwriting(view: StreamViewType) throws {
        // No rollover: the put's append trims the shard that holds the day-old records.
        var table = try makeTable(view, rollover: 48 * hour)
        let builder = ItemBuilder()
        @discardableResult
        func put(_ name: String, _ value: Int, at time: Int64) throws -> WriteOutcome {
            builder.append("pk", .s(name))
            builder.append("v", .n(String(value)))
            return try table.put(builder, at: time)
        }
        // Items whose ids are freed by the trim in a later append (deleted, their records a day old by then).
        for index in 0..<8 { try put("gone-\(index)", index, at: Int64(index)) }
        for index in 0..<8 { try table.delete(key("gone-\(index)"), at: 10 + Int64(index)) }
        try put("a", 1, at: 20)
        // A copy shares the store: the append's trim and retain copy it, and the put still reads the old version.
        let copy = table
        let later = 20 + 25 * hour
        let outcome = try put("a", 2, at: later)
        #expect(outcome.eventName == .modify)
        #expect(table.item(key("a")) == ["pk": .s("a"), "v": .n("2")])
        #expect(copy.item(key("a")) == ["pk": .s("a"), "v": .n("1")])
        let carriesNew = view == .newImage || view == .newAndOldImages
        let carriesOld = view == .oldImage || view == .newAndOldImages
        let records = try readEverything(table, at: later)
        #expect(records.count == 1)
        let record = try #require(records.last)
        #expect(record.sequenceNumber == outcome.sequenceNumber)
        #expect(record.newImage == (carriesNew ? ["pk": .s("a"), "v": .n("2")] : nil))
        #expect(record.oldImage == (carriesOld ? ["pk": .s("a"), "v": .n("1")] : nil))
        let imagesSize = (carriesNew ? 6 : 0) + (carriesOld ? 6 : 0)
        #expect(record.sizeBytes == 3 + imagesSize)
        // The copy's records are its own.
        #expect(try readEverything(copy, at: 20).count == 17)
    }
    @Test("built strings and numbers equal the literals' in bytes, sizes and number checks")
    func itemBuilderTextValues() throws {
        let builder = ItemBuilder(capacity: 16)
        let long = String(repeating: "é", count: 200)  // 400 bytes: two-byte length prefixes and buffer growth
        let cases: [[(String, AttributeValue)]] = [
            [("e\u{301}", .s("ü")), ("n", .n("0012.500")), ("ñ", .n("-7E+3"))],
            [("a", .n("1x")), ("b", .s(""))],  // an invalid number is stored and flagged, as the literal does
            [(long, .s(long)), ("z", .n("1"))],
        ]
        for attributes in cases {
            for (name, value) in attributes { builder.append(name, value) }
            let built = builder.build()
            let literal = Item(attributes)
            #expect(built == literal)
            #expect(built.sizeInBytes == literal.sizeInBytes)
            #expect(built.count == literal.count)
            var first = try makeTable()
            var second = try makeTable()
            var builtItem = built
            var literalItem = literal
            builtItem["pk"] = .s("k")
            literalItem["pk"] = .s("k")
            var builtError: ChangeStreamError?
            var literalError: ChangeStreamError?
            do { try first.put(builtItem, at: 1) } catch { builtError = error }
            do { try second.put(literalItem, at: 1) } catch { literalError = error }
            #expect(builtError == literalError)
            #expect(first.item(key("k")) == second.item(key("k")))
        }
    }
}

/// One-attribute updates that create an item (absent, or deleted while its records are retained) build it in one
/// step; they must match the general update in items, records and errors.
@Suite("One-attribute updates of absent items")
struct AbsentItemUpdateTests {
    static let cases: [(ItemKey, String, AttributeValue)] = [
        (key("a"), "v", .n("12")),  // after the key name
        (key("b"), "a", .s("text")),  // before the key name
        (ItemKey(partition: .n("7")), "z", .n("-0.50")),
        (ItemKey(partition: .b([1, 2])), "q", .s("")),
        (key("c"), "v", .bool(true)),  // not a string or number: the general path
        (key("a"), "v", .n("1x")),  // an invalid number
        (key("a"), "pk", .s("other")),  // a key attribute
        (key(""), "v", .n("1")),  // an empty key value
        (ItemKey(partition: .s("a"), sort: .s("s")), "v", .n("1")),  // a sort key the schema lacks
        (key("d"), "v", .s(String(repeating: "x", count: StreamLimits.maximumItemSize))),  // too large
    ]

    @Test(
        "one-attribute updates of stored items write the general update's records across rollovers, splits, chunk ends",
        arguments: StreamViewType.allCases)
    func storedItemUpdatesMatchTheGeneralPath(view: StreamViewType) throws {
        var fast = try makeTable(view, partitions: 2, rollover: hour)
        var general = try makeTable(view, partitions: 2, rollover: hour)
        let names = (0..<20).map { "item-\($0)" }
        // Items of about 300 bytes: a 64 KB image chunk ends every hundred records or so.
        let padding = AttributeValue.s(String(repeating: "w", count: 300))
        for name in names {
            try fast.put(["pk": .s(name), "v": .n("0"), "w": padding], at: 0)
            try general.put(["pk": .s(name), "v": .n("0"), "w": padding], at: 0)
        }
        var time: Int64 = 0
        for step in 0..<2_000 {
            // Seven minutes a write: a rollover due every ninth write or so; some values repeat (no-op writes).
            time += 7 * minute
            if step == 1_000 {
                try fast.splitPartition(1, at: time)
                try general.splitPartition(1, at: time)
            }
            let itemKey = key(names[(step &* 7) % names.count])
            let value = AttributeValue.n(String(step % 13))
            let fastOutcome =
                step.isMultiple(of: 2)
                ? try fast.update(itemKey, setting: EncodedAttribute("v", value), at: time)
                : try fast.update(itemKey, setting: "v", to: value, at: time)
            #expect(try fastOutcome == general.update(itemKey, [.set("v", value)], at: time))
        }
        #expect(fast.retainedRecordCount == general.retainedRecordCount)
        #expect(try readEverything(fast, at: time) == readEverything(general, at: time))
    }

    @Test("items, records and errors equal the general update's", arguments: [false, true])
    func absentItemUpdatesMatchTheGeneralPath(afterDelete: Bool) throws {
        var fast = try makeTable(.newAndOldImages, partitions: 2)
        var general = try makeTable(.newAndOldImages, partitions: 2)
        // Encoded attributes: after a delete, the item is built from the short key in the retained id's entry.
        var encoded = try makeTable(.newAndOldImages, partitions: 2)
        for (step, (itemKey, name, value)) in Self.cases.enumerated() {
            let time = Int64(step) * 10 + 5
            if afterDelete, itemKey.sort == nil, !itemKey.partition.isEmptyText {
                let item = Item([("pk", itemKey.partition), ("old", .n("1"))])
                try fast.put(item, at: time - 2)
                try general.put(item, at: time - 2)
                try encoded.put(item, at: time - 2)
                try fast.delete(itemKey, at: time - 1)
                try general.delete(itemKey, at: time - 1)
                try encoded.delete(itemKey, at: time - 1)
            }
            var encodedError: ChangeStreamError?
            var encodedOutcome: WriteOutcome?
            do { encodedOutcome = try encoded.update(itemKey, setting: EncodedAttribute(name, value), at: time) } catch
            {
                encodedError = error
            }
            var fastError: ChangeStreamError?
            var generalError: ChangeStreamError?
            var fastOutcome: WriteOutcome?
            var generalOutcome: WriteOutcome?
            do { fastOutcome = try fast.update(itemKey, setting: name, to: value, at: time) } catch {
                fastError = error
            }
            do { generalOutcome = try general.update(itemKey, [.set(name, value)], at: time) } catch {
                generalError = error
            }
            #expect(fastError == generalError)
            #expect(fastOutcome == generalOutcome)
            #expect(encodedError == generalError)
            #expect(encodedOutcome == generalOutcome)
            if itemKey.sort == nil {
                #expect(fast.item(itemKey) == general.item(itemKey))
                #expect(encoded.item(itemKey) == general.item(itemKey))
            }
        }
        #expect(fast.itemCount == general.itemCount)
        #expect(encoded.itemCount == general.itemCount)
        #expect(try readEverything(fast, at: 200) == readEverything(general, at: 200))
        #expect(try readEverything(encoded, at: 200) == readEverything(general, at: 200))
        #expect(throws: ChangeStreamError.timeWentBackwards(now: 1, last: 95)) {
            try fast.update(key("e"), setting: "v", to: .n("1"), at: 1)
        }
    }
}

extension AttributeValue {
    fileprivate var isEmptyText: Bool { self == .s("") }
}
