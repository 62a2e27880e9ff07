import Testing

@testable import ChangeStreams

@Suite("Items as one encoded buffer")
struct ItemEncodingTests {
    /// One value of every type, nested maps, lists and sets included, and values whose lengths need a two-byte
    /// length prefix.
    static let values: [AttributeValue] = [
        .s(""), .s("héllo"), .s(String(repeating: "x", count: 300)), .n("0"), .n("-12.50E+3"), .b([]),
        .b([0, 255, 7]), .b(Array(repeating: 9, count: 200)), .binarySize(0), .binarySize(1 << 40),
        .bool(true), .bool(false), .null, .l([]), .l([.s("a"), .n("1"), .l([.null]), .m(["k": .bool(true)])]),
        .m([:]), .m(["inner": .m(["deep": .ss(["b", "a"])]), "list": .l([.binarySize(3)])]), .ss(["x", "é"]),
        .ns(["1", "2.5"]),
    ]

    @Test("every value type reads back as written, with its size", arguments: values.indices)
    func everyValueRoundTrips(index: Int) {
        let value = Self.values[index]
        let item: Item = ["pk": .s("k"), "v": value, "z": .n("1")]
        #expect(item["v"] == value)
        #expect(item.attributes.map(\.name) == ["pk", "v", "z"])
        #expect(item.attributes[1].value == value)
        #expect(item.sizeInBytes == 2 + 1 + 1 + value.sizeInBytes + 1 + 2)
        #expect(item.count == 3)
    }

    @Test("a length with its prefix takes one byte more per seven bits of the length, up to the largest lengths")
    func prefixedLengths() {
        for bits in 0...62 {
            for length in [(1 << bits) - 1, 1 << bits, (1 << bits) + 1] {
                var prefix = 1
                while length >> (7 * prefix) > 0 { prefix += 1 }
                #expect(ItemEncoding.prefixed(length) == prefix + length, "length \(length)")
            }
        }
    }

    @Test("equality and hashing follow the attributes, not how the item was built")
    func equalityFollowsContent() {
        var built = Item()
        built["b"] = .l([.n("1")])
        built["a"] = .s("x")
        built["c"] = .null
        built["c"] = nil
        let literal: Item = ["a": .s("x"), "b": .l([.n("1")])]
        #expect(built == literal)
        #expect(built.hashValue == literal.hashValue)
        #expect(built != ["a": .s("x"), "b": .l([.n("2")])])
        #expect(built != ["a": .s("x")])
        #expect(Item() == [:])
        #expect(Item().isEmpty)
        // Bytes decide: DynamoDB keeps precomposed and decomposed text apart.
        let precomposed: Item = ["a": .s("\u{E9}")]
        let decomposed: Item = ["a": .s("e\u{301}")]
        #expect(precomposed != decomposed)
    }

    @Test("setting a nested value, then the same value again, is a change and then a no-op")
    func settingNestedValues() throws {
        let item: Item = ["pk": .s("k"), "n": .n("1")]
        let map = AttributeValue.m(["x": .ss(["a"]), "y": .l([.n("2"), .null])])
        let changed = try #require(item.setting("m", to: map))
        #expect(changed["m"] == map)
        #expect(changed.sizeInBytes == item.sizeInBytes + 1 + map.sizeInBytes)
        #expect(changed.setting("m", to: map) == nil)
        let replaced = try #require(changed.setting("m", to: .s("short")))
        #expect(replaced.sizeInBytes == item.sizeInBytes + 1 + 5)
        #expect(replaced == ["pk": .s("k"), "n": .n("1"), "m": .s("short")])
        // The old version is untouched.
        #expect(changed["m"] == map)
    }

    @Test("a later value for the same name wins when building from pairs")
    func laterValueWins() {
        let item = Item([("a", .n("1")), ("b", .null), ("a", .n("2"))])
        #expect(item == ["a": .n("2"), "b": .null])
        #expect(item.count == 2)
    }

    @Test("items with invalid numbers or nested values are flagged for validation; clean ones are not")
    func flagsSummariseTheItem() {
        let clean: Item = ["a": .n("12"), "b": .s("x")]
        let invalid: Item = ["a": .n("1x")]
        let list: Item = ["a": .l([])]
        let set: Item = ["a": .ss(["x"])]
        #expect(clean.flags.isEmpty)
        #expect(invalid.flags.contains(.invalidNumber))
        #expect(list.flags.contains(.nested))
        #expect(set.flags.contains(.nested))
    }

    @Test(
        "numbers: one pass gives validity and size",
        arguments: [
            "0", "007", "1.50", "-3E+2", "1e", "--1", "1.2.3", "", "12345678901234567890123456789012345678",
            "123456789012345678901234567890123456789",
        ])
    func numbersInOnePass(text: String) {
        let checked = Array(text.utf8).withUnsafeBufferPointer { AttributeValue.checkedNumberSize(bytes: $0) }
        #expect((checked != nil) == AttributeValue.isValidNumber(text))
        if let checked { #expect(checked == AttributeValue.n(text).sizeInBytes) }
    }
}
