import Testing

@testable import ChangeStreams

@Suite("Finding stored keys from encoded items")
struct KeyLookupTests {
    /// Key values around the lengths where the short form changes (8 and 9 bytes: one or two words hashed; 16 and
    /// 17 bytes: the longest short form and the shortest value without one), of every key type.
    static let values: [AttributeValue] =
        [1, 7, 8, 9, 15, 16, 17, 40].flatMap { length -> [AttributeValue] in
            [
                .s(String(repeating: "k", count: length)), .b(Array(repeating: 7, count: length)),
                .n("1" + String(repeating: "0", count: length - 1)),
            ]
        } + [.binarySize(3), .binarySize(1_000)]

    @Test("an encoded item's key finds the id its key was interned under, with and without a sort key")
    func encodedKeysFindTheirIDs() throws {
        for sortKey in [nil, "sk"] as [String?] {
            var table = try Table(
                TableConfiguration(keySchema: KeySchema(partitionKey: "pk", sortKey: sortKey), partitionCount: 4))
            for (index, value) in Self.values.enumerated() {
                var item: Item = ["pk": value, "a": .n(String(index))]
                if let sortKey { item[sortKey] = .s("sort") }
                #expect(table.knownID(of: item) == nil, "\(value) before it is stored")
                try table.put(item, at: 0)
                let id = table.knownID(of: item)
                #expect(id != nil, "\(value)")
                let key = ItemKey(partition: value, sort: sortKey == nil ? nil : .s("sort"))
                #expect(id == table.store.find(key), "\(value)")
            }
            // Keys equal but for the type, or but for the last byte, are other keys.
            #expect(table.knownID(of: ["pk": .s("9"), "sk": .s("sort")]) == nil)
            #expect(table.knownID(of: ["pk": .s(String(repeating: "k", count: 16) + "j"), "sk": .s("sort")]) == nil)
            #expect(table.itemCount == Self.values.count)
        }
    }

    @Test("a key carries its box's index hash, and keys equal in another box find the same id")
    func keysCarryTheirIndexHash() throws {
        for sort in [nil, .s("sort"), .n("12")] as [AttributeValue?] {
            var store = ItemStore()
            for value in Self.values {
                let key = ItemKey(partition: value, sort: sort)
                #expect(key.indexHash == ItemStore.hash(of: key.storage), "\(value) \(String(describing: sort))")
                let id = store.intern(key)
                // An equal key in a box of its own finds the id by its hash, then by value.
                let other = ItemKey(partition: value, sort: sort)
                #expect(withUnsafePointer(to: other) { store.findAdopting(keyAt: $0) } == id, "\(value)")
            }
        }
        // Keys that differ only in the sort value hash differently (the sort value's hash is mixed in).
        #expect(
            ItemKey(partition: .s("a"), sort: .s("x")).indexHash != ItemKey(partition: .s("a"), sort: .s("y")).indexHash
        )
        #expect(ItemKey(partition: .s("a"), sort: .s("x")) != ItemKey(partition: .s("a"), sort: .s("y")))
    }

    @Test("an item built from a stored key's short form equals the item built from the key's value")
    func itemsFromShortFormsAgree() {
        var checked = 0
        for value in Self.values {
            guard let short = ShortKeyValue(value) else { continue }
            // Names before and after the key's name, and a string and a number.
            for (name, text) in [("a", AttributeValue.n("42")), ("v", .s("x")), ("zz", .n("-1.5"))] {
                let byValue = Item.withNameAndText(name, text) { nameBytes, textBytes -> Item in
                    let tag: ValueTag = if case .n = text { .n } else { .s }
                    let text = Item.TextValue(tag: tag, bytes: textBytes, refusingInvalidNumbers: true)!
                    var noSpare: ItemBuffer?
                    var otherSpare: ItemBuffer?
                    let expected = Array("pk".utf8).withUnsafeBufferPointer {
                        Item(keyName: $0, keyValue: value, name: nameBytes, value: text, reusing: &noSpare)
                    }
                    let actual = Array("pk".utf8).withUnsafeBufferPointer {
                        Item(
                            keyName: $0, shortKey: short, keySize: value.sizeInBytes, name: nameBytes, value: text,
                            reusing: &otherSpare)
                    }
                    #expect(actual.withBytes { Array($0) } == expected.withBytes { Array($0) }, "\(value) \(name)")
                    #expect(actual.sizeInBytes == expected.sizeInBytes && actual.flags == expected.flags)
                    return actual
                }
                #expect(byValue == ["pk": value, name: text], "\(value) \(name)")
                checked += 1
            }
        }
        #expect(checked >= 45)
    }

    @Test("a key's short form is the short form of its encoded value")
    func shortFormsAgree() {
        for value in Self.values {
            let item: Item = ["pk": value]
            let fromEncoding = item.withBytes { bytes -> ShortKeyValue? in
                Array("pk".utf8).withUnsafeBufferPointer { name in
                    let place = Item.locate(name, in: bytes)
                    return ShortKeyValue(tag: place.tag, payload: place.payload)
                }
            }
            #expect(ShortKeyValue(value) == fromEncoding, "\(value)")
            #expect(
                ItemKey(partition: value).storage.partitionIndexHash
                    == (fromEncoding?.indexHash ?? StableHash.of(value)))
        }
    }
    @Test("a short value's words hold its bytes in order, zero-padded, for every length and position")
    func shortWordsMatchZeroPaddedBytes() {
        // Bytes with every bit position set somewhere, read at several offsets of a larger buffer.
        let bytes: [UInt8] = (0..<40).map { UInt8(truncatingIfNeeded: 0x81 &+ $0 &* 37) }
        bytes.withUnsafeBytes { raw in
            for start in 0..<8 {
                for count in 1...ShortKeyValue.maximumCount {
                    var expected: (UInt64, UInt64) = (0, 0)
                    for index in 0..<count {
                        let byte = UInt64(bytes[start + index])
                        if index < 8 {
                            expected.0 |= byte << (8 * index)
                        } else {
                            expected.1 |= byte << (8 * (index - 8))
                        }
                    }
                    let words = ShortKeyValue.words(of: raw.baseAddress! + start, count: count)
                    #expect(words.0 == expected.0 && words.1 == expected.1, "start \(start), count \(count)")
                    let short = ShortKeyValue(
                        tag: ValueTag.s.rawValue,
                        payload: UnsafeBufferPointer(
                            start: raw.baseAddress!.assumingMemoryBound(to: UInt8.self) + start, count: count))
                    #expect(short?.words.0 == expected.0 && short?.words.1 == expected.1)
                }
            }
        }
    }
}
