import Testing

@testable import ChangeStreams

@Suite("Shard iterators and GetRecords")
struct ShardIteratorTests {
    /// A one-shard table with `count` records written one second apart, from time 0.
    func tableWithRecords(_ count: Int, view: StreamViewType = .keysOnly) throws -> (Table, [SequenceNumber]) {
        var table = try makeTable(view)
        var sequences: [SequenceNumber] = []
        for index in 0..<count {
            let outcome = try table.put(["pk": .s("k\(index)")], at: Int64(index) * second)
            sequences.append(try #require(outcome.sequenceNumber))
        }
        return (table, sequences)
    }

    @Test("each iterator type starts where it says")
    func iteratorTypesStartWhereTheySay() throws {
        var (table, sequences) = try tableWithRecords(5)
        let shard = try #require(table.describeStream().shards.first).id
        let now = 10 * second
        func first(_ type: ShardIteratorType) throws -> [SequenceNumber] {
            try table.getRecords(table.shardIterator(shard, type, at: now), at: now).records.map(\.sequenceNumber)
        }
        #expect(try first(.trimHorizon) == sequences)
        #expect(try first(.latest) == [])
        #expect(try first(.atSequenceNumber(sequences[2])) == Array(sequences[2...]))
        #expect(try first(.afterSequenceNumber(sequences[2])) == Array(sequences[3...]))
        #expect(try first(.afterSequenceNumber(sequences[4])) == [])
        let latest = try table.shardIterator(shard, .latest, at: now)
        try table.put(["pk": .s("later")], at: now)
        #expect(try table.getRecords(latest, at: now).records.map(\.keys) == [key("later")])
        #expect(throws: ChangeStreamError.sequenceNumberNotInShard(SequenceNumber(rawValue: 999), shard)) {
            try table.shardIterator(shard, .atSequenceNumber(SequenceNumber(rawValue: 999)), at: now)
        }
        #expect(throws: ChangeStreamError.shardNotFound(ShardID(rawValue: 42))) {
            try table.shardIterator(ShardID(rawValue: 42), .trimHorizon, at: now)
        }
    }

    @Test("GetRecords returns at most 1,000 records")
    func getRecordsStopsAtAThousand() throws {
        let (table, _) = try tableWithRecords(2_500)
        let shard = try #require(table.describeStream().shards.first).id
        let now = 3_000 * second
        var iterator = try table.shardIterator(shard, .trimHorizon, at: now)
        var counts: [Int] = []
        for _ in 0..<4 {
            let result = try table.getRecords(iterator, at: now)
            counts.append(result.records.count)
            iterator = try #require(result.nextIterator)
        }
        #expect(counts == [1_000, 1_000, 500, 0])
        #expect(try table.getRecords(iterator, limit: 7, at: now).records.isEmpty)
        #expect(throws: ChangeStreamError.invalidLimit(1_001)) { try table.getRecords(iterator, limit: 1_001, at: now) }
        let fromStart = try table.shardIterator(shard, .trimHorizon, at: now)
        #expect(try table.getRecords(fromStart, limit: 3, at: now).records.count == 3)
    }

    @Test("header reads take the records record reads take, across ring blocks and the 1 MB limit")
    func headerReadsMatchRecordReads() throws {
        var table = try makeTable(.newImage)
        // A few hundred small records between large ones: reads end at the size limit inside and across blocks.
        for index in 0..<2_000 {
            let blob: AttributeValue = index % 150 == 0 ? .binarySize(350_000) : .s("x")
            try table.put(["pk": .s("k\(index % 9)"), "v": .n(String(index)), "blob": blob], at: Int64(index))
        }
        struct Headers: StreamRecordConsumer {
            var headers: [StreamRecordHeader] = []
            mutating func consume(_ record: StreamRecordHeader) { headers.append(record) }
        }
        let shard = try #require(table.describeStream().shards.first).id
        var recordIterator: ShardIterator? = try table.shardIterator(shard, .trimHorizon, at: 2_000)
        var headerIterator = recordIterator
        var reads = 0
        while let records = recordIterator, let headers = headerIterator, reads < 100 {
            var batch: [StreamRecord] = []
            recordIterator = try table.readRecords(records, at: 2_000, into: &batch)
            var consumer = Headers()
            let outcome = try table.readHeaders(headers, at: 2_000, into: &consumer)
            headerIterator = outcome.next
            #expect(outcome.count == batch.count && consumer.headers.count == batch.count)
            #expect(consumer.headers.map(\.sequenceNumber) == batch.map(\.sequenceNumber))
            #expect(consumer.headers.map(\.sizeBytes) == batch.map(\.sizeBytes))
            #expect(outcome.last == batch.last?.sequenceNumber)
            #expect(recordIterator == headerIterator)
            if batch.isEmpty { break }
            reads += 1
        }
        #expect(reads >= 5)
    }

    @Test("GetRecords returns at most 1 MB")
    func getRecordsStopsAtOneMegabyte() throws {
        var table = try makeTable(.newImage)
        for index in 0..<10 {
            try table.put(["pk": .s("k\(index)"), "blob": .binarySize(300_000)], at: Int64(index))
        }
        let shard = try #require(table.describeStream().shards.first).id
        let result = try table.getRecords(table.shardIterator(shard, .trimHorizon, at: 20), at: 20)
        #expect(result.records.count == 3)
        #expect(result.records.reduce(0) { $0 + $1.sizeBytes } <= StreamLimits.maximumBytesPerRead)
        var huge = try makeTable(.newAndOldImages)
        try huge.put(["pk": .s("a"), "blob": .binarySize(400_000)], at: 0)
        try huge.put(["pk": .s("a"), "blob": .binarySize(400_001)], at: 1)
        try huge.put(["pk": .s("a"), "blob": .binarySize(400_002)], at: 2)
        let hugeShard = try #require(huge.describeStream().shards.first).id
        var iterator = try huge.shardIterator(hugeShard, .trimHorizon, at: 3)
        var sizes: [[Int]] = []
        for _ in 0..<3 {
            let result = try huge.getRecords(iterator, at: 3)
            sizes.append(result.records.map(\.sizeBytes))
            iterator = try #require(result.nextIterator)
        }
        // keys 3 + new image (pk 3, "blob" 4, value) + old image.
        #expect(sizes == [[3 + 400_007], [3 + 400_008 + 400_007], [3 + 400_009 + 400_008]])
    }

    @Test("an iterator expires 15 minutes after it was issued")
    func iteratorsExpire() throws {
        let (table, _) = try tableWithRecords(3)
        let shard = try #require(table.describeStream().shards.first).id
        let iterator = try table.shardIterator(shard, .trimHorizon, at: 0)
        #expect(try table.getRecords(iterator, at: 15 * minute).records.count == 3)
        #expect(throws: ChangeStreamError.expiredIterator(shard: shard, issuedAt: 0, now: 15 * minute + 1)) {
            try table.getRecords(iterator, at: 15 * minute + 1)
        }
        let renewed = try #require(try table.getRecords(iterator, at: 10 * minute).nextIterator)
        #expect(try table.getRecords(renewed, at: 24 * minute).records.isEmpty)
    }

    @Test("records older than 24 hours are trimmed and reading them fails with TrimmedDataAccess")
    func trimmedPositionsFail() throws {
        var (table, sequences) = try tableWithRecords(4)
        let shard = try #require(table.describeStream().shards.first).id
        let oldIterator = try table.shardIterator(shard, .trimHorizon, at: 0)
        let later = 24 * hour + 1 * second
        let error = ChangeStreamError.trimmedDataAccess(shard: shard, detail: "position 0")
        #expect(throws: ChangeStreamError.expiredIterator(shard: shard, issuedAt: 0, now: later)) {
            try table.getRecords(oldIterator, at: later)
        }
        let fresh = try table.shardIterator(shard, .trimHorizon, at: 14 * minute)
        let afterTrim = fresh.issuedAt + 15 * minute
        #expect(afterTrim < later)
        #expect(try table.getRecords(fresh, at: afterTrim).records.count == 4)
        #expect(throws: ChangeStreamError.trimmedDataAccess(shard: shard, detail: "sequence number \(sequences[1])")) {
            try table.shardIterator(shard, .atSequenceNumber(sequences[1]), at: later)
        }
        #expect(
            try table.getRecords(table.shardIterator(shard, .trimHorizon, at: later), at: later).records.map(
                \.sequenceNumber) == Array(sequences[2...]))
        try table.advance(to: later)
        #expect(table.retainedRecordCount == 2)
        #expect(throws: ChangeStreamError.trimmedDataAccess(shard: shard, detail: "sequence number \(sequences[0])")) {
            try table.shardIterator(shard, .afterSequenceNumber(sequences[0]), at: later)
        }
        #expect(error.description.contains("TrimmedDataAccess"))
    }

    @Test("an iterator kept within its lifetime fails once its position is trimmed")
    func heldIteratorFailsAfterTrimming() throws {
        var table = try makeTable(.keysOnly)
        try table.put(["pk": .s("a")], at: 0)
        let shard = try #require(table.describeStream().shards.first).id
        let iterator = try table.shardIterator(shard, .trimHorizon, at: 24 * hour - 5 * minute)
        #expect(throws: ChangeStreamError.trimmedDataAccess(shard: shard, detail: "position 0")) {
            try table.getRecords(iterator, at: 24 * hour)
        }
        try table.put(["pk": .s("b")], at: 24 * hour)
        #expect(throws: ChangeStreamError.trimmedDataAccess(shard: shard, detail: "position 0")) {
            try table.getRecords(iterator, at: 24 * hour)
        }
    }
}
