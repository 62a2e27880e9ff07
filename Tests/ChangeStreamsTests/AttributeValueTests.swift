import Testing

@testable import ChangeStreams

@Suite("Attribute values and items")
struct AttributeValueTests {
    @Test("numbers outside DynamoDB's range are invalid; zero and the range's ends are valid")
    func numberRange() {
        let valid = [
            "1E-130", "-1E-130", "9.9999999999999999999999999999999999999E+125", "-9.9E125", "0", "0E500", "-0.0e-999",
            "0.1e-129", "123e123", "0.000123", "120", "0012", "1e0",
        ]
        let invalid = ["1E126", "1e-131", "10E125", "1234e123", "0.01e-129", "1e99999999999999999999", "1e", "1x"]
        for text in valid { #expect(AttributeValue.isValidNumber(text), "\(text)") }
        for text in invalid { #expect(!AttributeValue.isValidNumber(text), "\(text)") }
    }

    @Test("a number's size is the same on the fast path for plain digits as digit by digit")
    func numberSizeFastPathAgrees() {
        var texts = (0...20_000).map { String($0) }
        texts += ["-12", "1.5", "10", "0.1", "7e3", "00012", "120", "+5", "1234567890123456789012345678901234567"]
        for text in texts {
            let (fast, slow) = Array(text.utf8).withUnsafeBufferPointer {
                (AttributeValue.numberSize(bytes: $0), AttributeValue.numberSizeOfAnyText(bytes: $0))
            }
            if fast != slow { Issue.record("\(text): \(fast) instead of \(slow)") }
        }
        #expect(AttributeValue.n("1234").sizeInBytes == 3)
        #expect(AttributeValue.n("12345").sizeInBytes == 4)
    }

    @Test("the word test of up to eight digits agrees with a byte loop, for every byte in every place")
    func wordDigitTestAgrees() {
        let samples: [UInt8] = [0x00, 0x2F, 0x30, 0x31, 0x35, 0x39, 0x3A, 0x41, 0x7F, 0x80, 0xAF, 0xB0, 0xB9, 0xFF]
        for count in 1...8 {
            for place in 0..<count {
                for byte in samples {
                    for filler: UInt8 in [0x30, 0x39, 0x31] {
                        var bytes = [UInt8](repeating: filler, count: count)
                        bytes[place] = byte
                        let expected = bytes.allSatisfy { $0 &- 0x30 < 10 }
                        let actual = bytes.withUnsafeBufferPointer {
                            AttributeValue.allDigits($0.baseAddress.unsafelyUnwrapped, count: count)
                        }
                        if actual != expected { Issue.record("\(bytes): \(actual)") }
                    }
                }
            }
        }
        // Two non-digits, the lower one wrapping: the borrow must not hide the upper one, nor the lower one.
        for bytes: [UInt8] in [
            [0x2F, 0x3A], [0x00, 0x39], [0x39, 0x00, 0x30], [0x2F, 0x2F, 0x2F, 0x2F, 0x2F, 0x2F, 0x2F, 0x2F],
        ] {
            #expect(!bytes.withUnsafeBufferPointer { AttributeValue.allDigits($0.baseAddress!, count: bytes.count) })
        }
    }

    @Test("sizes follow DynamoDB's item-size rules")
    func sizesFollowTheRules() {
        #expect(AttributeValue.s("héllo").sizeInBytes == 6)
        #expect(AttributeValue.n("12345").sizeInBytes == 4)
        #expect(AttributeValue.n("-0.00120").sizeInBytes == 2)
        #expect(AttributeValue.n("100").sizeInBytes == 1 + 1)
        #expect(AttributeValue.b([1, 2, 3]).sizeInBytes == 3)
        #expect(AttributeValue.binarySize(1_000).sizeInBytes == 1_000)
        #expect(AttributeValue.bool(true).sizeInBytes == 1)
        #expect(AttributeValue.null.sizeInBytes == 1)
        #expect(AttributeValue.l([.s("ab"), .null]).sizeInBytes == 3 + 2 + 2 + 1)
        #expect(AttributeValue.m(["a": .s("xyz")]).sizeInBytes == 3 + 1 + 1 + 3)
        #expect(AttributeValue.ss(["a", "bc"]).sizeInBytes == 3)
        let item: Item = ["pk": .s("k1"), "count": .n("7")]
        #expect(item.sizeInBytes == 2 + 2 + 5 + 2)
    }

    @Test("the cached item size follows every change")
    func cachedSizeFollowsChanges() {
        var item: Item = ["pk": .s("k")]
        item["a"] = .s("12345")
        item["a"] = .s("1")
        item["b"] = .l([.n("1"), .bool(false)])
        item["b"] = nil
        let rebuilt = Item(item.attributes.map { ($0.name, $0.value) })
        #expect(item.sizeInBytes == rebuilt.sizeInBytes)
        #expect(item.sizeInBytes == 2 + 1 + 1 + 1)
    }

    @Test("attributes stay sorted by UTF-8 name whatever the insertion order")
    func attributesStaySorted() {
        let names = ["zeta", "alpha", "Beta", "éclair", "a", "m", "b1", "b0", "c", "d", "e"]
        var item = Item()
        for name in names { item[name] = .null }
        #expect(item.names == names.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
        #expect(item == Item(names.reversed().map { ($0, AttributeValue.null) }))
    }

    @Test(
        "number text is validated",
        arguments: [
            ("0", true), ("-12.5", true), ("1E+30", true), ("+.5", true), ("", false), ("1.2.3", false),
            ("12a", false), ("1e", false), ("-", false), (String(repeating: "9", count: 38), true),
            (String(repeating: "9", count: 39), false),
        ])
    func numberTextIsValidated(text: String, valid: Bool) throws {
        var table = try makeTable()
        let write = { (table: inout Table) throws(ChangeStreamError) in
            _ = try table.put(["pk": .s("a"), "n": .n(text)], at: 0)
        }
        if valid {
            try write(&table)
        } else {
            #expect(throws: ChangeStreamError.invalidNumber(attribute: "n", text: text)) { try write(&table) }
        }
    }

    @Test("the stable hash does not depend on the process")
    func stableHashIsFixed() {
        #expect(ItemKey(partition: .s("a")).partitionHash == ItemKey(partition: .s("a")).partitionHash)
        #expect(ItemKey(partition: .s("a")).partitionHash != ItemKey(partition: .n("a")).partitionHash)
        // FNV-1a over [1] + "item-1", then splitmix64, computed independently in Python.
        #expect(ItemKey(partition: .s("item-1")).partitionHash == 0x2201_9192_1528_4436)
    }
}
