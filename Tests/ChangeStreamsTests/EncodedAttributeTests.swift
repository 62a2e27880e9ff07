import ChangeStreams
import Testing

@Suite("Attributes encoded once")
struct EncodedAttributeTests {
    static let attributes: [(String, AttributeValue)] = [
        ("v", .n("1")), ("v", .n("-12.50")), ("v", .s("")), ("v", .s("abc")),
        ("w", .s(String(repeating: "x", count: 200))),
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

    @Test("encoded attributes are equal when their names and values are")
    func equality() {
        #expect(EncodedAttribute("v", .n("1")) == EncodedAttribute("v", .n("1")))
        #expect(EncodedAttribute("v", .n("1")) != EncodedAttribute("v", .s("1")))
        #expect(EncodedAttribute("v", .n("1")) != EncodedAttribute("w", .n("1")))
        #expect(EncodedAttribute("v", .n("1")).name == "v")
        #expect(EncodedAttribute("v", .n("1")).value == .n("1"))
    }
}
