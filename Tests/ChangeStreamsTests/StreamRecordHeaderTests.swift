import Testing

@testable import ChangeStreams

/// Reads into a ``StreamRecordConsumer`` return the headers of exactly the records, iterators and errors that
/// reads into a `[StreamRecord]` buffer return.
@Suite("Header reads")
struct StreamRecordHeaderTests {
    struct HeaderLog: StreamRecordConsumer {
        var headers: [StreamRecordHeader] = []
        mutating func consume(_ record: StreamRecordHeader) { headers.append(record) }
    }

    /// A table whose one shard holds small records and records of about 300 KB, so that the 1 MB limit of a read
    /// cuts batches as well as `limit` does.
    static func mixedTable() throws -> Table {
        var table = try makeTable(.newAndOldImages)
        for step in 0..<40 {
            let blob: AttributeValue = step % 7 == 3 ? .binarySize(150_000) : .n(String(step))
            try table.put(["pk": .s("k\(step % 5)"), "blob": blob], at: Int64(step) * second)
        }
        return table
    }

    @Test("batches, iterators and sizes agree with record reads", arguments: [1, 3, 1_000])
    func batchesAgree(limit: Int) throws {
        let table = try Self.mixedTable()
        let now = 60 * second
        let shard = try #require(table.describeStream().shards.first)
        var recordIterator: ShardIterator? = try table.shardIterator(shard.id, .trimHorizon, at: now)
        var headerIterator = recordIterator
        var batches = 0
        while let records = recordIterator, let headers = headerIterator {
            var buffer: [StreamRecord] = []
            var log = HeaderLog()
            recordIterator = try table.readRecords(records, limit: limit, at: now, into: &buffer)
            headerIterator = try table.readRecords(headers, limit: limit, at: now, into: &log)
            #expect(log.headers == buffer.map(StreamRecordHeader.init))
            #expect(headerIterator == recordIterator)
            batches += 1
            if buffer.isEmpty { break }
        }
        #expect(batches > 40 / limit)
    }

    @Test("header reads report the same errors")
    func errorsAgree() throws {
        var table = try Self.mixedTable()
        let shard = try #require(table.describeStream().shards.first)
        let iterator = try table.shardIterator(shard.id, .trimHorizon, at: 0)
        var log = HeaderLog()
        #expect(throws: ChangeStreamError.invalidLimit(0)) {
            try table.readRecords(iterator, limit: 0, at: 0, into: &log)
        }
        #expect(throws: ChangeStreamError.expiredIterator(shard: shard.id, issuedAt: 0, now: hour)) {
            try table.readRecords(iterator, at: hour, into: &log)
        }
        try table.advance(to: 30 * hour)
        var buffer: [StreamRecord] = []
        let late = ShardIterator(shard: shard.id, position: 0, issuedAt: 30 * hour)
        #expect(throws: ChangeStreamError.trimmedDataAccess(shard: shard.id, detail: "position 0")) {
            try table.readRecords(late, at: 30 * hour, into: &log)
        }
        #expect(throws: ChangeStreamError.trimmedDataAccess(shard: shard.id, detail: "position 0")) {
            try table.readRecords(late, at: 30 * hour, into: &buffer)
        }
        #expect(log.headers.isEmpty)
    }
}

/// Records keep their own images while older ones are trimmed in bursts (the shard's image storage is compacted
/// as it empties from the front).
@Suite("Images across trims")
struct ImagesAcrossTrimsTests {
    @Test("every retained record carries the images of its own write after many trims")
    func imagesStayAlignedWithRecords() throws {
        var table = try makeTable(.newAndOldImages, rollover: 100 * hour)
        var written: [SequenceNumber: (new: Item, old: Item?)] = [:]
        var current: Item?
        let step = 2 * minute
        for write in 0..<1_500 {
            let now = Int64(write) * step
            let item: Item = ["pk": .s("k"), "v": .n(String(write))]
            let outcome = try table.put(item, at: now)
            if let sequence = outcome.sequenceNumber { written[sequence] = (item, current) }
            current = item
            if write % 97 == 0 { try table.advance(to: now) }
        }
        let end = 1_500 * step
        try table.advance(to: end)
        let records = try readEverything(table, at: end)
        #expect(records.count == table.retainedRecordCount)
        #expect(records.count > 500 && records.count < 1_000)
        for record in records {
            let expected = try #require(written[record.sequenceNumber])
            #expect(record.newImage == expected.new)
            #expect(record.oldImage == expected.old)
        }
    }
}
