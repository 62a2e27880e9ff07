import ChangeStreams
import Testing

@Suite("Shard lineage, rollover, splits and the lineage-aware reader")
struct LineageTests {
    @Test("a shard rolls over at the first write after its interval; the child's parent is the closed shard")
    func shardsRollOver() throws {
        var table = try makeTable(.keysOnly, rollover: 4 * hour)
        try table.put(["pk": .s("a")], at: 1 * hour)
        try table.put(["pk": .s("a"), "n": .n("1")], at: 5 * hour)
        try table.put(["pk": .s("a"), "n": .n("2")], at: 17 * hour)
        let shards = table.describeStream().shards
        #expect(shards.map(\.id.rawValue) == [1, 2, 3])
        #expect(shards.map(\.parentID?.rawValue) == [nil, 1, 2])
        #expect(shards.map(\.createdAt) == [0, 5 * hour, 17 * hour])
        #expect(shards.map(\.closedAt) == [5 * hour, 17 * hour, nil])
        #expect(shards.map(\.retainedRecordCount) == [1, 1, 1])
        #expect(shards[0].endingSequenceNumber == shards[0].startingSequenceNumber)
        #expect(shards[2].endingSequenceNumber == nil)
        #expect(shards[0].id.description == "shardId-00000000000000000001")
    }

    @Test("a partition split closes its shard and opens one child per half")
    func splitsOpenTwoChildren() throws {
        var table = try makeTable(.keysOnly, partitions: 2)
        try table.splitPartition(1, at: 10)
        #expect(table.partitionCount == 3)
        let shards = table.describeStream().shards
        #expect(shards.map(\.parentID?.rawValue) == [nil, nil, 2, 2])
        #expect(shards[1].closedAt == 10)
        #expect(throws: ChangeStreamError.partitionNotFound(index: 3, count: 3)) {
            try table.splitPartition(3, at: 11)
        }
        for index in 0..<200 { try table.put(["pk": .s("k\(index)")], at: 20) }
        let counts = table.describeStream().shards.map(\.retainedRecordCount)
        #expect(counts[1] == 0)
        #expect(counts[0] > 50 && counts[2] > 20 && counts[3] > 20)
        #expect(counts.reduce(0, +) == 200)
    }

    @Test("an item collection stays in one partition")
    func itemCollectionsStayTogether() throws {
        var table = try Table(
            TableConfiguration(keySchema: KeySchema(partitionKey: "pk", sortKey: "sk"), partitionCount: 8))
        for sort in 0..<20 { try table.put(["pk": .s("user-1"), "sk": .n(String(sort))], at: 0) }
        let shards = table.describeStream().shards.filter { $0.retainedRecordCount > 0 }
        #expect(shards.count == 1)
        #expect(table.partitionIndex(of: .s("user-1")) == shards[0].id.rawValue - 1)
    }

    @Test("the reader finishes a parent before its children, keeping each item's order")
    func readerKeepsOrderAcrossLineage() throws {
        var table = try makeTable(.newImage, partitions: 1, rollover: 1 * hour)
        var reader = StreamReader()
        var seen: [StreamRecord] = []
        try table.put(["pk": .s("a"), "v": .n("1")], at: 0)
        try table.splitPartition(0, at: 10 * minute)
        try table.put(["pk": .s("a"), "v": .n("2")], at: 20 * minute)
        try table.put(["pk": .s("a"), "v": .n("3")], at: 70 * minute)
        try table.put(["pk": .s("a"), "v": .n("4")], at: 200 * minute)
        reader.read(table, at: 200 * minute, into: &seen)
        #expect(seen.map { $0.newImage?["v"] } == ["1", "2", "3", "4"].map { AttributeValue.n($0) })
        #expect(reader.trimmedDataEvents.isEmpty)
        #expect(!reader.isIdle)
    }

    @Test("a reader starting at LATEST sees only later changes")
    func latestReaderSeesLaterChanges() throws {
        var table = try makeTable(.keysOnly, partitions: 2)
        try table.put(["pk": .s("old")], at: 0)
        var reader = StreamReader(startingPosition: .latest)
        var seen: [StreamRecord] = []
        reader.read(table, at: 1, into: &seen)
        try table.put(["pk": .s("new")], at: 2)
        reader.read(table, at: 3, into: &seen)
        #expect(seen.map(\.keys) == [key("new")])
    }

    @Test("memory follows the retention window: trimmed records and shards are freed")
    func memoryFollowsTheWindow() throws {
        var table = try makeTable(.keysOnly, partitions: 2, rollover: 4 * hour)
        for step in 0..<(72 * 6) {
            try table.put(["pk": .s("k\(step % 10)"), "n": .n(String(step))], at: Int64(step) * 10 * minute)
            try table.advance(to: Int64(step) * 10 * minute)
        }
        #expect(table.retainedRecordCount <= 24 * 6 + 1)
        #expect(table.retainedRecordCount >= 24 * 6 - 1)
        let shards = table.describeStream().shards
        #expect(shards.count <= 2 * (24 / 4 + 2))
        #expect(shards.allSatisfy { $0.closedAt.map { $0 > 47 * hour } ?? true })
    }

    @Test("a reader that falls behind meets TrimmedDataAccess and resumes at the trim horizon")
    func fallingBehindReaderRecovers() throws {
        var table = try makeTable(.keysOnly, rollover: 100 * hour)
        var reader = StreamReader()
        var seen: [StreamRecord] = []
        try table.put(["pk": .s("a")], at: 0)
        reader.read(table, at: 1, into: &seen)
        try table.put(["pk": .s("b")], at: 1 * hour)
        try table.put(["pk": .s("c")], at: 2 * hour)
        reader.read(table, at: 25 * hour + 30 * minute, into: &seen)
        #expect(seen.map(\.keys) == [key("a"), key("c")])
        #expect(reader.trimmedDataEvents.count == 1)
        #expect(reader.trimmedDataEvents.first?.error.description.contains("TrimmedDataAccess") == true)
    }

    @Test("a reader whose iterator expired before it read anything still reports the trimmed records")
    func expiredEmptyIteratorStillReportsTrimming() throws {
        var table = try makeTable(.keysOnly, rollover: 100 * hour)
        var reader = StreamReader()
        var seen: [StreamRecord] = []
        reader.read(table, at: 0, into: &seen)
        try table.put(["pk": .s("a")], at: 1 * minute)
        try table.put(["pk": .s("b")], at: 25 * hour)
        reader.read(table, at: 25 * hour, into: &seen)
        #expect(seen.map(\.keys) == [key("b")])
        #expect(reader.trimmedDataEvents.count == 1)
        var keeper = StreamReader()
        var kept: [StreamRecord] = []
        keeper.read(table, at: 24 * hour, into: &kept)
        try table.put(["pk": .s("c")], at: 26 * hour)
        keeper.read(table, at: 26 * hour, into: &kept)
        #expect(kept.map(\.keys) == [key("b"), key("c")])
        #expect(keeper.trimmedDataEvents.isEmpty)
    }
}
