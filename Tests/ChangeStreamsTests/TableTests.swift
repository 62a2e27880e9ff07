import ChangeStreams
import Testing

@Suite("Table writes and stream records")
struct TableTests {
    @Test("put, update and delete yield INSERT, MODIFY and REMOVE with both images")
    func writesYieldRecords() throws {
        var table = try makeTable()
        let inserted = try table.put(["pk": .s("a"), "n": .n("1")], at: 10)
        let modified = try table.update(key("a"), [.set("n", .n("2")), .set("s", .s("x"))], at: 20)
        let removed = try table.delete(key("a"), at: 30)
        #expect(inserted.eventName == .insert)
        #expect(modified.eventName == .modify)
        #expect(removed.eventName == .remove)
        let records = try readEverything(table, at: 40)
        #expect(records.map(\.eventName) == [.insert, .modify, .remove])
        #expect(records.map(\.approximateCreationTime) == [10, 20, 30])
        #expect(records[0].newImage == ["pk": .s("a"), "n": .n("1")])
        #expect(records[0].oldImage == nil)
        #expect(records[1].oldImage == ["pk": .s("a"), "n": .n("1")])
        #expect(records[1].newImage == ["pk": .s("a"), "n": .n("2"), "s": .s("x")])
        #expect(records[2].newImage == nil)
        #expect(records[2].oldImage == records[1].newImage)
        #expect(records.map(\.sequenceNumber) == [inserted, modified, removed].compactMap(\.sequenceNumber))
        #expect(records[0].sequenceNumber < records[1].sequenceNumber)
        #expect(Set(records.map(\.eventID)).count == 3)
        #expect(records[0].eventID.count == 32)
        #expect(table.itemCount == 0)
    }

    @Test("a write that changes nothing yields no record")
    func noOpWritesYieldNothing() throws {
        var table = try makeTable()
        try table.put(["pk": .s("a"), "n": .n("1"), "tags": .ss(["y", "x"])], at: 0)
        #expect(try table.put(["pk": .s("a"), "n": .n("1"), "tags": .ss(["x", "y", "x"])], at: 1).eventName == nil)
        #expect(try table.update(key("a"), setting: "n", to: .n("1"), at: 2).eventName == nil)
        #expect(try table.update(key("a"), [.remove("missing")], at: 3).eventName == nil)
        #expect(try table.delete(key("b"), at: 4).eventName == nil)
        #expect(try readEverything(table, at: 5).count == 1)
    }

    @Test("each view type carries the images it names", arguments: StreamViewType.allCases)
    func viewTypesCarryTheirImages(view: StreamViewType) throws {
        var table = try makeTable(view)
        try table.put(["pk": .s("a"), "v": .n("1")], at: 0)
        try table.put(["pk": .s("a"), "v": .n("2")], at: 1)
        try table.delete(key("a"), at: 2)
        let records = try readEverything(table, at: 3)
        let wantsNew = view == .newImage || view == .newAndOldImages
        let wantsOld = view == .oldImage || view == .newAndOldImages
        #expect(records.map { $0.newImage != nil } == [wantsNew, wantsNew, false])
        #expect(records.map { $0.oldImage != nil } == [false, wantsOld, wantsOld])
        #expect(records.allSatisfy { $0.keys == key("a") })
        let keySize = 2 + 1
        let imageSize = 2 + 1 + 1 + 2
        let expected = [
            keySize + (wantsNew ? imageSize : 0), keySize + (wantsNew ? imageSize : 0) + (wantsOld ? imageSize : 0),
            keySize + (wantsOld ? imageSize : 0),
        ]
        #expect(records.map(\.sizeBytes) == expected)
    }

    @Test("invalid writes fail with a clear error and change nothing")
    func invalidWritesFail() throws {
        var table = try Table(TableConfiguration(keySchema: KeySchema(partitionKey: "pk", sortKey: "sk")))
        #expect(throws: ChangeStreamError.missingKeyAttribute("sk")) { try table.put(["pk": .s("a")], at: 0) }
        #expect(throws: ChangeStreamError.invalidKeyType(attribute: "pk", type: "BOOL")) {
            try table.put(["pk": .bool(true), "sk": .s("x")], at: 0)
        }
        #expect(throws: ChangeStreamError.emptyKeyValue(attribute: "sk")) {
            try table.put(["pk": .s("a"), "sk": .s("")], at: 0)
        }
        #expect(throws: ChangeStreamError.keyAttributeUpdate("sk")) {
            try table.update(ItemKey(partition: .s("a"), sort: .n("1")), setting: "sk", to: .n("2"), at: 0)
        }
        #expect(throws: ChangeStreamError.itemTooLarge(bytes: 2 + 1 + 2 + 1 + 4 + 500_000)) {
            try table.put(["pk": .s("a"), "sk": .s("b"), "blob": .binarySize(500_000)], at: 0)
        }
        try table.put(["pk": .s("a"), "sk": .n("1")], at: 5)
        #expect(throws: ChangeStreamError.timeWentBackwards(now: 4, last: 5)) {
            try table.put(["pk": .s("a"), "sk": .n("2")], at: 4)
        }
        #expect(table.itemCount == 1)
        let message = ChangeStreamError.invalidKeyType(attribute: "pk", type: "BOOL").description
        #expect(message == "error: key attribute 'pk' has type BOOL; expected one of: S, N, B")
    }

    @Test("a disabled stream records nothing; re-enabling opens new root shards")
    func disablingStopsRecords() throws {
        var table = try makeTable(.keysOnly, partitions: 2)
        try table.put(["pk": .s("a")], at: 0)
        try table.disableStream(at: 10)
        #expect(try table.put(["pk": .s("b")], at: 11).sequenceNumber == nil)
        #expect(throws: ChangeStreamError.streamNotEnabled) { try table.disableStream(at: 12) }
        try table.enableStream(viewType: .newImage, at: 13)
        #expect(throws: ChangeStreamError.streamAlreadyEnabled) { try table.enableStream(viewType: .newImage, at: 13) }
        try table.put(["pk": .s("c")], at: 14)
        let description = table.describeStream()
        #expect(description.viewType == .newImage)
        #expect(description.shards.count == 4)
        #expect(description.shards.prefix(2).allSatisfy { $0.closedAt == 10 })
        #expect(description.shards.allSatisfy { $0.parentID == nil })
        let records = try readEverything(table, at: 15)
        #expect(records.map(\.keys) == [key("a"), key("c")])
        #expect(records[1].newImage == ["pk": .s("c")])
    }
}
