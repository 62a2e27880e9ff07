import ChangeStreams
import Testing

@Suite("Attributes encoded once")
struct EncodedAttributeTests {
    static let attributes: [(String, AttributeValue)] = [
        ("v", .n("1")), ("v", .n("-12.50")), ("v", .s("")), ("v", .s("abc")),
        ("w", .s(String(repeating: "x", count: 200))),
        // Encodings of 22 and 23 bytes: the longest kept inline and the shortest spilled.
        ("v", .s(String(repeating: "y", count: 18))), ("v", .s(String(repeating: "y", count: 19))),
        ("v", .n("1x")), ("pk", .s("other")), ("doc", .m(["n": .l([.n("1")]), "tags": .ss(["b", "a"])])),
        ("flag", .bool(true)), ("v", .null), ("blob", .b([1, 2, 3])), ("e\u{301}", .n("7")),
    ]

    @Test(
        "an update with an encoded attribute has the outcome and error of the same update by name and value",
        arguments: StreamViewType.allCases)
    func updatesMatchTheNameAndValuePath(view: StreamViewType) throws {
        var encodedTable = try makeTable(view, partitions: 2)
        var plainTable = try makeTable(view, partitions: 2)
        let encoded = Self.attributes.map { EncodedAttribute($0.0, $0.1) }
        var random: UInt64 = 7
        for step in 0..<600 {
            random = random &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let itemKey = key("k" + String((random >> 40) % 5))
            let time = Int64(step) * second
            if (random >> 20) % 8 == 0 {
                #expect(try encodedTable.delete(itemKey, at: time) == plainTable.delete(itemKey, at: time))
                continue
            }
            let index = Int((random >> 8) % UInt64(encoded.count))
            let (name, value) = Self.attributes[index]
            var encodedOutcome: Result<WriteOutcome, ChangeStreamError>
            var plainOutcome: Result<WriteOutcome, ChangeStreamError>
            do { encodedOutcome = .success(try encodedTable.update(itemKey, setting: encoded[index], at: time)) } catch
            {
                encodedOutcome = .failure(error)
            }
            do { plainOutcome = .success(try plainTable.update(itemKey, setting: name, to: value, at: time)) } catch {
                plainOutcome = .failure(error)
            }
            #expect(encodedOutcome == plainOutcome, "step \(step): \(name) = \(value)")
            #expect(encodedTable.item(itemKey) == plainTable.item(itemKey))
        }
        let records = try readEverything(encodedTable, at: 600 * second)
        #expect(records.count > 100)
        #expect(records == (try readEverything(plainTable, at: 600 * second)))
    }

    @Test("an item built from encoded attributes equals the item built from names and values, in any order")
    func builtItemsMatch() throws {
        let builder = ItemBuilder()
        for order in [[0, 2, 4, 7, 8], [8, 7, 4, 2, 0], [3, 3, 10, 11], [5]] {
            for index in order { builder.append(EncodedAttribute(Self.attributes[index].0, Self.attributes[index].1)) }
            let fromEncoded = builder.build()
            for index in order { builder.append(Self.attributes[index].0, Self.attributes[index].1) }
            let fromValues = builder.build()
            #expect(fromEncoded == fromValues)
            #expect(fromEncoded.sizeInBytes == fromValues.sizeInBytes)
            #expect(fromEncoded.attributes == fromValues.attributes)
        }
        // An invalid number is kept and flagged, so the table refuses the put, as for the value appended.
        builder.append(EncodedAttribute("pk", .s("a")))
        builder.append(EncodedAttribute("v", .n("1x")))
        var table = try makeTable()
        #expect(throws: ChangeStreamError.invalidNumber(attribute: "v", text: "1x")) {
            try table.put(builder.build(), at: 0)
        }
    }

    @Test(
        "a put from a builder has the outcome, error and records of a put of the built item",
        arguments: StreamViewType.allCases)
    func putsFromBuildersMatchPutsOfItems(view: StreamViewType) throws {
        var fromBuilder = try makeTable(view, partitions: 2)
        var fromItems = try makeTable(view, partitions: 2)
        let builder = ItemBuilder()
        let other = ItemBuilder()
        let values: [AttributeValue] = [
            .n("1"), .n("22"), .s("abc"), .s(""), .n("1x"), .s(String(repeating: "y", count: 300)),
        ]
        var random: UInt64 = 11
        for step in 0..<500 {
            random = random &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let name = "k" + String((random >> 40) % 4)
            let time = Int64(step) * second
            if (random >> 20) % 9 == 0 {
                #expect(try fromBuilder.delete(key(name), at: time) == fromItems.delete(key(name), at: time))
                continue
            }
            let value = values[Int((random >> 8) % UInt64(values.count))]
            // Sometimes out of order, sometimes without the key, sometimes too large.
            for target in [builder, other] {
                switch (random >> 30) % 8 {
                case 0: target.append("v", value); target.append("pk", .s(name))
                case 1: target.append(EncodedAttribute("v", value))
                case 2:
                    target.append(EncodedAttribute("pk", .s(name)));
                    target.append("big", .s(String(repeating: "z", count: 400_000)))
                default: target.append(EncodedAttribute("pk", .s(name))); target.append(EncodedAttribute("v", value))
                }
            }
            var builderOutcome: Result<WriteOutcome, ChangeStreamError>
            var itemOutcome: Result<WriteOutcome, ChangeStreamError>
            do { builderOutcome = .success(try fromBuilder.put(builder, at: time)) } catch {
                builderOutcome = .failure(error)
            }
            do { itemOutcome = .success(try fromItems.put(other.build(), at: time)) } catch {
                itemOutcome = .failure(error)
            }
            #expect(builderOutcome == itemOutcome, "step \(step)")
            #expect(fromBuilder.item(key(name)) == fromItems.item(key(name)))
            #expect(fromBuilder.item(key(name))?.sizeInBytes == fromItems.item(key(name))?.sizeInBytes)
        }
        let records = try readEverything(fromBuilder, at: 500 * second)
        #expect(records.count > 100)
        #expect(records == (try readEverything(fromItems, at: 500 * second)))
    }

    @Test("a put from a builder leaves versions held elsewhere as they were")
    func putsFromBuildersKeepHeldVersions() throws {
        var table = try makeTable(.newAndOldImages)
        let builder = ItemBuilder()
        try table.put(["pk": .s("a"), "v": .n("1")], at: 0)
        let held = table.item(key("a"))
        builder.append(EncodedAttribute("pk", .s("a")))
        builder.append(EncodedAttribute("v", .n("2")))
        #expect(try table.put(builder, at: 1).eventName == .modify)
        #expect(held == ["pk": .s("a"), "v": .n("1")])
        #expect(table.item(key("a")) == ["pk": .s("a"), "v": .n("2")])
        let records = try readEverything(table, at: 2)
        #expect(records.last?.oldImage == ["pk": .s("a"), "v": .n("1")])
        #expect(records.last?.newImage == ["pk": .s("a"), "v": .n("2")])
    }

    @Test("an attribute keeps its name, value and size whether its encoding is kept inline or not")
    func inlineAndSpilledEncodingsKeepTheirFields() throws {
        var values: [AttributeValue] = (0...26).map { .s(String(repeating: "s", count: $0)) }
        values += ["0", "-1", "12.50", "1E+125", "0.000000000000000000000000000000000000001", "1234567890123456789"].map
        {
            AttributeValue.n($0)
        }
        // Short encodings with large sizes (kept out of line: the size does not fit the inline metadata).
        values += [.binarySize(5), .binarySize(31), .binarySize(32), .binarySize(1 << 20), .bool(true), .null]
        values += [.b([1, 2, 3]), .n("1x"), .l([.n("1")]), .ss(["b", "a"])]
        let builder = ItemBuilder()
        for name in ["v", "name-of-ten", String(repeating: "n", count: 20)] {
            for value in values {
                let encoded = EncodedAttribute(name, value)
                #expect(encoded.name == name)
                #expect(encoded.value == value)
                builder.append(EncodedAttribute("a", .s("first")))
                builder.append(encoded)
                builder.append(EncodedAttribute("zz", .n("9")))
                let built = builder.build()
                let expected: Item = ["a": .s("first"), name: value, "zz": .n("9")]
                #expect(built == expected, "\(name) = \(value)")
                #expect(built.sizeInBytes == expected.sizeInBytes, "\(name) = \(value)")
                #expect(built.count == 3)
            }
        }
    }

    @Test("encoded attributes are equal when their names and values are")
    func equality() {
        #expect(EncodedAttribute("v", .n("1")) == EncodedAttribute("v", .n("1")))
        #expect(EncodedAttribute("v", .n("1")) != EncodedAttribute("v", .s("1")))
        #expect(EncodedAttribute("v", .n("1")) != EncodedAttribute("w", .n("1")))
        #expect(EncodedAttribute("v", .n("1")).name == "v")
        #expect(EncodedAttribute("v", .n("1")).value == .n("1"))
        for length in 10...20 {
            let text = String(repeating: "z", count: length)
            #expect(EncodedAttribute("v", .s(text)).value == .s(text))
            #expect(EncodedAttribute("v", .s(text)) != EncodedAttribute("v", .s(text + "z")))
        }
    }
}
