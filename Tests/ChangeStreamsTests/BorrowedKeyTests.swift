import Testing

@testable import ChangeStreams

/// The writes that read their key through a pointer (``Table/delete(keyAt:at:)``,
/// ``Table/update(keyAt:settingAt:at:)``), which the benchmark uses so that a write copies no key.
@Suite("Writes with keys read in place")
struct BorrowedKeyTests {
    /// A write of the small workload: a put, an update of `v` or a delete of item `item`.
    enum Write {
        case put(Int, Int)
        case update(Int, Int)
        case delete(Int)
    }

    /// Writes over `items` items in an order that deletes, re-creates and updates absent items.
    static func writes(items: Int, count: Int) -> [Write] {
        var state: UInt64 = 7
        return (0..<count).map { _ in
            state = StableHash.splitmix64(state)
            let item = Int(state % UInt64(items))
            let value = Int((state >> 20) % 5)
            switch (state >> 32) % 10 {
            case 0, 1: return .delete(item)
            case 2, 3, 4, 5: return .put(item, value)
            default: return .update(item, value)
            }
        }
    }

    @Test("keys read in place give the same outcomes, items and records as keys passed by value")
    func sameOutcomesAsByValue() throws {
        for view in [StreamViewType.keysOnly, .newImage, .oldImage, .newAndOldImages] {
            var byValue = try makeTable(view, partitions: 2)
            var inPlace = try makeTable(view, partitions: 2)
            let values = (0..<5).map { EncodedAttribute("v", .n(String($0))) }
            // Every in-place write uses a new box of an equal key, so the table adopts boxes again and again.
            for (time, write) in Self.writes(items: 6, count: 400).enumerated() {
                let now = Int64(time)
                let expected: WriteOutcome
                let actual: WriteOutcome
                switch write {
                case .put(let item, let value):
                    let item: Item = ["pk": .s("item-\(item)"), "v": .n(String(value)), "kind": .s("put")]
                    expected = try byValue.put(item, at: now)
                    actual = try inPlace.put(item, at: now)
                case .update(let item, let value):
                    let key = ItemKey(partition: .s("item-\(item)"))
                    expected = try byValue.update(key, setting: values[value], at: now)
                    let fresh = ItemKey(partition: .s("item-\(item)"))
                    actual = try withUnsafePointer(to: fresh) { key throws(ChangeStreamError) in
                        try withUnsafePointer(to: values[value]) { value throws(ChangeStreamError) in
                            try inPlace.update(keyAt: key, settingAt: value, at: now)
                        }
                    }
                case .delete(let item):
                    expected = try byValue.delete(ItemKey(partition: .s("item-\(item)")), at: now)
                    let fresh = ItemKey(partition: .s("item-\(item)"))
                    actual = try withUnsafePointer(to: fresh) { key throws(ChangeStreamError) in
                        try inPlace.delete(keyAt: key, at: now)
                    }
                }
                #expect(actual == expected, "\(view) write \(time): \(write)")
            }
            for item in 0..<6 {
                let key = ItemKey(partition: .s("item-\(item)"))
                #expect(inPlace.item(key) == byValue.item(key), "\(view) item \(item)")
            }
            #expect(try readEverything(inPlace, at: 400) == readEverything(byValue, at: 400), "\(view)")
        }
    }

    @Test("a key adopted through a pointer is a reference of the table's own")
    func adoptedKeysAreRetained() throws {
        var table = try Table(TableConfiguration(keySchema: KeySchema(partitionKey: "pk")))
        try table.put(["pk": .s("a"), "v": .n("1")], at: 0)
        weak var adopted: ItemKey.Storage?
        do {
            // An equal key in a box of its own: the lookup adopts it, and the caller's copy ends here.
            let key = ItemKey(partition: .s("a"))
            adopted = key.storage
            let outcome = try withUnsafePointer(to: key) { key throws(ChangeStreamError) in
                try withUnsafePointer(to: EncodedAttribute("v", .n("2"))) { value throws(ChangeStreamError) in
                    try table.update(keyAt: key, settingAt: value, at: 1)
                }
            }
            #expect(outcome.eventName == .modify)
            #expect(table.store.keys.contains { $0.storage === key.storage })
        }
        // Only the table holds the box now; had it kept the key without retaining it, the box would be gone.
        #expect(adopted != nil)
        #expect(table.item(ItemKey(partition: .s("a")))?["v"] == .n("2"))
        let deleted = try withUnsafePointer(to: ItemKey(partition: .s("a"))) { key throws(ChangeStreamError) in
            try table.delete(keyAt: key, at: 2)
        }
        #expect(deleted.eventName == .remove)
        #expect(table.itemCount == 0)
    }

    @Test("an invalid key read in place is refused as by value")
    func invalidKeysAreRefused() throws {
        var table = try Table(TableConfiguration(keySchema: KeySchema(partitionKey: "pk")))
        let key = ItemKey(partition: .s(""))
        #expect(throws: ChangeStreamError.emptyKeyValue(attribute: "pk")) {
            try withUnsafePointer(to: key) { key throws(ChangeStreamError) in try table.delete(keyAt: key, at: 0) }
        }
        #expect(throws: ChangeStreamError.emptyKeyValue(attribute: "pk")) {
            try withUnsafePointer(to: key) { key throws(ChangeStreamError) in
                try withUnsafePointer(to: EncodedAttribute("v", .n("1"))) { value throws(ChangeStreamError) in
                    try table.update(keyAt: key, settingAt: value, at: 0)
                }
            }
        }
        #expect(table.itemCount == 0)
    }
}
